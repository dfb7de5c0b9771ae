export { kaitoApiRef } from './KaitoApi';
export type {
  KaitoApi,
  KaitoRequestOptions,
  WorkspaceLogStream,
} from './KaitoApi';
export { KaitoClient } from './KaitoClient';
