import { z } from 'zod/v3';
import { requestFields as fields } from '../requestFields';

/*
 * The request schemas of the suite: strict zod objects (an unknown field is
 * an error, never dropped) that say which fields exist and their types. The
 * rules about values (presets, SKUs, names, URLs, ...) are the semantic
 * checks of the validate* functions, which run on top of these.
 *
 * They are built with `zod/v3`, the zod the Backstage scaffolder injects into
 * `createTemplateAction` (and turns into JSON Schema), so the REST API, the
 * scaffolder actions and the frontend forms share one definition. Fields
 * the actions' inputs have too come from `requestFields`.
 */

const typeError = (message: string) => ({
  errorMap: () => ({ message }),
});

/**
 * `{ persistentVolumeClaim: { claimName, readOnly? } }`. Other volume kinds
 * are unknown fields; the semantic rule `volume.unsupported` adds why.
 *
 * @public
 */
export const workspaceVolumeSchema = z
  .object({
    persistentVolumeClaim: z
      .object({
        claimName: z.string().describe('PVC name'),
        readOnly: z.boolean().optional().describe('Mount read-only'),
      })
      .strict(),
  })
  .strict();

/** @public */
export const tuningInputSchema = z
  .object({
    name: z.string().optional().describe('Data source name'),
    urls: z
      .array(z.string())
      .optional()
      .describe('Public http(s) URLs of the dataset'),
    image: z
      .string()
      .optional()
      .describe('Image holding the dataset under /data'),
    imagePullSecrets: z
      .array(z.string())
      .optional()
      .describe('Pull secrets of image'),
    volume: workspaceVolumeSchema
      .optional()
      .describe('PVC holding the dataset'),
  })
  .strict();

/** @public */
export const tuningOutputSchema = z
  .object({
    image: z
      .string()
      .optional()
      .describe('Registry image the adapter is pushed to'),
    imagePushSecret: z
      .string()
      .optional()
      .describe('docker-registry Secret used to push image'),
    volume: workspaceVolumeSchema
      .optional()
      .describe('PVC the adapter is written to'),
  })
  .strict();

/** @public */
export const tuningRequestSchema = z
  .object({
    preset: z.string().describe('A preset KAITO can fine-tune'),
    method: z.string().describe('lora or qlora'),
    input: tuningInputSchema,
    output: tuningOutputSchema,
    config: z
      .string()
      .optional()
      .describe('ConfigMap with training_config.yaml'),
    modelAccessSecret: z.string().optional().describe('Secret with HF_TOKEN'),
  })
  .strict();

/** @public */
export const adapterRequestSchema = z
  .object({
    name: z.string().describe('Adapter name (DNS subdomain)'),
    image: z.string().optional().describe('Adapter image'),
    imagePullSecrets: z
      .array(z.string())
      .optional()
      .describe('Pull secrets of image'),
    volume: workspaceVolumeSchema
      .optional()
      .describe('PVC holding the adapter'),
    strength: z.string().optional().describe('"0" to "1"'),
    // Known so that its own rule (adapter.source.urls-not-allowed) explains
    // the refusal: KAITO loads adapters from images or volumes only.
    urls: z.unknown().optional(),
  })
  .strict();

/** @public */
export const inferenceRequestSchema = z
  .object({
    preset: z.string().describe('Preset name, alias or Hugging Face ID'),
    runtime: z.string().optional().describe('vllm or transformers'),
    adapters: z
      .array(adapterRequestSchema)
      .optional()
      .describe('Up to 10 LoRA adapters'),
    config: z
      .string()
      .optional()
      .describe('ConfigMap with inference_config.yaml'),
    modelAccessSecret: z.string().optional().describe('Secret with HF_TOKEN'),
  })
  .strict();

/** @public */
export const workspaceResourceRequestSchema = z
  .object({
    instanceType: z
      .string()
      .optional()
      .describe('GPU SKU from the KAITO table'),
    count: z.number().optional().describe('Deprecated KAITO node count'),
    labelSelector: z
      .record(z.string())
      .optional()
      .describe('Node labels (matchLabels)'),
  })
  .strict();

/**
 * Body of `POST /workspaces`.
 *
 * @public
 */
