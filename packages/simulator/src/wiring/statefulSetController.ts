import { createHash } from 'node:crypto';
import type { SimClock } from '../clock';
import type { KubeObject, ObjectStore, WatchEvent } from '../kube/api';
import type { RecordEvent } from './eventRecorder';
import { deleteIfPresent, mutateObject } from './objectUpdates';
import {
  controllerOf,
  controllerRef,
  isPodReady,
  podPhase,
  podsControlledBy,
  type PodTemplate,
} from './podOwnership';
import { watchObjects } from './watchObjects';
import { WorkQueue } from './workQueue';

const STATEFULSETS = { group: 'apps', plural: 'statefulsets' };
const PODS = { group: '', plural: 'pods' };

interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  template: PodTemplate;
}

/**
 * kube-controller-manager's StatefulSet controller, `Parallel` pod
 * management (KAITO's setting): pods `<name>-<ordinal>` with stable names,
 * recreated when they finish or disappear, and the replica counts in status.
 */
export class StatefulSetController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly deps: {
      store: ObjectStore;
      clock: SimClock;
      record: RecordEvent;
    },
  ) {
    this.queue = new WorkQueue('statefulset-controller', deps.clock, key =>
      this.reconcile(key),
    );
  }

  start(): void {
    this.stops.push(
      watchObjects(this.deps.store, STATEFULSETS, e =>
        this.queue.add(
          `${e.object.metadata.namespace}/${e.object.metadata.name}`,
        ),
      ),
      watchObjects(this.deps.store, PODS, e => this.onPod(e)),
    );
  }

  stop(): void {
    this.stops.forEach(stop => stop());
    this.queue.stop();
  }

  private onPod(event: WatchEvent): void {
    const owner = controllerOf(event.object);
    if (owner?.kind === 'StatefulSet') {
      this.queue.add(`${event.object.metadata.namespace}/${owner.name}`);
    }
  }

  private async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const sts = this.deps.store.get({ ...STATEFULSETS, namespace, name });
    if (!sts || sts.metadata.deletionTimestamp) return;
    const spec = sts.spec as StatefulSetSpec;
    const replicas = spec.replicas ?? 1;
    const revision = `${name}-${createHash('sha256')
      .update(JSON.stringify(spec.template))
      .digest('hex')
      .slice(0, 10)}`;
    let pods = podsControlledBy(this.deps.store, sts);

    for (const pod of pods) {
      const ordinal = Number(pod.metadata.name.slice(name.length + 1));
      const finished = ['Succeeded', 'Failed'].includes(podPhase(pod));
      if (ordinal >= replicas || finished) {
        await deleteIfPresent(this.deps.store, {
          ...PODS,
          namespace,
          name: pod.metadata.name,
        });
        void this.deps.record(
          sts,
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
        );
      }
    }
    pods = podsControlledBy(this.deps.store, sts);
    const present = new Set(pods.map(p => p.metadata.name));
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const podName = `${name}-${ordinal}`;
      if (!present.has(podName))
        await this.createPod(sts, podName, ordinal, revision);
    }

    pods = podsControlledBy(this.deps.store, sts);
    const ready = pods.filter(isPodReady).length;
    await mutateObject(
      this.deps.store,
      { ...STATEFULSETS, namespace, name },
      obj => {
        const next = {
          observedGeneration: obj.metadata.generation ?? 1,
          replicas: pods.length,
          ...(ready > 0
            ? { readyReplicas: ready, availableReplicas: ready }
            : { availableReplicas: 0 }),
          currentReplicas: pods.length,
          updatedReplicas: pods.length,
          currentRevision: revision,
          updateRevision: revision,
          collisionCount: 0,
        };
        if (JSON.stringify(next) === JSON.stringify(obj.status ?? {}))
          return false;
        obj.status = next;
        return undefined;
      },
      { status: true },
    );
  }

  private async createPod(
    sts: KubeObject,
    podName: string,
    ordinal: number,
    revision: string,
  ) {
    const spec = sts.spec as StatefulSetSpec;
    await this.deps.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace: sts.metadata.namespace,
        labels: {
          ...(spec.template.metadata?.labels ?? {}),
          'apps.kubernetes.io/pod-index': String(ordinal),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': podName,
        },
        annotations: { ...(spec.template.metadata?.annotations ?? {}) },
        ownerReferences: [controllerRef(sts)],
      },
      spec: {
        ...structuredClone(spec.template.spec),
        hostname: podName,
        ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
      },
    });
    void this.deps.record(
      sts,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`,
    );
  }
}
