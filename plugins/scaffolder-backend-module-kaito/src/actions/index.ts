export type { KaitoActionOptions } from './types';
export {
  createGpuPoolEnsureAction,
  GPU_POOL_ENSURE_ACTION_ID,
} from './gpuPoolEnsure';
export {
  createWorkspaceCreateAction,
  WORKSPACE_CREATE_ACTION_ID,
} from './workspaceCreate';
export {
  createWorkspaceWaitAction,
  WORKSPACE_WAIT_ACTION_ID,
} from './workspaceWait';
export {
  createWorkspaceDeleteAction,
  WORKSPACE_DELETE_ACTION_ID,
} from './workspaceDelete';
/** The node label of the pools `kaito:gpu-pool:ensure` creates (kaito-common's). */
export { LABEL_GPU_POOL } from '@kaito-backstage/plugin-kaito-common';
