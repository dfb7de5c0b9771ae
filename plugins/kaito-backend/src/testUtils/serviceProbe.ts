import {
  BackendFeature,
  ServiceRef,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

/**
 * A service as a plugin of a test backend gets it.
 *
 * @public
 */
export interface ServiceProbe<T> {
  /** Add this to the test backend's features. */
  feature: BackendFeature;
  /** The service, once the backend has started. */
  get(): T;
}

/**
 * A plugin that asks for `ref` and keeps what it is given, so a test calls
 * the service exactly as another plugin would (e.g. `kaitoServiceRef`,
 * whose default client reaches the backend over HTTP).
 *
 * @public
 */
export function serviceProbe<T>(
  ref: ServiceRef<T, 'plugin', 'singleton'>,
  pluginId = 'probe',
): ServiceProbe<T> {
  let service: T | undefined;
  const feature = createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { service: ref },
        async init(deps) {
          service = deps.service;
        },
      });
    },
  });
  return {
    feature,
    get() {
      if (service === undefined) {
        throw new Error(`${ref.id} is not injected: start the backend first`);
      }
      return service;
    },
  };
}
