/**
 * Agent pool PUT bodies as the AKS resource provider sees them: type checks
 * (Go unmarshalling), merge with the existing pool, defaults, the additions
 * AKS makes itself (Spot label and taint) and the synchronous validation that
 * answers 400 before any long-running operation starts.
 */
import {
  ArmError,
  invalidParameter,
  invalidRequestContent,
  propertyChangeNotAllowed,
  skuNotAvailable,
  vmSizeNotAllowed,
} from './errors';
import {
  canonical,
  invalid,
  validateLabels,
  validateTags,
  validateTaints,
  validateVersion,
} from './nodeConfig';
import type {
  AgentPoolInput,
  AgentPoolProperties,
  ClusterFacts,
} from './agentPoolTypes';
import { checkType, FIELD_TYPES, jsonTypeName } from './wireTypes';
import { findVmSize, VM_SIZES } from './vmSizes';

export { isQualifiedName, parseTaint, resolveNodeVersion } from './nodeConfig';

export type {
  AgentPoolInput,
  AgentPoolProperties,
  AgentPoolResource,
  ClusterFacts,
} from './agentPoolTypes';

const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
export const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';
export const SPOT_TAINT =
  'kubernetes.azure.com/scalesetpriority=spot:NoSchedule';
export const DEFAULT_VM_SIZE = 'Standard_DS2_v2';
export const DEFAULT_MAX_PODS = 250; // Azure CNI Overlay, the cluster's network plugin
export const MAX_NODES_PER_POOL = 1000;

/** Fields the RP computes; ignored when a client sends them back after a GET. */
const READ_ONLY = [
  'provisioningState',
  'powerState',
  'currentOrchestratorVersion',
  'nodeImageVersion',
  'eTag',
  'status',
  'virtualMachineNodesStatus',
] as const;

/** Changing these on an existing pool is refused (AKS: set at creation only). */
const IMMUTABLE = [
  'vmSize',
  'osType',
  'osDiskSizeGB',
  'osDiskType',
  'kubeletDiskType',
  'maxPods',
  'type',
  'scaleSetPriority',
  'scaleSetEvictionPolicy',
  'gpuInstanceProfile',
  'gpuProfile',
  'availabilityZones',
  'enableUltraSSD',
] as const;

export function validatePoolName(name: string, osType?: string): void {
  if (
    !POOL_NAME.test(name) ||
    (osType?.toLowerCase() === 'windows' && name.length > 6)
  ) {
    throw invalidParameter(
      'agentPoolProfile.name',
      'The value of parameter agentPoolProfile.name is invalid. Please see https://aka.ms/aks-naming-rules for more details.',
    );
  }
}

const sameValue = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'string' && typeof b === 'string')
    return a.toLowerCase() === b.toLowerCase();
  if (Array.isArray(a) && Array.isArray(b))
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  return JSON.stringify(a) === JSON.stringify(b);
};

const ZONES = ['1', '2', '3'];

/**
 * Turns a PUT body into the pool's new desired properties (no read-only fields).
 * Properties the body omits keep the existing pool's values; on create they get
 * AKS defaults. Throws `ArmError` (400) on anything AKS rejects synchronously.
 */
