import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** Field schema of `KaitoModelPicker`: a preset name. */
export const KaitoModelPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      tunableOnly: z
        .boolean()
        .optional()
        .describe('Offer only presets KAITO can fine-tune'),
      allowGated: z
        .boolean()
        .optional()
        .describe(
          'Offer gated presets that need a Hugging Face token (default true)',
        ),
    }),
});

/** Field schema of `KaitoGpuSkuPicker`: a GPU SKU name. */
export const KaitoGpuSkuPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      presetField: z
        .string()
        .optional()
        .describe('Form field holding the preset (default "preset")'),
      methodField: z
        .string()
        .optional()
        .describe('Form field holding the tuning method (default "method")'),
      clusterField: z
        .string()
        .optional()
        .describe('Form field holding the cluster (default "cluster")'),
      mode: z
        .enum(['tuning', 'inference'])
        .optional()
        .describe(
          'Workspace mode; read from modeField or the method field when absent',
        ),
      modeField: z.string().optional().describe('Form field holding the mode'),
    }),
});

/** Names of the field extensions (`ui:field`). */
export const KAITO_MODEL_PICKER = 'KaitoModelPicker';
/** Names of the field extensions (`ui:field`). */
export const KAITO_GPU_SKU_PICKER = 'KaitoGpuSkuPicker';
