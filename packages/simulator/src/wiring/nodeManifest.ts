import { createHash } from 'node:crypto';
import { findVmSize } from '../arm/vmSizes';
import type { KubeObject } from '../kube/api';
import type { AgentPool } from './agentPools';

/**
 * The Node object AKS registers for instance `index` of an agent pool: the
 * name `aks-<pool>-<8 digits>-vmss00000N`, AKS's own labels, the pool's
 * labels and taints, and capacity from the VM size. GPU Feature Discovery
 * labels and `nvidia.com/gpu` are added by `withGpuOperator` once the NVIDIA
 * device plugin has started, as on a real node.
 */
export interface ClusterFacts {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  location: string;
  kubernetesVersion: string;
}

export const nodeResourceGroup = (c: ClusterFacts) =>
  `MC_${c.resourceGroup}_${c.clusterName}_${c.location}`;

/** AKS names scale sets with an 8-digit hash that is stable for the cluster. */
export function scaleSetId(cluster: ClusterFacts, pool: string): string {
  const hex = createHash('sha256')
    .update(
      `${cluster.subscriptionId}/${cluster.resourceGroup}/${cluster.clusterName}/${pool}`,
    )
    .digest('hex');
  return String(parseInt(hex.slice(0, 8), 16) % 100_000_000).padStart(8, '0');
}

export function nodeName(
  cluster: ClusterFacts,
  pool: string,
  index: number,
): string {
  return `aks-${pool}-${scaleSetId(cluster, pool)}-vmss${index
    .toString(36)
    .padStart(6, '0')}`;
}

export function parseTaint(taint: string): {
  key: string;
  value?: string;
  effect: string;
} {
  const [kv, effect] = taint.split(':');
  const [key, value] = kv.split('=');
  return value === undefined ? { key, effect } : { key, value, effect };
}

function nodeImageVersion(pool: AgentPool, gpu: boolean): string {
  return (
    pool.properties.nodeImageVersion ??
    `AKSUbuntu-2204gen2${gpu ? 'gpu' : ''}containerd-202607.15.0`
  );
}

