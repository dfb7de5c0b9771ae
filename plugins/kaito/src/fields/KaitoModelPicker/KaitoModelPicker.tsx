import { useApi } from '@backstage/core-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { KaitoPreset, findPreset } from '@kaito-backstage/plugin-kaito-common';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { kaitoApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';
import { formatGiB, formatParameters } from '../../lib/format';

/**
 * `ui:options` of the `KaitoModelPicker` field.
 *
 * @public
 */
export interface KaitoModelPickerUiOptions {
  /** Offer only presets KAITO can fine-tune. */
  tunableOnly?: boolean;
  /** Also offer gated presets (they need a Hugging Face token secret); default true. */
  allowGated?: boolean;
}

/** The presets a picker offers. */
export function offeredPresets(
  presets: KaitoPreset[],
  options: KaitoModelPickerUiOptions = {},
): KaitoPreset[] {
  return presets.filter(
    p =>
      !p.deprecated &&
      (!options.tunableOnly || p.tunable) &&
      (options.allowGated !== false || !p.downloadAuthRequired),
  );
}

/** "3.8B params · 7.1 GiB weights · 128k context". */
export function presetSizeText(p: KaitoPreset): string {
  const ctx =
    p.contextLength >= 1024
      ? `${Math.round(p.contextLength / 1024)}k`
      : String(p.contextLength);
  return `${formatParameters(p.parameterCountB)} params · ${formatGiB(
    p.modelWeightGiB,
  )} weights · ${ctx} context`;
}

/**
 * Scaffolder field: picks a KAITO preset model, showing its size; with
 * `ui:options.tunableOnly`, only presets KAITO can fine-tune. The value is
 * the preset name to put in the workspace.
 *
 * @public
 */
export function KaitoModelPicker(
  props: FieldExtensionComponentProps<string, KaitoModelPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    disabled,
    idSchema,
  } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const kaitoApi = useApi(kaitoApiRef);
  const { value, loading, error } = useAsync(
    async () => (await kaitoApi.listPresets()).items,
    [kaitoApi],
  );
  // A template that restricts the field with an enum has the last word.
  const allowed = Array.isArray(schema.enum)
    ? (schema.enum as unknown[])
    : undefined;
  const presets = offeredPresets(value ?? [], options).filter(
    p => !allowed || allowed.includes(p.name),
  );
  const selected = presets.find(p => p.name === formData) ?? null;
  const title = schema.title ?? 'Model';
  const description =
    schema.description ??
    (options.tunableOnly
      ? 'A preset model KAITO can fine-tune (LoRA or QLoRA).'
      : 'A preset model KAITO can serve.');
  let helperText = description;
  if (error) {
    helperText = `Could not load the models: ${errorMessage(error)}`;
  } else if (selected) {
    helperText = `${selected.huggingFaceId} · ${presetSizeText(selected)}`;
  }

  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={rawErrors?.length > 0}
    >
      <Autocomplete<KaitoPreset>
        id={idSchema?.$id}
        options={presets}
        loading={loading}
        disabled={disabled}
        value={selected}
        onChange={(_e, preset) => onChange(preset?.name)}
        getOptionLabel={p => p.name}
        isOptionEqualToValue={(a, b) => a.name === b.name}
        groupBy={p => p.family}
        renderOption={(optionProps, p) => (
          <Box component="li" {...optionProps} key={p.name}>
            <Stack>
              <Stack direction="row" spacing={1} alignItems="center">
                <Typography variant="body1">{p.name}</Typography>
                {p.tunable && (
                  <Chip
                    size="small"
                    label={`tunable: ${p.tuningMethods.join('/')}`}
                  />
                )}
                {p.downloadAuthRequired && (
                  <Chip
                    size="small"
                    variant="outlined"
                    label="gated: needs HF token"
                  />
                )}
              </Stack>
              <Typography variant="caption" color="textSecondary">
                {p.huggingFaceId} · {presetSizeText(p)}
              </Typography>
            </Stack>
          </Box>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            required={required}
            error={rawErrors?.length > 0}
          />
        )}
      />
      <FormHelperText>{helperText}</FormHelperText>
    </FormControl>
  );
}

/**
 * Validation of `KaitoModelPicker`: the preset exists, is not deprecated
 * and, with `tunableOnly`, can be fine-tuned.
 *
 * @public
 */
export const kaitoModelPickerValidation: CustomFieldValidator<
  string,
  KaitoModelPickerUiOptions
> = (value, validation, context) => {
  if (!value) return;
  const preset = findPreset(value);
  if (!preset) {
    validation.addError(`${value} is not a KAITO preset`);
    return;
  }
  if (preset.deprecated) {
    validation.addError(`${preset.name} is deprecated and KAITO rejects it`);
  }
  if (context.uiSchema?.['ui:options']?.tunableOnly && !preset.tunable) {
    validation.addError(`KAITO cannot fine-tune ${preset.name}`);
  }
};
