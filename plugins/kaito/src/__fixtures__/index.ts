import { Entity } from '@backstage/catalog-model';
import {
  GpuPoolView,
  KaitoPreset,
  RunView,
  SkuCatalog,
  WorkspaceDetail,
  WorkspaceSummary,
  kaitoPresets,
} from '@kaito-backstage/plugin-kaito-common';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'support-chatbot',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'support-chatbot',
      'backstage.io/kubernetes-namespace': 'ml-team',
    },
  },
  spec: { type: 'service', owner: 'ml-team', lifecycle: 'production' },
};

export const entityRef = 'component:default/support-chatbot';

let entityCount = 0;

/**
 * A copy of {@link entity} with a name of its own. usePermission caches
 * answers per permission and resource (SWR), so tests that deny entity
 * permissions use an entity no other test has asked about.
 */
export function uniqueEntity(): Entity {
  entityCount += 1;
  return {
    ...entity,
    metadata: { ...entity.metadata, name: `support-chatbot-${entityCount}` },
  };
}

export const entityWithoutAnnotations: Entity = {
  ...entity,
  metadata: { name: 'docs-search', namespace: 'default' },
};

export function tuningSummary(
  overrides: Partial<WorkspaceSummary> = {},
): WorkspaceSummary {
  return {
    cluster: 'dev',
    namespace: 'ml-team',
    name: 'tune-phi3',
    uid: 'uid-tune',
    type: 'tuning',
    preset: 'phi-3-mini-128k-instruct',
    method: 'qlora',
    instanceType: 'Standard_NC24ads_A100_v4',
    entityRef,
    state: 'Running',
    status: {
      kind: 'tuning',
      phase: 'Running',
      terminal: false,
      problem: false,
      conditionType: 'JobStarted',
      reason: 'WorkspaceTuningJobStatusStarted',
      workerNodes: ['aks-ws1-vmss000000'],
    },
    conditions: [],
    nodes: { target: 1, workers: ['aks-ws1-vmss000000'], ready: 1 },
    createdAt: '2026-11-23T10:00:00Z',
    ageSeconds: 5400,
    usage: {
      nodeCount: 1,
      hours: 1.5,
      gpuHours: 1.5,
      estimatedCostUsd: 5.51,
      usdPerHour: 3.673,
    },
    ...overrides,
  };
}

export function inferenceSummary(
  overrides: Partial<WorkspaceSummary> = {},
): WorkspaceSummary {
  return {
    cluster: 'dev',
    namespace: 'ml-team',
    name: 'serve-phi3',
    uid: 'uid-serve',
    type: 'inference',
    preset: 'phi-3-mini-128k-instruct',
    instanceType: 'Standard_NV36ads_A10_v5',
    entityRef,
    state: 'Ready',
    status: {
      kind: 'inference',
      phase: 'Ready',
      terminal: false,
      problem: false,
      conditionType: 'InferenceReady',
      reason: 'WorkspaceInferenceStatusSuccess',
      workerNodes: ['aks-ws2-vmss000000'],
    },
    conditions: [],
    nodes: { target: 1, workers: ['aks-ws2-vmss000000'], ready: 1 },
    createdAt: '2026-11-22T10:00:00Z',
    ageSeconds: 90000,
    usage: {
      nodeCount: 1,
      hours: 25,
      gpuHours: 25,
      estimatedCostUsd: 80,
      usdPerHour: 3.2,
    },
    endpoint: {
      serviceUrl: 'http://serve-phi3.ml-team.svc.cluster.local:80',
      chatPath:
        '/clusters/dev/namespaces/ml-team/workspaces/serve-phi3/chat/completions',
    },
    ...overrides,
  };
}

function detailOf(summary: WorkspaceSummary): WorkspaceDetail {
  return {
    ...summary,
    labels: { 'backstage.io/kubernetes-id': 'support-chatbot' },
    annotations: {},
    timeline: [],
    events: [],
    pods: [],
    nodeClaims: [],
    freshness: { cluster: summary.cluster, stale: false },
  };
}

