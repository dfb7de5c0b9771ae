import {
  AdapterRequest,
  CreateWorkspaceRequest,
  InferenceRequest,
  IssueCollector,
  TuningRequest,
  WorkspaceVolumeRequest,
  Zod,
  requestFields,
  validateCreateWorkspaceRequest,
} from '@kaito-backstage/plugin-kaito-common';
import type { z as zod } from 'zod/v3';
import { normalizeEntityRef } from './entityRefs';
import { adapterNameFrom, defaultWorkspaceName } from './names';
import { compact } from './types';
import { checkEntityRef, throwIfInvalid, validationError } from './validation';

/*
 * The input of `kaito:workspace:create` and the `POST /workspaces` request
 * it becomes. Template forms pass optional fields as empty strings and
 * plain PVC names, so the input is looser than the request; the request is
 * validated with kaito-common's rules before any call.
 */

const volumeInput = (z: Zod) =>
  z
    .union([
      z.string(),
      z
        .object({
          persistentVolumeClaim: z
            .object({
              claimName: z.string().describe('PVC name'),
              readOnly: z.boolean().optional().describe('Mount read-only'),
            })
            .strict(),
        })
        .strict(),
    ])
    .optional();

const modelAccessSecretInput = (z: Zod) =>
  z.string().optional().describe('Secret with HF_TOKEN, for gated models');

/** The input schema of `kaito:workspace:create`. */
export const createInputSchema = (z: Zod) =>
  z
    .object({
      entityRef: requestFields
        .entityRef(z)
        .describe(
          'The owning catalog entity, e.g. component:default/support-chatbot',
        ),
      cluster: requestFields.cluster(z),
      namespace: requestFields
        .namespace(z)
        .describe(
          "Namespace (the entity's backstage.io/kubernetes-namespace, if it has one)",
        ),
      name: requestFields
        .workspaceName(z)
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
              volume: volumeInput(z).describe(
                'PVC holding the dataset: its claim name',
              ),
            })
            .strict()
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
              volume: volumeInput(z).describe(
                'PVC the adapter is written to: its claim name',
              ),
            })
            .strict()
            .describe('Output: image with imagePushSecret, or volume'),
          config: z
            .string()
            .optional()
            .describe(
              'ConfigMap with training_config.yaml overriding the defaults',
            ),
          modelAccessSecret: modelAccessSecretInput(z),
        })
        .strict()
        .optional()
        .describe('Fine-tuning; give exactly one of tuning or inference'),
      inference: z
        .object({
          preset: z.string().describe('Preset name, alias or Hugging Face ID'),
          runtime: z
            .string()
            .optional()
            .describe("vllm or transformers; the preset's default if unset"),
          adapters: z
            .array(
              z
                .object({
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
                  volume: volumeInput(z).describe(
                    'PVC holding the adapter: its claim name',
                  ),
                  strength: z
                    .string()
                    .optional()
                    .describe('"0" to "1"; default "1.0"'),
                })
                .strict(),
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
          modelAccessSecret: modelAccessSecretInput(z),
        })
        .strict()
        .optional()
        .describe('Serving; give exactly one of tuning or inference'),
      dryRun: z
        .boolean()
        .optional()
        .describe(
          "Only check: the backend runs every check of a create, the cluster's own dry run included, " +
            'and logs the manifest; nothing is created (a dry run of the whole task does the same)',
        ),
    })
    .strict();

/** The input of `kaito:workspace:create`, as its schema defines it. */
export type CreateInput = zod.infer<ReturnType<typeof createInputSchema>>;

type VolumeInput = zod.infer<ReturnType<typeof volumeInput>>;

function volume(value: VolumeInput): WorkspaceVolumeRequest | undefined {
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
  actionId: string,
  input: CreateInput,
  context: { taskId: string; stepId?: string },
): CreateWorkspaceRequest {
  const v = new IssueCollector();
  checkEntityRef(v, 'entityRef', input.entityRef, true);
  throwIfInvalid(actionId, v);
  const entityRef = normalizeEntityRef(input.entityRef);
  const kind = input.tuning ? 'tuning' : 'inference';
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
    throw validationError(actionId, found);
  }
  return request;
}

/** One line saying what the request creates. */
export function describeRequest(request: CreateWorkspaceRequest): string {
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
