import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';
import {
  KAITO_GPU_SKU_PICKER,
  KAITO_MODEL_PICKER,
  KaitoGpuSkuPickerFieldSchema,
  KaitoModelPickerFieldSchema,
} from './schemas';

/** `KaitoModelPicker` for the new frontend system. */
export const kaitoModelPickerFormField = FormFieldBlueprint.make({
  name: 'kaito-model-picker',
  params: {
    field: async () => {
      const { KaitoModelPicker, kaitoModelPickerValidation } = await import(
        './KaitoModelPicker/KaitoModelPicker'
      );
      return createFormField({
        name: KAITO_MODEL_PICKER,
        component: KaitoModelPicker,
        validation: kaitoModelPickerValidation,
        schema: KaitoModelPickerFieldSchema,
      });
    },
  },
});

/** `KaitoGpuSkuPicker` for the new frontend system. */
export const kaitoGpuSkuPickerFormField = FormFieldBlueprint.make({
  name: 'kaito-gpu-sku-picker',
  params: {
    field: async () => {
      const { KaitoGpuSkuPicker, kaitoGpuSkuPickerValidation } = await import(
        './KaitoGpuSkuPicker/KaitoGpuSkuPicker'
      );
      return createFormField({
        name: KAITO_GPU_SKU_PICKER,
        component: KaitoGpuSkuPicker,
        validation: kaitoGpuSkuPickerValidation,
        schema: KaitoGpuSkuPickerFieldSchema,
      });
    },
  },
});

/**
 * The KAITO scaffolder field extensions (`KaitoModelPicker`,
 * `KaitoGpuSkuPicker`) as a module of the scaffolder plugin, for apps on
 * the new frontend system.
 *
 * @alpha
 */
export const kaitoScaffolderFormFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [kaitoModelPickerFormField, kaitoGpuSkuPickerFormField],
});
