/*
 * What the SKU messages offer instead: the cheapest SKU of KAITO's table that
 * fits the workload, and the wording of an instanceType outside that table
 * (rule `resource.instance-type.unknown`).
 */
import { findPreset, KaitoPreset, KaitoRuntime } from '../presets';
import { rankSkusForPreset } from '../sizing';
import { azureGpuSkus, GpuSku } from '../skus';
import { MAX_SHOWN_LENGTH, shown } from './issues';

/** A SKU that fits instead, as the messages name it. */
export interface FittingSku {
  sku: GpuSku;
  nodeCount: number;
  usdPerHour?: number;
}

/**
 * The cheapest SKU of the table that fits the preset for the mode and
 * runtime (the first fitting one `rankSkusForPreset` ranks).
 */
export function cheapestFit(
  preset: KaitoPreset,
  mode: 'tuning' | 'inference',
  method: string | undefined,
  runtime: KaitoRuntime | undefined,
): FittingSku | undefined {
  const tuningMethod =
    method === 'lora' || method === 'qlora' ? method : undefined;
  const best = rankSkusForPreset(preset, mode, tuningMethod, azureGpuSkus, {
    runtime,
  })[0];
  if (!best?.fit.fits) return undefined;
  return {
    sku: best.sku,
    nodeCount: best.fit.nodeCount ?? 1,
    ...(best.usdPerHour !== undefined ? { usdPerHour: best.usdPerHour } : {}),
  };
}

/** `; the cheapest SKU that fits is Standard_NC24ads_A100_v4 on 3 nodes ($11.02/h)`, or nothing. */
export function insteadText(fitting: FittingSku | undefined): string {
  if (!fitting) return '';
  const nodes = fitting.nodeCount > 1 ? ` on ${fitting.nodeCount} nodes` : '';
  const price =
    fitting.usdPerHour !== undefined
      ? ` ($${fitting.usdPerHour.toFixed(2)}/h)`
      : '';
  return `; the cheapest SKU that fits is ${fitting.sku.name}${nodes}${price}`;
}

/** Why an instanceType outside KAITO's table fails, and the cheapest SKU that fits instead. */
export function unknownSkuText(
  instanceType: string,
  fitting: FittingSku | undefined,
): string {
  // Echoed values are cut (MAX_SHOWN_LENGTH), a long name says so once.
  const cut = instanceType.length <= MAX_SHOWN_LENGTH;
  const why =
    cut && /^Standard_[ND]/i.test(instanceType)
      ? ` (KAITO's webhook lets an N- or D-series name through, then its controller fails with "Unsupported SKU '${instanceType}' for cloud provider")`
      : '';
  return `${shown(instanceType)} is not in KAITO v0.12's SKU table${why}${insteadText(
    fitting,
  )}`;
}

/**
 * What the suite says of an instanceType outside KAITO v0.12's SKU table
 * (rule `resource.instance-type.unknown`): the SKU, why it fails on KAITO
 * and, given the workload, the cheapest SKU that fits. The form pickers show
 * the same text as the API and the scaffolder actions.
 *
 * @public
 */
export function unknownInstanceTypeMessage(
  instanceType: string,
  workload?: {
    preset?: string;
    mode?: 'tuning' | 'inference';
    method?: string;
    runtime?: KaitoRuntime;
  },
): string {
  const preset = workload?.preset ? findPreset(workload.preset) : undefined;
  const mode = workload?.mode ?? (workload?.method ? 'tuning' : 'inference');
  return unknownSkuText(
    instanceType,
    preset && !preset.deprecated
      ? cheapestFit(preset, mode, workload?.method, workload?.runtime)
      : undefined,
  );
}