export function runningTuningDetail(): WorkspaceDetail {
  return {
    ...detailOf(tuningSummary()),
    timeline: [
      {
        type: 'ResourceReady',
        status: 'True',
        reason: 'workspaceResourceStatusSuccess',
        message: 'workspace resource is ready',
        lastTransitionTime: '2026-11-23T10:05:00Z',
      },
      {
        type: 'JobStarted',
        status: 'True',
        reason: 'WorkspaceTuningJobStatusStarted',
        message: 'tuning job has started',
        lastTransitionTime: '2026-11-23T10:06:00Z',
      },
    ],
    events: [
      {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: 'Created pod: tune-phi3-x7k2p',
        lastTimestamp: '2026-11-23T10:06:00Z',
        object: { kind: 'Job', name: 'tune-phi3' },
      },
    ],
    pods: [
      {
        name: 'tune-phi3-x7k2p',
        phase: 'Running',
        nodeName: 'aks-ws1-vmss000000',
        ready: true,
        restarts: 0,
        startTime: '2026-11-23T10:06:00Z',
        containers: [
          { name: 'tune-phi3', ready: true, restartCount: 0, state: 'running' },
        ],
      },
    ],
    tuning: {
      method: 'qlora',
      input: { urls: ['https://example.com/tickets.parquet'] },
      output: {
        image: 'acr.io/support/phi3-adapter:v1',
        imagePushSecret: 'acr',
      },
      outputImage: 'acr.io/support/phi3-adapter:v1',
      progress: {
        step: 120,
        totalSteps: 400,
        epoch: 0.9,
        totalEpochs: 3,
        fraction: 0.3,
        loss: [
          { step: 10, loss: 2.1 },
          { step: 20, loss: 1.8 },
          { step: 30, loss: 1.5 },
        ],
        evalLoss: [],
      },
    },
  };
}

export function succeededTuningDetail(): WorkspaceDetail {
  const running = runningTuningDetail();
  return {
    ...running,
    state: 'Succeeded',
    status: { ...running.status, phase: 'Succeeded', terminal: true },
    finishedAt: '2026-11-23T12:00:00Z',
  };
}

export const QUOTA_MESSAGE =
  'Insufficient vcpu quota requested 24, remaining 0 for family standardNCADSA100v4Family for region eastus.';

export function quotaFailureDetail(): WorkspaceDetail {
  return {
    ...detailOf(
      tuningSummary({
        name: 'tune-blocked',
        state: 'Provisioning',
        status: {
          kind: 'tuning',
          phase: 'Provisioning',
          terminal: false,
          problem: true,
          conditionType: 'NodeClaimReady',
          reason: 'LaunchFailed',
          message: QUOTA_MESSAGE,
          workerNodes: [],
        },
        nodes: { workers: [], ready: 0 },
      }),
    ),
    timeline: [
      {
        type: 'NodeClaimReady',
        status: 'False',
        reason: 'LaunchFailed',
        message: QUOTA_MESSAGE,
        lastTransitionTime: '2026-11-23T10:01:00Z',
      },
      {
        type: 'ResourceReady',
        status: 'False',
        reason: 'workspaceResourceStatusNotReady',
        message: 'waiting for nodes',
        lastTransitionTime: '2026-11-23T10:01:00Z',
      },
    ],
    nodeClaims: [
      {
        name: 'ws1a2b3c4d5',
        instanceType: 'Standard_NC24ads_A100_v4',
        ready: 'False',
        reason: 'LaunchFailed',
        message: QUOTA_MESSAGE,
      },
    ],
    tuning: {
      method: 'qlora',
      outputImage: 'acr.io/support/phi3-adapter:v1',
      progressError: 'the tuning pod has not started yet',
    },
  };
}

export function readyInferenceDetail(): WorkspaceDetail {
  return {
    ...detailOf(inferenceSummary()),
    timeline: [
      {
        type: 'InferenceReady',
        status: 'True',
        reason: 'WorkspaceInferenceStatusSuccess',
        message: 'Inference has been deployed successfully',
        lastTransitionTime: '2026-11-22T10:20:00Z',
      },
    ],
    pods: [
      {
        name: 'serve-phi3-0',
        phase: 'Running',
        ready: true,
        restarts: 0,
        containers: [
          {
            name: 'serve-phi3',
            ready: true,
            restartCount: 0,
            state: 'running',
          },
        ],
      },
    ],
    inference: {
      runtime: 'vllm',
      adapters: [
        {
          name: 'tune-phi3',
          image: 'acr.io/support/phi3-adapter:v1',
          strength: '1.0',
        },
      ],
    },
  };
}

export const presets: KaitoPreset[] = [...kaitoPresets];

