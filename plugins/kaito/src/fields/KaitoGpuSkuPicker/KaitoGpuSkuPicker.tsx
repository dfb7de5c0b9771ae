import { useApi } from '@backstage/core-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  SkuView,
  TuningMethod,
  WorkspaceMode,
  findGpuSku,
  tuningMethods,
  unknownInstanceTypeMessage,
} from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { kaitoApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';
import { formatGiB, formatUsdPerHour } from '../../lib/format';

/**
 * `ui:options` of the `KaitoGpuSkuPicker` field: which other form fields
 * hold the model, method and cluster (read from the whole form's data, so
 * they may be on an earlier page; dotted paths reach into objects).
 *
 * @public
 */
export interface KaitoGpuSkuPickerUiOptions {
  /** Field with the preset; default `preset`. */
  presetField?: string;
  /** Field with the tuning method; default `method`. */
  methodField?: string;
  /** Field with the cluster whose quota to show; default `cluster`. */
  clusterField?: string;
  /**
   * `tuning` or `inference`; when absent, read from `modeField` or else
   * `tuning` when the method field has a value.
   */
  mode?: WorkspaceMode;
  /** Field with the mode. */
  modeField?: string;
}

function getPath(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined,
      data,
    );
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The SKU query a picker makes from the form's data. */
export function skuQueryFromForm(
  formData: unknown,
  options: KaitoGpuSkuPickerUiOptions = {},
): {
  preset?: string;
  mode: WorkspaceMode;
  method?: TuningMethod;
  cluster?: string;
} {
  const preset = asString(getPath(formData, options.presetField ?? 'preset'));
  const methodValue = asString(
    getPath(formData, options.methodField ?? 'method'),
  );
  const method = tuningMethods.includes(methodValue as TuningMethod)
    ? (methodValue as TuningMethod)
    : undefined;
  const modeValue = options.modeField
    ? asString(getPath(formData, options.modeField))
    : undefined;
  let mode: WorkspaceMode = method ? 'tuning' : 'inference';
  if (modeValue === 'tuning' || modeValue === 'inference') {
    mode = modeValue;
  }
  if (options.mode) {
    mode = options.mode;
  }
  const cluster = asString(
    getPath(formData, options.clusterField ?? 'cluster'),
  );
  return {
    ...(preset ? { preset } : {}),
    mode,
    ...(mode === 'tuning' ? { method: method ?? 'lora' } : {}),
    ...(cluster ? { cluster } : {}),
  };
}

function QuotaText({ sku }: { sku: SkuView }) {
  if (!sku.quota) return null;
  const q = sku.quota;
  return (
    <Typography
      variant="caption"
      display="block"
      color={q.sufficient ? 'success.main' : 'error'}
    >
      Quota {q.family}: {q.available} of {q.limit} vCPUs free, needs {q.needed}
      {q.regionalAvailable !== undefined
        ? ` (regional: ${q.regionalAvailable} free)`
        : ''}
      {q.sufficient ? '' : ' – not enough quota'}
    </Typography>
  );
}

function SkuLabel({
  sku,
  recommended,
}: {
  sku: SkuView;
  recommended: boolean;
}) {
  const price = sku.usdPerHour ?? sku.price?.usdPerHour;
  return (
    <Stack sx={{ py: 0.5 }}>
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography variant="body1">{sku.name}</Typography>
        {recommended && (
          <Chip size="small" color="primary" label="Recommended" />
        )}
      </Stack>
      <Typography variant="caption" color="textSecondary">
        {sku.gpu.count} × {sku.gpu.model} · {formatGiB(sku.gpu.memoryGiB)} GPU
        memory
        {sku.nodeCount && sku.nodeCount > 1
          ? ` · ${sku.nodeCount} nodes`
          : ''}{' '}
        · {price !== undefined ? formatUsdPerHour(price) : 'no list price'}
      </Typography>
      {sku.fit?.reason && (
        <Typography variant="caption" color="textSecondary">
          {sku.fit.reason}
        </Typography>
      )}
      <QuotaText sku={sku} />
    </Stack>
  );
}

/**
 * Scaffolder field: picks a GPU SKU that fits the model and method chosen
 * in other fields (`GET /catalog/skus`), showing GPU memory, price per hour
 * and quota headroom; the backend's recommendation is preselected. The
 * value is the SKU name (`resource.instanceType`).
 *
 * @public
 */
export function KaitoGpuSkuPicker(
  props: FieldExtensionComponentProps<string, KaitoGpuSkuPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    disabled,
    formContext,
  } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const kaitoApi = useApi(kaitoApiRef);
  const [showUnfit, setShowUnfit] = useState(false);
  const query = skuQueryFromForm(formContext?.formData, options);
  const { preset, mode, method, cluster } = query;

  const {
    value: catalog,
    loading,
    error,
  } = useAsync(
    async () =>
      preset ? kaitoApi.listSkus({ preset, mode, method, cluster }) : undefined,
    [kaitoApi, preset, mode, method, cluster],
  );

  // A template that restricts the field with an enum has the last word.
  const allowed = Array.isArray(schema.enum)
    ? (schema.enum as unknown[])
    : undefined;
  const offered =
    catalog?.items.filter(s => !allowed || allowed.includes(s.name)) ?? [];
  const fitting = offered.filter(s => s.fit?.fits);
  const unfit = offered.filter(s => !s.fit?.fits);
  const recommended = catalog?.recommendation?.name;

  // Preselect the recommendation; replace a choice that no longer fits.
  useEffect(() => {
    if (!catalog || loading) return;
    const fits = catalog.items.some(s => s.fit?.fits && s.name === formData);
    if (!fits && catalog.recommendation) {
      onChange(catalog.recommendation.name);
    } else if (!fits && formData) {
      onChange(undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalog, loading]);

  const title = schema.title ?? 'GPU SKU';
  return (
    <FormControl
      component="fieldset"
      fullWidth
      margin="normal"
      required={required}
      error={rawErrors?.length > 0}
      disabled={disabled}
    >
      <FormLabel component="legend">{title}</FormLabel>
      {schema.description && (
        <FormHelperText sx={{ ml: 0 }}>{schema.description}</FormHelperText>
      )}
      {!preset && (
        <Alert severity="info" sx={{ mt: 1 }}>
          Pick a model first; the GPU SKUs that fit it appear here.
        </Alert>
      )}
      {loading && <LinearProgress sx={{ mt: 1 }} />}
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          Could not load the GPU SKUs: {errorMessage(error)}
        </Alert>
      )}
      {catalog && (
        <>
          <Typography variant="caption" color="textSecondary" sx={{ mt: 1 }}>
            {fitting.length} SKU{fitting.length === 1 ? '' : 's'} fit{' '}
            {catalog.preset ?? preset} for {mode}
            {method ? ` (${method})` : ''}, cheapest first
            {catalog.location
              ? `; prices and quota for ${catalog.location}`
              : ''}
            .{catalog.quotaError ? ` Quota unknown: ${catalog.quotaError}` : ''}
          </Typography>
          {fitting.length === 0 && (
            <Alert severity="warning" sx={{ mt: 1 }}>
              No GPU SKU fits {catalog.preset ?? preset} for {mode}. Pick a
              smaller model{mode === 'tuning' ? ' or qlora' : ''}.
            </Alert>
          )}
          <RadioGroup
            aria-label={title}
            value={formData ?? ''}
            onChange={e => onChange(e.target.value)}
          >
            {fitting.map(sku => (
              <FormControlLabel
                key={sku.name}
                value={sku.name}
                control={<Radio />}
                label={
                  <SkuLabel sku={sku} recommended={sku.name === recommended} />
                }
              />
            ))}
            {showUnfit &&
              unfit.map(sku => (
                <FormControlLabel
                  key={sku.name}
                  value={sku.name}
                  disabled
                  control={<Radio />}
                  label={<SkuLabel sku={sku} recommended={false} />}
                />
              ))}
          </RadioGroup>
          {unfit.length > 0 && (
            <FormControlLabel
              control={
                <Switch
                  size="small"
                  checked={showUnfit}
                  onChange={e => setShowUnfit(e.target.checked)}
                />
              }
              label={`Show the ${unfit.length} SKUs that do not fit`}
            />
          )}
        </>
      )}
      {rawErrors?.length > 0 && (
        <FormHelperText>{rawErrors.join(' ')}</FormHelperText>
      )}
    </FormControl>
  );
}

/**
 * Validation of `KaitoGpuSkuPicker`: the value is a GPU SKU KAITO supports
 * (the API's and the actions' wording: the SKU, why, and the cheapest SKU
 * that fits the form's model).
 *
 * @public
 */
export const kaitoGpuSkuPickerValidation: CustomFieldValidator<
  string,
  KaitoGpuSkuPickerUiOptions
> = (value, validation, context) => {
  if (value && !findGpuSku(value)) {
    const options = (context?.uiSchema?.['ui:options'] ??
      {}) as KaitoGpuSkuPickerUiOptions;
    validation.addError(
      unknownInstanceTypeMessage(
        value,
        skuQueryFromForm(context?.formData, options),
      ),
    );
  }
};
