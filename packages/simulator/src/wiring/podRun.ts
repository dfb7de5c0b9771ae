import { createHash } from 'node:crypto';
import type {
  ContainerExit,
  ContainerScript,
  LogLine,
} from './containerScript';

/**
 * The kubelet's in-memory record of a pod it runs, and how that record reads
 * as `pod.status` (`podStatusOf`). Wall-clock times are epoch milliseconds.
 */
export interface ContainerAttempt {
  startedAtMs: number;
  finishedAtMs?: number;
  exit?: ContainerExit;
  containerId: string;
  /** Lines the process logged in response to traffic (not in its script). */
  extraLines: LogLine[];
}

export interface ContainerRun {
  name: string;
  image: string;
  init: boolean;
  script: ContainerScript;
  restartCount: number;
  waiting?: { reason: string; message?: string };
  current?: ContainerAttempt;
  previous?: ContainerAttempt;
  ready: boolean;
  imagePulled: boolean;
}

export interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  hostIP: string;
  podIP: string;
  startTimeMs: number;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  initContainers: ContainerRun[];
  containers: ContainerRun[];
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  initialized: boolean;
  abort: AbortController;
  /** When each pod condition last changed status, for `lastTransitionTime`. */
  transitions: Record<string, { ok: boolean; atMs: number }>;
}

/** A wall-clock instant (ms) as a timestamp of the cluster's time. */
export type Stamp = (wallMs: number) => string;

/** The stamp of a clock (`timeAt` maps wall time to the cluster's time). */
export function stampOf(clock: { timeAt(wallMs: number): number }): Stamp {
  return ms => new Date(clock.timeAt(ms)).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function containerId(
  podUid: string,
  name: string,
  restart: number,
): string {
  return `containerd://${createHash('sha256')
    .update(`${podUid}/${name}/${restart}`)
    .digest('hex')}`;
}

export function imageId(image: string): string {
  const repo = image.replace(/[:@].*$/, '');
  return `${repo}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

function stateOf(c: ContainerRun, stamp: Stamp) {
  const attempt = c.current;
  if (attempt?.finishedAtMs !== undefined && attempt.exit) {
    return {
      terminated: {
        exitCode: attempt.exit.exitCode,
        reason: attempt.exit.reason,
        ...(attempt.exit.message ? { message: attempt.exit.message } : {}),
        startedAt: stamp(attempt.startedAtMs),
        finishedAt: stamp(attempt.finishedAtMs),
        containerID: attempt.containerId,
      },
    };
  }
  if (attempt && !c.waiting)
    return { running: { startedAt: stamp(attempt.startedAtMs) } };
  return { waiting: c.waiting ?? { reason: 'ContainerCreating' } };
}

function lastStateOf(c: ContainerRun, stamp: Stamp) {
  const prev = c.previous;
  if (!prev?.exit || prev.finishedAtMs === undefined) return {};
  return {
    terminated: {
      exitCode: prev.exit.exitCode,
      reason: prev.exit.reason,
      ...(prev.exit.message ? { message: prev.exit.message } : {}),
      startedAt: stamp(prev.startedAtMs),
      finishedAt: stamp(prev.finishedAtMs),
      containerID: prev.containerId,
    },
  };
}

function containerStatus(c: ContainerRun, stamp: Stamp) {
  const state = stateOf(c, stamp);
  return {
    name: c.name,
    image: c.image,
    imageID: c.imagePulled ? imageId(c.image) : '',
    ...(c.current ? { containerID: c.current.containerId } : {}),
    ready: c.ready,
    restartCount: c.restartCount,
    started: 'running' in state,
    state,
    lastState: lastStateOf(c, stamp),
  };
}

function condition(
  stamp: Stamp,
  type: string,
  ok: boolean,
  since: number,
  reason?: string,
  message?: string,
) {
  return {
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: stamp(since),
    ...(ok || !reason ? {} : { reason }),
    ...(ok || !message ? {} : { message }),
  };
}

function transitionTime(
  run: PodRun,
  type: string,
  ok: boolean,
  nowMs: number,
): number {
  const last = run.transitions[type];
  if (!last || last.ok !== ok) run.transitions[type] = { ok, atMs: nowMs };
  return run.transitions[type].atMs;
}

/** `pod.status` for the run, as the kubelet would report it now. */
export function podStatusOf(run: PodRun, nowMs: number, stamp: Stamp) {
  const notReady = run.containers.filter(c => !c.ready).map(c => c.name);
  const notInit = run.initContainers
    .filter(c => !c.current?.exit)
    .map(c => c.name);
  const allReady = notReady.length === 0 && run.phase === 'Running';
  const unreadyMessage = `containers with unready status: [${notReady.join(
    ' ',
  )}]`;
  const done = run.phase === 'Succeeded' || run.phase === 'Failed';
  return {
    phase: run.phase,
    conditions: [
      condition(stamp, 'PodReadyToStartContainers', true, run.startTimeMs),
      condition(
        stamp,
        'Initialized',
        run.initialized,
        transitionTime(run, 'Initialized', run.initialized, nowMs),
        done ? 'PodCompleted' : 'ContainersNotInitialized',
        `containers with incomplete status: [${notInit.join(' ')}]`,
      ),
      condition(
        stamp,
        'Ready',
        allReady,
        transitionTime(run, 'Ready', allReady, nowMs),
        done ? 'PodCompleted' : 'ContainersNotReady',
        unreadyMessage,
      ),
      condition(
        stamp,
        'ContainersReady',
        allReady,
        transitionTime(run, 'ContainersReady', allReady, nowMs),
        done ? 'PodCompleted' : 'ContainersNotReady',
        unreadyMessage,
      ),
      condition(stamp, 'PodScheduled', true, run.startTimeMs),
    ],
    hostIP: run.hostIP,
    hostIPs: [{ ip: run.hostIP }],
    podIP: run.podIP,
    podIPs: [{ ip: run.podIP }],
    startTime: stamp(run.startTimeMs),
    qosClass: 'BestEffort',
    ...(run.initContainers.length > 0
      ? {
          initContainerStatuses: run.initContainers.map(c =>
            containerStatus(c, stamp),
          ),
        }
      : {}),
    containerStatuses: run.containers.map(c => containerStatus(c, stamp)),
  };
}
