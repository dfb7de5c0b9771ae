import type { KubeObject } from '../../kube/api';
import type { GpuSku, KaitoPreset } from '../catalog';
import {
  ANNOTATION_REVISION,
  Images,
  LABEL_WORKSPACE,
  PORT_INFERENCE_SERVER,
} from '../constants';
import type { Workspace } from '../workspace';
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
 * The tuning Job of `tuning.CreatePresetTuning` (`pkg/workspace/tuning/
 * preset_tuning.go`, `manifests.GenerateTuningJobManifest`): named after the
 * workspace, owned by it, one pod with the input init container, the
 * weights puller, the trainer (all the SKU's GPUs) and, for image output,
 * the `pusher` sidecar with a `pause` container.
 */
const DATA_PATH = '/mnt/data';
const RESULTS_PATH = '/mnt/results';
const WEIGHTS_PATH = '/workspace/weights';

const DATA_DOWNLOADER_SCRIPT = [
  'set -e',
  'mkdir -p "$DATA_VOLUME_PATH"',
  'for url in $DATA_URLS; do',
  '  file=$(basename "$url" | sed "s/[?#].*//")',
  '  echo "Downloading $url to $DATA_VOLUME_PATH/$file"',
  '  curl -sSLf "$url" -o "$DATA_VOLUME_PATH/$file"',
  'done',
  'echo "All downloads completed"',
].join('\n');

export function tuningConfigMapName(ws: Workspace): string {
  if (ws.tuning?.config) return ws.tuning.config;
  return (ws.tuning?.method ?? '').toLowerCase() === 'lora'
    ? 'lora-params-template'
    : 'qlora-params-template';
}

function inputContainer(ws: Workspace) {
  const input = ws.tuning?.input ?? {};
  const mount = { name: 'data-volume', mountPath: DATA_PATH };
  if (input.urls && input.urls.length > 0) {
    return {
      name: 'data-downloader',
      image: Images.curl,
      command: ['sh', '-c', DATA_DOWNLOADER_SCRIPT],
      env: [
        { name: 'DATA_URLS', value: input.urls.join(' ') },
        { name: 'DATA_VOLUME_PATH', value: DATA_PATH },
      ],
      volumeMounts: [mount],
    };
  }
  if (input.image) {
    return {
      name: 'puller',
      image: Images.oras,
      command: ['oras', 'pull', input.image, '-o', DATA_PATH],
      volumeMounts: [mount],
    };
  }
  return undefined;
}

export function tuningJobManifest(
  ws: Workspace,
  preset: KaitoPreset,
  sku: GpuSku,
  revision: string,
): KubeObject {
  const name = ws.metadata.name;
  const tuning = ws.tuning!;
  const labels = { [LABEL_WORKSPACE]: name };
  const input = inputContainer(ws);
  const output = tuning.output ?? {};
  const resultsMount = { name: 'results-volume', mountPath: RESULTS_PATH };
  const mainMounts = [
    shmMount,
    { name: 'model-weights-volume', mountPath: WEIGHTS_PATH },
    { name: 'config-volume', mountPath: '/mnt/config' },
    resultsMount,
    ...(input || tuning.input?.volumeSource
      ? [{ name: 'data-volume', mountPath: DATA_PATH }]
      : []),
  ];
  const env = [
    ...(preset.family === 'phi-3' || preset.family === 'phi-3.5'
      ? [
          {
            name: 'DEFAULT_TARGET_MODULES',
            value: 'k_proj,q_proj,v_proj,o_proj,gate_proj,down_proj,up_proj',
          },
        ]
      : []),
    { name: 'PYTORCH_CUDA_ALLOC_CONF', value: 'expandable_segments:True' },
  ];
  const containers: Record<string, unknown>[] = [
    {
      name,
      image: Images.base,
      command: [
        '/bin/sh',
        '-c',
        `accelerate launch --num_processes=${sku.gpuCount} /workspace/tfs/fine_tuning.py --config /mnt/config/training_config.yaml`,
      ],
      resources: gpuResources(sku.gpuCount),
      ports: [{ containerPort: PORT_INFERENCE_SERVER, protocol: 'TCP' }],
      env,
      volumeMounts: mainMounts,
    },
  ];
  if (output.image) {
    containers.push(
      {
        name: 'pusher',
        image: Images.oras,
        command: [
          '/bin/sh',
          '-c',
          `/pusher.sh ${RESULTS_PATH} ${output.image}`,
        ],
        volumeMounts: [
          { name: 'docker-sidecar', mountPath: '/root/.docker/config.d/0' },
          resultsMount,
        ],
      },
      { name: 'pause', image: Images.pause, imagePullPolicy: 'Always' },
    );
  }
  const volumes = [
    shmVolume,
    { name: 'model-weights-volume', emptyDir: {} },
    configMapVolume(tuningConfigMapName(ws)),
    output.volumeSource
      ? { name: 'results-volume', ...output.volumeSource }
      : { name: 'results-volume', emptyDir: {} },
    ...(input ? [{ name: 'data-volume', emptyDir: {} }] : []),
    ...(tuning.input?.volumeSource
      ? [{ name: 'data-volume', ...tuning.input.volumeSource }]
      : []),
    ...(output.image && output.imagePushSecret
      ? [
          {
            name: 'docker-sidecar',
            secret: { secretName: output.imagePushSecret },
          },
        ]
      : []),
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ws.metadata.namespace,
      labels,
      annotations: { [ANNOTATION_REVISION]: revision },
      ownerReferences: [workspaceOwnerRef(ws)],
    },
    spec: {
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      completionMode: 'NonIndexed',
      suspend: false,
      template: {
        metadata: { labels },
        spec: {
          initContainers: [
            ...(preset.downloadAuthRequired
              ? []
              : [
                  {
                    name: 'model-weights-downloader',
                    image: Images.oras,
                    command: [
                      'oras',
                      'pull',
                      Images.modelWeights(preset.name),
                      '-o',
                      WEIGHTS_PATH,
                    ],
                    volumeMounts: [
                      { name: 'model-weights-volume', mountPath: WEIGHTS_PATH },
                    ],
                  },
                ]),
            ...(input ? [input] : []),
          ],
          containers,
          restartPolicy: 'Never',
          tolerations: gpuTolerations(),
          affinity: selectorAffinity(ws),
          volumes,
          ...(containers.length > 1 ? { shareProcessNamespace: true } : {}),
          ...(output.imagePushSecret
            ? { imagePullSecrets: [{ name: output.imagePushSecret }] }
            : {}),
        },
      },
    },
  };
}
