import { KaitoPreset, KaitoRuntime, TuningMethod } from './presets';
import { azureGpuSkus, GpuSku } from './skus';

/**
 * What a workspace is for.
 *
 * @public
 */
export type WorkspaceMode = 'inference' | 'tuning';

/*
 * Constants of KAITO's vLLM node estimator (kaito.md §3.5; source
 * pkg/workspace/estimator/nodesestimator/estimator.go, v0.12).
 */

/**
 * vLLM `--gpu-memory-utilization` KAITO runs with: the per-GPU budget.
 *
 * @public
 */
export const KAITO_GPU_MEMORY_UTILIZATION = 0.84;

/**
 * Fixed per-GPU runtime overhead (CUDA context, NCCL, activations), GiB.
 *
 * @public
 */
export const KAITO_BASE_OVERHEAD_GIB = 2.3;

/**
 * Overhead that scales with the per-GPU weight share (divisor 1 + f).
 *
 * @public
 */
export const KAITO_OVERHEAD_WEIGHT_FACTOR = 0.05;

/**
 * Loaded weights are about 2% larger than the safetensors files.
 *
 * @public
 */
export const KAITO_WEIGHT_EXPANSION_FACTOR = 1.02;

/**
 * `max-model-len` the estimator assumes when the inference config sets none.
 *
 * @public
 */
export const KAITO_DEFAULT_MAX_MODEL_LEN = 2048;

/**
 * KV-cache bytes per token assumed when a preset's architecture is unknown:
 * 256 KiB, more than any catalogued dense model up to 32B needs.
 *
 * @public
 */
export const DEFAULT_KV_CACHE_BYTES_PER_TOKEN = 262144;

const GIB = 1024 * 1024 * 1024;

/**
 * Options of the node estimate.
 *
 * @public
 */
export interface NodeEstimateOptions {
  /** Runtime; the estimator sizes vLLM only. Defaults to the preset's. */
  runtime?: KaitoRuntime;
  /** `max-model-len` from the inference config; defaults to 2048. */
  maxModelLen?: number;
  /**
   * `resource.count`: used as-is by the transformers runtime (KAITO does
   * not estimate there). Defaults to 1.
   */
  requestedCount?: number;
}

/**
 * The node estimate with its intermediate figures (all GiB).
 *
 * @public
 */
export interface NodeEstimate {
  /** Nodes of the SKU the workspace needs (`status.targetNodeCount`). */
  nodeCount: number;
  /** GPUs the weights need (vLLM); 0 when not estimated. */
  minGpus: number;
  /** Per-GPU budget: per-GPU memory x gpu-memory-utilization. */
  perGpuBudgetGiB: number;
  /** Fixed per-GPU reserve: base overhead + this GPU's KV-cache share. */
  fixedReserveGiB: number;
  /** Per-GPU memory left for weights. */
  availablePerGpuGiB: number;
  /** Set when KAITO's estimator would fail (the SKU cannot host the reserve). */
  error?: string;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * KAITO's vLLM node estimator (kaito.md §3.5), with its intermediate
 * figures. Tuning is always one node; the transformers runtime uses the
 * requested count.
 *
 * @public
 */
export function estimateNodes(
  preset: KaitoPreset,
  sku: GpuSku,
  mode: WorkspaceMode,
  options: NodeEstimateOptions = {},
): NodeEstimate {
  const runtime = options.runtime ?? preset.runtime;
  const perGpuMemoryGiB = sku.gpuMemoryGiB / sku.gpuCount;
  const perGpuBudgetGiB = perGpuMemoryGiB * KAITO_GPU_MEMORY_UTILIZATION;
  if (mode === 'tuning' || runtime !== 'vllm') {
    return {
      nodeCount:
        mode === 'tuning' ? 1 : Math.max(1, options.requestedCount ?? 1),
      minGpus: 0,
      perGpuBudgetGiB: round2(perGpuBudgetGiB),
      fixedReserveGiB: 0,
      availablePerGpuGiB: round2(perGpuMemoryGiB),
    };
  }
  const maxModelLen =
    options.maxModelLen && options.maxModelLen > 0
      ? options.maxModelLen
      : KAITO_DEFAULT_MAX_MODEL_LEN;
  const bytesPerToken =
    preset.kvCacheBytesPerToken ?? DEFAULT_KV_CACHE_BYTES_PER_TOKEN;
  const kvCacheGiB = (maxModelLen * bytesPerToken) / sku.gpuCount / GIB;
  const fixedReserveGiB = KAITO_BASE_OVERHEAD_GIB + kvCacheGiB;
  if (perGpuBudgetGiB <= fixedReserveGiB) {
    return {
      nodeCount: 0,
      minGpus: 0,
      perGpuBudgetGiB: round2(perGpuBudgetGiB),
      fixedReserveGiB: round2(fixedReserveGiB),
      availablePerGpuGiB: 0,
      error:
        `GPU memory of ${sku.name} (${perGpuMemoryGiB} GiB per GPU) is too small ` +
        `for the ${fixedReserveGiB.toFixed(1)} GiB per-GPU reserve ` +
        `(base ${KAITO_BASE_OVERHEAD_GIB} GiB + KV cache ${kvCacheGiB.toFixed(
          1,
        )} GiB)`,
    };
  }
  const availablePerGpuGiB =
    (perGpuBudgetGiB - fixedReserveGiB) / (1 + KAITO_OVERHEAD_WEIGHT_FACTOR);
  const loadedWeightsGiB =
    preset.modelWeightGiB * KAITO_WEIGHT_EXPANSION_FACTOR;
  const minGpus = Math.floor(loadedWeightsGiB / availablePerGpuGiB) + 1;
  return {
    nodeCount: Math.ceil(minGpus / sku.gpuCount),
    minGpus,
    perGpuBudgetGiB: round2(perGpuBudgetGiB),
    fixedReserveGiB: round2(fixedReserveGiB),
    availablePerGpuGiB: round2(availablePerGpuGiB),
  };
}

/**
 * The number of nodes of `sku` KAITO provisions for `preset`
 * (`status.targetNodeCount`): its vLLM estimator for inference, 1 for tuning.
 * Throws when KAITO's estimator would fail for the SKU.
 *
 * @public
 */
export function estimateNodeCount(
  preset: KaitoPreset,
  sku: GpuSku,
  mode: WorkspaceMode,
  options?: NodeEstimateOptions,
): number {
  const estimate = estimateNodes(preset, sku, mode, options);
  if (estimate.error) {
    throw new Error(estimate.error);
  }
  return estimate.nodeCount;
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
 * (SKUs without a price after priced ones), then the ones that do not fit.
 *
 * @public
 */
export function rankSkusForPreset(
  preset: KaitoPreset,
  mode: WorkspaceMode,
  method?: TuningMethod,
  skus: readonly GpuSku[] = azureGpuSkus,
): SkuRecommendation[] {
  const ranked = skus.map(sku => {
    const fit = skuFits(preset, sku, mode, method);
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
