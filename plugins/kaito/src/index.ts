/**
 * KAITO frontend plugin: the "AI Workspaces" entity tab, the GPU pools
 * page, the chat playground and the scaffolder pickers. The new frontend
 * system's plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */

export {
  kaitoPlugin,
  EntityKaitoContent,
  KaitoGpuPoolsPage,
  KaitoModelPickerFieldExtension,
  KaitoGpuSkuPickerFieldExtension,
} from './plugin';
export { entityContentRouteRef, gpuPoolsRouteRef } from './routes';
export { KaitoClient, kaitoApiRef } from './api';
export type { KaitoApi, KaitoRequestOptions, WorkspaceLogStream } from './api';
export { isKaitoAvailable } from '@kaito-backstage/plugin-kaito-common';
export { KaitoEntityContent } from './components/EntityContent/KaitoEntityContent';
export type { KaitoEntityContentProps } from './components/EntityContent/KaitoEntityContent';
export {
  KaitoModelPicker,
  kaitoModelPickerValidation,
} from './fields/KaitoModelPicker/KaitoModelPicker';
export type { KaitoModelPickerUiOptions } from './fields/KaitoModelPicker/KaitoModelPicker';
export {
  KaitoGpuSkuPicker,
  kaitoGpuSkuPickerValidation,
} from './fields/KaitoGpuSkuPicker/KaitoGpuSkuPicker';
export type { KaitoGpuSkuPickerUiOptions } from './fields/KaitoGpuSkuPicker/KaitoGpuSkuPicker';
