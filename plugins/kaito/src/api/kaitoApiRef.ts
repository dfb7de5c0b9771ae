import { createApiRef } from '@backstage/core-plugin-api';
import { KaitoApi } from '@kaito-backstage/plugin-kaito-common';

/**
 * API reference of the {@link @kaito-backstage/plugin-kaito-common#KaitoApi}:
 * the one REST client of the suite, built on `discoveryApi` and `fetchApi`.
 *
 * @public
 */
export const kaitoApiRef = createApiRef<KaitoApi>({
  id: 'plugin.kaito.service',
});
