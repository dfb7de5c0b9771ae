import type { KubeObject } from '../../kube/api';
import { servedModelName, type KaitoPreset } from '../catalog';
import {
  ANNOTATION_REVISION,
  Images,
  LABEL_WORKSPACE,
  PORT_INFERENCE_SERVER,
} from '../constants';
import { runtimeOf, type Workspace } from '../workspace';
import {
  configMapVolume,
  gpuResources,
  gpuTolerations,
  selectorAffinity,
  shmMount,
  shmVolume,
  workspaceOwnerRef,
} from './podTemplate';

/**
 * The inference workload of KAITO v0.8+ (`manifests.GenerateStatefulSetManifest`,
 * `GenerateServiceManifest`, `GenerateHeadlessServiceManifest`,
 * `GeneratePullerContainers`): a StatefulSet `<ws>` with one pod per node,
 * adapters pulled by `puller-<name>` init containers into `/mnt/adapter`,
 * the Service `<ws>` (80 -> 5000, pod 0 only) and `<ws>-headless`.
 */
const ADAPTER_PATH = '/mnt/adapter';

export function inferenceConfigMapName(ws: Workspace): string {
  return ws.inference?.config || 'inference-params-template';
}

function serverCommand(
  ws: Workspace,
  preset: KaitoPreset,
  gpus: number,
): string {
  const served = servedModelName(preset);
  if (runtimeOf(ws) === 'transformers') {
    return `accelerate launch --num_processes 1 --num_machines 1 --machine_rank 0 --gpu_ids all /workspace/tfs/inference_api.py --pipeline=text-generation --torch_dtype=bfloat16 --served_model_name=${served}`;
  }
  const adapters = (ws.inference?.adapters ?? [])
    .map(a => `${a.source?.name}=${ADAPTER_PATH}/${a.source?.name}`)
    .join(' ');
  return [
    `python3 /workspace/vllm/inference_api.py --model=${preset.huggingFaceId} --served-model-name=${served}`,
    `--kaito-config-file=/mnt/config/inference_config.yaml --tensor-parallel-size=${gpus}`,
    '--gpu-memory-utilization=0.84 --port=5000',
    ...(adapters ? [`--enable-lora --lora-modules ${adapters}`] : []),
  ].join(' ');
}

export function inferenceStatefulSet(
  ws: Workspace,
  preset: KaitoPreset,
  gpusPerNode: number,
  replicas: number,
  revision: string,
): KubeObject {
  const name = ws.metadata.name;
  const labels = { [LABEL_WORKSPACE]: name };
  const adapters = ws.inference?.adapters ?? [];
  const adapterMount = { name: 'adapter-volume', mountPath: ADAPTER_PATH };
  const probe = (periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: '/health', port: PORT_INFERENCE_SERVER, scheme: 'HTTP' },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 1,
    successThreshold: 1,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name,
      namespace: ws.metadata.namespace,
      annotations: { [ANNOTATION_REVISION]: revision },
      ownerReferences: [workspaceOwnerRef(ws)],
    },
    spec: {
      replicas,
      podManagementPolicy: 'Parallel',
      serviceName: `${name}-headless`,
      selector: { matchLabels: labels },
      persistentVolumeClaimRetentionPolicy: {
        whenDeleted: 'Delete',
        whenScaled: 'Retain',
      },
      template: {
        metadata: { labels },
        spec: {
          initContainers: adapters.map(a => ({
            name: `puller-${a.source?.name}`,
            image: Images.oras,
            command: [
              'oras',
              'pull',
              a.source?.image ?? '',
              '-o',
              `${ADAPTER_PATH}/${a.source?.name}`,
            ],
            volumeMounts: [adapterMount],
          })),
          containers: [
            {
              name,
              image: Images.base,
              command: [
                '/bin/sh',
                '-c',
                serverCommand(ws, preset, gpusPerNode),
              ],
              resources: gpuResources(gpusPerNode),
              ports: [
                { containerPort: PORT_INFERENCE_SERVER, protocol: 'TCP' },
              ],
              livenessProbe: probe(10, 3),
              readinessProbe: probe(10, 3),
              startupProbe: probe(10, 180),
              env: adapters
                .filter(a => a.strength !== undefined)
                .map(a => ({ name: a.source?.name ?? '', value: a.strength })),
              volumeMounts: [
                shmMount,
                { name: 'config-volume', mountPath: '/mnt/config' },
                ...(adapters.length > 0 ? [adapterMount] : []),
              ],
            },
          ],
          tolerations: gpuTolerations(),
          affinity: selectorAffinity(ws),
          volumes: [
            shmVolume,
            configMapVolume(inferenceConfigMapName(ws)),
            ...(adapters.length > 0
              ? [{ name: 'adapter-volume', emptyDir: {} }]
              : []),
          ],
        },
      },
    },
  };
}

/** The cluster IP is left to the API server to allocate. */
export function inferenceService(ws: Workspace): KubeObject {
  const name = ws.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ws.metadata.namespace,
      ownerReferences: [workspaceOwnerRef(ws)],
    },
    spec: {
      type:
        ws.metadata.annotations?.['kaito.sh/enablelb'] === 'True'
          ? 'LoadBalancer'
          : 'ClusterIP',
      ports: [
        {
          name: 'http',
          protocol: 'TCP',
          port: 80,
          targetPort: PORT_INFERENCE_SERVER,
        },
        { name: 'ray', protocol: 'TCP', port: 6379, targetPort: 6379 },
        { name: 'dashboard', protocol: 'TCP', port: 8265, targetPort: 8265 },
      ],
      selector: {
        [LABEL_WORKSPACE]: name,
        'statefulset.kubernetes.io/pod-name': `${name}-0`,
      },
      publishNotReadyAddresses: true,
      sessionAffinity: 'None',
    },
  };
}

export function headlessService(ws: Workspace): KubeObject {
  const name = ws.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `${name}-headless`,
      namespace: ws.metadata.namespace,
      ownerReferences: [workspaceOwnerRef(ws)],
    },
    spec: {
      clusterIP: 'None',
      clusterIPs: ['None'],
      type: 'ClusterIP',
      selector: { [LABEL_WORKSPACE]: name },
      ports: [],
      publishNotReadyAddresses: true,
    },
  };
}
