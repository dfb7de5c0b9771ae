import type { KubeObject } from '../kube/api';

/**
 * What a simulated container does, as a function of time since it started:
 * the lines it logs, when it becomes ready and how it ends. Times are
 * nominal (real-cluster) milliseconds; the kubelet divides them by the time
 * scale. Logs are derived from the script and the start time alone, so the
 * same pod always logs the same thing.
 */
export interface LogLine {
  atMs: number;
  /** `{{ts}}` is replaced by the line's wall time as vLLM prints it (`MM-DD HH:MM:SS`). */
  text: string;
}

export interface ContainerExit {
  atMs: number;
  exitCode: number;
  reason: 'Completed' | 'Error' | 'OOMKilled';
  message?: string;
}

export interface ContainerScript {
  /** Nominal time to pull the image on a node that does not have it. */
  pullMs: number;
  /** Image size reported in the kubelet's Pulled event, bytes. */
  imageBytes?: number;
  /** Asked at every pull attempt; true makes the pull fail (the `imagePullFailure` fault). */
  pullFails?: () => boolean;
  lines: LogLine[];
  /** When the readiness probe starts passing; omitted means ready on start. */
  readyAtMs?: number;
  /** How the process ends; omitted means it serves until the pod goes away. */
  exit?: ContainerExit;
}

export interface PodScript {
  initContainers: Record<string, ContainerScript>;
  containers: Record<string, ContainerScript>;
}

/** Builds the scripts for a pod the kubelet is about to run. */
export type PodScriptResolver = (
  pod: KubeObject,
  node: KubeObject,
) => PodScript | undefined;

/** Lines logged up to `elapsedMs`, stopping at the exit. */
export function linesUpTo(
  script: ContainerScript,
  elapsedMs: number,
): LogLine[] {
  const end = Math.min(elapsedMs, script.exit?.atMs ?? Infinity);
  return script.lines.filter(line => line.atMs <= end);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Renders a line logged at wall time `at`. */
export function renderLine(text: string, at: Date): string {
  if (!text.includes('{{ts}}')) return text;
  const ts = `${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(
    at.getUTCHours(),
  )}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return text.split('{{ts}}').join(ts);
}

/** A container image's typical pull time and size, for the kubelet's events. */
export function defaultScript(image: string, init: boolean): ContainerScript {
  return {
    pullMs: 4_000,
    imageBytes: 30_000_000,
    lines: [{ atMs: 0, text: `starting ${image.split('/').pop()}` }],
    ...(init
      ? { exit: { atMs: 2_000, exitCode: 0, reason: 'Completed' as const } }
      : {}),
  };
}
