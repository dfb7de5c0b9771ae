/** Agent pools on the wire (ARM JSON), as the simulator models them, and the cluster facts a PUT is checked against. */
import type { ArmErrorDetail } from './errors';

/** Wire (ARM JSON) agent pool properties; the fields the simulator models. */
export interface AgentPoolProperties {
  count?: number;
  vmSize?: string;
  osDiskSizeGB?: number;
  osDiskType?: string;
  kubeletDiskType?: string;
  maxPods?: number;
  osType?: string;
  osSKU?: string;
  enableAutoScaling?: boolean;
  minCount?: number;
  maxCount?: number;
  /** Pool kind: `VirtualMachineScaleSets` | `VirtualMachines` (SDK: `typePropertiesType`). */
  type?: string;
  mode?: string;
  orchestratorVersion?: string;
  currentOrchestratorVersion?: string;
  nodeImageVersion?: string;
  upgradeSettings?: {
    maxSurge?: string;
    maxUnavailable?: string;
    [key: string]: unknown;
  };
  provisioningState?: string;
  powerState?: { code: string };
  availabilityZones?: string[];
  enableNodePublicIP?: boolean;
  scaleSetPriority?: string;
  scaleSetEvictionPolicy?: string;
  spotMaxPrice?: number;
  tags?: Record<string, string>;
  nodeLabels?: Record<string, string>;
  nodeTaints?: string[];
  enableEncryptionAtHost?: boolean;
  enableUltraSSD?: boolean;
  enableFIPS?: boolean;
  gpuInstanceProfile?: string;
  gpuProfile?: { driver?: string; [key: string]: unknown };
  securityProfile?: Record<string, unknown>;
  eTag?: string;
  status?: { provisioningError?: ArmErrorDetail };
  [key: string]: unknown;
}

/** An agent pool as ARM returns it. */
export interface AgentPoolResource {
  id: string;
  name: string;
  type: 'Microsoft.ContainerService/managedClusters/agentPools';
  properties: AgentPoolProperties;
}

/** What a caller PUTs: `{ properties: {...} }` (extra top-level fields are ignored, as on ARM). */
export interface AgentPoolInput {
  properties?: Partial<AgentPoolProperties>;
  [key: string]: unknown;
}

export interface ClusterFacts {
  name: string;
  location: string;
  kubernetesVersion: string;
  /** VM sizes the subscription may not use in this region (answered `SkuNotAvailable`). */
  unavailableVmSizes: ReadonlySet<string>;
}