export function skuCatalog(): SkuCatalog {
  const catalog: SkuCatalog = {
    preset: 'phi-3-mini-128k-instruct',
    mode: 'tuning',
    method: 'qlora',
    cluster: 'dev',
    location: 'eastus',
    items: [
      {
        name: 'Standard_NV36ads_A10_v5',
        armVmSize: 'Standard_NV36ads_A10_v5',
        gpu: { vendor: 'nvidia', model: 'A10', count: 1, memoryGiB: 24 },
        vCPUs: 36,
        memoryGiB: 440,
        quotaFamily: 'StandardNVADSA10v5Family',
        price: { usdPerHour: 3.2, region: 'eastus', source: 's', asOf: '2024' },
        fit: { fits: true, nodeCount: 1, requiredGpuMemoryGiB: 20 },
        nodeCount: 1,
        usdPerHour: 3.2,
        quota: {
          family: 'StandardNVADSA10v5Family',
          limit: 0,
          used: 0,
          available: 0,
          needed: 36,
          sufficient: false,
        },
      },
      {
        name: 'Standard_NC24ads_A100_v4',
        armVmSize: 'Standard_NC24ads_A100_v4',
        gpu: { vendor: 'nvidia', model: 'A100', count: 1, memoryGiB: 80 },
        vCPUs: 24,
        memoryGiB: 220,
        quotaFamily: 'standardNCADSA100v4Family',
        price: {
          usdPerHour: 3.673,
          region: 'eastus',
          source: 's',
          asOf: '2024',
        },
        fit: { fits: true, nodeCount: 1, requiredGpuMemoryGiB: 20 },
        nodeCount: 1,
        usdPerHour: 3.673,
        quota: {
          family: 'standardNCADSA100v4Family',
          limit: 96,
          used: 24,
          available: 72,
          needed: 24,
          sufficient: true,
        },
      },
      {
        name: 'Standard_ND96isr_H200_v5',
        armVmSize: 'Standard_ND96isr_H200_v5',
        gpu: { vendor: 'nvidia', model: 'H200', count: 8, memoryGiB: 1128 },
        vCPUs: 96,
        memoryGiB: 1850,
        quotaFamily: 'standardNDISRH200V5Family',
        fit: {
          fits: false,
          reason: 'tuning runs on one GPU type only in this test',
        },
      },
    ],
  };
  catalog.recommendation = catalog.items[1];
  return catalog;
}

export function pools(): GpuPoolView[] {
  return [
    {
      cluster: 'dev',
      name: 'gpua100',
      vmSize: 'Standard_NC24ads_A100_v4',
      sku: 'Standard_NC24ads_A100_v4',
      gpu: { model: 'A100', count: 1, memoryGiB: 80 },
      count: 1,
      autoscaling: false,
      mode: 'User',
      spot: false,
      provisioningState: 'Succeeded',
      powerState: 'Running',
      nodeLabels: {},
      nodeTaints: ['sku=gpu:NoSchedule'],
      tags: {},
      managed: true,
      usedBy: [{ namespace: 'ml-team', name: 'tune-phi3' }],
      idle: false,
      usdPerHour: 3.673,
    },
    {
      cluster: 'dev',
      name: 'gpua10',
      vmSize: 'Standard_NV36ads_A10_v5',
      sku: 'Standard_NV36ads_A10_v5',
      gpu: { model: 'A10', count: 1, memoryGiB: 24 },
      count: 2,
      autoscaling: true,
      minCount: 0,
      maxCount: 3,
      mode: 'User',
      spot: true,
      provisioningState: 'Succeeded',
      powerState: 'Running',
      nodeLabels: {},
      nodeTaints: [],
      tags: {},
      managed: true,
      usedBy: [],
      idle: true,
      usdPerHour: 6.4,
    },
  ];
}

export function runs(): RunView[] {
  return [
    {
      id: 2,
      cluster: 'dev',
      namespace: 'ml-team',
      workspace: 'serve-phi3',
      entityRef,
      mode: 'inference',
      preset: 'phi-3-mini-128k-instruct',
      instanceType: 'Standard_NV36ads_A10_v5',
      nodeCount: 1,
      gpusPerNode: 1,
      usdPerNodeHour: 3.2,
      outcome: 'ready',
      createdAt: '2026-11-22T10:00:00Z',
      durationSeconds: 90000,
      gpuHours: 25,
      estimatedCostUsd: 80,
      active: true,
    },
    {
      id: 1,
      cluster: 'dev',
      namespace: 'ml-team',
      workspace: 'tune-old',
      entityRef,
      mode: 'tuning',
      preset: 'phi-3-mini-128k-instruct',
      tuningMethod: 'lora',
      instanceType: 'Standard_NC24ads_A100_v4',
      nodeCount: 1,
      gpusPerNode: 1,
      usdPerNodeHour: 3.673,
      outcome: 'succeeded',
      createdAt: '2026-11-20T10:00:00Z',
      finishedAt: '2026-11-20T12:00:00Z',
      deletedAt: '2026-11-21T12:00:00Z',
      durationSeconds: 7200,
      gpuHours: 2,
      estimatedCostUsd: 7.35,
      active: false,
    },
  ];
}