export function resolveAgentPoolSpec(
  poolName: string,
  body: unknown,
  existing: AgentPoolProperties | undefined,
  cluster: ClusterFacts,
): AgentPoolProperties {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequestContent('The request body must be a JSON object');
  }
  const rawProperties = (body as AgentPoolInput).properties ?? {};
  if (typeof rawProperties !== 'object' || Array.isArray(rawProperties)) {
    throw new ArmError(
      400,
      'UnmarshalError',
      `UnmarshalEntity encountered error: json: cannot unmarshal ${jsonTypeName(
        rawProperties,
      )} into Go struct field AgentPool.properties of type AgentPoolProperties.`,
    );
  }
  const input: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rawProperties)) {
    if (
      (READ_ONLY as readonly string[]).includes(field) ||
      value === null ||
      value === undefined
    )
      continue;
    const type = FIELD_TYPES[field];
    if (type) checkType(field, value, type);
    input[field] = value;
  }

  if (existing) {
    for (const field of IMMUTABLE) {
      if (
        field in input &&
        existing[field] !== undefined &&
        !sameValue(existing[field], input[field])
      ) {
        throw propertyChangeNotAllowed(field, existing[field], input[field]);
      }
    }
  }

  const spec: AgentPoolProperties = existing ? stripReadOnly(existing) : {};
  Object.assign(spec, structuredClone(input));

  // Canonical spellings of enums (ARM accepts any case and answers the canonical one).
  spec.mode =
    canonical('mode', spec.mode, ['System', 'User', 'Gateway']) ?? 'User';
  spec.osType =
    canonical('osType', spec.osType, ['Linux', 'Windows']) ?? 'Linux';
  spec.type =
    canonical('type', spec.type, [
      'VirtualMachineScaleSets',
      'VirtualMachines',
    ]) ?? 'VirtualMachineScaleSets';
  spec.scaleSetPriority =
    canonical('scaleSetPriority', spec.scaleSetPriority, ['Regular', 'Spot']) ??
    'Regular';
  spec.osDiskType =
    canonical('osDiskType', spec.osDiskType, ['Managed', 'Ephemeral']) ??
    'Managed';
  spec.kubeletDiskType =
    canonical('kubeletDiskType', spec.kubeletDiskType, ['OS', 'Temporary']) ??
    'OS';
  spec.osSKU =
    canonical('osSKU', spec.osSKU, [
      'Ubuntu',
      'Ubuntu2204',
      'Ubuntu2404',
      'AzureLinux',
      'AzureLinux3',
      'Windows2019',
      'Windows2022',
      'Windows2025',
    ]) ?? (spec.osType === 'Windows' ? 'Windows2022' : 'Ubuntu');

  validatePoolName(poolName, spec.osType);

  // VM size.
  const sizeName = spec.vmSize ?? DEFAULT_VM_SIZE;
  const size = findVmSize(sizeName);
  if (!size) {
    throw vmSizeNotAllowed(
      sizeName,
      cluster.location,
      VM_SIZES.map(s => s.name),
    );
  }
  spec.vmSize = existing?.vmSize ?? size.name;
  if (
    [...cluster.unavailableVmSizes].some(
      s => s.toLowerCase() === size.name.toLowerCase(),
    )
  ) {
    throw skuNotAvailable(size.name, cluster.location);
  }
  if (spec.mode === 'System' && (size.vCpus < 2 || size.memoryGiB < 4)) {
    throw invalid(
      'vmSize',
      `System mode agent pools require a VM size with at least 2 vCPUs and 4 GB of memory; ${size.name} has ${size.vCpus} vCPUs and ${size.memoryGiB} GB.`,
    );
  }

  // Spot.
  if (spec.scaleSetPriority === 'Spot') {
    if (spec.mode === 'System') {
      throw invalid(
        'scaleSetPriority',
        'Spot agent pools cannot be System mode agent pools; use a Regular priority System pool.',
      );
    }
    if (spec.type !== 'VirtualMachineScaleSets') {
      throw invalid(
        'scaleSetPriority',
        'Spot agent pools require type VirtualMachineScaleSets.',
      );
    }
    spec.scaleSetEvictionPolicy =
      canonical('scaleSetEvictionPolicy', spec.scaleSetEvictionPolicy, [
        'Delete',
        'Deallocate',
      ]) ?? 'Delete';
    spec.spotMaxPrice = spec.spotMaxPrice ?? -1;
    if (spec.spotMaxPrice !== -1 && !(spec.spotMaxPrice > 0)) {
      throw invalid(
        'spotMaxPrice',
        'spotMaxPrice must be -1 (pay up to the on-demand price) or a positive price in US dollars.',
      );
    }
    spec.nodeLabels = { ...(spec.nodeLabels ?? {}), [SPOT_LABEL]: 'spot' };
    if (!(spec.nodeTaints ?? []).includes(SPOT_TAINT)) {
      spec.nodeTaints = [...(spec.nodeTaints ?? []), SPOT_TAINT];
    }
  } else {
    if (
      input.scaleSetEvictionPolicy !== undefined ||
      input.spotMaxPrice !== undefined
    ) {
      throw invalid(
        'scaleSetPriority',
        'scaleSetEvictionPolicy and spotMaxPrice can only be set when scaleSetPriority is Spot.',
      );
    }
    delete spec.scaleSetEvictionPolicy;
    delete spec.spotMaxPrice;
  }

  // Counts and autoscaling.
  spec.enableAutoScaling = spec.enableAutoScaling ?? false;
  const minNodes = spec.mode === 'System' ? 1 : 0;
  if (spec.enableAutoScaling) {
    if (spec.minCount === undefined || spec.maxCount === undefined) {
      throw invalid(
        spec.minCount === undefined ? 'minCount' : 'maxCount',
        'minCount and maxCount are required when enableAutoScaling is true.',
      );
    }
    if (spec.minCount < minNodes || spec.minCount > MAX_NODES_PER_POOL) {
      throw invalid(
        'minCount',
        `minCount must be between ${minNodes} and ${MAX_NODES_PER_POOL} for ${spec.mode} mode agent pools.`,
      );
    }
    if (spec.maxCount < minNodes || spec.maxCount > MAX_NODES_PER_POOL) {
      throw invalid(
        'maxCount',
        `maxCount must be between ${minNodes} and ${MAX_NODES_PER_POOL} for ${spec.mode} mode agent pools.`,
      );
    }
    if (spec.minCount > spec.maxCount) {
      throw invalid(
        'minCount',
        `minCount (${spec.minCount}) must be less than or equal to maxCount (${spec.maxCount}).`,
      );
    }
    spec.count = spec.count ?? spec.minCount;
    if (spec.count < spec.minCount || spec.count > spec.maxCount) {
      throw invalid(
        'count',
        `count (${spec.count}) must be between minCount (${spec.minCount}) and maxCount (${spec.maxCount}) when enableAutoScaling is true.`,
      );
    }
  } else {
    delete spec.minCount;
    delete spec.maxCount;
    spec.count = spec.count ?? 1;
  }
  if (spec.count < minNodes || spec.count > MAX_NODES_PER_POOL) {
    throw invalid(
      'count',
      `count must be between ${minNodes} and ${MAX_NODES_PER_POOL} for ${spec.mode} mode agent pools.`,
    );
  }

  // Node configuration.
  if (spec.nodeTaints) validateTaints(spec.nodeTaints);
  if (spec.nodeLabels) validateLabels(spec.nodeLabels);
  if (spec.tags) validateTags(spec.tags);
  spec.osDiskSizeGB = spec.osDiskSizeGB || 128;
  if (spec.osDiskSizeGB < 30 || spec.osDiskSizeGB > 2048) {
    throw invalid('osDiskSizeGB', 'osDiskSizeGB must be between 30 and 2048.');
  }
  spec.maxPods = spec.maxPods ?? DEFAULT_MAX_PODS;
  if (spec.maxPods < 10 || spec.maxPods > 250) {
    throw invalid('maxPods', 'maxPods must be between 10 and 250.');
  }
  if (spec.gpuInstanceProfile !== undefined) {
    spec.gpuInstanceProfile = canonical(
      'gpuInstanceProfile',
      spec.gpuInstanceProfile,
      ['MIG1g', 'MIG2g', 'MIG3g', 'MIG4g', 'MIG7g'],
    );
    if (!size.gpu?.migCapable) {
      throw invalid(
        'gpuInstanceProfile',
        `gpuInstanceProfile is only supported on MIG-capable GPU VM sizes; ${size.name} is not one.`,
      );
    }
  }
  if (spec.gpuProfile?.driver !== undefined) {
    spec.gpuProfile = {
      ...spec.gpuProfile,
      driver: canonical('gpuProfile.driver', String(spec.gpuProfile.driver), [
        'Install',
        'None',
      ]),
    };
  }
  if (spec.availabilityZones) {
    const bad = spec.availabilityZones.filter(z => !ZONES.includes(z));
    if (bad.length > 0) {
      throw new ArmError(
        400,
        'AvailabilityZoneNotSupported',
        `The zone(s) '${bad.join(
          ',',
        )}' for resource '${poolName}' is not supported. The supported zones for location '${
          cluster.location
        }' are '${ZONES.join(',')}'`,
        'agentPoolProfile.availabilityZones',
      );
    }
  }
  spec.orchestratorVersion =
    spec.orchestratorVersion || cluster.kubernetesVersion;
  validateVersion(spec.orchestratorVersion, cluster.kubernetesVersion);

  spec.enableNodePublicIP = spec.enableNodePublicIP ?? false;
  spec.enableEncryptionAtHost = spec.enableEncryptionAtHost ?? false;
  spec.enableUltraSSD = spec.enableUltraSSD ?? false;
  spec.enableFIPS = spec.enableFIPS ?? false;
  spec.upgradeSettings = {
    maxSurge: '10%',
    maxUnavailable: '0',
    ...(spec.upgradeSettings ?? {}),
  };
  spec.securityProfile = spec.securityProfile ?? {
    enableVTPM: false,
    enableSecureBoot: false,
  };
  return spec;
}

export function stripReadOnly(
  properties: AgentPoolProperties,
): AgentPoolProperties {
  const copy = structuredClone(properties);
  for (const field of READ_ONLY) delete copy[field];
  return copy;
}
