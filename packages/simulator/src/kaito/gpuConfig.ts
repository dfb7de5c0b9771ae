import type { KubeObject } from '../kube/api';

/**
 * A node's GPUs as KAITO reads them from NVIDIA GPU Feature Discovery labels
 * (`sku.GetGPUConfigFromNodeLabels` in `pkg/sku/helpers.go`).
 * `nvidia.com/gpu.memory` is per GPU, in MiB; the total is rounded to GiB.
 */
export interface GpuConfig {
  gpuModel: string;
  gpuCount: number;
  /** Total GPU memory of the node, GiB. */
  gpuMemGiB: number;
}

export function gpuConfigFromNodeLabels(
  node: KubeObject,
): { config: GpuConfig } | { error: string } {
  const labels = node.metadata.labels ?? {};
  const name = node.metadata.name;
  const product = labels['nvidia.com/gpu.product'];
  const countStr = labels['nvidia.com/gpu.count'];
  const memoryStr = labels['nvidia.com/gpu.memory'];
  if (
    product === undefined ||
    countStr === undefined ||
    memoryStr === undefined
  ) {
    return { error: `missing required nvidia.com labels on node ${name}` };
  }
  // strconv.Atoi: an optional sign and decimal digits only.
  const isInt = (text: string) => /^[+-]?\d+$/.test(text);
  const gpuCount = Number(countStr);
  if (!isInt(countStr)) {
    return {
      error: `invalid nvidia.com/gpu.count value on node ${name}: ${countStr}`,
    };
  }
  const memoryMiB = Number(memoryStr);
  if (!isInt(memoryStr)) {
    return {
      error: `invalid nvidia.com/gpu.memory value on node ${name}: ${memoryStr}`,
    };
  }
  return {
    config: {
      gpuModel: product,
      gpuCount,
      gpuMemGiB: Math.floor(memoryMiB / 1024 + 0.5) * gpuCount,
    },
  };
}

/** A GiB amount the way `resource.Quantity.String()` prints whole GiB. */
export function formatGi(gib: number): string {
  const rounded = Math.round(gib * 100) / 100;
  return `${rounded}Gi`;
}
