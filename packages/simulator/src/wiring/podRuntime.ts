/**
 * The kubelet's work on one node's pods once they are bound: pulling images
 * (cached per node, with back-off while a pull fails), running init and main
 * containers as their scripts say, probing readiness, restarting per
 * `restartPolicy` with CrashLoopBackOff, and writing `pod.status` and the
 * kubelet's Events.
 */
import type { KubeObject, ObjectStore } from '../kube/api';
import type { ContainerScript } from './containerScript';
import type { RecordEvent } from './eventRecorder';
import { mutateObject } from './objectUpdates';
import {
  containerId,
  podStatusOf,
  stampOf,
  type ContainerRun,
  type PodRun,
} from './podRun';
import type { WarpClock } from './warpClock';

const PODS = { group: '', plural: 'pods' };

/** kubelet's image pull back-off: 10s doubling up to 5 minutes. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

export class PodRuntime {
  private readonly imagesOnNode = new Map<string, Set<string>>();

  constructor(
    private readonly deps: {
      store: ObjectStore;
      clock: WarpClock;
      recordKubelet: (node: string) => RecordEvent;
    },
  ) {}

  private async writeStatus(run: PodRun): Promise<void> {
    if (run.abort.signal.aborted) return;
    await mutateObject(
      this.deps.store,
      { ...PODS, namespace: run.namespace, name: run.name },
      obj => {
        if (obj.metadata.uid !== run.uid) return false;
        obj.status = podStatusOf(run, Date.now(), stampOf(this.deps.clock));
        return undefined;
      },
      { status: true },
    );
  }

  private sleep(run: PodRun, nominalMs: number): Promise<void> {
    return this.deps.clock.sleep(nominalMs, run.abort.signal);
  }

  async runPod(run: PodRun, pod: KubeObject): Promise<void> {
    await this.writeStatus(run);
    const record = this.deps.recordKubelet(run.nodeName);
    for (const c of run.initContainers) {
      for (;;) {
        await this.pullImage(run, c, pod, record);
        const exit = await this.runContainer(run, c, pod, record);
        if (exit.exitCode === 0) break;
        if (run.restartPolicy === 'Never') {
          run.phase = 'Failed';
          await this.writeStatus(run);
          return;
        }
        await this.crashLoopBackOff(run, c, pod, record);
      }
    }
    run.initialized = true;
    for (const c of run.containers) {
      c.waiting = { reason: 'ContainerCreating' };
    }
    await this.writeStatus(run);
    for (const c of run.containers) await this.pullImage(run, c, pod, record);
    run.phase = 'Running';
    await Promise.all(
      run.containers.map(c => this.superviseContainer(run, c, pod, record)),
    );
    const failed = run.containers.some(
      c => (c.current?.exit?.exitCode ?? 0) !== 0,
    );
    run.phase = failed ? 'Failed' : 'Succeeded';
    await this.writeStatus(run);
  }

  /** Runs a main container, restarting it per the pod's restartPolicy. */
  private async superviseContainer(
    run: PodRun,
    c: ContainerRun,
    pod: KubeObject,
    record: RecordEvent,
  ): Promise<void> {
    for (;;) {
      const exit = await this.runContainer(run, c, pod, record);
      const restart =
        run.restartPolicy === 'Always' ||
        (run.restartPolicy === 'OnFailure' && exit.exitCode !== 0);
      if (!restart) return;
      await this.crashLoopBackOff(run, c, pod, record);
    }
  }

  private async crashLoopBackOff(
    run: PodRun,
    c: ContainerRun,
    pod: KubeObject,
    record: RecordEvent,
  ): Promise<void> {
    const delay = Math.min(
      BACKOFF_BASE_MS * 2 ** c.restartCount,
      BACKOFF_MAX_MS,
    );
    c.previous = c.current;
    c.current = undefined;
    c.waiting = {
      reason: 'CrashLoopBackOff',
      message: `back-off ${Math.round(
        delay / 1000,
      )}s restarting failed container=${c.name} pod=${run.name}_${
        run.namespace
      }(${run.uid})`,
    };
    c.restartCount++;
    await this.writeStatus(run);
    void record(
      pod,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${run.name}_${run.namespace}(${run.uid})`,
    );
    await this.sleep(run, delay);
    void record(
      pod,
      'Normal',
      'Pulled',
      `Container image "${c.image}" already present on machine`,
    );
  }

  /** Pulls the image (or finds it cached), retrying with back-off while the pull fails. */
  private async pullImage(
    run: PodRun,
    c: ContainerRun,
    pod: KubeObject,
    record: RecordEvent,
  ): Promise<void> {
    const cache = this.imagesOnNode.get(run.nodeName) ?? new Set<string>();
    this.imagesOnNode.set(run.nodeName, cache);
    if (cache.has(c.image) && !c.script.pullFails?.()) {
      c.imagePulled = true;
      void record(
        pod,
        'Normal',
        'Pulled',
        `Container image "${c.image}" already present on machine`,
      );
      return;
    }
    for (let attempt = 0; ; attempt++) {
      void record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      await this.sleep(run, attempt === 0 ? c.script.pullMs : 2_000);
      const failure = c.script.pullFails?.();
      if (!failure) break;
      const error = `failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": ${c.image}: not found`;
      c.waiting = {
        reason: 'ErrImagePull',
        message: `rpc error: code = NotFound desc = ${error}`,
      };
      await this.writeStatus(run);
      void record(
        pod,
        'Warning',
        'Failed',
        `Failed to pull image "${c.image}": rpc error: code = NotFound desc = ${error}`,
      );
      void record(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      const delay = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
      await this.sleep(run, 1_000);
      c.waiting = {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${c.image}"`,
      };
      await this.writeStatus(run);
      void record(
        pod,
        'Normal',
        'BackOff',
        `Back-off pulling image "${c.image}"`,
      );
      void record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      await this.sleep(run, delay);
    }
    cache.add(c.image);
    c.imagePulled = true;
    const seconds = c.script.pullMs / 1000;
    const took =
      seconds >= 60
        ? `${Math.floor(seconds / 60)}m${(seconds % 60).toFixed(3)}s`
        : `${seconds.toFixed(3)}s`;
    void record(
      pod,
      'Normal',
      'Pulled',
      `Successfully pulled image "${
        c.image
      }" in ${took} (${took} including waiting). Image size: ${
        c.script.imageBytes ?? 50_000_000
      } bytes.`,
    );
  }

  /** Starts one attempt of a container and waits for it to exit (forever for servers). */
  private async runContainer(
    run: PodRun,
    c: ContainerRun,
    pod: KubeObject,
    record: RecordEvent,
  ): Promise<{ exitCode: number }> {
    const script: ContainerScript = c.script;
    c.waiting = undefined;
    c.current = {
      startedAtMs: Date.now(),
      containerId: containerId(run.uid, c.name, c.restartCount),
      extraLines: [],
    };
    c.ready = script.readyAtMs === undefined && !c.init;
    void record(pod, 'Normal', 'Created', `Created container: ${c.name}`);
    void record(pod, 'Normal', 'Started', `Started container ${c.name}`);
    await this.writeStatus(run);
    if (
      !c.init &&
      script.readyAtMs !== undefined &&
      (!script.exit || script.readyAtMs < script.exit.atMs)
    ) {
      const attempt = c.current;
      void this.sleep(run, script.readyAtMs)
        .then(async () => {
          // Only this attempt: after a restart the probe starts over.
          if (c.current === attempt && !attempt.exit) {
            c.ready = true;
            await this.writeStatus(run);
          }
        })
        .catch(() => undefined);
    }
    if (!script.exit) {
      await new Promise<void>((_, reject) =>
        run.abort.signal.addEventListener(
          'abort',
          () => reject(run.abort.signal.reason),
          { once: true },
        ),
      );
    }
    await this.sleep(run, script.exit!.atMs);
    c.current.exit = script.exit;
    c.current.finishedAtMs = Date.now();
    c.ready = false;
    await this.writeStatus(run);
    return { exitCode: script.exit!.exitCode };
  }
}
