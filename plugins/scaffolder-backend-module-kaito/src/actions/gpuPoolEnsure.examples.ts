import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { phi3TuningInput, supportChatbotWorkspace } from './exampleSteps';

/** Examples of `kaito:gpu-pool:ensure`; each is run by `examples.test.ts`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Find or create the A100 pool for a fine-tuning run (defaults: the pool is named after the SKU, ' +
      'autoscales between 0 and 1 node and starts with 1)',
    example: `steps:
  - id: ensure-pool
    name: GPU pool
    action: kaito:gpu-pool:ensure
    input:
      cluster: aks-kaito-dev
      vmSize: Standard_NC24ads_A100_v4
      entityRef: component:default/support-chatbot
  - id: create-tuning
    name: Tuning workspace
    action: kaito:workspace:create
    input:
      entityRef: component:default/support-chatbot
      cluster: \${{ steps['ensure-pool'].output.cluster }}
      namespace: ml-team
      instanceType: \${{ steps['ensure-pool'].output.instanceType }}
      labelSelector: \${{ steps['ensure-pool'].output.nodeLabels }}
${phi3TuningInput('kaitodemo.azurecr.io/adapters/support-chatbot:v1')}`,
  },
  {
    description:
      'A named Spot pool of up to two H100 nodes (scaled to zero when idle) with an extra node label',
    example: `steps:
  - id: ensure-pool
    name: GPU pool
    action: kaito:gpu-pool:ensure
    input:
      cluster: aks-kaito-dev
      vmSize: Standard_NC40ads_H100_v5
      poolName: h100spot
      minCount: 0
      maxCount: 2
      spot: true
      spotMaxPrice: -1
      nodeLabels:
        team: ml-team`,
  },
  {
    description:
      'Check first, create nothing: the backend says whether it would use a pool or create one (permission, SKU ' +
      'and vCPU quota checked), and the workspace request is dry-run by the cluster, before a later step creates both',
    example: `steps:
  - id: check-pool
    name: Check the GPU pool
    action: kaito:gpu-pool:ensure
    input:
      cluster: aks-kaito-dev
      vmSize: Standard_NC24ads_A100_v4
      dryRun: true
  - id: check-workspace
    name: Check the workspace
    action: kaito:workspace:create
    input:
${supportChatbotWorkspace}
      labelSelector: \${{ steps['check-pool'].output.nodeLabels }}
${phi3TuningInput('kaitodemo.azurecr.io/adapters/support-chatbot:v1')}
      dryRun: true`,
  },
];
