/*
 * Azure GPU VM sizes KAITO v0.12 accepts as `resource.instanceType`.
 *
 * Sources:
 * - GPU count, GPU model, total GPU memory and compute capability:
 *   github.com/kaito-project/kaito pkg/sku/azure_sku_handler.go (v0.12; SKUs
 *   with CUDA compute capability below 8.0, i.e. T4, M60, MI25, were removed
 *   in #2185; V100 and NV6/12/24 in v0.9, #1780).
 * - vCPUs, memory and quota family: Microsoft Learn VM size pages
 *   (learn.microsoft.com/azure/virtual-machines/sizes) and the Compute usages
 *   API `name.value`.
 * - Prices: Linux pay-as-you-go, eastus, from the SkyPilot catalog
 *   (skypilot-org/skypilot-catalog catalogs/v6/azure/vms.csv), which is
 *   generated from the Azure Retail Prices API; a ~2024 snapshot, indicative
 *   only. Absent where the snapshot has no figure.
 * - nvidia.com/gpu.product values: NVIDIA GPU Feature Discovery, which
 *   reports the CUDA device name with spaces replaced by dashes.
 */

/**
 * An hourly list price of a VM size.
 *
 * @public
 */
export interface GpuSkuPrice {
  /** Linux pay-as-you-go price per VM per hour, USD. */
  usdPerHour: number;
  /** Azure region the price is for, e.g. `eastus`. */
  region: string;
  /** Where the figure comes from. */
  source: string;
  /** When the figure was taken. */
  asOf: string;
}

/**
 * A GPU VM size KAITO can provision nodes with.
 *
 * @public
 */
export interface GpuSku {
  /** The name as KAITO spells it, e.g. `Standard_NC24ads_A100_v4`. */
  name: string;
  /**
   * The ARM VM size to use for an AKS agent pool and for price and quota
   * lookups. Equal to `name` except for `Standard_ND96asr_A100_v4`, which
   * Azure calls `Standard_ND96asr_v4`.
   */
  armVmSize: string;
  /** GPU vendor. */
  gpuVendor: 'nvidia' | 'amd';
  /** GPUs per VM. */
  gpuCount: number;
  /** GPU model, e.g. `A100`. */
  gpuModel: string;
  /** Total GPU memory of one VM (all GPUs), GiB, as in KAITO's table. */
  gpuMemoryGiB: number;
  /** GPU memory of one GPU, GiB. */
  perGpuMemoryGiB: number;
  /** vCPUs per VM (also what the quota is charged in). */
  vCPUs: number;
  /** VM memory, GiB. */
  memoryGiB: number;
  /** Compute usages quota family (`name.value`), e.g. `standardNCADSA100v4Family`. */
  quotaFamily: string;
  /** CUDA compute capability, e.g. `8.0`; empty for non-NVIDIA GPUs. */
  computeCapability: string;
  /**
   * The `nvidia.com/gpu.product` node label GPU Feature Discovery sets, e.g.
   * `NVIDIA-A100-80GB-PCIe`; empty for non-NVIDIA GPUs.
   */
  nvidiaProductLabel: string;
  /** Whether model weights go to local NVMe (KAITO's local-csi path). */
  localNvme: boolean;
  /** Confidential-computing VM. */
  confidential: boolean;
  /** List price; absent when no published figure was at hand. */
  price?: GpuSkuPrice;
}

const PRICE_SOURCE =
  'SkyPilot catalog catalogs/v6/azure/vms.csv (Azure Retail Prices API snapshot)';
const PRICE_AS_OF = '2024';

function eastus(usdPerHour: number, region = 'eastus'): GpuSkuPrice {
  return { usdPerHour, region, source: PRICE_SOURCE, asOf: PRICE_AS_OF };
}

type SkuRow = Omit<
  GpuSku,
  'armVmSize' | 'perGpuMemoryGiB' | 'gpuVendor' | 'localNvme' | 'confidential'
> &
  Partial<
    Pick<GpuSku, 'armVmSize' | 'gpuVendor' | 'localNvme' | 'confidential'>
  >;

