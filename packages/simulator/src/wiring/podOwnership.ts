import { randomInt } from 'node:crypto';
import type { KubeObject, ObjectStore } from '../kube/api';

/** Helpers shared by the workload controllers (Job, StatefulSet). */

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix the API server gives `generateName`. */
/** `spec.template` of a workload (Job, StatefulSet): what its pods are made from. */
export interface PodTemplate {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export function randomSuffix(): string {
  return Array.from(
    { length: 5 },
    () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)],
  ).join('');
}

export function controllerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some(
    ref => ref.controller && ref.uid === owner.metadata.uid,
  );
}

export function controllerOf(
  obj: KubeObject,
): { kind: string; name: string } | undefined {
  return (obj.metadata.ownerReferences ?? []).find(ref => ref.controller);
}

export function podsControlledBy(
  store: ObjectStore,
  owner: KubeObject,
): KubeObject[] {
  return store
    .list({ group: '', plural: 'pods', namespace: owner.metadata.namespace })
    .items.filter(pod => isControlledBy(pod, owner));
}

export function podPhase(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending';
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (
    pod.status as
      | { conditions?: { type: string; status: string }[] }
      | undefined
  )?.conditions;
  return (conditions ?? []).some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}
