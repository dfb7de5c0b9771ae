import { sanitizedMatchLabels } from '../labelSelector';
import type { Workspace } from '../workspace';

/** Pieces every KAITO workload pod has (`pkg/workspace/tuning`, `.../inference`). */

export function workspaceOwnerRef(ws: Workspace) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    name: ws.metadata.name,
    uid: ws.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Tolerate the GPU taints KAITO's nodes carry (and Azure Spot). */
export function gpuTolerations() {
  return [
    { effect: 'NoSchedule', operator: 'Equal', key: 'gpu' },
    { effect: 'NoSchedule', value: 'gpu', key: 'sku' },
    {
      effect: 'NoSchedule',
      key: 'kubernetes.azure.com/scalesetpriority',
      operator: 'Equal',
      value: 'spot',
    },
  ];
}

/** Pin the pod to nodes carrying the selector labels. */
export function selectorAffinity(ws: Workspace) {
  const labels = sanitizedMatchLabels(ws.resource?.labelSelector);
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: Object.entries(labels).map(([key, value]) => ({
              key,
              operator: 'In',
              values: [value],
            })),
          },
        ],
      },
    },
  };
}

export function gpuResources(gpus: number) {
  return {
    requests: { 'nvidia.com/gpu': String(gpus) },
    limits: { 'nvidia.com/gpu': String(gpus) },
  };
}

export const shmVolume = { name: 'dshm', emptyDir: { medium: 'Memory' } };
export const shmMount = { name: 'dshm', mountPath: '/dev/shm' };

export function configMapVolume(name: string) {
  return { name: 'config-volume', configMap: { name } };
}
