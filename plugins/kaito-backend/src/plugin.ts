import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kaitoPermissions } from '@kaito-backstage/plugin-kaito-common';
import { DatabaseRunHistoryStore } from './database/DatabaseRunHistoryStore';
import { createRouter } from './router';
import { CatalogService } from './service/CatalogService';
import { ChatProxy } from './service/ChatProxy';
import { ClusterRegistry } from './service/ClusterRegistry';
import { ClusterSet } from './service/ClusterSet';
import { ChatLimiter } from './service/ChatLimiter';
import {
  readClusterConfigs,
  readRequestLimits,
  readWatchSettings,
} from './service/config';
import { NamespacePolicy } from './service/namespacePolicy';
import { LogStreamer } from './service/LogStreamer';
import { PoolService } from './service/PoolService';
import { QuotaService } from './service/quota';
import { RunHistoryService } from './service/RunHistoryService';
import { WorkspaceService } from './service/WorkspaceService';

/**
 * The KAITO backend plugin: workspaces, GPU node pools, chat and run
 * history, mounted at `/api/kaito`.
 *
 * @public
 */
export const kaitoPlugin = createBackendPlugin({
  pluginId: 'kaito',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        database,
        lifecycle,
        catalog,
      }) {
        // Broken configuration fails the startup with the offending key.
        const clusterConfigs = readClusterConfigs(config);
        const watchSettings = readWatchSettings(config);
        const limits = readRequestLimits(config);

        permissionsRegistry.addPermissions(kaitoPermissions);

        const store = await DatabaseRunHistoryStore.create({ database });
        const runs = new RunHistoryService(store, logger);

        const registry = ClusterRegistry.fromConfig(clusterConfigs);
        const clusters = new ClusterSet(registry, watchSettings, logger);
        for (const cache of clusters.allCaches()) {
          runs.attach(cache);
          cache.onHealth(health => {
            if (health.state === 'healthy') {
              runs
                .reconcile(cache.name, cache.list<any>('workspaces'))
                .catch(error =>
                logger.warn(
                  `Could not reconcile the run history of cluster ${cache.name}: ${error}`,
                ),
              );
            }
          });
        }
        clusters.start();
        lifecycle.addShutdownHook(() => clusters.stop());
        logger.info(
          `KAITO watching ${clusters.allCaches().length} of ${
            registry.list().length
          } configured cluster(s)`,
        );

        const namespaces = new NamespacePolicy(
          name => registry.list().find(c => c.name === name)?.namespaces,
        );
        const workspaces = new WorkspaceService(
          clusters,
          runs,
          logger,
          name => registry.list().find(c => c.name === name)?.nodeProvisioning,
          namespaces,
        );
        const chatLimiter = new ChatLimiter(limits.chat);
        lifecycle.addShutdownHook(() => chatLimiter.stop());
        const quota = new QuotaService(clusters, logger);
        const pools = new PoolService(clusters, quota, logger);
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            auditor,
            catalog,
            clusters,
            workspaces,
            pools,
            catalogService: new CatalogService(clusters, quota),
            chat: new ChatProxy(clusters),
            logs: new LogStreamer(clusters),
            runs,
            namespaces,
            limits,
            chatLimiter,
          }),
        );
      },
    });
  },
});
