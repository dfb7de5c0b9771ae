/**
 * The Azure VM sizes the simulated ARM knows, as Azure (Compute) describes
 * them. This is Azure's view, kept apart from the plugin's own SKU table on
 * purpose: the plugin must not be able to pass a test just because both sides
 * share one list. Sizes not listed here are rejected the way AKS rejects an
 * unknown size.
 *
 * `quotaFamily` is the Compute usages `name.value` exactly as Azure spells it,
 * inconsistent case and spaces included (compare with `sameQuotaFamily`).
 */
export interface VmSize {
  /** ARM size name, e.g. `Standard_NC24ads_A100_v4`. */
  name: string;
  vCpus: number;
  memoryGiB: number;
  /** Compute usages `name.value` (also the resource SKU `family`). */
  quotaFamily: string;
  /** Compute usages `name.localizedValue`. */
  quotaFamilyDisplayName: string;
  /** Absent for CPU-only sizes. */
  gpu?: {
    /** Whole GPUs attached, or 1 for a fractional (vGPU) size. */
    count: number;
    vendor: 'NVIDIA' | 'AMD';
    model: string;
    /** Memory per GPU as the VM sees it (the slice for fractional sizes). */
    memoryGiB: number;
    /** Share of one physical GPU for partitioned sizes (NVads A10 v5), e.g. 1/6. */
    fraction?: number;
    /** Supports `gpuInstanceProfile` (MIG). */
    migCapable?: boolean;
  };
  /** Local NVMe data disks (weights cached there by KAITO). */
  nvme?: boolean;
  /** Hyper-V generations the image must support. */
  hyperVGenerations: 'V1,V2' | 'V2';
  maxDataDiskCount: number;
}

const nc = (
  name: string,
  vCpus: number,
  memoryGiB: number,
  quotaFamily: string,
  quotaFamilyDisplayName: string,
  gpu: VmSize['gpu'],
  extra: Partial<VmSize> = {},
): VmSize => ({
  name,
  vCpus,
  memoryGiB,
  quotaFamily,
  quotaFamilyDisplayName,
  gpu,
  hyperVGenerations: 'V2',
  maxDataDiskCount: Math.min(32, vCpus),
  ...extra,
});

const A100 = (
  count: number,
  memoryGiB: number,
  model = 'NVIDIA A100 PCIe',
) => ({
  count,
  vendor: 'NVIDIA' as const,
  model,
  memoryGiB,
  migCapable: true,
});
const H100 = (count: number, memoryGiB: number, model: string) => ({
  count,
  vendor: 'NVIDIA' as const,
  model,
  memoryGiB,
  migCapable: true,
});
const A10 = (count: number, fraction?: number) => ({
  count,
  vendor: 'NVIDIA' as const,
  model: 'NVIDIA A10',
  memoryGiB: fraction ? 24 * fraction : 24,
  ...(fraction ? { fraction } : {}),
});
const T4 = (count: number) => ({
  count,
  vendor: 'NVIDIA' as const,
  model: 'NVIDIA T4',
  memoryGiB: 16,
});
const V100 = (count: number) => ({
  count,
  vendor: 'NVIDIA' as const,
  model: 'NVIDIA V100',
  memoryGiB: 16,
});

const NCADS_A100 = [
  'standardNCADSA100v4Family',
  'Standard NCADS_A100_v4 Family vCPUs',
] as const;
const NDAMS_A100 = [
  'standardNDAMSv4_A100Family',
  'Standard NDAMSv4_A100 Family vCPUs',
] as const;
const NDAS_A100 = [
  'Standard NDASv4_A100 Family',
  'Standard NDASv4_A100 Family vCPUs',
] as const;
const NCADS_H100 = [
  'StandardNCadsH100v5Family',
  'Standard NCadsH100v5 Family vCPUs',
] as const;
const NCC_H100 = [
  'StandardNCCads2023Family',
  'Standard NCCads2023 Family vCPUs',
] as const;
const NDS_H100 = [
  'standardNDSH100v5Family',
  'Standard NDSH100v5 Family vCPUs',
] as const;
const NDISR_H200 = [
  'standardNDISRH200V5Family',
  'Standard NDISRH200V5 Family vCPUs',
] as const;
const NVADS_A10 = [
  'StandardNVADSA10v5Family',
  'Standard NVADSA10v5 Family vCPUs',
] as const;
const NCAS_T4 = [
  'Standard NCASv3_T4 Family',
  'Standard NCASv3_T4 Family vCPUs',
] as const;
const NCS_V3 = ['standardNCSv3Family', 'Standard NCSv3 Family vCPUs'] as const;
const NGADS_V620 = [
  'StandardNGADSV620v1Family',
  'Standard NGADS V620 v1 Family vCPUs',
] as const;

