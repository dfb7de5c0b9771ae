import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { KaitoClient, kaitoApiRef } from './api';
import {
  KaitoGpuSkuPicker,
  kaitoGpuSkuPickerValidation,
} from './fields/KaitoGpuSkuPicker/KaitoGpuSkuPicker';
import {
  KaitoModelPicker,
  kaitoModelPickerValidation,
} from './fields/KaitoModelPicker/KaitoModelPicker';
import {
  KAITO_GPU_SKU_PICKER,
  KAITO_MODEL_PICKER,
  KaitoGpuSkuPickerFieldSchema,
  KaitoModelPickerFieldSchema,
} from './fields/schemas';
import { entityContentRouteRef, gpuPoolsRouteRef } from './routes';

/**
 * The KAITO frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const kaitoPlugin = createPlugin({
  id: 'kaito',
  apis: [
    createApiFactory({
      api: kaitoApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    entityContent: entityContentRouteRef,
    gpuPools: gpuPoolsRouteRef,
  },
});

/**
 * The "AI Workspaces" entity tab; use with `isKaitoAvailable` in an
 * `EntityLayout.Route`.
 *
 * @public
 */
export const EntityKaitoContent = kaitoPlugin.provide(
  createRoutableExtension({
    name: 'EntityKaitoContent',
    component: () =>
      import('./components/EntityContent/KaitoEntityContent').then(
        m => m.KaitoEntityContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The GPU pools page (with its own header), e.g. at `/kaito/gpu-pools`.
 *
 * @public
 */
export const KaitoGpuPoolsPage: () => JSX.Element = kaitoPlugin.provide(
  createRoutableExtension({
    name: 'KaitoGpuPoolsPage',
    component: () =>
      import('./components/GpuPools/KaitoGpuPoolsPage').then(
        m => m.GpuPoolsPageWithHeader,
      ),
    mountPoint: gpuPoolsRouteRef,
  }),
);

/**
 * The `KaitoModelPicker` scaffolder field (legacy frontend system): put it
 * inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const KaitoModelPickerFieldExtension = kaitoPlugin.provide(
  createScaffolderFieldExtension({
    name: KAITO_MODEL_PICKER,
    component: KaitoModelPicker,
    validation: kaitoModelPickerValidation,
    schema: KaitoModelPickerFieldSchema.schema,
  }),
);

/**
 * The `KaitoGpuSkuPicker` scaffolder field (legacy frontend system): put it
 * inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const KaitoGpuSkuPickerFieldExtension = kaitoPlugin.provide(
  createScaffolderFieldExtension({
    name: KAITO_GPU_SKU_PICKER,
    component: KaitoGpuSkuPicker,
    validation: kaitoGpuSkuPickerValidation,
    schema: KaitoGpuSkuPickerFieldSchema.schema,
  }),
);
