import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import {
  ClusterFreshness,
  ClusterHealthView,
} from '@kaito-backstage/plugin-kaito-common';
import { EventEmitter } from 'node:events';
import { ClusterHandle } from './ClusterRegistry';
import { WatchSettings } from './config';
import { LabelIndex } from './LabelIndex';
import { isReady } from './readiness';
import { CacheChangeType, ResourceInformer } from './ResourceInformer';
import { StoppableWatch } from './StoppableWatch';
import {
  CachedKind,
  WatchedResource,
  watchedResources,
} from './watchedResources';

export type { CachedKind, WatchedResource } from './watchedResources';

/**
 * Health of the cache: the REST API's `ClusterHealthView` (kaito-common)
 * but for `unavailable`, which only a cluster without a cache has.
 */
export type ClusterHealth = Exclude<ClusterHealthView, { state: 'unavailable' }>;

export type { CacheChangeType } from './ResourceInformer';

export interface CacheChange {
  cluster: string;
  kind: CachedKind;
  type: CacheChangeType;
  object: KubernetesObject;
}

/** The namespace-scoped informers of one namespace that holds workspaces. */
interface WorkspaceNamespace {
  workspaces: number;
  informers: ResourceInformer[];
  /** Stops the informers once the namespace has been without workspaces for a while. */
  idle?: NodeJS.Timeout;
}

/**
 * A watch-backed cache of one cluster: an informer (list + watch) per
 * resource kind and namespace, reconnecting with exponential backoff after
 * errors. Reads never call the API server. Once in sync, a cluster that
 * becomes unreachable keeps answering from what its watches last delivered,
 * marked stale (`freshness()`), until it is back.
 */
export class ClusterWatchCache {
  private readonly informers: ResourceInformer[] = [];
  /** Namespaces holding workspaces, for the `workspaceNamespaces` resources. */
  private readonly workspaceNamespaces = new Map<string, WorkspaceNamespace>();
  /** Label indexes of the kinds that have an `indexLabel`. */
  private readonly indexes = new Map<CachedKind, LabelIndex>();
  /**
   * Names of the Nodes that are Ready, kept in step with the node events:
   * every list read asks for the readiness of each workspace's nodes, and
   * one set lookup is far cheaper than reading each Node object.
   */
  private readonly readyNodes = new Set<string>();
  private readonly emitter = new EventEmitter();
  private watch: StoppableWatch;
  private stopped = true;
  private healthState: ClusterHealth = {
    state: 'syncing',
    since: new Date().toISOString(),
  };

  constructor(
    private readonly cluster: ClusterHandle & { kubeConfig: KubeConfig },
    private readonly settings: WatchSettings,
    private readonly logger: LoggerService,
    private readonly resources: WatchedResource[] = watchedResources({
      nodeLabelSelector: settings.nodeLabelSelector,
    }),
  ) {
    this.emitter.setMaxListeners(0);
    this.watch = new StoppableWatch(cluster.kubeConfig);
  }

