/*
 * KAITO preset model catalog, as of KAITO v0.12 (kaito-project/kaito HEAD 056b8280).
 *
 * Sources (paths in github.com/kaito-project/kaito):
 * - presets/workspace/models/model_catalog.yaml: weights (modelFileSize),
 *   context length (modelTokenLimit), quantization and the architecture fields
 *   the KV-cache size is derived from;
 * - presets/workspace/models/supported_models.yaml: legacy short names,
 *   downloadAuthRequired, deprecated;
 * - presets/workspace/generator/generator.go: disk = weights + 80Gi;
 * - presets/workspace/models/transformer_runtime_tuning_parameters.go: the
 *   tuning-capable list with its disk and GPU-memory hints;
 * - presets/workspace/models/transformer_runtime_inference_parameters.go:
 *   which presets may use the transformers runtime;
 * - v0.10.0 presets/workspace/models/<family>/model.go: multi-node
 *   (distributed) support and the deprecated Falcon entries.
 */

/**
 * A fine-tuning method KAITO supports (`tuning.method`).
 *
 * @public
 */
export type TuningMethod = 'lora' | 'qlora';

/**
 * The tuning methods KAITO accepts, in the order a form should offer them.
 *
 * @public
 */
export const tuningMethods: readonly TuningMethod[] = ['lora', 'qlora'];

/**
 * The model-serving runtime of an inference workspace (annotation
 * `kaito.sh/runtime`).
 *
 * @public
 */
export type KaitoRuntime = 'vllm' | 'transformers';

/**
 * What KAITO needs to fine-tune a preset (from
 * `transformer_runtime_tuning_parameters.go`).
 *
 * @public
 */
export interface KaitoPresetTuning {
  /** Disk KAITO requests for the tuning node. */
  diskGiB: number;
  /**
   * KAITO's tuning GPU-memory hint (`TotalSafeTensorFileSize` of the tuning
   * parameters): total GPU memory of the single tuning node. The webhook
   * does not enforce it; the suite does (see `skuFits`).
   */
  gpuMemoryGiB: number;
}

/**
 * A KAITO preset model.
 *
 * @public
 */
export interface KaitoPreset {
  /**
   * The name to put in `preset.name`: the legacy short name when the model
   * has one (understood by every KAITO version, including the AKS add-on),
   * otherwise the Hugging Face model ID. E.g. `phi-3-mini-128k-instruct`.
   */
  name: string;
  /** Other names KAITO resolves to this preset (besides the HF ID). */
  aliases: string[];
  /** Hugging Face model ID, e.g. `microsoft/Phi-3-mini-128k-instruct`. */
  huggingFaceId: string;
  /** Model family, e.g. `phi-3`, `llama-3`, `qwen2.5-coder`. */
  family: string;
  /**
   * Total parameter count in billions (nominal, from the model card or
   * name; for a few models derived from the weight size and quantization).
   */
  parameterCountB: number;
  /** Total safetensors weight size (`modelFileSize`), GiB. */
  modelWeightGiB: number;
  /** Node disk KAITO requests for inference (weights + 80Gi), GiB. */
  diskGiB: number;
  /** Maximum context length (`modelTokenLimit`). */
  contextLength: number;
  /** Weight quantization, when the checkpoint is quantized (e.g. `fp8`). */
  quantization?: string;
  /** Default runtime KAITO runs the preset with. */
  runtime: KaitoRuntime;
  /** The runtimes KAITO accepts for the preset. */
  runtimes: KaitoRuntime[];
  /** Whether KAITO can fine-tune it (the webhook does not check this). */
  tunable: boolean;
  /** Supported tuning methods; empty when not tunable. */
  tuningMethods: TuningMethod[];
  /** Tuning requirements; present exactly when `tunable`. */
  tuning?: KaitoPresetTuning;
  /** Gated model: the workspace needs `presetOptions.modelAccessSecret`. */
  downloadAuthRequired: boolean;
  /** Deprecated or removed; the webhook rejects it. */
  deprecated: boolean;
  /**
   * Minimum GPU memory per node KAITO requires for single-node inference
   * (the webhook's "Insufficient total GPU memory" floor: the weights), GiB.
   */
  minGpuMemoryGiB: number;
  /** Whether KAITO may spread inference over more than one node. */
  distributedInference: boolean;
  /**
   * KV-cache bytes per token (bf16, all layers), used by the node estimator.
   * Derived from the catalog's architecture fields: 2 (K and V) x layers x
   * KV heads x head dim x 2 bytes, or layers x (kvLoraRank + qkRopeHeadDim) x
   * 2 bytes for MLA models. Absent when the catalog lacks the fields; the
   * estimator then uses a conservative default.
   */
  kvCacheBytesPerToken?: number;
}

