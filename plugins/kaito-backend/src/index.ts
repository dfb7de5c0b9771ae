/**
 * Backend plugin for KAITO on AKS: workspaces, GPU node pools, chat and run
 * history.
 *
 * @packageDocumentation
 */

export { kaitoPlugin as default } from './plugin';
export type {
  ComputedRunField,
  NewRunRecord,
  RunFilter,
  RunHistoryStore,
  RunKey,
  RunPatch,
  RunRecord,
} from './database/RunHistoryStore';
// The REST types are kaito-common's; re-exported for existing imports.
export type {
  ClusterInfo,
  GpuPoolList,
  GpuPoolView,
  RunOutcome,
  RunView,
  SkuCatalog,
  SkuView,
  WorkspaceDetail,
  WorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-common';
