import type { KubeObject, ObjectStore, WatchEvent } from '../kube/api';
import type { RecordEvent } from './eventRecorder';
import { mutateObject } from './objectUpdates';
import {
  controllerOf,
  controllerRef,
  isPodReady,
  podPhase,
  podsControlledBy,
  randomSuffix,
  type PodTemplate,
} from './podOwnership';
import type { WarpClock } from './warpClock';
import { watchObjects } from './watchObjects';
import { WorkQueue, type ReconcileResult } from './workQueue';

const JOBS = { group: 'batch', plural: 'jobs' };
const PODS = { group: '', plural: 'pods' };

interface JobSpec {
  backoffLimit?: number;
  completions?: number;
  template: PodTemplate;
}

interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

/**
 * kube-controller-manager's Job controller for non-indexed, single-completion
 * Jobs (what KAITO creates): one pod at a time, a replacement after each
 * failed pod with 10s-doubling back-off, `Complete` on the first success,
 * `Failed`/`BackoffLimitExceeded` after `backoffLimit` (default 6) failures.
 */
export class JobController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly deps: {
      store: ObjectStore;
      clock: WarpClock;
      record: RecordEvent;
    },
  ) {
    this.queue = new WorkQueue('job-controller', deps.clock, key =>
      this.reconcile(key),
    );
  }

  start(): void {
    this.stops.push(
      watchObjects(this.deps.store, JOBS, e => this.queue.add(keyOf(e.object))),
      watchObjects(this.deps.store, PODS, e => this.onPod(e)),
    );
  }

  stop(): void {
    this.stops.forEach(stop => stop());
    this.queue.stop();
  }

  private onPod(event: WatchEvent): void {
    const owner = controllerOf(event.object);
    if (owner?.kind === 'Job') {
      this.queue.add(`${event.object.metadata.namespace}/${owner.name}`);
    }
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace, name] = key.split('/');
    const job = this.deps.store.get({ ...JOBS, namespace, name });
    if (!job || job.metadata.deletionTimestamp) return undefined;
    const spec = job.spec as JobSpec;
    const conditions =
      (job.status as { conditions?: JobCondition[] } | undefined)?.conditions ??
      [];
    const finished = conditions.some(
      c =>
        (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const pods = podsControlledBy(this.deps.store, job);
    const succeeded = pods.filter(p => podPhase(p) === 'Succeeded').length;
    const failedPods = pods.filter(p => podPhase(p) === 'Failed');
    const active = pods.filter(
      p => !['Succeeded', 'Failed'].includes(podPhase(p)),
    );
    const backoffLimit = spec.backoffLimit ?? 6;
    let requeue: ReconcileResult = undefined;
    const newConditions: JobCondition[] = [];

    if (!finished) {
      if (succeeded >= (spec.completions ?? 1)) {
        newConditions.push(
          jobCondition(
            this.deps.clock.nowIso(),
            'SuccessCriteriaMet',
            'CompletionsReached',
            'Reached expected number of succeeded pods',
          ),
          jobCondition(
            this.deps.clock.nowIso(),
            'Complete',
            'CompletionsReached',
            'Reached expected number of succeeded pods',
          ),
        );
        void this.deps.record(job, 'Normal', 'Completed', 'Job completed');
      } else if (failedPods.length > backoffLimit) {
        newConditions.push(
          jobCondition(
            this.deps.clock.nowIso(),
            'FailureTarget',
            'BackoffLimitExceeded',
            'Job has reached the specified backoff limit',
          ),
          jobCondition(
            this.deps.clock.nowIso(),
            'Failed',
            'BackoffLimitExceeded',
            'Job has reached the specified backoff limit',
          ),
        );
        void this.deps.record(
          job,
          'Warning',
          'BackoffLimitExceeded',
          'Job has reached the specified backoff limit',
        );
      } else if (active.length === 0) {
        const waitMs = this.backoffRemaining(failedPods);
        if (waitMs > 0) {
          requeue = { requeueAfterMs: waitMs };
        } else {
          active.push(await this.createPod(job));
        }
      }
    }

    await mutateObject(
      this.deps.store,
      { ...JOBS, namespace, name },
      obj => {
        const previous = (obj.status ?? {}) as Record<string, unknown>;
        const next: Record<string, unknown> = {
          ...previous,
          startTime: previous.startTime ?? this.deps.clock.nowIso(),
          active: finished || newConditions.length > 0 ? 0 : active.length,
          ready: active.filter(isPodReady).length,
          succeeded,
          failed: failedPods.length,
          terminating: 0,
          uncountedTerminatedPods: {},
        };
        if (newConditions.length > 0) {
          next.conditions = [
            ...((previous.conditions as JobCondition[]) ?? []),
            ...newConditions,
          ];
          if (newConditions.some(c => c.type === 'Complete'))
            next.completionTime = this.deps.clock.nowIso();
        }
        for (const field of ['active', 'succeeded', 'failed']) {
          if (next[field] === 0) delete next[field];
        }
        if (JSON.stringify(next) === JSON.stringify(previous)) return false;
        obj.status = next;
        return undefined;
      },
      { status: true },
    );
    return requeue;
  }

  /** Nominal time left before the next pod may start after failures. */
  private backoffRemaining(failedPods: KubeObject[]): number {
    if (failedPods.length === 0) return 0;
    const delay = Math.min(10_000 * 2 ** (failedPods.length - 1), 360_000);
    const lastFailure = Math.max(
      ...failedPods.map(p => {
        const statuses =
          (
            p.status as {
              containerStatuses?: {
                state?: { terminated?: { finishedAt?: string } };
              }[];
            }
          )?.containerStatuses ?? [];
        const times = statuses
          .map(s => Date.parse(s.state?.terminated?.finishedAt ?? ''))
          .filter(t => !Number.isNaN(t))
          .map(t => this.deps.clock.wallAt(t));
        return times.length > 0 ? Math.max(...times) : 0;
      }),
    );
    const elapsedNominal = this.deps.clock.nominalBetween(
      lastFailure,
      Date.now(),
    );
    return Math.max(0, delay - elapsedNominal);
  }

  private async createPod(job: KubeObject): Promise<KubeObject> {
    const spec = job.spec as JobSpec;
    const uid = job.metadata.uid ?? '';
    const name = `${job.metadata.name}-${randomSuffix()}`;
    const pod = await this.deps.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: job.metadata.namespace,
        labels: {
          ...(spec.template.metadata?.labels ?? {}),
          'batch.kubernetes.io/controller-uid': uid,
          'batch.kubernetes.io/job-name': job.metadata.name,
          'controller-uid': uid,
          'job-name': job.metadata.name,
        },
        annotations: {
          ...(spec.template.metadata?.annotations ?? {}),
          'batch.kubernetes.io/job-tracking': '',
        },
        ownerReferences: [controllerRef(job)],
      },
      spec: structuredClone(spec.template.spec),
    });
    void this.deps.record(
      job,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${name}`,
    );
    return pod;
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

function jobCondition(
  now: string,
  type: string,
  reason: string,
  message: string,
): JobCondition {
  return {
    type,
    status: 'True',
    reason,
    message,
    lastProbeTime: now,
    lastTransitionTime: now,
  };
}