export const VM_SIZES: readonly VmSize[] = [
  // CPU sizes (system pools, small user pools).
  {
    name: 'Standard_D4s_v5',
    vCpus: 4,
    memoryGiB: 16,
    quotaFamily: 'standardDSv5Family',
    quotaFamilyDisplayName: 'Standard DSv5 Family vCPUs',
    hyperVGenerations: 'V1,V2',
    maxDataDiskCount: 8,
  },
  {
    name: 'Standard_D8s_v5',
    vCpus: 8,
    memoryGiB: 32,
    quotaFamily: 'standardDSv5Family',
    quotaFamilyDisplayName: 'Standard DSv5 Family vCPUs',
    hyperVGenerations: 'V1,V2',
    maxDataDiskCount: 16,
  },
  {
    name: 'Standard_DS2_v2',
    vCpus: 2,
    memoryGiB: 7,
    quotaFamily: 'standardDSv2Family',
    quotaFamilyDisplayName: 'Standard DSv2 Family vCPUs',
    hyperVGenerations: 'V1,V2',
    maxDataDiskCount: 8,
  },
  // NC A100 v4 (PCIe A100 80 GB, local NVMe).
  nc('Standard_NC24ads_A100_v4', 24, 220, ...NCADS_A100, A100(1, 80), {
    nvme: true,
  }),
  nc('Standard_NC48ads_A100_v4', 48, 440, ...NCADS_A100, A100(2, 80), {
    nvme: true,
  }),
  nc('Standard_NC96ads_A100_v4', 96, 880, ...NCADS_A100, A100(4, 80), {
    nvme: true,
  }),
  // ND A100 v4 (SXM A100; KAITO spells the first one `Standard_ND96asr_A100_v4`, Azure does not).
  nc(
    'Standard_ND96asr_v4',
    96,
    900,
    ...NDAS_A100,
    A100(8, 40, 'NVIDIA A100 SXM4 40GB'),
  ),
  nc(
    'Standard_ND96amsr_A100_v4',
    96,
    1900,
    ...NDAMS_A100,
    A100(8, 80, 'NVIDIA A100 SXM4 80GB'),
    {
      nvme: true,
    },
  ),
  // NC H100 v5 (H100 NVL 94 GB).
  nc(
    'Standard_NC40ads_H100_v5',
    40,
    320,
    ...NCADS_H100,
    H100(1, 94, 'NVIDIA H100 NVL'),
    {
      nvme: true,
    },
  ),
  nc(
    'Standard_NC80adis_H100_v5',
    80,
    640,
    ...NCADS_H100,
    H100(2, 94, 'NVIDIA H100 NVL'),
    {
      nvme: true,
    },
  ),
  nc(
    'Standard_NCC40ads_H100_v5',
    40,
    320,
    ...NCC_H100,
    H100(1, 94, 'NVIDIA H100 NVL'),
  ),
  // ND H100 v5 / ND H200 v5 (SXM, 8 GPUs).
  nc(
    'Standard_ND96isr_H100_v5',
    96,
    1900,
    ...NDS_H100,
    H100(8, 80, 'NVIDIA H100 SXM5 80GB'),
    {
      nvme: true,
    },
  ),
  nc(
    'Standard_ND96isr_H200_v5',
    96,
    1850,
    ...NDISR_H200,
    H100(8, 141, 'NVIDIA H200 SXM 141GB'),
    {
      nvme: true,
    },
  ),
  // NVads A10 v5: full GPUs and the partitioned (vGPU) sizes.
  nc('Standard_NV6ads_A10_v5', 6, 55, ...NVADS_A10, A10(1, 1 / 6)),
  nc('Standard_NV12ads_A10_v5', 12, 110, ...NVADS_A10, A10(1, 1 / 3)),
  nc('Standard_NV18ads_A10_v5', 18, 220, ...NVADS_A10, A10(1, 1 / 2)),
  nc('Standard_NV36ads_A10_v5', 36, 440, ...NVADS_A10, A10(1)),
  nc('Standard_NV72ads_A10_v5', 72, 880, ...NVADS_A10, A10(2)),
  // NCasT4 v3 (T4; no longer accepted by KAITO, still sold by Azure).
  nc('Standard_NC4as_T4_v3', 4, 28, ...NCAS_T4, T4(1), {
    hyperVGenerations: 'V1,V2',
  }),
  nc('Standard_NC8as_T4_v3', 8, 56, ...NCAS_T4, T4(1), {
    hyperVGenerations: 'V1,V2',
  }),
  nc('Standard_NC16as_T4_v3', 16, 110, ...NCAS_T4, T4(1), {
    hyperVGenerations: 'V1,V2',
  }),
  nc('Standard_NC64as_T4_v3', 64, 440, ...NCAS_T4, T4(4), {
    hyperVGenerations: 'V1,V2',
  }),
  // NCv3 (V100; retiring, still in many regions' catalogs).
  nc('Standard_NC6s_v3', 6, 112, ...NCS_V3, V100(1), {
    hyperVGenerations: 'V1,V2',
  }),
  nc('Standard_NC12s_v3', 12, 224, ...NCS_V3, V100(2), {
    hyperVGenerations: 'V1,V2',
  }),
  nc('Standard_NC24s_v3', 24, 448, ...NCS_V3, V100(4), {
    hyperVGenerations: 'V1,V2',
  }),
  nc('Standard_NC24rs_v3', 24, 448, ...NCS_V3, V100(4), {
    hyperVGenerations: 'V1,V2',
  }),
  // NGads V620 (AMD; listed by KAITO, not usable as a KAITO add-on instanceType).
  nc('Standard_NG32ads_V620_v1', 32, 64, ...NGADS_V620, {
    count: 1,
    vendor: 'AMD',
    model: 'AMD Radeon PRO V620',
    memoryGiB: 32,
  }),
  nc('Standard_NG32adms_V620_v1', 32, 176, ...NGADS_V620, {
    count: 1,
    vendor: 'AMD',
    model: 'AMD Radeon PRO V620',
    memoryGiB: 32,
  }),
];

const byName = new Map(VM_SIZES.map(size => [size.name.toLowerCase(), size]));

/** Looks a size up the way ARM does: case-insensitively. */
export function findVmSize(name: string | undefined): VmSize | undefined {
  return name === undefined ? undefined : byName.get(name.toLowerCase());
}

/** Quota family names compared as Azure tooling does: spaces and case ignored. */
export function normalizeQuotaFamily(family: string): string {
  return family.replace(/\s+/g, '').toLowerCase();
}

export function sameQuotaFamily(a: string, b: string): boolean {
  return normalizeQuotaFamily(a) === normalizeQuotaFamily(b);
}

/** Every quota family of the catalog, once, in catalog order, with its display name. */
export function quotaFamilies(): { name: string; displayName: string }[] {
  const seen = new Map<string, { name: string; displayName: string }>();
  for (const size of VM_SIZES) {
    const key = normalizeQuotaFamily(size.quotaFamily);
    if (!seen.has(key)) {
      seen.set(key, {
        name: size.quotaFamily,
        displayName: size.quotaFamilyDisplayName,
      });
    }
  }
  return [...seen.values()];
}
