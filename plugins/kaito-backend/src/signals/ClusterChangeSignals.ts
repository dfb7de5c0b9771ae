import { KaitoChangeTopic } from '@kaito-backstage/plugin-kaito-common';
import { KubernetesObject } from '@kubernetes/client-node';
import {
  CacheChange,
  CachedKind,
  ClusterWatchCache,
} from '../service/WatchCache';
import { EntityMappings } from './EntityMappings';
import { KaitoChangePublisher } from './KaitoChangePublisher';
import { WorkspaceKey, workspacesOfChange } from './workspacesOfChange';

/**
 * Kinds whose objects belong to entities themselves (by the entity-ref
 * annotation or the entity's label mapping), with the list they are in.
 * Everything else the cache watches matters through the workspace it
 * belongs to.
 */
const ENTITY_KINDS: Partial<Record<CachedKind, KaitoChangeTopic>> = {
  workspaces: 'workspaces',
};

const keyOf = (ws: WorkspaceKey) => `${ws.namespace}/${ws.name}`;

/**
 * Turns one cluster's watch changes into change signals: the entities of
 * every workspace a change touches (its list row or its detail), and the
 * cluster's GPU pools when nodes come, go or change readiness, NodeClaims
 * come or go, or a workspace's nodes change (the pools page shows who uses
 * which pool). Node updates that do not change readiness (heartbeats) are
 * not signalled.
 */
export class ClusterChangeSignals {
  /** The entities each workspace belonged to when last seen. */
  private readonly lastEntities = new Map<string, string[]>();
  /** Each workspace's `status.workerNodes`, to see them change. */
  private readonly lastWorkers = new Map<string, string>();
  private readonly nodeReady = new Map<string, boolean>();

  constructor(
    private readonly cache: ClusterWatchCache,
    private readonly mappings: EntityMappings,
    private readonly publisher: KaitoChangePublisher,
  ) {}

  /** Starts following the cache. Returns an unsubscribe function. */
  start(): () => void {
    return this.cache.onChange(change => this.onChange(change));
  }

  private onChange(change: CacheChange): void {
    const topic = ENTITY_KINDS[change.kind];
    if (topic) {
      this.ownerChanged(change, topic);
    }
    if (change.kind === 'nodes' && !this.readinessChanged(change)) {
      return;
    }
    if (
      change.kind === 'nodes' ||
      (change.kind === 'nodeclaims' && change.type !== 'update')
    ) {
      this.publisher.poolsChanged(change.cluster);
    }
    if (topic) return;
    for (const ws of workspacesOfChange(change, this.cache)) {
      for (const ref of this.entitiesOfWorkspace(ws)) {
        this.publisher.entityChanged(ref, 'workspaces');
      }
    }
  }

  private ownerChanged(change: CacheChange, topic: KaitoChangeTopic): void {
    const { metadata } = change.object;
    const key = keyOf({
      namespace: metadata?.namespace ?? '',
      name: metadata?.name ?? '',
    });
    const now = this.mappings.entitiesOf(metadata ?? {});
    // A workspace relabelled away from an entity leaves that entity's list too.
    const refs = new Set([...(this.lastEntities.get(key) ?? []), ...now]);
    if (change.type === 'delete' || now.length === 0) {
      this.lastEntities.delete(key);
    } else {
      this.lastEntities.set(key, now);
    }
    for (const ref of refs) {
      this.publisher.entityChanged(ref, topic);
    }
    if (change.kind === 'workspaces') {
      this.workersChanged(key, change);
    }
  }

  private workersChanged(key: string, change: CacheChange): void {
    const workers = String((change.object as any).status?.workerNodes ?? '');
    const before = this.lastWorkers.get(key);
    if (change.type === 'delete') {
      this.lastWorkers.delete(key);
    } else {
      this.lastWorkers.set(key, workers);
    }
    if (change.type !== 'update' || before !== workers) {
      this.publisher.poolsChanged(change.cluster);
    }
  }

  private readinessChanged(change: CacheChange): boolean {
    const name = change.object.metadata?.name ?? '';
    if (change.type === 'delete') {
      this.nodeReady.delete(name);
      return true;
    }
    const ready = this.cache.isNodeReady(name);
    const before = this.nodeReady.get(name);
    this.nodeReady.set(name, ready);
    return before !== ready;
  }

  private entitiesOfWorkspace(ws: WorkspaceKey): string[] {
    const object = this.cache.get<KubernetesObject>(
      'workspaces',
      ws.name,
      ws.namespace,
    );
    return object
      ? this.mappings.entitiesOf(object.metadata ?? {})
      : this.lastEntities.get(keyOf(ws)) ?? [];
  }
}
