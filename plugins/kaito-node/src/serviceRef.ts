import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { KaitoClient, KaitoService } from './KaitoClient';

/**
 * The KAITO backend as a service for other backend plugins (e.g. the
 * scaffolder module). Its default factory calls the backend over HTTP,
 * found through discovery, with a plugin request token on behalf of the
 * credentials passed to each call.
 *
 * @public
 */
export const kaitoServiceRef = createServiceRef<KaitoService>({
  id: 'kaito.client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      factory({ auth, discovery }) {
        return new KaitoClient({ auth, discovery });
      },
    }),
});
