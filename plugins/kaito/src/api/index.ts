export { kaitoApiRef } from './kaitoApiRef';
export type {
  KaitoApi,
  KaitoRequestOptions,
  WorkspaceLogStream,
} from '@kaito-backstage/plugin-kaito-common';
/**
 * The suite's REST client (`KaitoApiClient` of kaito-common), under the name
 * apps register it by: `new KaitoClient({ discoveryApi, fetchApi })`.
 *
 * @public
 */
export { KaitoApiClient as KaitoClient } from '@kaito-backstage/plugin-kaito-common';
