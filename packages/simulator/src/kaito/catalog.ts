import {
  azureGpuSkus,
  estimateNodeCount,
  findGpuSku,
  findGpuSkuByVmSize,
  findPreset,
  tuningGpuMemoryNeed,
  type GpuSku,
  type KaitoPreset,
} from '@kaito-backstage/plugin-kaito-common';
import type { GpuFeatureDiscovery } from '../wiring/nodeManifest';

/**
 * The simulator's view of the shared preset and SKU tables in
 * `@kaito-backstage/plugin-kaito-common` (KAITO's model catalog and
 * `pkg/sku/azure_sku_handler.go`), plus the few derived facts KAITO computes
 * from them.
 */
export type { GpuSku, KaitoPreset };

export function resolvePreset(
  name: string | undefined,
): KaitoPreset | undefined {
  return name ? findPreset(name) : undefined;
}

/** vLLM's served model name: the lowercase last segment of the HF repo. */
export function servedModelName(preset: KaitoPreset): string {
  const segments = preset.huggingFaceId.split('/');
  return segments[segments.length - 1].toLowerCase();
}

/** The SKU table lookup is case-insensitive since KAITO #1898. */
export function findSku(name: string | undefined): GpuSku | undefined {
  return name ? findGpuSku(name) : undefined;
}

export function supportedSkuNames(): string[] {
  return azureGpuSkus.map(sku => sku.name).sort();
}

/** On Azure the webhook lets unknown N- and D-series names through (#2114). */
export function hasAzureGpuPrefix(instanceType: string): boolean {
  return /^Standard_[ND]/i.test(instanceType);
}

/**
 * `status.targetNodeCount`: 1 for tuning, KAITO's vLLM NodeEstimator for
 * inference (`resource.count` for the transformers runtime). Throws like the
 * estimator when the SKU cannot host the model.
 */
export function targetNodeCount(
  preset: KaitoPreset,
  sku: GpuSku,
  mode: 'tuning' | 'inference',
  options: { runtime?: 'vllm' | 'transformers'; requestedCount?: number } = {},
): number {
  return Math.max(1, estimateNodeCount(preset, sku, mode, options));
}

/**
 * GPU memory a run needs on one node, GiB: the tuning need of the shared
 * sizing rules (KAITO's tuning hint, less what qlora saves) or, for
 * inference, the weights spread over the nodes.
 */
export function requiredGpuMemoryGiB(
  preset: KaitoPreset,
  mode:
    | { kind: 'tuning'; method: 'lora' | 'qlora' }
    | { kind: 'inference'; nodeCount: number },
): number {
  if (mode.kind === 'tuning') {
    return (
      tuningGpuMemoryNeed(preset, mode.method)?.totalGiB ??
      preset.modelWeightGiB * 2
    );
  }
  return preset.modelWeightGiB / Math.max(1, mode.nodeCount);
}

/** GPU Feature Discovery on a node of a VM size KAITO knows (for the generic cluster's nodes). */
export const gpuFeatureDiscovery: GpuFeatureDiscovery = vmSize => {
  const sku = findGpuSkuByVmSize(vmSize);
  return sku && { gpuCount: sku.gpuCount, labels: gfdLabels(sku) };
};

/** NVIDIA GPU Feature Discovery labels of a node of this SKU. */
export function gfdLabels(sku: GpuSku): Record<string, string> {
  if (sku.gpuVendor !== 'nvidia') return {};
  const [major, minor] = (sku.computeCapability || '8.0').split('.');
  return {
    'nvidia.com/gpu.present': 'true',
    'nvidia.com/gpu.product': sku.nvidiaProductLabel,
    'nvidia.com/gpu.count': String(sku.gpuCount),
    'nvidia.com/gpu.memory': String(Math.round(sku.perGpuMemoryGiB * 1024)),
    'nvidia.com/cuda.compute.major': major,
    'nvidia.com/cuda.compute.minor': minor ?? '0',
    'nvidia.com/gpu.family': gpuFamily(sku.computeCapability),
  };
}

function gpuFamily(computeCapability: string): string {
  const cc = Number(computeCapability || 8);
  if (cc >= 9) return 'hopper';
  if (cc >= 8) return 'ampere';
  return 'turing';
}
