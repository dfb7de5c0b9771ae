import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Informer,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  ObjectCache,
  Watch,
} from '@kubernetes/client-node';
import { WatchSettings } from './config';
import { KubeApiError, kubeJson } from './kubeHttp';
import { StoppableWatch } from './StoppableWatch';
import {
  WatchedResource,
  describeWatch,
  resourcePath,
} from './watchedResources';

export type CacheChangeType = 'add' | 'update' | 'delete';

/** Objects per page of an initial list (client-go's reflector pages by 500 too). */
export const LIST_PAGE_SIZE = 500;

/** What a {@link ResourceInformer} needs from the cache it feeds. */
export interface ResourceInformerContext {
  clusterName: string;
  kubeConfig: KubeConfig;
  watch: StoppableWatch;
  settings: WatchSettings;
  logger: LoggerService;
  /** Whether the cache is stopped (then nothing is listed or retried). */
  stopped(): boolean;
  /** The last failure to get a token for the API server, if any. */
  authError?: () => string | undefined;
  /** An object was added, updated or deleted. */
  onObject(type: CacheChangeType, object: KubernetesObject): void;
  /** `synced`, `notServed` or `error` changed. */
  onStateChange(): void;
}

/**
 * An informer (list + watch) of one resource kind, in one namespace or all,
 * with the resource's label and field selectors, that reconnects with
 * exponential backoff after errors and relists when a reconnect fails, as
 * client-go's reflector does. Lists come in pages; every object, listed or
 * watched, passes the resource's `trim` before it is cached.
 */
export class ResourceInformer {
  readonly informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  /** The first list completed. */
  synced = false;
  /** The resource is not served by this cluster (optional resources only). */
  notServed = false;
  /** Why the last list failed, until one succeeds. */
  error?: string;
  private attempts = 0;
  private timer?: NodeJS.Timeout;
  /** Stopped on its own (a namespace's informers), as opposed to with the cache. */
  private stopped = false;

  constructor(
    readonly resource: WatchedResource,
    readonly namespace: string | undefined,
    private readonly context: ResourceInformerContext,
  ) {
    const trim = resource.trim ?? (o => o);
    // The cache's shared Watch (so the cache can end every stream), with
    // each delivered object trimmed.
    const watch = {
      watch: (
        path: string,
        params: Record<string, string | number | boolean | undefined>,
        callback: (phase: string, object: any, watchObject?: any) => void,
        done: (err: any) => void,
      ) =>
        context.watch.watch(
          path,
          params,
          (phase, object, watchObject) =>
            callback(
              phase,
              (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') &&
                object
                ? trim(object)
                : object,
              watchObject,
            ),
          done,
        ),
    } as unknown as Watch;
    // What makeInformer builds, with a Watch the cache can shut down.
    this.informer = new ListWatch<KubernetesObject>(
      resourcePath(resource, namespace),
      watch,
      () => this.list(),
      false,
      resource.labelSelector,
      resource.fieldSelector,
    );
    for (const type of ['add', 'update', 'delete'] as const) {
      this.informer.on(type, (object: KubernetesObject) =>
        context.onObject(type, object),
      );
    }
    this.informer.on('error', (error: unknown) => this.onError(error));
  }

  start(): void {
    this.informer.start().catch(error => this.onError(error));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.informer.stop();
  }

  private async list(): Promise<KubernetesListObject<KubernetesObject>> {
    const { resource, context } = this;
    const path = resourcePath(resource, this.namespace);
    if (context.stopped()) {
      throw new Error('watch cache stopped');
    }
    try {
      const result = await this.listPages(path);
      this.synced = true;
      this.notServed = false;
      this.error = undefined;
      this.attempts = 0;
      context.onStateChange();
      return result;
    } catch (error) {
      if (
        resource.optional &&
        error instanceof KubeApiError &&
        error.statusCode === 404
      ) {
        this.notServed = true;
        this.synced = true;
        this.error = undefined;
      } else {
        // The watch could not be re-established: the cluster is down
        // (or refuses us) until a list succeeds again.
        const authError = context.authError?.();
        this.error = `${describeWatch(resource, this.namespace)}: ${
          error instanceof Error ? error.message : String(error)
        }${authError ? ` (no token for the API server: ${authError})` : ''}`;
      }
      context.onStateChange();
      throw error;
    }
  }

  /**
   * The whole list, page by page: a page's JSON is all that is in memory at
   * once besides the objects kept. An expired continue token (the list took
   * longer than the API server keeps its snapshot) starts over.
   */
  private async listPages(
    path: string,
  ): Promise<KubernetesListObject<KubernetesObject>> {
    const { resource, context } = this;
    const trim = resource.trim ?? (o => o);
    for (let attempt = 0; ; attempt++) {
      const items: KubernetesObject[] = [];
      let token: string | undefined;
      let first: KubernetesListObject<KubernetesObject> | undefined;
      try {
        do {
          const page = await kubeJson<KubernetesListObject<KubernetesObject>>(
            context.kubeConfig,
            {
              path,
              query: {
                labelSelector: resource.labelSelector,
                fieldSelector: resource.fieldSelector,
                limit: String(LIST_PAGE_SIZE),
                ...(token ? { continue: token } : {}),
              },
            },
          );
          first ??= page;
          for (const item of page.items) items.push(trim(item));
          // Raw JSON: the field is `continue` (`_continue` in client-node's models).
          token = (page.metadata as { continue?: string } | undefined)?.continue || undefined;
        } while (token);
      } catch (error) {
        if (token && attempt < 2 && error instanceof KubeApiError && error.statusCode === 410) {
          continue;
        }
        throw error;
      }
      // Every page is read at the first page's resourceVersion.
      return { ...first!, items, metadata: { resourceVersion: first!.metadata?.resourceVersion } };
    }
  }

  private onError(error: unknown): void {
    const { context } = this;
    if (this.stopped || context.stopped()) {
      return;
    }
    const where = describeWatch(this.resource, this.namespace);
    const message = error instanceof Error ? error.message : String(error);
    if (this.error) {
      // The relist failed too (the list function recorded why).
      context.logger.warn(
        `KAITO watch of ${where} on cluster ${context.clusterName} failed (attempt ${
          this.attempts + 1
        }): ${message}`,
      );
    } else if (!this.notServed) {
      // A dropped watch: reconnect (and relist) before calling the cluster
      // unhealthy, so routine stream drops do not fail requests.
      context.logger.info(
        `KAITO watch of ${where} on cluster ${context.clusterName} closed (${message}); reconnecting`,
      );
    }
    const { settings } = context;
    const delay = this.notServed
      ? settings.maxBackoffMs
      : Math.min(
          settings.maxBackoffMs,
          settings.initialBackoffMs * 2 ** this.attempts,
        ) *
        (0.8 + Math.random() * 0.4);
    const relist = this.attempts > 0 || Boolean(this.error);
    this.attempts++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopped || context.stopped()) return;
      if (relist) {
        // Reconnecting failed once already: relist, as client-go's
        // reflector does. The informer keeps its last resourceVersion after
        // an error and would otherwise only re-watch, so a failed reconnect
        // would go unnoticed until the next event.
        Reflect.set(this.informer, 'resourceVersion', '');
      }
      // Otherwise resume the watch from the last resourceVersion; the
      // server replays what was missed (or answers 410 Gone and the
      // informer relists).
      this.start();
    }, delay);
  }
}