export function agentPoolNode(
  cluster: ClusterFacts,
  pool: AgentPool,
  index: number,
  now: Date,
): KubeObject {
  const name = nodeName(cluster, pool.name, index);
  const vmSize = pool.properties.vmSize ?? 'Standard_DS2_v2';
  const size = findVmSize(vmSize);
  const gpu = Boolean(size?.gpu);
  const vCpus = size?.vCpus ?? 2;
  const memoryKi = Math.round((size?.memoryGiB ?? 7) * 1024 * 1024);
  const mode = (pool.properties.mode ?? 'User').toLowerCase();
  const kubeletVersion = `v${
    pool.properties.currentOrchestratorVersion ?? cluster.kubernetesVersion
  }`;
  const zone = pool.properties.availabilityZones?.[0];
  const labels: Record<string, string> = {
    agentpool: pool.name,
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': vmSize,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': cluster.location,
    'failure-domain.beta.kubernetes.io/zone': zone
      ? `${cluster.location}-${zone}`
      : '0',
    'kubernetes.azure.com/agentpool': pool.name,
    'kubernetes.azure.com/cluster': nodeResourceGroup(cluster),
    'kubernetes.azure.com/mode': mode,
    'kubernetes.azure.com/node-image-version': nodeImageVersion(pool, gpu),
    'kubernetes.azure.com/nodepool-type': 'VirtualMachineScaleSets',
    'kubernetes.azure.com/os-sku': pool.properties.osSKU ?? 'Ubuntu',
    'kubernetes.azure.com/role': 'agent',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/role': 'agent',
    'node-role.kubernetes.io/agent': '',
    'node.kubernetes.io/instance-type': vmSize,
    storageprofile: 'managed',
    storagetier: 'Premium_LRS',
    'topology.kubernetes.io/region': cluster.location,
    'topology.kubernetes.io/zone': zone ? `${cluster.location}-${zone}` : '0',
    ...(gpu ? { 'kubernetes.azure.com/accelerator': 'nvidia' } : {}),
    ...(pool.properties.scaleSetPriority === 'Spot'
      ? { 'kubernetes.azure.com/scalesetpriority': 'spot' }
      : {}),
    ...(pool.properties.nodeLabels ?? {}),
  };
  const capacity: Record<string, string> = {
    cpu: String(vCpus),
    'ephemeral-storage': `${
      (pool.properties.osDiskSizeGB ?? 128) * 1024 * 1024
    }Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${memoryKi}Ki`,
    pods: '250',
  };
  const allocatable = {
    ...capacity,
    cpu: `${vCpus * 1000 - Math.min(vCpus * 60, 900)}m`,
    memory: `${Math.round(memoryKi * 0.9)}Ki`,
  };
  const ts = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const vmss = `aks-${pool.name}-${scaleSetId(cluster, pool.name)}-vmss`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      providerID: `azure:///subscriptions/${
        cluster.subscriptionId
      }/resourceGroups/${nodeResourceGroup(
        cluster,
      ).toLowerCase()}/providers/Microsoft.Compute/virtualMachineScaleSets/${vmss}/virtualMachines/${index}`,
      taints: (pool.properties.nodeTaints ?? []).map(parseTaint),
    },
    status: {
      capacity,
      allocatable,
      addresses: [
        {
          type: 'InternalIP',
          address: `10.224.${
            (scaleSetId(cluster, pool.name).charCodeAt(7) % 200) + 1
          }.${index + 4}`,
        },
        { type: 'Hostname', address: name },
      ],
      conditions: nodeConditions(false, ts),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: createHash('md5').update(`${name}/boot`).digest('hex'),
        containerRuntimeVersion: 'containerd://1.7.27-1',
        kernelVersion: '5.15.0-1089-azure',
        kubeProxyVersion: '',
        kubeletVersion,
        machineID: createHash('md5').update(`${name}/machine`).digest('hex'),
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        systemUUID: createHash('md5').update(`${name}/uuid`).digest('hex'),
      },
    },
  };
}

export function nodeConditions(ready: boolean, ts: string) {
  const healthy = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    reason,
    message,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
  });
  return [
    healthy(
      'MemoryPressure',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    healthy(
      'DiskPressure',
      'KubeletHasNoDiskPressure',
      'kubelet has no disk pressure',
    ),
    healthy(
      'PIDPressure',
      'KubeletHasSufficientPID',
      'kubelet has sufficient PID available',
    ),
    ready
      ? {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message:
            'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
  ];
}

/**
 * What NVIDIA GPU Feature Discovery finds on a node of a VM size: the GPU
 * count and the labels it publishes. The generic cluster does not know GPU
 * SKUs; the side that does (KAITO's catalog) registers this.
 */
export type GpuFeatureDiscovery = (
  vmSize: string,
) => { gpuCount: number; labels: Record<string, string> } | undefined;

/** The node once the NVIDIA device plugin and GFD run on it (GPU sizes only). */
export function withGpuOperator(
  node: KubeObject,
  discover?: GpuFeatureDiscovery,
): KubeObject {
  const vmSize =
    node.metadata.labels?.['node.kubernetes.io/instance-type'] ?? '';
  const discovered = discover?.(vmSize);
  const size = findVmSize(vmSize);
  const gpus = discovered?.gpuCount ?? size?.gpu?.count;
  if (!gpus || size?.gpu?.vendor === 'AMD') return node;
  const status = node.status as {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
  };
  return {
    ...node,
    metadata: {
      ...node.metadata,
      labels: { ...node.metadata.labels, ...discovered?.labels },
    },
    status: {
      ...status,
      capacity: { ...status.capacity, 'nvidia.com/gpu': String(gpus) },
      allocatable: { ...status.allocatable, 'nvidia.com/gpu': String(gpus) },
    },
  };
}