  get name(): string {
    return this.cluster.name;
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.watch = new StoppableWatch(this.cluster.kubeConfig);
    this.indexes.clear();
    this.readyNodes.clear();
    for (const resource of this.resources) {
      if (resource.indexLabel) {
        this.indexes.set(resource.kind, new LabelIndex(resource.indexLabel));
      }
    }
    const namespaces = this.cluster.namespaces;
    for (const resource of this.resources) {
      if (resource.scope === 'workspaceNamespaces') continue;
      const scopes =
        resource.namespaced && namespaces ? namespaces : [undefined];
      for (const namespace of scopes) {
        this.informers.push(this.createInformer(resource, namespace));
      }
    }
    for (const informer of this.informers) {
      informer.start();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watch.stopAll();
    for (const namespace of this.workspaceNamespaces.values()) {
      clearTimeout(namespace.idle);
    }
    this.workspaceNamespaces.clear();
    for (const informer of this.informers) {
      await informer.stop();
    }
    this.informers.length = 0;
    this.indexes.clear();
    this.readyNodes.clear();
    this.emitter.removeAllListeners();
  }

  health(): ClusterHealth {
    return { ...this.healthState };
  }

  /** Whether the cache ever completed its first sync (then it has something to answer with). */
  hasSynced(): boolean {
    return this.healthState.lastSyncedAt !== undefined;
  }

  /** How current the cache's answers are: stale while the cluster is unreachable after a sync. */
  freshness(): ClusterFreshness {
    const health = this.healthState;
    const stale = health.state !== 'healthy';
    return {
      cluster: this.name,
      stale,
      ...(health.lastSyncedAt ? { lastSyncedAt: health.lastSyncedAt } : {}),
      ...(stale
        ? { staleSince: health.since, message: this.unavailable().message }
        : {}),
    };
  }

  /** The namespaces whose namespace-scoped informers run (they hold, or held, workspaces). */
  watchedNamespaces(): string[] {
    return [...this.workspaceNamespaces.keys()].sort();
  }

  /** Objects of a kind, optionally in one namespace. */
  list<T extends KubernetesObject = KubernetesObject>(
    kind: CachedKind,
    namespace?: string,
  ): T[] {
    const result: T[] = [];
    for (const source of this.informers) {
      if (source.resource.kind !== kind) continue;
      if (namespace && source.namespace && source.namespace !== namespace) continue;
      result.push(...(source.informer.list(namespace) as T[]));
    }
    return result;
  }

  /** The label a kind is indexed by (`listByLabel`), if any. */
  indexLabel(kind: CachedKind): string | undefined {
    return this.resources.find(r => r.kind === kind)?.indexLabel;
  }

  /**
   * Objects of a kind whose index label (`indexLabel(kind)`) has `value`,
   * optionally in one namespace: the same objects as filtering `list`, in
   * time proportional to the answer. Throws for a kind without an index.
   */
  listByLabel<T extends KubernetesObject = KubernetesObject>(
    kind: CachedKind,
    value: string,
    namespace?: string,
  ): T[] {
    const index = this.indexes.get(kind);
    if (!index) {
      throw new Error(`the watch cache does not index ${kind} by a label`);
    }
    return index.list(value, namespace) as T[];
  }

  get<T extends KubernetesObject = KubernetesObject>(
    kind: CachedKind,
    name: string,
    namespace?: string,
  ): T | undefined {
    for (const source of this.informers) {
      if (source.resource.kind !== kind) continue;
      if (namespace && source.namespace && source.namespace !== namespace) continue;
      const found = source.informer.get(name, namespace);
      if (found) {
        return found as T;
      }
    }
    return undefined;
  }

  /** Whether the Node of this name is in the cache and Ready. */
  isNodeReady(name: string): boolean {
    return this.readyNodes.has(name);
  }

  /** Listens to every change the watches deliver. Returns an unsubscribe function. */
  onChange(listener: (change: CacheChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Listens to health changes. Returns an unsubscribe function. */
  onHealth(listener: (health: ClusterHealth) => void): () => void {
    this.emitter.on('health', listener);
    return () => this.emitter.off('health', listener);
  }

  /**
   * Resolves once every required resource completed its first list (at
   * once for a cache that synced before and lost its cluster since: it
   * answers stale), or throws ServiceUnavailableError naming the cluster
   * after `timeoutMs` or as soon as the cluster is known to be unhealthy
   * without ever having synced.
   */
  async ready(timeoutMs = this.settings.syncTimeoutMs): Promise<void> {
    if (this.healthState.state === 'healthy' || this.hasSynced()) {
      return;
    }
    if (this.healthState.state === 'unhealthy') {
      throw this.unavailable();
    }
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      let unsubscribe = () => {};
      const cleanup = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      unsubscribe = this.onHealth(health => {
        if (health.state === 'healthy') {
          cleanup();
          resolve();
        } else if (health.state === 'unhealthy') {
          cleanup();
          reject(this.unavailable());
        }
      });
      timer = setTimeout(() => {
        cleanup();
        reject(
          new ServiceUnavailableError(
            `Cluster "${this.name}" is still syncing its watch cache`,
          ),
        );
      }, timeoutMs);
    });
  }

  /** The error to answer requests for this cluster with while it is unhealthy. */
  unavailable(): ServiceUnavailableError {
    return new ServiceUnavailableError(
      `Cluster "${this.name}" is unavailable: ${
        this.healthState.error ?? 'its watch cache is not in sync'
      }`,
    );
  }

  /**
   * Waits until the cached object satisfies `predicate` (e.g. a write the
   * backend just made has arrived through the watch). `undefined` means the
   * object is absent. Resolves with the last seen value on timeout.
   */
  async waitFor<T extends KubernetesObject>(
    kind: CachedKind,
    name: string,
    namespace: string | undefined,
    predicate: (object: T | undefined) => boolean,
    timeoutMs = this.settings.syncTimeoutMs,
  ): Promise<T | undefined> {
    const current = this.get<T>(kind, name, namespace);
    if (predicate(current)) {
      return current;
    }
    return new Promise(resolve => {
      let unsubscribe = () => {};
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(this.get<T>(kind, name, namespace));
      }, timeoutMs);
      unsubscribe = this.onChange(change => {
        if (
          change.kind !== kind ||
          change.object.metadata?.name !== name ||
          (namespace && change.object.metadata?.namespace !== namespace)
        ) {
          return;
        }
        const value = this.get<T>(kind, name, namespace);
        if (predicate(value)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(value);
        }
      });
    });
  }

  /**
   * A namespace gained (+1) or lost (-1) a workspace: its namespace-scoped
   * informers start with its first workspace and stop `namespaceIdleMs`
   * after its last one is gone (a namespace that gets one again keeps them).
   */
  private countWorkspace(namespace: string, delta: 1 | -1): void {
    const scoped = this.resources.filter(r => r.scope === 'workspaceNamespaces');
    if (scoped.length === 0 || this.stopped) return;
    let entry = this.workspaceNamespaces.get(namespace);
    if (!entry) {
      if (delta < 0) return;
      entry = { workspaces: 0, informers: [] };
      this.workspaceNamespaces.set(namespace, entry);
    }
    entry.workspaces = Math.max(0, entry.workspaces + delta);
    if (entry.workspaces > 0) {
      clearTimeout(entry.idle);
      entry.idle = undefined;
      if (entry.informers.length === 0) {
        entry.informers = scoped.map(r => this.createInformer(r, namespace));
        this.informers.push(...entry.informers);
        for (const informer of entry.informers) informer.start();
      }
    } else if (!entry.idle) {
      entry.idle = setTimeout(
        () => this.retireNamespace(namespace),
        this.settings.namespaceIdleMs,
      );
      entry.idle.unref();
    }
  }

  private async retireNamespace(namespace: string): Promise<void> {
    const entry = this.workspaceNamespaces.get(namespace);
    if (!entry || entry.workspaces > 0) return;
    this.workspaceNamespaces.delete(namespace);
    for (const informer of entry.informers) {
      const at = this.informers.indexOf(informer);
      if (at >= 0) this.informers.splice(at, 1);
      await informer.stop();
    }
  }

  private createInformer(
    resource: WatchedResource,
    namespace: string | undefined,
  ): ResourceInformer {
    return new ResourceInformer(resource, namespace, {
      clusterName: this.name,
      kubeConfig: this.cluster.kubeConfig,
      watch: this.watch,
      settings: this.settings,
      logger: this.logger,
      stopped: () => this.stopped,
      authError: this.cluster.authError,
      onObject: (type, object) => this.record(resource, type, object),
      onStateChange: () => this.updateHealth(),
    });
  }

  /** Keeps the indexes in step with a change and announces it. */
  private record(
    resource: WatchedResource,
    type: CacheChangeType,
    object: KubernetesObject,
  ): void {
    const index = this.indexes.get(resource.kind);
    if (index) {
      if (type === 'delete') {
        index.delete(object);
      } else {
        index.set(object);
      }
    }
    if (resource.kind === 'workspaces' && type !== 'update') {
      this.countWorkspace(
        object.metadata?.namespace ?? '',
        type === 'add' ? 1 : -1,
      );
    }
    if (resource.kind === 'nodes') {
      const name = object.metadata?.name ?? '';
      if (type !== 'delete' && isReady(object)) {
        this.readyNodes.add(name);
      } else {
        this.readyNodes.delete(name);
      }
    }
    this.emitter.emit('change', {
      cluster: this.name,
      kind: resource.kind,
      type,
      object,
    } satisfies CacheChange);
  }

  private updateHealth(): void {
    // A namespace's informers (events of its pods and jobs) come and go with
    // its workspaces; they do not decide whether the cluster is in sync.
    const required = this.informers.filter(
      s =>
        s.resource.scope !== 'workspaceNamespaces' &&
        (!s.resource.optional || !s.notServed),
    );
    const failing = required.find(s => s.error);
    let next: ClusterHealth['state'];
    if (failing) {
      next = 'unhealthy';
    } else if (required.every(s => s.synced)) {
      next = 'healthy';
    } else {
      next =
        this.healthState.state === 'unhealthy' ? 'unhealthy' : 'syncing';
    }
    const now = new Date().toISOString();
    const changed =
      next !== this.healthState.state ||
      failing?.error !== this.healthState.error;
    this.healthState = {
      state: next,
      ...(failing?.error ? { error: failing.error } : {}),
      since: next !== this.healthState.state ? now : this.healthState.since,
      lastSyncedAt:
        next === 'healthy' ? now : this.healthState.lastSyncedAt,
    };
    if (changed) {
      this.emitter.emit('health', this.health());
    }
  }
}
