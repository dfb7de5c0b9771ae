import { KaitoPreset, TuningMethod } from './presets';
import { azureGpuSkus, GpuSku } from './skus';
import {
  KAITO_WEIGHT_EXPANSION_FACTOR,
  NodeEstimateOptions,
  WorkspaceMode,
  estimateNodes,
} from './nodeEstimator';

/*
 * Whether a SKU fits a preset for tuning or inference, and the SKUs that
 * fit ranked by price.
 */

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Whether a SKU can run a preset, and why not.
 *
 * @public
 */
export interface SkuFit {
  fits: boolean;
  /** Why it does not fit (or a note when it fits with caveats). */
  reason?: string;
  /** Nodes needed when it fits. */
  nodeCount?: number;
  /** GPU memory the rule required of one node, GiB. */
  requiredGpuMemoryGiB?: number;
}

/**
 * Share of the bf16 base-weight memory QLoRA saves by loading the frozen
 * base model in 4 bit (NF4 is a quarter of bf16).
 */
const QLORA_WEIGHT_SAVING = 0.75;

/**
 * GPU memory one tuning node needs, GiB, in total and per GPU.
 *
 * Rule and sources:
 * - lora: KAITO's tuning GPU-memory hint (`TotalSafeTensorFileSize` in
 *   `presets/workspace/models/transformer_runtime_tuning_parameters.go`,
 *   kaito.md §3.3) for the whole node, which the webhook does not enforce;
 *   and each GPU must hold the bf16 base weights (+2% load expansion), since
 *   the tuning Job runs `accelerate launch` with one data-parallel process
 *   per GPU.
 * - qlora: the same hint less the memory the 4-bit base model saves
 *   (three quarters of the bf16 weights; the qlora-params template sets
 *   `load_in_4bit`), and each GPU must hold the 4-bit weights.
 *
 * @public
 */
export function tuningGpuMemoryNeed(
  preset: KaitoPreset,
  method: TuningMethod,
): { totalGiB: number; perGpuGiB: number } | undefined {
  if (!preset.tuning) {
    return undefined;
  }
  const loadedWeights = preset.modelWeightGiB * KAITO_WEIGHT_EXPANSION_FACTOR;
  if (method === 'qlora') {
    return {
      totalGiB: round2(
        Math.max(
          preset.tuning.gpuMemoryGiB -
            QLORA_WEIGHT_SAVING * preset.modelWeightGiB,
          loadedWeights * (1 - QLORA_WEIGHT_SAVING),
        ),
      ),
      perGpuGiB: round2(loadedWeights * (1 - QLORA_WEIGHT_SAVING)),
    };
  }
  return {
    totalGiB: preset.tuning.gpuMemoryGiB,
    perGpuGiB: round2(loadedWeights),
  };
}

function tuningFit(
  preset: KaitoPreset,
  sku: GpuSku,
  method: TuningMethod,
): SkuFit {
  if (!preset.tunable || !preset.tuning) {
    return {
      fits: false,
      reason: `preset ${preset.name} does not support fine-tuning`,
    };
  }
  if (!preset.tuningMethods.includes(method)) {
    return {
      fits: false,
      reason: `preset ${preset.name} does not support ${method} tuning`,
    };
  }
  if (sku.gpuVendor !== 'nvidia') {
    return {
      fits: false,
      reason: `${sku.name} has no NVIDIA GPU; KAITO's tuning image needs CUDA`,
    };
  }
  const need = tuningGpuMemoryNeed(preset, method)!;
  if (sku.gpuMemoryGiB < need.totalGiB) {
    return {
      fits: false,
      requiredGpuMemoryGiB: need.totalGiB,
      reason:
        `${method} tuning of ${preset.name} needs ${need.totalGiB} GiB of GPU memory ` +
        `on one node; ${sku.name} has ${sku.gpuMemoryGiB} GiB`,
    };
  }
  if (sku.perGpuMemoryGiB < need.perGpuGiB) {
    return {
      fits: false,
      requiredGpuMemoryGiB: need.totalGiB,
      reason:
        `${method} tuning of ${preset.name} needs ${need.perGpuGiB} GiB per GPU ` +
        `for the base weights; ${sku.name} has ${sku.perGpuMemoryGiB} GiB per GPU`,
    };
  }
  return { fits: true, nodeCount: 1, requiredGpuMemoryGiB: need.totalGiB };
}

