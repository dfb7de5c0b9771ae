import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { createTuningStep, supportChatbotWorkspace } from './exampleSteps';

/** Examples of `kaito:workspace:wait`; each is run by `examples.test.ts`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Wait for a fine-tuning run to succeed (up to 4 hours), then use the adapter image it pushed ' +
      "(${{ steps['wait-tuning'].output.outputImage }})",
    example: `steps:
${createTuningStep('kaitodemo.azurecr.io/adapters/support-chatbot:v3')}
  - id: wait-tuning
    name: Fine-tuning
    action: kaito:workspace:wait
    input:
      cluster: \${{ steps['create-tuning'].output.cluster }}
      namespace: \${{ steps['create-tuning'].output.namespace }}
      name: \${{ steps['create-tuning'].output.name }}
      timeoutMinutes: 240`,
  },
  {
    description:
      'Wait until an inference workspace serves (its InferenceReady condition is True)',
    example: `steps:
  - id: create-inference
    name: Inference workspace
    action: kaito:workspace:create
    input:
${supportChatbotWorkspace}
      name: support-chatbot-serve-1a2b3c
      inference:
        preset: phi-3-mini-4k-instruct
  - id: wait-inference
    name: Model server
    action: kaito:workspace:wait
    input:
      cluster: aks-kaito-dev
      namespace: ml-team
      name: support-chatbot-serve-1a2b3c
      condition: InferenceReady
      timeoutMinutes: 60`,
  },
];
