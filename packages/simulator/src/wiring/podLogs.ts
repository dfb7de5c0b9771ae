import type { ServerResponse } from 'node:http';
import type { KubeObject, SubresourceHandler } from '../kube/api';
import { badRequest, type StatusError } from '../kube/errors';
import { linesUpTo, renderLine, type LogLine } from './containerScript';
import type { SimKubelet } from './kubelet';
import type { ContainerAttempt, ContainerRun } from './podRun';
import type { WarpClock } from './warpClock';

/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: the container's output so
 * far, derived from its script and start time, with `container`, `follow`,
 * `previous`, `tailLines`, `sinceSeconds`, `limitBytes` and `timestamps`,
 * and the API server's errors for a missing container name or a container
 * that has not started.
 */
const FOLLOW_POLL_MS = 100;

export function sendStatus(res: ServerResponse, error: StatusError): void {
  res.writeHead(error.code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(error.toStatus()));
}

interface PodSpecLite {
  containers: { name: string }[];
  initContainers?: { name: string }[];
}

function pickContainer(
  pod: KubeObject,
  requested: string | null,
): string | StatusError {
  const spec = pod.spec as PodSpecLite;
  const names = spec.containers.map(c => c.name);
  const initNames = (spec.initContainers ?? []).map(c => c.name);
  if (requested) {
    if (names.includes(requested) || initNames.includes(requested))
      return requested;
    return badRequest(
      `container ${requested} is not valid for pod ${pod.metadata.name}`,
    );
  }
  const preferred =
    pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (preferred && names.includes(preferred)) return preferred;
  if (names.length === 1) return names[0];
  return badRequest(
    `a container name must be specified for pod ${
      pod.metadata.name
    }, choose one of: [${names.join(' ')}]${
      initNames.length > 0
        ? ` or one of the init containers: [${initNames.join(' ')}]`
        : ''
    }`,
  );
}

function waitingReason(pod: KubeObject, container: string): string {
  const status = pod.status as {
    containerStatuses?: {
      name: string;
      state?: { waiting?: { reason?: string } };
    }[];
    initContainerStatuses?: {
      name: string;
      state?: { waiting?: { reason?: string } };
    }[];
  };
  const reason = [
    ...(status?.initContainerStatuses ?? []),
    ...(status?.containerStatuses ?? []),
  ].find(s => s.name === container)?.state?.waiting?.reason;
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff')
    return 'trying and failing to pull image';
  return reason ?? 'ContainerCreating';
}

/** Log lines of one attempt at `nowMs`, with the cluster's time of each. */
function attemptLines(
  c: ContainerRun,
  attempt: ContainerAttempt,
  nowMs: number,
  clock: WarpClock,
) {
  const elapsed = clock.nominalBetween(
    attempt.startedAtMs,
    attempt.finishedAtMs ?? nowMs,
  );
  const lines: LogLine[] = [
    ...linesUpTo(c.script, elapsed),
    ...attempt.extraLines,
  ].sort((a, b) => a.atMs - b.atMs);
  return lines.map(line => {
    const at = new Date(
      clock.timeAt(clock.wallAfter(attempt.startedAtMs, line.atMs)),
    );
    return { at, text: renderLine(line.text, at) };
  });
}

function format(line: { at: Date; text: string }, timestamps: boolean): string {
  return timestamps
    ? `${line.at.toISOString().replace('Z', '000000Z')} ${line.text}\n`
    : `${line.text}\n`;
}

export function podLogHandler(
  kubelet: SimKubelet,
  clock: WarpClock,
): SubresourceHandler {
  return ({ object: pod, query, req, res }) => {
    const picked = pickContainer(pod, query.get('container'));
    if (typeof picked !== 'string') {
      sendStatus(res, picked);
      return;
    }
    const namespace = pod.metadata.namespace ?? 'default';
    const run = kubelet.runOf(namespace, pod.metadata.name);
    const c =
      run &&
      [...run.initContainers, ...run.containers].find(x => x.name === picked);
    const previous = query.get('previous') === 'true';
    const attempt = previous ? c?.previous : c?.current ?? c?.previous;
    if (!c || !attempt) {
      sendStatus(
        res,
        previous
          ? badRequest(
              `previous terminated container "${picked}" in pod "${pod.metadata.name}" not found`,
            )
          : badRequest(
              `container "${picked}" in pod "${
                pod.metadata.name
              }" is waiting to start: ${waitingReason(pod, picked)}`,
            ),
      );
      return;
    }
    const timestamps = query.get('timestamps') === 'true';
    const tail = query.has('tailLines')
      ? Number(query.get('tailLines'))
      : undefined;
    const since = query.has('sinceSeconds')
      ? clock.now().getTime() - Number(query.get('sinceSeconds')) * 1000
      : undefined;
    let budget = query.has('limitBytes')
      ? Number(query.get('limitBytes'))
      : Infinity;
    const write = (text: string) => {
      if (budget <= 0) return;
      const chunk = Buffer.from(text).subarray(0, budget);
      budget -= chunk.length;
      res.write(chunk);
    };

    let lines = attemptLines(c, attempt, Date.now(), clock);
    if (since !== undefined) lines = lines.filter(l => l.at.getTime() >= since);
    if (tail !== undefined && tail >= 0)
      lines = lines.slice(Math.max(0, lines.length - tail));
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Cache-Control': 'no-cache, private',
    });
    lines.forEach(l => write(format(l, timestamps)));

    const follow = query.get('follow') === 'true';
    if (!follow || previous || attempt.exit) {
      res.end();
      return;
    }
    let written = attemptLines(c, attempt, Date.now(), clock).length;
    const timer = setInterval(() => {
      const now = attemptLines(c, attempt, Date.now(), clock);
      now.slice(written).forEach(l => write(format(l, timestamps)));
      written = now.length;
      if (attempt.exit || run.abort.signal.aborted || budget <= 0) {
        clearInterval(timer);
        res.end();
      }
    }, FOLLOW_POLL_MS);
    req.on('close', () => clearInterval(timer));
  };
}
