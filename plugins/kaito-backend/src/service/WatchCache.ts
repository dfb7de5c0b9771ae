import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  Informer,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  ObjectCache,
  Watch,
} from '@kubernetes/client-node';
import { ClusterHealthView } from '@kaito-backstage/plugin-kaito-common';
import { EventEmitter } from 'node:events';
import { ClusterHandle } from './ClusterRegistry';
import { WatchSettings } from './config';
import { KubeApiError, kubeJson } from './kubeHttp';
import { isReady } from './readiness';

/** The kinds the cache keeps per cluster. */
export type CachedKind =
  | 'workspaces'
  | 'nodeclaims'
  | 'nodes'
  | 'jobs'
  | 'pods'
  | 'events';

export interface WatchedResource {
  kind: CachedKind;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  labelSelector?: string;
  /** A missing API (404 on list) is expected and does not make the cluster unhealthy. */
  optional?: boolean;
  /**
   * A label whose value the cache indexes objects of this kind by (see
   * `ClusterWatchCache.listByLabel`), so reads for one value do not scan
   * every object.
   */
  indexLabel?: string;
}

/** The label the Kubernetes plugin maps entities by (`backstage.io/kubernetes-id`). */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** What the cache watches on every cluster. */
export const WATCHED_RESOURCES: WatchedResource[] = [
  {
    kind: 'workspaces',
    group: 'kaito.sh',
    version: 'v1beta1',
    plural: 'workspaces',
    namespaced: true,
    indexLabel: KUBERNETES_ID_LABEL,
  },
  {
    // Only with node auto-provisioning (gpu-provisioner); absent in BYO mode.
    kind: 'nodeclaims',
    group: 'karpenter.sh',
    version: 'v1',
    plural: 'nodeclaims',
    namespaced: false,
    optional: true,
  },
  { kind: 'nodes', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  {
    kind: 'jobs',
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    namespaced: true,
    labelSelector: 'kaito.sh/workspace',
  },
  {
    kind: 'pods',
    group: '',
    version: 'v1',
    plural: 'pods',
    namespaced: true,
    labelSelector: 'kaito.sh/workspace',
  },
  { kind: 'events', group: '', version: 'v1', plural: 'events', namespaced: true },
];

export function resourcePath(
  resource: WatchedResource,
  namespace?: string,
): string {
  const prefix = resource.group
    ? `/apis/${resource.group}/${resource.version}`
    : `/api/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${prefix}${ns}/${resource.plural}`;
}

/**
 * Health of the cache: the REST API's `ClusterHealthView` (kaito-common)
 * but for `unavailable`, which only a cluster without a cache has.
 */
export type ClusterHealth = Exclude<ClusterHealthView, { state: 'unavailable' }>;

export type CacheChangeType = 'add' | 'update' | 'delete';

export interface CacheChange {
  cluster: string;
  kind: CachedKind;
  type: CacheChangeType;
  object: KubernetesObject;
}

/**
 * client-node's Watch, plus a way to end every stream it opened, including
 * one whose request is still in flight when the cache stops (an informer only
 * aborts the stream it already holds).
 */
export class StoppableWatch extends Watch {
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    if (this.stopped) {
      // Never throw here: informers call this outside their error handling.
      const aborted = new AbortController();
      aborted.abort();
      return aborted;
    }
    let controller: AbortController | undefined = undefined;
    controller = await super.watch(path, queryParams, callback, err => {
      if (controller) this.controllers.delete(controller);
      done(err);
    });
    if (this.stopped) {
      controller.abort();
    } else {
      this.controllers.add(controller);
    }
    return controller;
  }

  stopAll(): void {
    this.stopped = true;
    for (const controller of this.controllers) {
      controller.abort();
    }
    this.controllers.clear();
  }
}

/**
 * Objects of one kind by the value of one label, then namespace, then name,
 * kept in step with the informers' add/update/delete events (a relist
 * reports its differences as the same events). Lists come out in the order
 * the informers keep them (namespace, then name, by first insertion).
 */
