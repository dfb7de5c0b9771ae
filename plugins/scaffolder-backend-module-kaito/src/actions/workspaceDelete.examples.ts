import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { createTuningStep } from './exampleSteps';

/** Examples of `kaito:workspace:delete`; each is run by `examples.test.ts`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Delete a workspace and wait until KAITO has released its GPU nodes',
    example: `steps:
  - id: delete-old
    name: Remove the previous endpoint
    action: kaito:workspace:delete
    input:
      cluster: aks-kaito-dev
      namespace: ml-team
      name: support-chatbot-serve-1a2b3c`,
  },
  {
    description: 'Delete without waiting (KAITO finishes in the background)',
    example: `steps:
${createTuningStep('kaitodemo.azurecr.io/adapters/support-chatbot:v4')}
  - id: delete-tuning
    name: Clean up the tuning workspace
    action: kaito:workspace:delete
    input:
      cluster: \${{ steps['create-tuning'].output.cluster }}
      namespace: \${{ steps['create-tuning'].output.namespace }}
      name: \${{ steps['create-tuning'].output.name }}
      wait: false`,
  },
];
