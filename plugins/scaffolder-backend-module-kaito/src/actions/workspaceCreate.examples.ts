import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { supportChatbotWorkspace } from './exampleSteps';

/** Examples of `kaito:workspace:create`; each is run by `examples.test.ts`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Fine-tune phi-3-mini with QLoRA on a public dataset, pushing the adapter to a registry',
    example: `steps:
  - id: create-tuning
    name: Tuning workspace
    action: kaito:workspace:create
    input:
${supportChatbotWorkspace}
      labelSelector:
        kaito.backstage.io/gpu-pool: nc24adsa100
      tuning:
        preset: phi-3-mini-4k-instruct
        method: qlora
        input:
          urls:
            - https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet
        output:
          image: kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v2
          imagePushSecret: acr-push-secret`,
  },
  {
    description:
      "Serve phi-3-mini with the adapter a tuning run pushed (in a template, e.g. the wait step's " +
      "outputImage: ${{ steps['wait-tuning'].output.outputImage }})",
    example: `steps:
  - id: create-inference
    name: Inference workspace
    action: kaito:workspace:create
    input:
${supportChatbotWorkspace}
      inference:
        preset: phi-3-mini-4k-instruct
        adapters:
          - name: support-chatbot-v2
            image: kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v2`,
  },
  {
    description:
      'Fine-tune from a dataset on a PersistentVolumeClaim and write the adapter to another one',
    example: `steps:
  - id: create-tuning
    name: Tuning workspace
    action: kaito:workspace:create
    input:
      entityRef: component:default/code-assistant
      cluster: aks-kaito-dev
      namespace: ml-team
      name: code-assistant-qwen-lora
      instanceType: Standard_NC48ads_A100_v4
      tuning:
        preset: qwen2.5-coder-7b-instruct
        method: lora
        input:
          volume: monorepo-dataset
        output:
          volume: code-assistant-adapters`,
  },
];