export class LabelIndex<T extends KubernetesObject = KubernetesObject> {
  private readonly byValue = new Map<string, Map<string, Map<string, T>>>();
  /** Where each indexed object is: `namespace/name` → label value. */
  private readonly where = new Map<string, string>();

  constructor(readonly label: string) {}

  get size(): number {
    return this.where.size;
  }

  /** Records an added or updated object (moving it if its label changed). */
  set(object: T): void {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    const value = object.metadata?.labels?.[this.label];
    const previous = this.where.get(key);
    if (previous !== undefined && previous !== value) {
      this.remove(previous, namespace, name);
    }
    if (value === undefined) {
      this.where.delete(key);
      return;
    }
    let namespaces = this.byValue.get(value);
    if (!namespaces) {
      namespaces = new Map();
      this.byValue.set(value, namespaces);
    }
    let names = namespaces.get(namespace);
    if (!names) {
      names = new Map();
      namespaces.set(namespace, names);
    }
    names.set(name, object);
    this.where.set(key, value);
  }

  /** Forgets a deleted object (found by namespace and name). */
  delete(object: T): void {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    const previous = this.where.get(key);
    if (previous !== undefined) {
      this.remove(previous, namespace, name);
      this.where.delete(key);
    }
  }

  clear(): void {
    this.byValue.clear();
    this.where.clear();
  }

  /** Objects whose label has `value`, optionally in one namespace. */
  list(value: string, namespace?: string): T[] {
    const namespaces = this.byValue.get(value);
    if (!namespaces) {
      return [];
    }
    if (namespace) {
      const names = namespaces.get(namespace);
      return names ? [...names.values()] : [];
    }
    const result: T[] = [];
    for (const names of namespaces.values()) {
      for (const object of names.values()) {
        result.push(object);
      }
    }
    return result;
  }

  private remove(value: string, namespace: string, name: string): void {
    const namespaces = this.byValue.get(value);
    const names = namespaces?.get(namespace);
    if (!namespaces || !names) {
      return;
    }
    names.delete(name);
    if (names.size === 0) {
      namespaces.delete(namespace);
      if (namespaces.size === 0) {
        this.byValue.delete(value);
      }
    }
  }
}

interface InformerState {
  resource: WatchedResource;
  namespace?: string;
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  synced: boolean;
  /** The resource is not served by this cluster (optional resources only). */
  notServed: boolean;
  error?: string;
  attempts: number;
  timer?: NodeJS.Timeout;
}

/**
 * A watch-backed cache of one cluster: an informer (list + watch) per
 * resource kind and namespace, reconnecting with exponential backoff after
 * errors. Reads never call the API server.
 */