export const createWorkspaceRequestSchema = z
  .object({
    entityRef: fields.entityRef(z),
    cluster: fields.cluster(z),
    namespace: fields.namespace(z),
    name: fields.workspaceName(z),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        'Run every check, including the cluster’s own dry run, without creating',
      ),
    resource: workspaceResourceRequestSchema,
    tuning: tuningRequestSchema.optional(),
    inference: inferenceRequestSchema.optional(),
  })
  .strict();

const gpuPoolRequestShape = {
  cluster: fields.cluster(z),
  name: z.string().describe('AKS pool name'),
  vmSize: fields.vmSize(z),
  count: fields.poolCount(z).optional(),
  minCount: fields.minCount(z).optional(),
  maxCount: fields.maxCount(z).optional(),
  spot: fields.spot(z).optional(),
  spotMaxPrice: fields.spotMaxPrice(z).optional(),
  nodeLabels: fields.nodeLabels(z).optional(),
  entityRef: fields.entityRef(z).optional(),
  workspace: fields.poolWorkspace(z).optional(),
};

/**
 * Body of `POST /clusters/:cluster/gpu-pools`.
 *
 * @public
 */
export const createGpuPoolRequestSchema = z
  .object(gpuPoolRequestShape)
  .strict();

/**
 * Body of `POST /clusters/:cluster/gpu-pools/ensure`: the create body with
 * an optional name.
 *
 * @public
 */
export const ensureGpuPoolRequestSchema = z
  .object({
    ...gpuPoolRequestShape,
    name: gpuPoolRequestShape.name.optional(),
    dryRun: z
      .boolean()
      .optional()
      .describe('Run every check, the quota included, without writing'),
  })
  .strict();

/**
 * Body of `PATCH /clusters/:cluster/gpu-pools/:pool`.
 *
 * @public
 */
export const updateGpuPoolRequestSchema = z
  .object({
    count: gpuPoolRequestShape.count,
    minCount: gpuPoolRequestShape.minCount,
    maxCount: gpuPoolRequestShape.maxCount,
  })
  .strict();

const penalty = z.number().min(-2).max(2).optional();

/**
 * Body of `POST .../workspaces/:name/chat/completions`: the OpenAI chat
 * completion fields KAITO's model servers (vLLM, transformers) honour. Any
 * other field is refused.
 *
 * @public
 */
export const chatCompletionRequestSchema = z
  .object({
    model: z.string().optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'user', 'assistant']),
            content: z.string(),
            name: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    stream: z.boolean().optional(),
    stream_options: z
      .object({ include_usage: z.boolean().optional() })
      .strict()
      .optional(),
    max_tokens: z.number().int().min(1).optional(),
    max_completion_tokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    n: z.number().int().min(1).max(4).optional(),
    stop: z
      .union(
        [z.string(), z.array(z.string()).max(4)],
        typeError('must be a string or a list of at most 4 strings'),
      )
      .optional(),
    presence_penalty: penalty,
    frequency_penalty: penalty,
    seed: z.number().int().optional(),
    user: z.string().optional(),
  })
  .strict();

/** A query parameter: present at most once, as a plain string. */
const param = () =>
  z.string(typeError('must be given once, as a plain string')).optional();

const query = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

/**
 * The query parameters each route of kaito-backend accepts (all optional at
 * this level; routes say which they require). Any other parameter is refused.
 *
 * @public
 */
export const kaitoQuerySchemas = {
  /** Routes without query parameters. */
  none: query({}),
  /** `GET /workspaces`. */
  listWorkspaces: query({ entityRef: param() }),
  /** Workspace detail, delete and chat. */
  workspace: query({ entityRef: param() }),
  /** `GET .../logs`. */
  logs: query({
    entityRef: param(),
    follow: param(),
    tailLines: param(),
    pod: param(),
    container: param(),
  }),
  /** `DELETE /clusters/:cluster/gpu-pools/:pool`. */
  deleteGpuPool: query({ force: param() }),
  /** `GET /catalog/skus`. */
  skus: query({
    preset: param(),
    mode: param(),
    method: param(),
    cluster: param(),
  }),
  /** `GET /runs`. */
  runs: query({ entityRef: param(), limit: param() }),
};
