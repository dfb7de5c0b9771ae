import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  ANNOTATION_TEMPLATE_TASK_ID,
  AdapterRequest,
  CreateWorkspaceRequest,
  InferenceRequest,
  KaitoValidationError,
  TuningRequest,
  WorkspaceVolumeRequest,
  buildWorkspaceManifest,
  findPreset,
  validateCreateWorkspaceRequest,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoRequestOptions,
  KaitoWorkspaceDetail,
  KaitoWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-node';
import {
  KaitoActionOptions,
  chatPathOf,
  chatUrlOf,
  serviceUrlOf,
} from './types';
import {
  Issues,
  adapterNameFrom,
  checkEntityRef,
  compact,
  defaultWorkspaceName,
  entityTabPath,
  normalizeEntityRef,
  parseEntityRefParts,
  throwIfCancelled,
  validationError,
  workspaceTabPath,
} from './util';

/** @public */
export const WORKSPACE_CREATE_ACTION_ID = 'kaito:workspace:create';

const examples = [
  {
    description:
      'Fine-tune phi-3-mini with QLoRA on a public dataset, pushing the adapter to a registry',
    example: `steps:
  - id: create-tuning
    name: Tuning workspace
    action: kaito:workspace:create
    input:
      entityRef: component:default/support-chatbot
      cluster: aks-kaito-dev
      namespace: ml-team
      instanceType: Standard_NC24ads_A100_v4
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
      "Serve phi-3-mini with the adapter a tuning run pushed (e.g. the wait step's outputImage)",
    example: `steps:
  - id: create-inference
    name: Inference workspace
    action: kaito:workspace:create
    input:
      entityRef: component:default/support-chatbot
      cluster: aks-kaito-dev
      namespace: ml-team
      instanceType: Standard_NC24ads_A100_v4
      inference:
        preset: phi-3-mini-4k-instruct
        adapters:
          - name: support-chatbot-v2
            image: \${{ steps['wait-tuning'].output.outputImage }}`,
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

/** PVC claim name or `{ persistentVolumeClaim: { claimName } }` (templates pass plain names). */
type VolumeInput = string | WorkspaceVolumeRequest;

interface CreateInput {
  entityRef: string;
  cluster: string;
  namespace: string;
  name?: string;
  instanceType?: string;
  labelSelector?: Record<string, string>;
  count?: number;
  tuning?: {
    preset: string;
    method: string;
    input: {
      name?: string;
      urls?: string[] | string;
      image?: string;
      imagePullSecrets?: string[];
      volume?: VolumeInput;
    };
    output: { image?: string; imagePushSecret?: string; volume?: VolumeInput };
    config?: string;
    modelAccessSecret?: string;
  };
  inference?: {
    preset: string;
    runtime?: string;
    adapters?: Array<{
      name?: string;
      image?: string;
      imagePullSecrets?: string[];
      volume?: VolumeInput;
      strength?: string;
    }>;
    config?: string;
    modelAccessSecret?: string;
  };
}

function volume(
  value: VolumeInput | undefined,
): WorkspaceVolumeRequest | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    return { persistentVolumeClaim: { claimName: value } };
  }
  return value;
}

function urls(value: string[] | string | undefined): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const list = (Array.isArray(value) ? value : [value]).filter(u => u !== '');
  return list.length > 0 ? list : undefined;
}

function nonEmptyList(value: string[] | undefined): string[] | undefined {
  const list = value?.filter(v => v !== '');
  return list && list.length > 0 ? list : undefined;
}

function tuningRequest(t: NonNullable<CreateInput['tuning']>): TuningRequest {
  return compact({
    preset: t.preset,
    method: typeof t.method === 'string' ? t.method.toLowerCase() : t.method,
    input: compact({
      name: t.input?.name,
      urls: urls(t.input?.urls),
      image: t.input?.image,
      imagePullSecrets: nonEmptyList(t.input?.imagePullSecrets),
      volume: volume(t.input?.volume),
    }),
    output: compact({
      image: t.output?.image,
      imagePushSecret: t.output?.image ? t.output?.imagePushSecret : undefined,
      volume: volume(t.output?.volume),
    }),
    config: t.config,
    modelAccessSecret: t.modelAccessSecret,
  }) as TuningRequest;
}

function inferenceRequest(
  i: NonNullable<CreateInput['inference']>,
): InferenceRequest {
  const adapters: AdapterRequest[] = (i.adapters ?? [])
    .map(a => {
      const vol = volume(a.volume);
      const source = a.image || vol?.persistentVolumeClaim.claimName;
      return compact({
        name: a.name || (source ? adapterNameFrom(source) : undefined),
        image: a.image,
        imagePullSecrets: nonEmptyList(a.imagePullSecrets),
        volume: vol,
        strength: a.strength,
      }) as AdapterRequest;
    })
    // A template's optional adapter left empty.
    .filter(a => a.name || a.image || a.volume);
  return compact({
    preset: i.preset,
    runtime: i.runtime as InferenceRequest['runtime'],
    adapters: adapters.length > 0 ? adapters : undefined,
    config: i.config,
    modelAccessSecret: i.modelAccessSecret,
  }) as InferenceRequest;
}

/** The request the action sends; validated with kaito-common before any call. */
export function buildCreateRequest(
  input: CreateInput,
  context: { taskId: string; stepId?: string },
): CreateWorkspaceRequest {
  const issues = new Issues();
  checkEntityRef(issues, 'entityRef', input.entityRef, true);
  issues.throwIfAny(WORKSPACE_CREATE_ACTION_ID);
  const entityRef = normalizeEntityRef(input.entityRef);
  const hasTuning = Boolean(input.tuning);
  const kind = hasTuning ? 'tuning' : 'inference';
  const request: CreateWorkspaceRequest = compact({
    entityRef,
    cluster: input.cluster,
    namespace: input.namespace,
    name:
      input.name ||
      defaultWorkspaceName({
        entityRef,
        kind,
        taskId: context.taskId,
        stepId: context.stepId,
      }),
    resource: compact({
      instanceType: input.instanceType,
      count: input.count,
      labelSelector:
        input.labelSelector && Object.keys(input.labelSelector).length > 0
          ? input.labelSelector
          : undefined,
    }),
    tuning: input.tuning ? tuningRequest(input.tuning) : undefined,
    inference: input.inference ? inferenceRequest(input.inference) : undefined,
  }) as CreateWorkspaceRequest;
  const found = validateCreateWorkspaceRequest(request);
  if (found.length > 0) {
    throw validationError(WORKSPACE_CREATE_ACTION_ID, found);
  }
  return request;
}

function describeRequest(request: CreateWorkspaceRequest): string {
  const where = `${request.namespace}/${request.name} on cluster "${request.cluster}"`;
  const sku = request.resource.instanceType
    ? ` on ${request.resource.instanceType}`
    : '';
  if (request.tuning) {
    const t = request.tuning;
    let from = `volume ${t.input.volume?.persistentVolumeClaim.claimName}`;
    if (t.input.urls) from = `${t.input.urls.length} dataset URL(s)`;
    else if (t.input.image) from = `image ${t.input.image}`;
    const to = t.output.image
      ? `image ${t.output.image}`
      : `volume ${t.output.volume?.persistentVolumeClaim.claimName}`;
    return `tuning workspace ${where}: ${t.method} fine-tuning of ${t.preset}${sku}, data from ${from}, adapter to ${to}`;
  }
  const i = request.inference!;
  const adapters = i.adapters?.length
    ? ` with adapter(s) ${i.adapters
        .map(
          a =>
            `${a.name} (${
              a.image ?? a.volume?.persistentVolumeClaim.claimName
            })`,
        )
        .join(', ')}`
    : '';
  return `inference workspace ${where}: ${i.preset}${sku}${adapters}`;
}

/**
 * `kaito:workspace:create`: creates a KAITO tuning or inference workspace
 * for a catalog entity, through the KAITO backend as the initiating user.
 *
 * @public
 */
export function createWorkspaceCreateAction(options: KaitoActionOptions) {
  const { kaito } = options;
  return createTemplateAction({
    id: WORKSPACE_CREATE_ACTION_ID,
    description:
      'Creates a KAITO Workspace that fine-tunes (tuning) or serves (inference) a preset model for a catalog ' +
      'entity, through the KAITO backend as the initiating user (permissions and audit apply). The request is ' +
      "validated with the suite's rules before any call. Without a name, the workspace is named after the " +
      'entity, the mode and the task, so a retried task finds the workspace it created.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z => {
        const volumeInput = z
          .union([
            z.string(),
            z.object({
              persistentVolumeClaim: z.object({
                claimName: z.string().describe('PVC name'),
                readOnly: z.boolean().optional().describe('Mount read-only'),
              }),
            }),
          ])
          .optional();
        return z.object({
          entityRef: z
            .string()
            .describe(
              'The owning catalog entity, e.g. component:default/support-chatbot',
            ),
          cluster: z
            .string()
            .describe(
              'Cluster name from kubernetes.clusterLocatorMethods, e.g. aks-kaito-dev',
            ),
          namespace: z
            .string()
            .describe(
              "Namespace (the entity's backstage.io/kubernetes-namespace, if it has one)",
            ),
          name: z
            .string()
            .optional()
            .describe(
              'Workspace name (DNS-1123 label). Default: <entity>-tune-<hash> or <entity>-serve-<hash>, stable per task and step',
            ),
          instanceType: z
            .string()
            .optional()
            .describe(
              'GPU SKU (KAITO spelling), e.g. Standard_NC24ads_A100_v4; required when KAITO provisions nodes',
            ),
          labelSelector: z
            .record(z.string())
            .optional()
            .describe(
              "Node labels the workspace runs on (e.g. kaito:gpu-pool:ensure's nodeLabels); default kaito.backstage.io/workspace=<name>",
            ),
          count: z
            .number()
            .int()
            .optional()
            .describe('Deprecated KAITO node count; at most 1 for tuning'),
          tuning: z
            .object({
              preset: z
                .string()
                .describe(
                  'A preset KAITO can fine-tune, e.g. phi-3-mini-4k-instruct',
                ),
              method: z.string().describe('qlora or lora'),
              input: z
                .object({
                  name: z.string().optional().describe('Data source name'),
                  urls: z
                    .union([z.array(z.string()), z.string()])
                    .optional()
                    .describe('Public http(s) URL(s) of the dataset'),
                  image: z
                    .string()
                    .optional()
                    .describe('Image holding the dataset under /data'),
                  imagePullSecrets: z
                    .array(z.string())
                    .optional()
                    .describe('Pull secrets of the dataset image'),
                  volume: volumeInput.describe(
                    'PVC holding the dataset: its claim name',
                  ),
                })
                .describe('Dataset: exactly one of urls, image or volume'),
              output: z
                .object({
                  image: z
                    .string()
                    .optional()
                    .describe('Registry image the adapter is pushed to'),
                  imagePushSecret: z
                    .string()
                    .optional()
                    .describe('docker-registry Secret used to push image'),
                  volume: volumeInput.describe(
                    'PVC the adapter is written to: its claim name',
                  ),
                })
                .describe('Output: image with imagePushSecret, or volume'),
              config: z
                .string()
                .optional()
                .describe(
                  'ConfigMap with training_config.yaml overriding the defaults',
                ),
              modelAccessSecret: z
                .string()
                .optional()
                .describe('Secret with HF_TOKEN, for gated models'),
            })
            .optional()
            .describe('Fine-tuning; give exactly one of tuning or inference'),
          inference: z
            .object({
              preset: z
                .string()
                .describe('Preset name, alias or Hugging Face ID'),
              runtime: z
                .string()
                .optional()
                .describe(
                  "vllm or transformers; the preset's default if unset",
                ),
              adapters: z
                .array(
                  z.object({
                    name: z
                      .string()
                      .optional()
                      .describe(
                        'Adapter name (DNS subdomain); default derived from the image',
                      ),
                    image: z
                      .string()
                      .optional()
                      .describe('Adapter image (files under /data)'),
                    imagePullSecrets: z
                      .array(z.string())
                      .optional()
                      .describe('Pull secrets of the adapter image'),
                    volume: volumeInput.describe(
                      'PVC holding the adapter: its claim name',
                    ),
                    strength: z
                      .string()
                      .optional()
                      .describe('"0" to "1"; default "1.0"'),
                  }),
                )
                .optional()
                .describe(
                  'LoRA adapters to load (up to 10), e.g. the image a tuning run pushed',
                ),
              config: z
                .string()
                .optional()
                .describe(
                  'ConfigMap with inference_config.yaml overriding the defaults',
                ),
              modelAccessSecret: z
                .string()
                .optional()
                .describe('Secret with HF_TOKEN, for gated models'),
            })
            .optional()
            .describe('Serving; give exactly one of tuning or inference'),
        });
      },
      output: z =>
        z.object({
          cluster: z.string().describe('Cluster name'),
          namespace: z.string().describe('Workspace namespace'),
          name: z.string().describe('Workspace name'),
          kind: z.enum(['tuning', 'inference']).describe('tuning or inference'),
          entityRef: z.string().describe('The owning entity'),
          preset: z.string().describe('Preset name as KAITO knows it'),
          instanceType: z.string().optional().describe('GPU SKU'),
          created: z
            .boolean()
            .describe(
              'True when this run created it; false when a retried run found it',
            ),
          endpoint: z
            .string()
            .optional()
            .describe(
              'Inference: in-cluster URL of the model server (OpenAI-compatible)',
            ),
          chatPath: z
            .string()
            .optional()
            .describe(
              "Inference: the KAITO backend's chat completions path, relative to /api/kaito",
            ),
          chatUrl: z
            .string()
            .optional()
            .describe(
              "Inference: absolute URL of the KAITO backend's chat completions proxy",
            ),
          entityTabPath: z
            .string()
            .describe("Path of the owning entity's AI Workspaces tab"),
          workspacePath: z
            .string()
            .describe('Path of the workspace in the AI Workspaces tab'),
        }),
    },
    async handler(ctx) {
      const input = ctx.input as CreateInput;
      const request = buildCreateRequest(input, {
        taskId: ctx.task.id,
        stepId: ctx.step?.id,
      });
      const kind = request.tuning ? 'tuning' : 'inference';
      const ref: KaitoWorkspaceRef = {
        cluster: request.cluster,
        namespace: request.namespace,
        name: request.name,
        entityRef: request.entityRef,
      };

      const emit = async (created: boolean, preset: string) => {
        ctx.output('cluster', request.cluster);
        ctx.output('namespace', request.namespace);
        ctx.output('name', request.name);
        ctx.output('kind', kind);
        ctx.output('entityRef', request.entityRef);
        ctx.output('preset', preset);
        if (request.resource.instanceType) {
          ctx.output('instanceType', request.resource.instanceType);
        }
        ctx.output('created', created);
        if (kind === 'inference') {
          const chatPath = chatPathOf(ref);
          ctx.output('endpoint', serviceUrlOf(ref));
          ctx.output('chatPath', chatPath);
          const chatUrl = await chatUrlOf(options, chatPath);
          if (chatUrl) ctx.output('chatUrl', chatUrl);
        }
        ctx.output('entityTabPath', entityTabPath(request.entityRef)!);
        ctx.output('workspacePath', workspaceTabPath(request.entityRef, ref)!);
      };

      const preset =
        findPreset((request.tuning ?? request.inference)!.preset)?.name ??
        (request.tuning ?? request.inference)!.preset;

      if (ctx.isDryRun) {
        let manifest: unknown;
        try {
          manifest = buildWorkspaceManifest(request, {
            kubernetesId: parseEntityRefParts(request.entityRef)?.name,
            taskId: ctx.task.id,
          });
        } catch (error) {
          if (error instanceof KaitoValidationError) {
            throw validationError(WORKSPACE_CREATE_ACTION_ID, error.issues);
          }
          throw error;
        }
        ctx.logger.info(
          `Dry run: would create the ${describeRequest(
            request,
          )}. No call was made. Manifest: ${JSON.stringify(manifest)}`,
        );
        await emit(true, preset);
        return;
      }

      throwIfCancelled(
        ctx.signal,
        `preparing to create workspace ${request.namespace}/${request.name}; nothing was created`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      // Calls that change something run to completion once sent; only
      // waiting is cut short by a cancelled task.
      const opts: KaitoRequestOptions = { credentials };

      const result = await ctx.checkpoint({
        key: `create-workspace-${request.cluster}-${request.namespace}-${request.name}`,
        fn: async () => {
          const existing = await kaito.getWorkspace(ref, opts);
          if (existing) {
            const found = adopt(existing, ctx.task.id, request);
            ctx.logger.info(
              `Found ${kind} workspace ${request.namespace}/${request.name} on cluster "${request.cluster}", ` +
                `created earlier by this task (${existing.state}); using it instead of creating another`,
            );
            return { created: false, preset: found };
          }
          ctx.logger.info(`Creating the ${describeRequest(request)}`);
          try {
            const created = await kaito.createWorkspace(request, {
              ...opts,
              taskId: ctx.task.id,
            });
            return {
              created: true,
              preset:
                created.manifest.tuning?.preset?.name ??
                created.manifest.inference?.preset?.name ??
                preset,
            };
          } catch (error) {
            // Created concurrently by this task (e.g. a timed-out call that landed).
            if (error instanceof ConflictError) {
              const raced = await kaito.getWorkspace(ref, opts);
              if (raced) {
                return {
                  created: false,
                  preset: adopt(raced, ctx.task.id, request),
                };
              }
            }
            throw error;
          }
        },
      });
      if (result.created) {
        ctx.logger.info(
          `Created ${kind} workspace ${request.namespace}/${request.name} on cluster "${request.cluster}" ` +
            `for ${request.entityRef}`,
        );
      }
      await emit(result.created, result.preset);
    },
  });

  /**
   * Uses a workspace that already exists when this task created it (a
   * retried or recovered run); anything else is a conflict.
   */
  function adopt(
    existing: KaitoWorkspaceDetail,
    taskId: string,
    request: CreateWorkspaceRequest,
  ): string {
    const where = `${request.namespace}/${request.name} on cluster "${request.cluster}"`;
    const kind = request.tuning ? 'tuning' : 'inference';
    const owner = existing.annotations?.[ANNOTATION_ENTITY_REF];
    const task = existing.annotations?.[ANNOTATION_TEMPLATE_TASK_ID];
    if (task !== taskId || existing.type !== kind) {
      const by = existing.annotations?.[ANNOTATION_CREATED_BY];
      throw new ConflictError(
        `name: workspace ${where} already exists (${existing.type}, ${existing.state}` +
          `${owner ? `, for ${owner}` : ''}${by ? `, created by ${by}` : ''}${
            task ? ` in task ${task}` : ''
          }); choose another name or delete it first [workspace.exists]`,
      );
    }
    return existing.preset ?? (request.tuning ?? request.inference)!.preset;
  }
}
