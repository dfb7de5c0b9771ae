import YAML from 'yaml';
import type { FaultStore } from '../../faults';
import type { KubeObject, ObjectStore } from '../../kube/api';
import type {
  ContainerScript,
  PodScript,
  PodScriptResolver,
} from '../../wiring/containerScript';
import { controllerOf } from '../../wiring/podOwnership';
import { requiredGpuMemoryGiB, resolvePreset } from '../catalog';
import { Images, LABEL_WORKSPACE, WORKSPACE_KEY } from '../constants';
import { gpuConfigFromNodeLabels } from '../gpuConfig';
import { runtimeOf, type Workspace } from '../workspace';
import { inferenceServerScript } from './inferenceRun';
import { tuningConfigMapName } from './tuningJob';
import { adapterDigest } from './tuningOutput';
import {
  dataDownloaderScript,
  orasPullScript,
  pauseScript,
  pusherScript,
  trainerScript,
} from './tuningRun';

/**
 * Tells the kubelet what KAITO's pods do on the node they landed on: the
 * tuning pod's init containers, trainer and pusher; the inference pod's
 * adapter pullers and vLLM server. The faults decide whether the main image
 * pulls (`imagePullFailure`) and whether a model that does not fit the
 * node's GPU memory dies of OOM (`oomOnSmallGpu`).
 */
export function kaitoPodScripts(deps: {
  store: ObjectStore;
  faults: FaultStore;
}): PodScriptResolver {
  return (pod: KubeObject, node: KubeObject): PodScript | undefined => {
    const wsName = pod.metadata.labels?.[LABEL_WORKSPACE];
    if (!wsName) return undefined;
    const ws = deps.store.get({
      ...WORKSPACE_KEY,
      namespace: pod.metadata.namespace,
      name: wsName,
    }) as Workspace | undefined;
    if (!ws) return undefined;
    const gpu = gpuConfigFromNodeLabels(node);
    const gpuMemoryGiB = 'config' in gpu ? gpu.config.gpuMemGiB : 0;
    const gpuCount = 'config' in gpu ? gpu.config.gpuCount : 1;
    const gpuName = 'config' in gpu ? gpu.config.gpuModel : 'unknown';
    const pullFails = () => {
      const failing = deps.faults.get().imagePullFailure;
      return failing.includes('*') || failing.includes(wsName);
    };
    const owner = controllerOf(pod)?.kind;
    if (owner === 'Job' && ws.tuning)
      return tuningPod(ws, {
        gpuMemoryGiB,
        gpuName,
        pullFails,
        oomFault: deps.faults.get().oomOnSmallGpu,
        epochs: trainingEpochs(
          deps.store.get({
            group: '',
            plural: 'configmaps',
            namespace: pod.metadata.namespace,
            name: tuningConfigMapName(ws),
          }),
        ),
      });
    if (owner === 'StatefulSet' && ws.inference) {
      return inferencePod(ws, {
        gpuMemoryGiB,
        gpuCount,
        pullFails,
        oomFault: deps.faults.get().oomOnSmallGpu,
      });
    }
    return undefined;
  };
}

interface NodeFacts {
  gpuMemoryGiB: number;
  pullFails: () => boolean;
  oomFault: boolean;
}

/**
 * `TrainingArguments.num_train_epochs` of the tuning config the pod mounts
 * (the workspace's ConfigMap, or KAITO's template copied next to it).
 */
function trainingEpochs(configMap: KubeObject | undefined): number | undefined {
  const text = (configMap?.data as Record<string, string> | undefined)?.[
    'training_config.yaml'
  ];
  if (!text) return undefined;
  try {
    const epochs =
      YAML.parse(text)?.training_config?.TrainingArguments?.num_train_epochs;
    return typeof epochs === 'number' && epochs > 0 ? epochs : undefined;
  } catch {
    return undefined; // the webhook refuses configs that do not parse
  }
}

function tuningPod(
  ws: Workspace,
  node: NodeFacts & { gpuName: string; epochs?: number },
): PodScript | undefined {
  const preset = resolvePreset(ws.tuning?.preset?.name);
  if (!preset) return undefined;
  const method =
    (ws.tuning?.method ?? 'qlora').toLowerCase() === 'lora' ? 'lora' : 'qlora';
  const need = requiredGpuMemoryGiB(preset, { kind: 'tuning', method });
  const plan = {
    seed: `${ws.metadata.uid}/${
      ws.metadata.annotations?.['workspace.kaito.io/revision'] ?? '1'
    }`,
    preset,
    method,
    gpuName: node.gpuName,
    gpuMemoryGiB: node.gpuMemoryGiB,
    oom: node.oomFault && node.gpuMemoryGiB > 0 && need > node.gpuMemoryGiB,
    epochs: node.epochs,
    outputImage: ws.tuning?.output?.image,
    outputDigest: adapterDigest(ws),
  };
  const trainer: ContainerScript = {
    ...trainerScript(plan),
    pullFails: node.pullFails,
  };
  const containers: Record<string, ContainerScript> = {
    [ws.metadata.name]: trainer,
  };
  if (plan.outputImage) {
    const pusher = pusherScript(plan, trainer);
    containers.pusher = pusher;
    containers.pause = pauseScript(pusher);
  }
  const initContainers: Record<string, ContainerScript> = {
    'model-weights-downloader': orasPullScript(
      Images.modelWeights(preset.name),
      '/workspace/weights',
      preset.modelWeightGiB,
      plan.seed,
    ),
  };
  const input = ws.tuning?.input;
  if (input?.urls?.length)
    initContainers['data-downloader'] = dataDownloaderScript(input.urls);
  if (input?.image)
    initContainers.puller = orasPullScript(
      input.image,
      '/mnt/data',
      0.05,
      plan.seed,
    );
  return { initContainers, containers };
}

function inferencePod(
  ws: Workspace,
  node: NodeFacts & { gpuCount: number },
): PodScript | undefined {
  const preset = resolvePreset(ws.inference?.preset?.name);
  if (!preset) return undefined;
  const nodes = ws.status?.targetNodeCount ?? 1;
  const need = requiredGpuMemoryGiB(preset, {
    kind: 'inference',
    nodeCount: nodes,
  });
  const adapters = (ws.inference?.adapters ?? [])
    .map(a => a.source?.name ?? '')
    .filter(Boolean);
  const server: ContainerScript = {
    ...inferenceServerScript({
      preset,
      adapters,
      gpuCount: node.gpuCount,
      gpuMemoryGiB: node.gpuMemoryGiB,
      oom: node.oomFault && node.gpuMemoryGiB > 0 && need > node.gpuMemoryGiB,
      runtime: runtimeOf(ws),
    }),
    pullFails: node.pullFails,
  };
  const initContainers = Object.fromEntries(
    (ws.inference?.adapters ?? []).map(a => [
      `puller-${a.source?.name}`,
      orasPullScript(
        a.source?.image ?? '',
        `/mnt/adapter/${a.source?.name}`,
        0.1,
        ws.metadata.uid ?? '',
      ),
    ]),
  );
  return { initContainers, containers: { [ws.metadata.name]: server } };
}
