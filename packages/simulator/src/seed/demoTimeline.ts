import type { DemoRun } from './demoRun';

/**
 * The demo team's last quarter with the suite, as data: every workspace the
 * team created (with the template's names, labels and annotations), when,
 * and what became of it. Times are relative to now, so the history is always
 * fresh. The seed plays it on the cluster (`playTimeline`), so every run's
 * timestamps, durations, GPU-hours and failures come from the simulated
 * KAITO, not from this file.
 */

export const DEMO_NAMESPACE = 'ml-team';
const DOCS_NAMESPACE = 'docs-search';
const ADA = 'user:default/ada';
const GUEST = 'user:default/guest';
const GRACE = 'user:default/grace';

const A100 = 'Standard_NC24ads_A100_v4';
const A10 = 'Standard_NV36ads_A10_v5';
const H100 = 'Standard_NC40ads_H100_v5';

const DOLLY =
  'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet?download=true';
const TICKETS = (month: string) =>
  `https://kaitodemo.blob.core.windows.net/datasets/support-tickets-${month}.parquet`;
const MONOREPO = (snapshot: string) =>
  `https://kaitodemo.blob.core.windows.net/datasets/monorepo-completions-${snapshot}.parquet`;
const HANDBOOK =
  'https://kaitodemo.blob.core.windows.net/datasets/handbook-qa.parquet';

/** The adapter today's support-chatbot endpoint serves. */
export const SUPPORT_ADAPTER =
  'kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v1';
const adapter = (repo: string, tag: string) =>
  `kaitodemo.azurecr.io/adapters/${repo}:${tag}`;

function tuning(
  preset: string,
  method: 'lora' | 'qlora',
  dataset: string,
  image: string,
  epochs?: number,
): NonNullable<DemoRun['tuning']> {
  return {
    preset: { name: preset },
    method,
    input: { urls: [dataset] },
    output: { image, imagePushSecret: 'acr-push-secret' },
    ...(epochs ? { epochs } : {}),
  };
}

function serving(
  preset: string,
  adapters: { name: string; image: string }[] = [],
): NonNullable<DemoRun['inference']> {
  return {
    preset: { name: preset },
    ...(adapters.length
      ? {
          // No strength: KAITO refuses one with vLLM, the default runtime.
          adapters: adapters.map(a => ({
            source: { name: a.name, image: a.image },
          })),
        }
      : {}),
  };
}

const on = (instanceType: string, app: string) => ({
  instanceType,
  labelSelector: { matchLabels: { apps: app } },
});