function inferenceFit(
  preset: KaitoPreset,
  sku: GpuSku,
  options: NodeEstimateOptions,
): SkuFit {
  const runtime = options.runtime ?? preset.runtime;
  if (!preset.runtimes.includes(runtime)) {
    return {
      fits: false,
      reason: `preset ${preset.name} does not support the ${runtime} runtime`,
    };
  }
  if (runtime === 'transformers') {
    // Webhook: count x SKU GPU memory >= weights, and no multi-node support.
    const count = Math.max(1, options.requestedCount ?? 1);
    if (count > 1) {
      return {
        fits: false,
        reason: 'the transformers runtime does not support more than one node',
      };
    }
    if (sku.gpuMemoryGiB < preset.minGpuMemoryGiB) {
      return {
        fits: false,
        requiredGpuMemoryGiB: preset.minGpuMemoryGiB,
        reason:
          `Insufficient total GPU memory: ${preset.name} needs ${preset.minGpuMemoryGiB} GiB, ` +
          `${sku.name} has ${sku.gpuMemoryGiB} GiB`,
      };
    }
    return {
      fits: true,
      nodeCount: 1,
      requiredGpuMemoryGiB: preset.minGpuMemoryGiB,
    };
  }
  const estimate = estimateNodes(preset, sku, 'inference', options);
  if (estimate.error) {
    return { fits: false, reason: estimate.error };
  }
  if (estimate.nodeCount > 1 && !preset.distributedInference) {
    return {
      fits: false,
      nodeCount: estimate.nodeCount,
      requiredGpuMemoryGiB: preset.minGpuMemoryGiB,
      reason:
        `${preset.name} would need ${estimate.nodeCount} nodes of ${sku.name}, ` +
        `but it cannot be distributed across more than 1 GPU node`,
    };
  }
  return {
    fits: true,
    nodeCount: estimate.nodeCount,
    requiredGpuMemoryGiB: preset.minGpuMemoryGiB,
    ...(estimate.nodeCount > 1
      ? { reason: `needs ${estimate.nodeCount} nodes of ${sku.name}` }
      : {}),
  };
}

/**
 * Whether `sku` can run `preset` in `mode`, by KAITO's GPU-memory rules.
 *
 * Inference (vLLM): KAITO's node estimator (kaito.md §3.5) sizes the node
 * count; it fits unless the estimator fails or the preset would need several
 * nodes but does not support distributed inference. Inference
 * (transformers): the webhook's rule, one node whose GPU memory is at least
 * the weights. Tuning: one node, with the memory `tuningGpuMemoryNeed`
 * documents (default method lora).
 *
 * @public
 */
export function skuFits(
  preset: KaitoPreset,
  sku: GpuSku,
  mode: WorkspaceMode,
  method?: TuningMethod,
  options: NodeEstimateOptions = {},
): SkuFit {
  if (preset.deprecated) {
    return { fits: false, reason: `preset ${preset.name} is deprecated` };
  }
  if (mode === 'tuning') {
    return tuningFit(preset, sku, method ?? 'lora');
  }
  return inferenceFit(preset, sku, options);
}

/**
 * A SKU's fit for a preset, with its hourly cost.
 *
 * @public
 */
export interface SkuRecommendation {
  sku: GpuSku;
  fit: SkuFit;
  /** nodeCount x hourly price, when the SKU fits and has a price. */
  usdPerHour?: number;
}

/**
 * Every SKU's fit for a preset, the fitting ones first, cheapest first
 * (SKUs without a price after priced ones), then the ones that do not fit;
 * `options` as for {@link skuFits} (the inference runtime).
 *
 * @public
 */
export function rankSkusForPreset(
  preset: KaitoPreset,
  mode: WorkspaceMode,
  method?: TuningMethod,
  skus: readonly GpuSku[] = azureGpuSkus,
  options: NodeEstimateOptions = {},
): SkuRecommendation[] {
  const ranked = skus.map(sku => {
    const fit = skuFits(preset, sku, mode, method, options);
    const usdPerHour =
      fit.fits && fit.nodeCount && sku.price
        ? round2(fit.nodeCount * sku.price.usdPerHour)
        : undefined;
    return { sku, fit, ...(usdPerHour !== undefined ? { usdPerHour } : {}) };
  });
  const rank = (r: SkuRecommendation) => {
    if (!r.fit.fits) return 2;
    return r.usdPerHour === undefined ? 1 : 0;
  };
  return ranked.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.usdPerHour ?? 0) - (b.usdPerHour ?? 0) ||
      a.sku.gpuMemoryGiB - b.sku.gpuMemoryGiB,
  );
}