// prettier-ignore
const rows: SkuRow[] = [
  { name: 'Standard_NV36ads_A10_v5', gpuCount: 1, gpuModel: 'A10', gpuMemoryGiB: 24, vCPUs: 36, memoryGiB: 440, quotaFamily: 'StandardNVADSA10v5Family', computeCapability: '8.6', nvidiaProductLabel: 'NVIDIA-A10', price: eastus(3.2) },
  { name: 'Standard_NV72ads_A10_v5', gpuCount: 2, gpuModel: 'A10', gpuMemoryGiB: 48, vCPUs: 72, memoryGiB: 880, quotaFamily: 'StandardNVADSA10v5Family', computeCapability: '8.6', nvidiaProductLabel: 'NVIDIA-A10', price: eastus(6.52) },
  { name: 'Standard_NC24ads_A100_v4', gpuCount: 1, gpuModel: 'A100', gpuMemoryGiB: 80, vCPUs: 24, memoryGiB: 220, quotaFamily: 'standardNCADSA100v4Family', computeCapability: '8.0', nvidiaProductLabel: 'NVIDIA-A100-80GB-PCIe', localNvme: true, price: eastus(3.673) },
  { name: 'Standard_NC48ads_A100_v4', gpuCount: 2, gpuModel: 'A100', gpuMemoryGiB: 160, vCPUs: 48, memoryGiB: 440, quotaFamily: 'standardNCADSA100v4Family', computeCapability: '8.0', nvidiaProductLabel: 'NVIDIA-A100-80GB-PCIe', localNvme: true, price: eastus(7.346) },
  { name: 'Standard_NC96ads_A100_v4', gpuCount: 4, gpuModel: 'A100', gpuMemoryGiB: 320, vCPUs: 96, memoryGiB: 880, quotaFamily: 'standardNCADSA100v4Family', computeCapability: '8.0', nvidiaProductLabel: 'NVIDIA-A100-80GB-PCIe', localNvme: true, price: eastus(14.692) },
  { name: 'Standard_ND96asr_A100_v4', armVmSize: 'Standard_ND96asr_v4', gpuCount: 8, gpuModel: 'A100', gpuMemoryGiB: 320, vCPUs: 96, memoryGiB: 900, quotaFamily: 'standardNDASv4_A100Family', computeCapability: '8.0', nvidiaProductLabel: 'NVIDIA-A100-SXM4-40GB', price: eastus(27.197) },
  { name: 'Standard_ND96amsr_A100_v4', gpuCount: 8, gpuModel: 'A100', gpuMemoryGiB: 640, vCPUs: 96, memoryGiB: 1900, quotaFamily: 'standardNDAMSv4_A100Family', computeCapability: '8.0', nvidiaProductLabel: 'NVIDIA-A100-SXM4-80GB', localNvme: true, price: eastus(32.77) },
  { name: 'Standard_NC40ads_H100_v5', gpuCount: 1, gpuModel: 'H100', gpuMemoryGiB: 94, vCPUs: 40, memoryGiB: 320, quotaFamily: 'StandardNCadsH100v5Family', computeCapability: '9.0', nvidiaProductLabel: 'NVIDIA-H100-NVL', localNvme: true, price: eastus(6.98) },
  { name: 'Standard_NC80adis_H100_v5', gpuCount: 2, gpuModel: 'H100', gpuMemoryGiB: 188, vCPUs: 80, memoryGiB: 640, quotaFamily: 'StandardNCadsH100v5Family', computeCapability: '9.0', nvidiaProductLabel: 'NVIDIA-H100-NVL', localNvme: true, price: eastus(13.96) },
  { name: 'Standard_NCC40ads_H100_v5', gpuCount: 1, gpuModel: 'H100', gpuMemoryGiB: 94, vCPUs: 40, memoryGiB: 320, quotaFamily: 'StandardNCCads2023Family', computeCapability: '9.0', nvidiaProductLabel: 'NVIDIA-H100-NVL', confidential: true, price: eastus(6.98, 'eastus2') },
  { name: 'Standard_ND96isr_H100_v5', gpuCount: 8, gpuModel: 'H100', gpuMemoryGiB: 640, vCPUs: 96, memoryGiB: 1900, quotaFamily: 'standardNDSH100v5Family', computeCapability: '9.0', nvidiaProductLabel: 'NVIDIA-H100-80GB-HBM3', localNvme: true, price: eastus(98.32) },
  { name: 'Standard_ND96isr_H200_v5', gpuCount: 8, gpuModel: 'H200', gpuMemoryGiB: 1128, vCPUs: 96, memoryGiB: 1850, quotaFamily: 'standardNDISRH200V5Family', computeCapability: '9.0', nvidiaProductLabel: 'NVIDIA-H200', localNvme: true },
  // AMD: in KAITO's table, but the AKS add-on does not accept AMD GPUs.
  { name: 'Standard_NG32ads_V620_v1', gpuVendor: 'amd', gpuCount: 1, gpuModel: 'Radeon PRO V620', gpuMemoryGiB: 32, vCPUs: 32, memoryGiB: 64, quotaFamily: 'StandardNGADSV620v1Family', computeCapability: '', nvidiaProductLabel: '' },
  { name: 'Standard_NG32adms_V620_v1', gpuVendor: 'amd', gpuCount: 1, gpuModel: 'Radeon PRO V620', gpuMemoryGiB: 32, vCPUs: 32, memoryGiB: 176, quotaFamily: 'StandardNGADSV620v1Family', computeCapability: '', nvidiaProductLabel: '' },
];

function toSku(row: SkuRow): GpuSku {
  return {
    ...row,
    armVmSize: row.armVmSize ?? row.name,
    gpuVendor: row.gpuVendor ?? 'nvidia',
    perGpuMemoryGiB: row.gpuMemoryGiB / row.gpuCount,
    localNvme: row.localNvme ?? false,
    confidential: row.confidential ?? false,
  };
}

/**
 * The Azure GPU VM sizes KAITO v0.12 accepts (`pkg/sku/azure_sku_handler.go`).
 *
 * @public
 */
export const azureGpuSkus: readonly GpuSku[] = Object.freeze(rows.map(toSku));

const skuIndex = new Map<string, GpuSku>();
for (const sku of azureGpuSkus) {
  skuIndex.set(sku.name.toLowerCase(), sku);
}

/**
 * Finds a GPU SKU by the name KAITO uses, ignoring case as KAITO does (#1898).
 *
 * @public
 */
export function findGpuSku(name: string): GpuSku | undefined {
  return skuIndex.get(name.trim().toLowerCase());
}

/**
 * Finds a GPU SKU by its KAITO name or its ARM VM size (e.g. the vmSize of an
 * AKS agent pool), ignoring case.
 *
 * @public
 */
export function findGpuSkuByVmSize(vmSize: string): GpuSku | undefined {
  const lower = vmSize.trim().toLowerCase();
  return (
    skuIndex.get(lower) ??
    azureGpuSkus.find(sku => sku.armVmSize.toLowerCase() === lower)
  );
}

/**
 * Normalizes a quota family for comparison: Azure APIs spell families with
 * inconsistent spaces and case (`Standard NDASv4_A100 Family`).
 *
 * @public
 */
export function normalizeQuotaFamily(family: string): string {
  return family.replace(/\s+/g, '').toLowerCase();
}
