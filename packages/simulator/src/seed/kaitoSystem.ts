import YAML from 'yaml';
import { kaitoPresets } from '@kaito-backstage/plugin-kaito-common';
import type { KubeObject, ObjectStore } from '../kube/api';
import {
  DEFAULT_INFERENCE_CONFIG,
  DEFAULT_LORA_CONFIG,
  DEFAULT_QLORA_CONFIG,
  RELEASE_NAMESPACE,
} from '../kaito/constants';
import { createIfAbsent } from '../wiring/objectUpdates';

/**
 * What the AKS AI toolchain operator add-on installs in `kube-system`: the
 * KAITO workspace controller and gpu-provisioner Deployments, the default
 * tuning and inference config templates the webhook and controller read
 * (`charts/kaito/workspace/templates/{lora,qlora,inference}-params.yaml`) and
 * the `kaito-supported-models` ConfigMap (used to feature-detect KAITO).
 */
const TRAINING_ARGUMENTS = {
  output_dir: '/mnt/results',
  ddp_find_unused_parameters: false,
  save_strategy: 'epoch',
  per_device_train_batch_size: 1,
};

function trainingConfig(method: 'lora' | 'qlora'): string {
  return YAML.stringify({
    training_config: {
      ModelConfig: {
        torch_dtype: 'bfloat16',
        local_files_only: true,
        device_map: 'auto',
      },
      ...(method === 'qlora'
        ? {
            QuantizationConfig: {
              load_in_4bit: true,
              bnb_4bit_quant_type: 'nf4',
              bnb_4bit_compute_dtype: 'bfloat16',
              bnb_4bit_use_double_quant: true,
            },
          }
        : {}),
      LoraConfig: { r: 8, lora_alpha: 8, lora_dropout: 0.0 },
      TrainingArguments: TRAINING_ARGUMENTS,
      DataCollator: { mlm: true },
      DatasetConfig: { shuffle_dataset: true, train_test_split: 1 },
    },
  });
}

const INFERENCE_CONFIG = YAML.stringify({
  max_probe_steps: 6,
  vllm: {
    'cpu-offload-gb': 0,
    'gpu-memory-utilization': 0.84,
    'swap-space': 4,
  },
});

function supportedModels(): string {
  return YAML.stringify({
    models: kaitoPresets.map(preset => ({
      name: preset.name,
      type: 'text-generation',
      version: `https://huggingface.co/${preset.huggingFaceId}`,
      runtime: preset.runtimes.includes('transformers') ? 'tfs' : 'vllm',
      downloadAtRuntime: true,
      ...(preset.downloadAuthRequired ? { downloadAuthRequired: true } : {}),
      ...(preset.deprecated ? { deprecated: true } : {}),
      tag: '0.2.0',
    })),
  });
}

function configMap(name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: RELEASE_NAMESPACE,
      labels: {
        'app.kubernetes.io/name': 'workspace',
        'app.kubernetes.io/instance': 'kaito-workspace',
      },
    },
    data,
  };
}

function deployment(
  name: string,
  image: string,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: RELEASE_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name, image }], serviceAccountName: name },
      },
    },
  };
}

const READY_STATUS = {
  observedGeneration: 1,
  replicas: 1,
  updatedReplicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
  conditions: [
    {
      type: 'Available',
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    },
    {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet has successfully progressed.',
    },
  ],
};

export async function seedKaitoSystem(store: ObjectStore): Promise<void> {
  for (const cm of [
    configMap(DEFAULT_LORA_CONFIG, {
      'training_config.yaml': trainingConfig('lora'),
    }),
    configMap(DEFAULT_QLORA_CONFIG, {
      'training_config.yaml': trainingConfig('qlora'),
    }),
    configMap(DEFAULT_INFERENCE_CONFIG, {
      'inference_config.yaml': INFERENCE_CONFIG,
    }),
    configMap('kaito-supported-models', {
      'supported_models.yaml': supportedModels(),
    }),
  ]) {
    await createIfAbsent(store, cm);
  }
  for (const d of [
    deployment(
      'kaito-workspace',
      'mcr.microsoft.com/aks/kaito/workspace:0.12.0',
      {
        'app.kubernetes.io/name': 'workspace',
        'app.kubernetes.io/instance': 'kaito-workspace',
      },
    ),
    deployment(
      'gpu-provisioner',
      'mcr.microsoft.com/aks/kaito/gpu-provisioner:0.4.3',
      {
        'app.kubernetes.io/name': 'gpu-provisioner',
        'app.kubernetes.io/instance': 'gpu-provisioner',
      },
    ),
  ]) {
    const created = await createIfAbsent(store, d);
    await store.updateStatus({ ...created, status: READY_STATUS });
  }
}
