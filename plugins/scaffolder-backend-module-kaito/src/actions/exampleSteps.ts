/*
 * Template YAML the examples of several kaito:* actions share (each
 * example is still one plain string; see the `*.examples.ts` files).
 */

/** Where the examples' workspaces go: the support chatbot's namespace on the dev cluster, on an A100. */
export const supportChatbotWorkspace = `      entityRef: component:default/support-chatbot
      cluster: aks-kaito-dev
      namespace: ml-team
      instanceType: Standard_NC24ads_A100_v4`;

/** The `tuning` input of a phi-3-mini QLoRA run on a public dataset, pushing the adapter to `image`. */
export function phi3TuningInput(image: string): string {
  return `      tuning:
        preset: phi-3-mini-4k-instruct
        method: qlora
        input:
          urls: [https://example.com/dataset.jsonl]
        output:
          image: ${image}
          imagePushSecret: acr-push-secret`;
}

/** A `create-tuning` step for the support chatbot, pushing the adapter to `image`. */
export function createTuningStep(image: string): string {
  return `  - id: create-tuning
    name: Tuning workspace
    action: kaito:workspace:create
    input:
${supportChatbotWorkspace}
${phi3TuningInput(image)}`;
}
