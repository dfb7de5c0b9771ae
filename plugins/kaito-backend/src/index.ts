/**
 * Backend plugin for KAITO on AKS: workspaces, GPU node pools, chat and run
 * history.
 *
 * @packageDocumentation
 */

export { kaitoPlugin as default } from './plugin';
export type {
  RunHistoryStore,
  RunRecord,
  RunOutcome,
} from './database/RunHistoryStore';
export type { WorkspaceSummary, WorkspaceDetail } from './service/workspaceViews';
export type { GpuPoolView, GpuPoolList } from './service/PoolService';
export type { SkuCatalog, SkuView } from './service/CatalogService';
export type { ClusterInfo } from './service/ClusterSet';
export type { RunView } from './service/RunHistoryService';
