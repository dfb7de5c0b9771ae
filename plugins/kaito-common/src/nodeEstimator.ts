import { KaitoPreset, KaitoRuntime } from './presets';
import { GpuSku } from './skus';

/*
 * KAITO's node estimator: how many nodes of a SKU a preset needs.
 */

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
