import type { KubeObject, ObjectStore, WatchEvent } from '../kube/api';
import {
  defaultScript,
  type PodScript,
  type PodScriptResolver,
} from './containerScript';
import type { EventRecorder, RecordEvent } from './eventRecorder';
import { deleteIfPresent, mutateObject } from './objectUpdates';
import type { ContainerRun, PodRun } from './podRun';
import { PodRuntime } from './podRuntime';
import { gpuRequest, scheduleOnto } from './scheduler';
import type { WarpClock } from './warpClock';
import { watchObjects } from './watchObjects';

const PODS = { group: '', plural: 'pods' };
const NODES = { group: '', plural: 'nodes' };

interface PodSpecLite {
  nodeName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  initContainers?: { name: string; image: string }[];
  containers: { name: string; image: string }[];
}

/**
 * The cluster's data plane in one place: kube-scheduler binding pods to
 * nodes, and the kubelet on each node pulling images, running containers as
 * their scripts say, probing readiness, restarting per `restartPolicy` and
 * reporting `pod.status` and the usual Events. Also PodGC: pods bound to a
 * node that disappeared are deleted.
 */
export class SimKubelet {
  private readonly runs = new Map<string, PodRun>();
  private readonly unscheduled = new Map<string, KubeObject>();
  private readonly lastSchedulingMessage = new Map<string, string>();
  private readonly assumed = new Map<string, { node: string; gpus: number }>();
  private readonly stops: (() => void)[] = [];
  private scheduling: Promise<void> = Promise.resolve();
  private nextIp = 10;
  private readonly recordScheduler: RecordEvent;
  private readonly runtime: PodRuntime;

  constructor(
    private readonly deps: {
      store: ObjectStore;
      clock: WarpClock;
      events: EventRecorder;
      resolvers: PodScriptResolver[];
    },
  ) {
    this.recordScheduler = deps.events.forComponent({
      component: 'default-scheduler',
    });
    this.runtime = new PodRuntime({
      store: deps.store,
      clock: deps.clock,
      recordKubelet: node => this.recordKubelet(node),
    });
  }

  start(): void {
    this.stops.push(
      watchObjects(this.deps.store, NODES, event => this.onNodeEvent(event)),
    );
    this.stops.push(
      watchObjects(this.deps.store, PODS, event => this.onPodEvent(event)),
    );
  }

  stop(): void {
    this.stops.forEach(stop => stop());
    for (const run of this.runs.values()) run.abort.abort();
  }

  /** The run of a pod, for the log endpoint. */
  runOf(namespace: string, name: string): PodRun | undefined {
    return this.runs.get(`${namespace}/${name}`);
  }

  /** Appends a line to a running container's log, as a server logging a request does. */
  appendLog(
    namespace: string,
    pod: string,
    container: string,
    text: string,
  ): void {
    const run = this.runs.get(`${namespace}/${pod}`);
    const attempt = run?.containers.find(c => c.name === container)?.current;
    if (!attempt || attempt.exit) return;
    const atMs = this.deps.clock.nominalBetween(
      attempt.startedAtMs,
      Date.now(),
    );
    attempt.extraLines.push({ atMs, text });
  }

  private recordKubelet(node: string): RecordEvent {
    return this.deps.events.forComponent({ component: 'kubelet', host: node });
  }

  private onNodeEvent(event: WatchEvent): void {
    if (event.type === 'DELETED') {
      const gone = event.object.metadata.name;
      for (const run of [...this.runs.values()].filter(
        r => r.nodeName === gone,
      )) {
        // PodGC removes pods whose node no longer exists.
        void deleteIfPresent(this.deps.store, {
          ...PODS,
          namespace: run.namespace,
          name: run.name,
        });
      }
    }
    this.trySchedule();
  }

