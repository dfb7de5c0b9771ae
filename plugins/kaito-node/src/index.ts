/**
 * Service ref and typed client of the KAITO backend for other Backstage
 * backend plugins.
 *
 * @packageDocumentation
 */

export { kaitoServiceRef } from './serviceRef';
export { KaitoClient, kaitoResponseError } from './KaitoClient';
export type { KaitoService, KaitoRequestOptions } from './KaitoClient';
export type {
  KaitoCluster,
  KaitoCondition,
  KaitoCreateWorkspaceResult,
  KaitoEntityWorkspaces,
  KaitoGpuPool,
  KaitoGpuPoolList,
  KaitoLossPoint,
  KaitoRun,
  KaitoSku,
  KaitoSkuCatalog,
  KaitoWorkspaceDetail,
  KaitoWorkspaceRef,
  KaitoWorkspaceSummary,
} from './types';
