import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { kaitoPlugin } from '../plugin';

/**
 * Options of {@link startKaitoTestBackend}.
 *
 * @public
 */
export interface KaitoTestBackendOptions {
  /** The app-config: `kubernetes.clusterLocatorMethods` and `kaito.*`. */
  config: JsonObject;
  /** What `catalogServiceRef` serves (the entities the backend resolves). */
  entities?: Entity[];
  /** A fixed decision, or a permissions service factory (default ALLOW). */
  permissions?: AuthorizeResult.ALLOW | AuthorizeResult.DENY | ServiceFactory;
  /** More plugins, modules or services for the backend. */
  features?: BackendFeature[];
}

/**
 * The config with the KAITO watch cache retrying quickly (50 ms to
 * 500 ms) and a 5 s sync timeout, unless it sets `kaito.watch` itself.
 *
 * @public
 */
export function withQuickWatchRetries(config: JsonObject): JsonObject {
  const kaito = (config.kaito ?? {}) as JsonObject;
  return {
    ...config,
    kaito: {
      watch: { initialBackoffMs: 50, maxBackoffMs: 500, syncTimeoutMs: 5000 },
      ...kaito,
    },
  };
}

/**
 * The real KAITO backend plugin in a test backend (`startTestBackend`),
 * with the given config (quick watch retries by default), the given
 * catalog entities and permission decision.
 *
 * @public
 */
export async function startKaitoTestBackend(options: KaitoTestBackendOptions) {
  return startTestBackend({
    features: [
      kaitoPlugin,
      mockServices.rootConfig.factory({
        data: withQuickWatchRetries(options.config),
      }),
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      typeof options.permissions === 'object'
        ? options.permissions
        : mockServices.permissions.factory({
            result: options.permissions ?? AuthorizeResult.ALLOW,
          }),
      ...(options.features ?? []),
    ],
  });
}