export class ClusterWatchCache {
  private readonly informers: InformerState[] = [];
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
    private readonly resources: WatchedResource[] = WATCHED_RESOURCES,
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
      const scopes =
        resource.namespaced && namespaces ? namespaces : [undefined];
      for (const namespace of scopes) {
        this.informers.push(this.createInformer(resource, namespace));
      }
    }
    for (const state of this.informers) {
      this.startInformer(state);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watch.stopAll();
    for (const state of this.informers) {
      clearTimeout(state.timer);
      await state.informer.stop();
    }
    this.informers.length = 0;
    this.indexes.clear();
    this.readyNodes.clear();
    this.emitter.removeAllListeners();
  }

  health(): ClusterHealth {
    return { ...this.healthState };
  }

  /** Objects of a kind, optionally in one namespace. */
  list<T extends KubernetesObject = KubernetesObject>(
    kind: CachedKind,
    namespace?: string,
  ): T[] {
    const result: T[] = [];
    for (const state of this.informers) {
      if (state.resource.kind !== kind) continue;
      if (namespace && state.namespace && state.namespace !== namespace) continue;
      result.push(...(state.informer.list(namespace) as T[]));
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
    for (const state of this.informers) {
      if (state.resource.kind !== kind) continue;
      if (namespace && state.namespace && state.namespace !== namespace) continue;
      const found = state.informer.get(name, namespace);
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
   * Resolves once every required resource completed its first list, or
   * throws ServiceUnavailableError naming the cluster after `timeoutMs` or as
   * soon as the cluster is known to be unhealthy without ever having synced.
   */
  async ready(timeoutMs = this.settings.syncTimeoutMs): Promise<void> {
    if (this.healthState.state === 'healthy') {
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

  private createInformer(
    resource: WatchedResource,
    namespace: string | undefined,
  ): InformerState {
    const kc = this.cluster.kubeConfig;
    const path = resourcePath(resource, namespace);
    // eslint-disable-next-line prefer-const
    let state: InformerState;
    const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
      if (this.stopped) {
        throw new Error('watch cache stopped');
      }
      try {
        const result = await kubeJson<KubernetesListObject<KubernetesObject>>(
          kc,
          {
            path,
            query: { labelSelector: resource.labelSelector },
          },
        );
        state.synced = true;
        state.notServed = false;
        state.error = undefined;
        state.attempts = 0;
        this.updateHealth();
        return result;
      } catch (error) {
        if (
          resource.optional &&
          error instanceof KubeApiError &&
          error.statusCode === 404
        ) {
          state.notServed = true;
          state.synced = true;
          state.error = undefined;
        } else {
          // The watch could not be re-established: the cluster is down
          // (or refuses us) until a list succeeds again.
          const authError = this.cluster.authError?.();
          state.error = `${path}: ${
            error instanceof Error ? error.message : String(error)
          }${authError ? ` (no token for the API server: ${authError})` : ''}`;
        }
        this.updateHealth();
        throw error;
      }
    };
    // What makeInformer builds, with a Watch the cache can shut down.
    const informer = new ListWatch<KubernetesObject>(
      path,
      this.watch,
      list,
      false,
      resource.labelSelector,
    );
    state = {
      resource,
      namespace,
      informer,
      synced: false,
      notServed: false,
      attempts: 0,
    };
    for (const type of ['add', 'update', 'delete'] as const) {
      informer.on(type, (object: KubernetesObject) => {
        const index = this.indexes.get(resource.kind);
        if (index) {
          if (type === 'delete') {
            index.delete(object);
          } else {
            index.set(object);
          }
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
      });
    }
    informer.on('error', (error: unknown) => this.onInformerError(state, error));
    return state;
  }

  private startInformer(state: InformerState): void {
    state.informer.start().catch(error => this.onInformerError(state, error));
  }

  private onInformerError(state: InformerState, error: unknown): void {
    if (this.stopped) {
      return;
    }
    const where = resourcePath(state.resource, state.namespace);
    const message = error instanceof Error ? error.message : String(error);
    if (state.error) {
      // The relist failed too (the list function recorded why).
      this.logger.warn(
        `KAITO watch of ${where} on cluster ${this.name} failed (attempt ${
          state.attempts + 1
        }): ${message}`,
      );
    } else if (!state.notServed) {
      // A dropped watch: reconnect (and relist) before calling the cluster
      // unhealthy, so routine stream drops do not fail requests.
      this.logger.info(
        `KAITO watch of ${where} on cluster ${this.name} closed (${message}); reconnecting`,
      );
    }
    const delay = state.notServed
      ? this.settings.maxBackoffMs
      : Math.min(
          this.settings.maxBackoffMs,
          this.settings.initialBackoffMs * 2 ** state.attempts,
        ) *
        (0.8 + Math.random() * 0.4);
    const relist = state.attempts > 0 || Boolean(state.error);
    state.attempts++;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      if (this.stopped) return;
      if (relist) {
        // Reconnecting failed once already: relist, as client-go's
        // reflector does. The informer keeps its last resourceVersion after
        // an error and would otherwise only re-watch, so a failed reconnect
        // would go unnoticed until the next event.
        Reflect.set(state.informer, 'resourceVersion', '');
      }
      // Otherwise resume the watch from the last resourceVersion; the
      // server replays what was missed (or answers 410 Gone and the
      // informer relists).
      this.startInformer(state);
    }, delay);
  }

  private updateHealth(): void {
    const required = this.informers.filter(s => !s.resource.optional || !s.notServed);
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
