import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { kaitoServiceRef } from '@kaito-backstage/plugin-kaito-node';
import {
  DEFAULT_KAITO_PROVIDER_SCHEDULE,
  KaitoEntityProvider,
} from './KaitoEntityProvider';

/**
 * Adds the KAITO entity provider to the catalog: tuned models and inference
 * endpoints as `Resource` entities, refreshed on a schedule
 * (`catalog.providers.kaito.schedule`, every 2 minutes by default).
 *
 * @public
 */
export const catalogModuleKaito = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'kaito-entity-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        kaito: kaitoServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
      },
      async init({
        processing,
        kaito,
        catalog,
        auth,
        logger,
        scheduler,
        config,
      }) {
        const scheduleConfig = config.getOptionalConfig(
          'catalog.providers.kaito.schedule',
        );
        processing.addEntityProvider(
          new KaitoEntityProvider({
            kaito,
            catalog,
            auth,
            logger,
            scheduler,
            schedule: scheduleConfig
              ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                  scheduleConfig,
                )
              : DEFAULT_KAITO_PROVIDER_SCHEDULE,
            entityOptions: {
              appBaseUrl: config.getOptionalString('app.baseUrl'),
            },
          }),
        );
      },
    });
  },
});
