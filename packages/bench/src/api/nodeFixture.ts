/** The GPU Nodes of the benchmark's clusters, as AKS registers them. */
import { iso, type NodeFixture } from './workspaceStatusFixture';

/** A GPU Node as AKS (with KAITO's node auto-provisioning) registers it. */
export function nodeObject(node: NodeFixture, location = 'eastus') {
  const ts = iso(node.createdAt.getTime());
  const ready = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    reason,
    message,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
  });
  const capacity = {
    cpu: '24',
    'ephemeral-storage': '259966896Ki',
    memory: '226562384Ki',
    'nvidia.com/gpu': String(node.gpus),
    pods: '250',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        ...node.matchLabels,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'karpenter.sh/nodepool': 'kaito',
        'kubernetes.azure.com/accelerator': 'nvidia',
        'kubernetes.azure.com/mode': 'user',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': node.instanceType,
        'nvidia.com/gpu.present': 'true',
        'topology.kubernetes.io/region': location,
        'topology.kubernetes.io/zone': '0',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      taints: [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
    },
    status: {
      capacity,
      allocatable: { ...capacity, cpu: '23100m', memory: '203906144Ki' },
      conditions: [
        ready(
          'MemoryPressure',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        ready(
          'DiskPressure',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
        ),
        ready(
          'PIDPressure',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        {
          type: 'Ready',
          status: node.ready ? 'True' : 'False',
          reason: node.ready ? 'KubeletReady' : 'KubeletNotReady',
          message: node.ready
            ? 'kubelet is posting ready status'
            : 'container runtime network not ready',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.27-1',
        kernelVersion: '5.15.0-1089-azure',
        kubeletVersion: 'v1.33.2',
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
      },
    },
  };
}
