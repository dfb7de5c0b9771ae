/**
 * Service ref and typed client of the KAITO backend for other Backstage
 * backend plugins.
 *
 * @packageDocumentation
 */

export { kaitoServiceRef } from './serviceRef';
export { KaitoClient, kaitoResponseError } from './KaitoClient';
export { kaitoEntityName } from './entityNames';
export type { KaitoService, KaitoRequestOptions } from './KaitoClient';
export type { KaitoWorkspaceRef } from './types';
/*
 * The response types of the KAITO backend's REST API (`/api/kaito`) are
 * kaito-common's (`api/`), the contract the backend, the frontend and this
 * client share; exported here under the names this package has always used.
 */
export type {
  ClusterInfo as KaitoCluster,
  ConditionView as KaitoCondition,
  CreateWorkspaceResponse as KaitoCreateWorkspaceResult,
  ListWorkspacesResponse as KaitoEntityWorkspaces,
  GpuPoolView as KaitoGpuPool,
  GpuPoolList as KaitoGpuPoolList,
  LossPoint as KaitoLossPoint,
  RunView as KaitoRun,
  SkuView as KaitoSku,
  SkuCatalog as KaitoSkuCatalog,
  WorkspaceDetail as KaitoWorkspaceDetail,
  WorkspaceSummary as KaitoWorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-common';