const GENERATOR_DISK_OVERHEAD_GIB = 80;
const bothRuntimes: KaitoRuntime[] = ['vllm', 'transformers'];
const vllmOnly: KaitoRuntime[] = ['vllm'];

interface PresetRow {
  name: string;
  hf: string;
  family: string;
  params: number;
  weights: number;
  ctx: number;
  quant?: string;
  aliases?: string[];
  tfs?: boolean;
  tuning?: KaitoPresetTuning;
  gated?: boolean;
  deprecated?: boolean;
  distributed?: boolean;
  kv?: number;
  disk?: number;
}

/** 2 (K, V) x layers x kvHeads x headDim x 2 bytes (bf16). */
function gqaKv(layers: number, kvHeads: number, headDim: number): number {
  return 2 * layers * kvHeads * headDim * 2;
}

/** MLA caches one latent of kvLoraRank + qkRopeHeadDim per layer. */
function mlaKv(layers: number, kvLoraRank: number, ropeDim: number): number {
  return layers * (kvLoraRank + ropeDim) * 2;
}

// prettier-ignore
const rows: PresetRow[] = [
  // Phi (Microsoft); tunable with lora and qlora
  { name: 'phi-4', hf: 'microsoft/phi-4', family: 'phi-4', params: 14.7, weights: 27.31, ctx: 16384, tfs: true, tuning: { diskGiB: 150, gpuMemoryGiB: 70 }, kv: gqaKv(40, 10, 128) },
  { name: 'phi-4-mini-instruct', hf: 'microsoft/Phi-4-mini-instruct', family: 'phi-4', params: 3.8, weights: 7.15, ctx: 131072, tuning: { diskGiB: 70, gpuMemoryGiB: 72 }, kv: gqaKv(32, 8, 128) },
  { name: 'phi-3-mini-4k-instruct', hf: 'microsoft/Phi-3-mini-4k-instruct', family: 'phi-3', params: 3.8, weights: 7.12, ctx: 4096, tfs: true, tuning: { diskGiB: 80, gpuMemoryGiB: 72 }, kv: gqaKv(32, 32, 96) },
  { name: 'phi-3-mini-128k-instruct', hf: 'microsoft/Phi-3-mini-128k-instruct', family: 'phi-3', params: 3.8, weights: 7.12, ctx: 131072, tfs: true, tuning: { diskGiB: 80, gpuMemoryGiB: 72 }, kv: gqaKv(32, 32, 96) },
  { name: 'phi-3-medium-4k-instruct', hf: 'microsoft/Phi-3-medium-4k-instruct', family: 'phi-3', params: 14, weights: 26.0, ctx: 4096, tfs: true, tuning: { diskGiB: 120, gpuMemoryGiB: 80 }, kv: gqaKv(40, 10, 128) },
  { name: 'phi-3-medium-128k-instruct', hf: 'microsoft/Phi-3-medium-128k-instruct', family: 'phi-3', params: 14, weights: 26.0, ctx: 131072, tfs: true, tuning: { diskGiB: 120, gpuMemoryGiB: 80 }, kv: gqaKv(40, 10, 128) },
  { name: 'phi-3.5-mini-instruct', hf: 'microsoft/Phi-3.5-mini-instruct', family: 'phi-3.5', params: 3.8, weights: 7.12, ctx: 131072, tfs: true, tuning: { diskGiB: 70, gpuMemoryGiB: 72 }, kv: gqaKv(32, 32, 96) },
  // Qwen2.5-Coder; tunable
  { name: 'qwen2.5-coder-7b-instruct', hf: 'Qwen/Qwen2.5-Coder-7B-Instruct', family: 'qwen2.5-coder', params: 7.6, weights: 14.19, ctx: 32768, tfs: true, tuning: { diskGiB: 110, gpuMemoryGiB: 24 }, kv: gqaKv(28, 4, 128) },
  { name: 'qwen2.5-coder-32b-instruct', hf: 'Qwen/Qwen2.5-Coder-32B-Instruct', family: 'qwen2.5-coder', params: 32.8, weights: 61.03, ctx: 32768, tfs: true, tuning: { diskGiB: 230, gpuMemoryGiB: 140 }, kv: gqaKv(64, 8, 128) },
  // Mistral. mistral-7b is on KAITO's tuning list, though v0.12 looks up the
  // key `mistral-7b-v0.3` that supported_models.yaml lacks (kaito.md §3.3).
  { name: 'mistral-7b', hf: 'mistralai/Mistral-7B-v0.3', family: 'mistral', params: 7.2, weights: 13.5, ctx: 32768, aliases: ['mistral-7b-v0.3'], tfs: true, tuning: { diskGiB: 90, gpuMemoryGiB: 16 }, kv: gqaKv(32, 8, 128) },
  { name: 'mistral-7b-instruct', hf: 'mistralai/Mistral-7B-Instruct-v0.3', family: 'mistral', params: 7.2, weights: 13.5, ctx: 32768, aliases: ['mistral-7b-instruct-v0.3'], tfs: true, kv: gqaKv(32, 8, 128) },
  { name: 'ministral-3-3b-instruct', hf: 'mistralai/Ministral-3-3B-Instruct-2512', family: 'ministral-3', params: 3, weights: 4.35, ctx: 262144, quant: 'fp8', kv: gqaKv(26, 8, 128) },
  { name: 'ministral-3-8b-instruct', hf: 'mistralai/Ministral-3-8B-Instruct-2512', family: 'ministral-3', params: 8, weights: 9.7, ctx: 262144, quant: 'fp8', kv: gqaKv(34, 8, 128) },
  { name: 'ministral-3-14b-instruct', hf: 'mistralai/Ministral-3-14B-Instruct-2512', family: 'ministral-3', params: 14, weights: 14.65, ctx: 262144, quant: 'fp8', kv: gqaKv(40, 8, 128) },
  // supported_models.yaml says `runtime: tfs`, but v0.12's code looks up
  // transformers parameters by the HF ID's last segment
  // (`mistral-large-3-675b-instruct-2512`) and finds none, so the webhook
  // refuses the transformers runtime for it: no `tfs` here.
  { name: 'mistral-large-3-675b-instruct', hf: 'mistralai/Mistral-Large-3-675B-Instruct-2512', family: 'mistral-large-3', params: 675, weights: 634.7, ctx: 294912, quant: 'compressed-tensors', distributed: true, kv: mlaKv(61, 512, 64) },
  { name: 'mistralai/Mistral-Small-4-119B-2603', hf: 'mistralai/Mistral-Small-4-119B-2603', family: 'mistral-small-4', params: 119, weights: 112.63, ctx: 1048576, quant: 'fp8' },
  { name: 'mistralai/Mistral-Small-4-119B-2603-NVFP4', hf: 'mistralai/Mistral-Small-4-119B-2603-NVFP4', family: 'mistral-small-4', params: 119, weights: 65.95, ctx: 1048576, quant: 'nvfp4' },
  { name: 'mistralai/Mistral-Medium-3.5-128B', hf: 'mistralai/Mistral-Medium-3.5-128B', family: 'mistral-medium-3.5', params: 128, weights: 124.43, ctx: 262144, quant: 'fp8' },
  // Llama 3 (Meta); gated on Hugging Face
  { name: 'llama-3.1-8b-instruct', hf: 'meta-llama/Llama-3.1-8B-Instruct', family: 'llama-3', params: 8.0, weights: 14.96, ctx: 131072, tfs: true, gated: true, distributed: true, kv: gqaKv(32, 8, 128) },
  { name: 'llama-3.3-70b-instruct', hf: 'meta-llama/Llama-3.3-70B-Instruct', family: 'llama-3', params: 70.6, weights: 131.42, ctx: 131072, tfs: true, gated: true, distributed: true, kv: gqaKv(80, 8, 128) },
  // DeepSeek
  { name: 'deepseek-r1-distill-llama-8b', hf: 'deepseek-ai/DeepSeek-R1-Distill-Llama-8B', family: 'deepseek-r1-distill', params: 8.0, weights: 14.96, ctx: 131072, tfs: true, kv: gqaKv(32, 8, 128) },
  { name: 'deepseek-r1-distill-qwen-14b', hf: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B', family: 'deepseek-r1-distill', params: 14.8, weights: 27.51, ctx: 131072, tfs: true, kv: gqaKv(48, 8, 128) },
  { name: 'deepseek-r1-0528', hf: 'deepseek-ai/DeepSeek-R1-0528', family: 'deepseek', params: 671, weights: 641.3, ctx: 163840, quant: 'fp8', tfs: true, distributed: true, kv: mlaKv(61, 512, 64) },
  { name: 'deepseek-v3-0324', hf: 'deepseek-ai/DeepSeek-V3-0324', family: 'deepseek', params: 671, weights: 641.3, ctx: 163840, quant: 'fp8', tfs: true, distributed: true, kv: mlaKv(61, 512, 64) },
  { name: 'deepseek-ai/DeepSeek-V3.2', hf: 'deepseek-ai/DeepSeek-V3.2', family: 'deepseek', params: 671, weights: 642.14, ctx: 163840, quant: 'fp8', distributed: true },
  // Parameter counts derived from the fp8 weight size (about 1 byte per parameter).
  { name: 'deepseek-ai/DeepSeek-V4-Flash-0731', hf: 'deepseek-ai/DeepSeek-V4-Flash-0731', family: 'deepseek', params: 167, weights: 155.43, ctx: 1048576, quant: 'fp8' },
  { name: 'deepseek-ai/DeepSeek-V4-Pro', hf: 'deepseek-ai/DeepSeek-V4-Pro', family: 'deepseek', params: 865, weights: 805.34, ctx: 1048576, quant: 'fp8', distributed: true },
  // gpt-oss (OpenAI)
  { name: 'gpt-oss-20b', hf: 'openai/gpt-oss-20b', family: 'gpt-oss', params: 21, weights: 25.63, ctx: 131072, quant: 'mxfp4', tfs: true, kv: gqaKv(24, 8, 64) },
  { name: 'gpt-oss-120b', hf: 'openai/gpt-oss-120b', family: 'gpt-oss', params: 117, weights: 121.54, ctx: 131072, quant: 'mxfp4', tfs: true, kv: gqaKv(36, 8, 64) },
  // Gemma (Google)
  { name: 'gemma-3-4b-instruct', hf: 'google/gemma-3-4b-it', family: 'gemma-3', params: 4.3, weights: 8.01, ctx: 131072, tfs: true, kv: gqaKv(34, 4, 256) },
  { name: 'gemma-3-27b-instruct', hf: 'google/gemma-3-27b-it', family: 'gemma-3', params: 27.4, weights: 51.1, ctx: 131072, tfs: true, kv: gqaKv(62, 16, 128) },
  { name: 'google/gemma-4-E2B-it', hf: 'google/gemma-4-E2B-it', family: 'gemma-4', params: 2, weights: 9.54, ctx: 131072 },
  { name: 'google/gemma-4-E4B-it', hf: 'google/gemma-4-E4B-it', family: 'gemma-4', params: 4, weights: 14.89, ctx: 131072 },
  { name: 'google/gemma-4-12B-it', hf: 'google/gemma-4-12B-it', family: 'gemma-4', params: 12, weights: 22.28, ctx: 262144 },
  { name: 'google/gemma-4-26B-A4B-it', hf: 'google/gemma-4-26B-A4B-it', family: 'gemma-4', params: 26, weights: 48.07, ctx: 262144 },
  { name: 'google/gemma-4-31B-it', hf: 'google/gemma-4-31B-it', family: 'gemma-4', params: 31, weights: 58.25, ctx: 262144 },
  // Qwen3.x
  { name: 'Qwen/Qwen3-8B-AWQ', hf: 'Qwen/Qwen3-8B-AWQ', family: 'qwen3', params: 8.2, weights: 5.68, ctx: 40960, quant: 'awq', kv: gqaKv(36, 8, 128) },
  { name: 'Qwen/Qwen3.5-2B', hf: 'Qwen/Qwen3.5-2B', family: 'qwen3.5', params: 2, weights: 4.24, ctx: 262144 },
  { name: 'Qwen/Qwen3.5-4B', hf: 'Qwen/Qwen3.5-4B', family: 'qwen3.5', params: 4, weights: 8.68, ctx: 262144 },
  { name: 'Qwen/Qwen3.5-9B', hf: 'Qwen/Qwen3.5-9B', family: 'qwen3.5', params: 9, weights: 17.98, ctx: 262144 },
  { name: 'Qwen/Qwen3.5-122B-A10B', hf: 'Qwen/Qwen3.5-122B-A10B', family: 'qwen3.5', params: 122, weights: 232.99, ctx: 262144 },
  { name: 'Qwen/Qwen3.5-122B-A10B-GPTQ-Int4', hf: 'Qwen/Qwen3.5-122B-A10B-GPTQ-Int4', family: 'qwen3.5', params: 122, weights: 73.47, ctx: 262144, quant: 'gptq' },
  { name: 'Qwen/Qwen3.5-397B-A17B-GPTQ-Int4', hf: 'Qwen/Qwen3.5-397B-A17B-GPTQ-Int4', family: 'qwen3.5', params: 397, weights: 219.56, ctx: 262144, quant: 'gptq' },
  { name: 'Qwen/Qwen3.6-27B', hf: 'Qwen/Qwen3.6-27B', family: 'qwen3.6', params: 27, weights: 51.75, ctx: 262144 },
  { name: 'Qwen/Qwen3.8-27B', hf: 'Qwen/Qwen3.8-27B', family: 'qwen3.8', params: 27, weights: 51.75, ctx: 262144 },
  { name: 'Qwen/Qwen3.6-35B-A3B', hf: 'Qwen/Qwen3.6-35B-A3B', family: 'qwen3.6', params: 35, weights: 66.97, ctx: 262144 },
  { name: 'Qwen/Qwen3.6-35B-A3B-FP8', hf: 'Qwen/Qwen3.6-35B-A3B-FP8', family: 'qwen3.6', params: 35, weights: 34.9, ctx: 262144, quant: 'fp8' },
  // Nemotron (NVIDIA); hybrid Mamba models, KV size left to the default
  { name: 'nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16', hf: 'nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16', family: 'nemotron', params: 4, weights: 7.4, ctx: 262144 },
  { name: 'nvidia/NVIDIA-Nemotron-Nano-9B-v2', hf: 'nvidia/NVIDIA-Nemotron-Nano-9B-v2', family: 'nemotron', params: 9, weights: 16.56, ctx: 131072 },
  { name: 'nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16', hf: 'nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16', family: 'nemotron', params: 12, weights: 24.55, ctx: 131072 },
  { name: 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', hf: 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', family: 'nemotron', params: 30, weights: 58.82, ctx: 262144 },
  { name: 'nvidia/Nemotron-Cascade-2-30B-A3B', hf: 'nvidia/Nemotron-Cascade-2-30B-A3B', family: 'nemotron', params: 30, weights: 58.82, ctx: 262144 },
  { name: 'nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16', hf: 'nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16', family: 'nemotron', params: 120, weights: 230.25, ctx: 262144 },
  { name: 'nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-NVFP4', hf: 'nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-NVFP4', family: 'nemotron', params: 550, weights: 328.13, ctx: 262144, quant: 'mixed' },
  // Others
  { name: 'moonshotai/Kimi-K2.5', hf: 'moonshotai/Kimi-K2.5', family: 'kimi', params: 1000, weights: 554.32, ctx: 262144, quant: 'pack-quantized', distributed: true },
  { name: 'moonshotai/Kimi-K2.6', hf: 'moonshotai/Kimi-K2.6', family: 'kimi', params: 1000, weights: 554.32, ctx: 262144, quant: 'pack-quantized', distributed: true },
  { name: 'moonshotai/Kimi-K2.7-Code', hf: 'moonshotai/Kimi-K2.7-Code', family: 'kimi', params: 1000, weights: 554.32, ctx: 262144, quant: 'pack-quantized', distributed: true },
  { name: 'MiniMaxAI/MiniMax-M2.7', hf: 'MiniMaxAI/MiniMax-M2.7', family: 'minimax', params: 230, weights: 214.34, ctx: 204800, quant: 'fp8' },
  { name: 'zai-org/GLM-5.2-FP8', hf: 'zai-org/GLM-5.2-FP8', family: 'glm', params: 755, weights: 703.75, ctx: 1048576, quant: 'fp8', distributed: true },
  { name: 'ibm-granite/granite-4.1-8b', hf: 'ibm-granite/granite-4.1-8b', family: 'granite', params: 8, weights: 16.38, ctx: 131072 },
  // Deprecated or removed: kept so that they resolve and can be rejected with
  // a precise reason. Falcon: deprecated in v0.11 (#1977), figures from
  // v0.10.0 presets/workspace/models/falcon/model.go. phi-2: rejected by the
  // webhook; weights from the Hugging Face safetensors listing.
  { name: 'falcon-7b', hf: 'tiiuae/falcon-7b', family: 'falcon', params: 7, weights: 13.44, ctx: 2048, tfs: true, deprecated: true, disk: 90 },
  { name: 'falcon-7b-instruct', hf: 'tiiuae/falcon-7b-instruct', family: 'falcon', params: 7, weights: 13.44, ctx: 2048, tfs: true, deprecated: true, disk: 90 },
  { name: 'falcon-40b', hf: 'tiiuae/falcon-40b', family: 'falcon', params: 40, weights: 77.9, ctx: 2048, tfs: true, deprecated: true, disk: 280 },
  { name: 'falcon-40b-instruct', hf: 'tiiuae/falcon-40b-instruct', family: 'falcon', params: 40, weights: 77.9, ctx: 2048, tfs: true, deprecated: true, disk: 280 },
  { name: 'phi-2', hf: 'microsoft/phi-2', family: 'phi-2', params: 2.7, weights: 5.18, ctx: 2048, tfs: true, deprecated: true },
];

function toPreset(row: PresetRow): KaitoPreset {
  const tunable = row.tuning !== undefined && !row.deprecated;
  return {
    name: row.name,
    aliases: row.aliases ?? [],
    huggingFaceId: row.hf,
    family: row.family,
    parameterCountB: row.params,
    modelWeightGiB: row.weights,
    diskGiB: row.disk ?? Math.ceil(row.weights + GENERATOR_DISK_OVERHEAD_GIB),
    contextLength: row.ctx,
    ...(row.quant ? { quantization: row.quant } : {}),
    runtime: 'vllm',
    runtimes: row.tfs ? [...bothRuntimes] : [...vllmOnly],
    tunable,
    tuningMethods: tunable ? ['lora', 'qlora'] : [],
    ...(tunable ? { tuning: { ...row.tuning! } } : {}),
    downloadAuthRequired: row.gated ?? false,
    deprecated: row.deprecated ?? false,
    minGpuMemoryGiB: row.weights,
    distributedInference: row.distributed ?? false,
    ...(row.kv !== undefined ? { kvCacheBytesPerToken: row.kv } : {}),
  };
}

/**
 * The KAITO v0.12 preset catalog: the curated models plus the deprecated
 * presets (flagged `deprecated`) so they can be rejected by name.
 *
 * @public
 */
export const kaitoPresets: readonly KaitoPreset[] = Object.freeze(
  rows.map(toPreset),
);

const presetIndex = new Map<string, KaitoPreset>();
for (const preset of kaitoPresets) {
  for (const key of [preset.name, preset.huggingFaceId, ...preset.aliases]) {
    const lower = key.toLowerCase();
    if (!presetIndex.has(lower)) {
      presetIndex.set(lower, preset);
    }
  }
}

/**
 * Finds a preset by its KAITO name, an alias or its Hugging Face ID, ignoring
 * case (KAITO lowercases preset names before resolving them).
 *
 * @public
 */
export function findPreset(nameOrAliasOrHfId: string): KaitoPreset | undefined {
  return presetIndex.get(nameOrAliasOrHfId.trim().toLowerCase());
}

/**
 * The presets KAITO can fine-tune (and that are not deprecated).
 *
 * @public
 */
export function tunablePresets(): KaitoPreset[] {
  return kaitoPresets.filter(p => p.tunable);
}