/** Oldest first. */
export const DEMO_TIMELINE: DemoRun[] = [
  // support-chatbot: phi-3 tuned on support tickets, served since week 2.
  {
    name: 'support-chatbot-tune-q7m2x',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 86, hours: 3 },
    resource: on(A100, 'support-chatbot-tune-q7m2x'),
    tuning: tuning(
      'phi-3-mini-128k-instruct',
      'qlora',
      DOLLY,
      adapter('support-chatbot-phi-3', 'v0.1'),
    ),
    end: { deleteHoursAfterFinish: 20 },
  },
  {
    name: 'support-chatbot-tune-b4k9p',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 82, hours: 6 },
    resource: on(A100, 'support-chatbot-tune-b4k9p'),
    tuning: tuning(
      'phi-3-mini-128k-instruct',
      'qlora',
      TICKETS('2026-08'),
      adapter('support-chatbot-phi-3', 'v0.2'),
      5,
    ),
    end: { deleteHoursAfterFinish: 26 },
  },
  {
    name: 'support-chatbot-serve-h2r6w',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 80, hours: 22 },
    resource: on(A100, 'support-chatbot-serve-h2r6w'),
    inference: serving('phi-3-mini-128k-instruct', [
      {
        name: 'support-chatbot-tune-b4k9p',
        image: adapter('support-chatbot-phi-3', 'v0.2'),
      },
    ]),
    end: { deleted: { days: 61, hours: 4 } },
  },
  // A cheaper GPU for a bf16 LoRA run: the Trainer runs out of GPU memory.
  {
    name: 'support-chatbot-tune-t8v3c',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: GUEST,
    created: { days: 64, hours: 5 },
    resource: on(A10, 'support-chatbot-tune-t8v3c'),
    tuning: tuning(
      'phi-3-mini-128k-instruct',
      'lora',
      TICKETS('2026-09'),
      adapter('support-chatbot-phi-3', 'v0.3'),
    ),
    end: { deleteHoursAfterFinish: 2 },
  },
  {
    name: 'support-chatbot-tune-n5d8j',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: GUEST,
    created: { days: 63, hours: 22 },
    resource: on(A100, 'support-chatbot-tune-n5d8j'),
    tuning: tuning(
      'phi-3-mini-128k-instruct',
      'lora',
      TICKETS('2026-09'),
      adapter('support-chatbot-phi-3', 'v0.3'),
      8,
    ),
    end: { deleteHoursAfterFinish: 30 },
  },
  {
    name: 'support-chatbot-serve-m9c4e',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 61, hours: 6 },
    resource: on(A100, 'support-chatbot-serve-m9c4e'),
    inference: serving('phi-3-mini-128k-instruct', [
      {
        name: 'support-chatbot-tune-n5d8j',
        image: adapter('support-chatbot-phi-3', 'v0.3'),
      },
    ]),
    end: { deleted: { days: 6, hours: 1 } },
  },
  // code-assistant: qwen2.5-coder on the monorepo.
  {
    name: 'code-assistant-tune-r2w7f',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 57, hours: 2 },
    resource: on(A100, 'code-assistant-tune-r2w7f'),
    tuning: tuning(
      'qwen2.5-coder-7b-instruct',
      'qlora',
      MONOREPO('2026-10-01'),
      adapter('code-assistant-qwen', 'v0.1'),
      4,
    ),
    end: { deleteHoursAfterFinish: 22 },
  },
  {
    name: 'code-assistant-serve-k6p3z',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 56, hours: 1 },
    resource: on(A100, 'code-assistant-serve-k6p3z'),
    inference: serving('qwen2.5-coder-7b-instruct', [
      {
        name: 'code-assistant-tune-r2w7f',
        image: adapter('code-assistant-qwen', 'v0.1'),
      },
    ]),
    end: { deleted: { days: 2, hours: 3 } },
  },
  // docs-search: the platform team tried a small model on the handbook.
  {
    name: 'docs-search-tune-f3h8s',
    entity: 'docs-search',
    namespace: DOCS_NAMESPACE,
    createdBy: GRACE,
    created: { days: 49, hours: 4 },
    resource: on(A100, 'docs-search-tune-f3h8s'),
    tuning: tuning(
      'phi-3.5-mini-instruct',
      'qlora',
      HANDBOOK,
      adapter('docs-search-phi-3.5', 'v0.1'),
    ),
    end: { deleteHoursAfterFinish: 3 },
  },
  {
    name: 'docs-search-serve-w5n2a',
    entity: 'docs-search',
    namespace: DOCS_NAMESPACE,
    createdBy: GRACE,
    created: { days: 48, hours: 23 },
    resource: on(A100, 'docs-search-serve-w5n2a'),
    inference: serving('phi-3.5-mini-instruct', [
      {
        name: 'docs-search-tune-f3h8s',
        image: adapter('docs-search-phi-3.5', 'v0.1'),
      },
    ]),
    end: { deleted: { days: 39, hours: 5 } },
  },
  {
    name: 'code-assistant-tune-g1b5u',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 45, hours: 9 },
    resource: on(A100, 'code-assistant-tune-g1b5u'),
    tuning: tuning(
      'qwen2.5-coder-7b-instruct',
      'qlora',
      MONOREPO('2026-10-15'),
      adapter('code-assistant-qwen', 'v0.1.1'),
      3,
    ),
    end: { deleteHoursAfterFinish: 6 },
  },
  // Started on last month's snapshot by mistake: cancelled.
  {
    name: 'code-assistant-tune-c9x4m',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: GUEST,
    created: { days: 34, hours: 7 },
    resource: on(A100, 'code-assistant-tune-c9x4m'),
    tuning: tuning(
      'qwen2.5-coder-7b-instruct',
      'lora',
      MONOREPO('2026-10-01'),
      adapter('code-assistant-qwen', 'v0.2'),
      6,
    ),
    end: { cancelAfterMinutes: 35 },
  },
  {
    name: 'code-assistant-tune-j7e2q',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: GUEST,
    created: { days: 34, hours: 6 },
    resource: on(A100, 'code-assistant-tune-j7e2q'),
    tuning: tuning(
      'qwen2.5-coder-7b-instruct',
      'lora',
      MONOREPO('2026-11-01'),
      adapter('code-assistant-qwen', 'v0.2'),
      6,
    ),
    end: { deleteHoursAfterFinish: 40 },
  },
  {
    name: 'support-chatbot-tune-a6z1y',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 27, hours: 3 },
    resource: on(A100, 'support-chatbot-tune-a6z1y'),
    tuning: tuning(
      'phi-3-mini-128k-instruct',
      'qlora',
      TICKETS('2026-10'),
      adapter('support-chatbot-phi-3', 'v0.4'),
      2,
    ),
    end: { deleteHoursAfterFinish: 5 },
  },
  {
    name: 'docs-search-tune-v8l5d',
    entity: 'docs-search',
    namespace: DOCS_NAMESPACE,
    createdBy: GRACE,
    created: { days: 19, hours: 2 },
    resource: on(A100, 'docs-search-tune-v8l5d'),
    tuning: tuning(
      'phi-3.5-mini-instruct',
      'qlora',
      HANDBOOK,
      adapter('docs-search-phi-3.5', 'v0.2'),
      6,
    ),
    end: { deleteHoursAfterFinish: 12 },
  },
  {
    name: 'code-assistant-tune-p4s6t',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 11, hours: 8 },
    resource: on(A100, 'code-assistant-tune-p4s6t'),
    tuning: tuning(
      'qwen2.5-coder-7b-instruct',
      'qlora',
      MONOREPO('2026-11-15'),
      adapter('code-assistant-qwen', 'v0.3'),
      10,
    ),
    end: { deleteHoursAfterFinish: 48 },
  },
  // Today's workspaces: the run behind the endpoint, and the endpoint.
  {
    name: 'support-chatbot-tuning',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 6, hours: 5 },
    resource: on(A100, 'support-chatbot-tuning'),
    tuning: tuning('phi-3-mini-128k-instruct', 'qlora', DOLLY, SUPPORT_ADAPTER),
    end: { keep: true },
  },
  {
    name: 'support-chatbot',
    entity: 'support-chatbot',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { days: 6, hours: 2 },
    resource: on(A100, 'support-chatbot'),
    inference: serving('phi-3-mini-128k-instruct', [
      { name: 'support-chatbot-phi-3', image: SUPPORT_ADAPTER },
    ]),
    end: { keep: true },
  },
  // Moving to an H100 for latency: stuck on the H100 family's quota.
  {
    name: 'code-assistant',
    entity: 'code-assistant',
    namespace: DEMO_NAMESPACE,
    createdBy: ADA,
    created: { minutes: 25 },
    resource: on(H100, 'code-assistant'),
    inference: serving('qwen2.5-coder-7b-instruct'),
    end: { keep: true },
  },
];

/** The namespaces the timeline uses. */
export const DEMO_NAMESPACES = [DEMO_NAMESPACE, DOCS_NAMESPACE];
