import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { ClusterInfo } from '@kaito-backstage/plugin-kaito-common';
import { ClusterHandle, ClusterRegistry } from './ClusterRegistry';
import { WatchSettings } from './config';
import { ClusterWatchCache } from './WatchCache';

/**
 * The clusters with their watch caches: the one place routes get a cluster
 * from, so an unknown cluster is a 404 and a broken one a 503 naming it,
 * without affecting the others.
 */
export class ClusterSet {
  private readonly caches = new Map<string, ClusterWatchCache>();
  private readonly startedAt = new Date().toISOString();

  constructor(
    readonly registry: ClusterRegistry,
    private readonly settings: WatchSettings,
    logger: LoggerService,
  ) {
    for (const cluster of registry.list()) {
      if (cluster.kubeConfig) {
        this.caches.set(
          cluster.name,
          new ClusterWatchCache(
            cluster as ClusterHandle & { kubeConfig: NonNullable<ClusterHandle['kubeConfig']> },
            settings,
            logger.child({ cluster: cluster.name }),
          ),
        );
      } else {
        logger.warn(
          `KAITO cluster ${cluster.name} is unavailable: ${cluster.unavailableReason}`,
        );
      }
    }
  }

  start(): void {
    for (const cache of this.caches.values()) {
      cache.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.caches.values()].map(c => c.stop()));
  }

  get syncTimeoutMs(): number {
    return this.settings.syncTimeoutMs;
  }

  names(): string[] {
    return this.registry.list().map(c => c.name);
  }

  /** The cluster handle; NotFoundError for an unknown name. */
  cluster(name: string): ClusterHandle {
    return this.registry.get(name);
  }

  /** Every cache, including unhealthy ones. */
  allCaches(): ClusterWatchCache[] {
    return [...this.caches.values()];
  }

  /**
   * The cluster's cache once it is in sync; NotFoundError for an unknown
   * cluster, ServiceUnavailableError naming it when it is down or cannot be
   * reached by this backend.
   */
  async readyCache(name: string): Promise<ClusterWatchCache> {
    const cluster = this.registry.get(name);
    const cache = this.caches.get(name);
    if (!cache) {
      throw new ServiceUnavailableError(
        `Cluster "${name}" is unavailable: ${cluster.unavailableReason}`,
      );
    }
    await cache.ready();
    return cache;
  }

  info(): ClusterInfo[] {
    return this.registry.list().map(cluster => {
      const cache = this.caches.get(cluster.name);
      const azure = cluster.azure?.coordinates;
      return {
        name: cluster.name,
        ...(cluster.title ? { title: cluster.title } : {}),
        authProvider: cluster.authProvider,
        health: cache
          ? cache.health()
          : {
              state: 'unavailable' as const,
              error: cluster.unavailableReason ?? 'unavailable',
              since: this.startedAt,
            },
        ...(azure
          ? {
              azure: {
                subscriptionId: azure.subscriptionId,
                resourceGroup: azure.resourceGroup,
                clusterName: azure.clusterName,
                ...(azure.location ? { location: azure.location } : {}),
              },
            }
          : {}),
        ...(cluster.namespaces ? { namespaces: cluster.namespaces } : {}),
      };
    });
  }
}