  private onPodEvent(event: WatchEvent): void {
    const pod = event.object;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (event.type === 'DELETED') {
      this.unscheduled.delete(key);
      this.assumed.delete(key);
      this.lastSchedulingMessage.delete(key);
      const run = this.runs.get(key);
      if (run && run.uid === pod.metadata.uid) {
        run.abort.abort();
        this.runs.delete(key);
        const record = this.recordKubelet(run.nodeName);
        for (const container of run.containers.filter(
          c => c.current && !c.current.exit,
        )) {
          void record(
            pod,
            'Normal',
            'Killing',
            `Stopping container ${container.name}`,
          );
        }
      }
      this.trySchedule();
      return;
    }
    const spec = pod.spec as PodSpecLite;
    if (!spec.nodeName) {
      this.unscheduled.set(key, pod);
      this.trySchedule();
      return;
    }
    this.unscheduled.delete(key);
    const existing = this.runs.get(key);
    if (!existing || existing.uid !== pod.metadata.uid) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      this.startRun(pod);
    }
  }

  private gpusInUse(node: string): number {
    let used = 0;
    for (const pod of this.deps.store.list(PODS).items) {
      const spec = pod.spec as PodSpecLite;
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (
        spec.nodeName === node &&
        phase !== 'Succeeded' &&
        phase !== 'Failed'
      ) {
        used += gpuRequest(pod);
      }
    }
    for (const [key, a] of this.assumed) {
      const [namespace, name] = key.split('/');
      const stored = this.deps.store.get({ ...PODS, namespace, name });
      if (
        a.node === node &&
        !(stored?.spec as PodSpecLite | undefined)?.nodeName
      )
        used += a.gpus;
    }
    return used;
  }

  /** Scheduling passes run one at a time, like the scheduler's single queue. */
  private trySchedule(): void {
    this.scheduling = this.scheduling
      .then(() => this.schedulePending())
      .catch(() => undefined);
  }

  private async schedulePending(): Promise<void> {
    const nodes = this.deps.store.list(NODES).items;
    const pending = [...this.unscheduled.values()].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(
        b.metadata.creationTimestamp ?? '',
      ),
    );
    for (const pod of pending) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (this.assumed.has(key)) continue;
      const result = scheduleOnto(pod, nodes, node => this.gpusInUse(node));
      if ('nodeName' in result) {
        this.assumed.set(key, { node: result.nodeName, gpus: gpuRequest(pod) });
        await this.bind(pod, result.nodeName);
      } else if (this.lastSchedulingMessage.get(key) !== result.message) {
        this.lastSchedulingMessage.set(key, result.message);
        await this.markUnschedulable(pod, result.message);
      }
    }
  }

  private async bind(pod: KubeObject, nodeName: string): Promise<void> {
    const ref = {
      ...PODS,
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
    };
    const bound = await mutateObject(this.deps.store, ref, obj => {
      if (
        obj.metadata.uid !== pod.metadata.uid ||
        (obj.spec as PodSpecLite).nodeName
      )
        return false;
      (obj.spec as PodSpecLite).nodeName = nodeName;
      return undefined;
    });
    if (bound) {
      void this.recordScheduler(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
      );
    }
  }

  private async markUnschedulable(
    pod: KubeObject,
    message: string,
  ): Promise<void> {
    const ref = {
      ...PODS,
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
    };
    await mutateObject(
      this.deps.store,
      ref,
      obj => {
        obj.status = {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: this.deps.clock.nowIso(),
              reason: 'Unschedulable',
              message,
            },
          ],
          qosClass: 'BestEffort',
        };
      },
      { status: true },
    );
    void this.recordScheduler(pod, 'Warning', 'FailedScheduling', message);
  }

  private resolveScript(
    pod: KubeObject,
    node: KubeObject | undefined,
  ): PodScript {
    const spec = pod.spec as PodSpecLite;
    const resolved = node
      ? this.deps.resolvers.map(resolve => resolve(pod, node)).find(Boolean)
      : undefined;
    const pick = (
      list: { name: string; image: string }[] | undefined,
      init: boolean,
    ) =>
      Object.fromEntries(
        (list ?? []).map(c => [
          c.name,
          (init
            ? resolved?.initContainers[c.name]
            : resolved?.containers[c.name]) ?? defaultScript(c.image, init),
        ]),
      );
    return {
      initContainers: pick(spec.initContainers, true),
      containers: pick(spec.containers, false),
    };
  }

  private startRun(pod: KubeObject): void {
    const spec = pod.spec as PodSpecLite;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.assumed.delete(key);
    const node = this.deps.store.get({ ...NODES, name: spec.nodeName! });
    const script = this.resolveScript(pod, node);
    const toRun = (
      c: { name: string; image: string },
      init: boolean,
    ): ContainerRun => ({
      name: c.name,
      image: c.image,
      init,
      script: (init ? script.initContainers : script.containers)[c.name],
      restartCount: 0,
      ready: false,
      imagePulled: false,
      waiting: {
        reason:
          init || (spec.initContainers ?? []).length === 0
            ? 'ContainerCreating'
            : 'PodInitializing',
      },
    });
    const hostIP =
      (
        (
          node?.status as
            | { addresses?: { type: string; address: string }[] }
            | undefined
        )?.addresses ?? []
      ).find(a => a.type === 'InternalIP')?.address ?? '10.224.0.4';
    const ip = this.nextIp++;
    const run: PodRun = {
      uid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name,
      nodeName: spec.nodeName!,
      hostIP,
      podIP: `10.244.${Math.floor(ip / 250) % 250}.${(ip % 250) + 2}`,
      startTimeMs: Date.now(),
      restartPolicy: spec.restartPolicy ?? 'Always',
      initContainers: (spec.initContainers ?? []).map(c => toRun(c, true)),
      containers: spec.containers.map(c => toRun(c, false)),
      phase: 'Pending',
      initialized: (spec.initContainers ?? []).length === 0,
      abort: new AbortController(),
      transitions: {},
    };
    this.runs.set(key, run);
    this.runtime.runPod(run, pod).catch(error => {
      if (!run.abort.signal.aborted) {
        // eslint-disable-next-line no-console
        console.warn(`kubelet: pod ${key} stopped:`, error);
      }
    });
  }
}
