import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  KAITO_LABEL_WORKSPACE,
  entityTabPath,
  getEntityKubernetesId,
  workspaceTabPath,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoRun,
  KaitoWorkspaceDetail,
  KaitoWorkspaceSummary,
  kaitoEntityName,
} from '@kaito-backstage/plugin-kaito-node';

/*
 * How KAITO workspaces become catalog entities: a tuned model (a tuning
 * run that succeeded) is a Resource of type `ai-model`; a served model (an
 * inference workspace) is a Resource of type `ai-endpoint`. Both belong to
 * the entity that started them and carry Kubernetes annotations that select
 * their one workspace, in Backstage's Kubernetes tab and the AI Workspaces tab.
 */

/** The Kubernetes plugin's cluster annotation (singleTenant service locator). */
const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';

/** Resource type of a tuned model. @public */
export const AI_MODEL_TYPE = 'ai-model';
/** Resource type of an inference endpoint. @public */
export const AI_ENDPOINT_TYPE = 'ai-endpoint';

/** Annotations the provider puts on the entities it publishes. @public */
export const KaitoEntityAnnotations = {
  cluster: 'kaito.backstage.io/cluster',
  namespace: 'kaito.backstage.io/namespace',
  workspace: 'kaito.backstage.io/workspace',
  entityRef: 'kaito.backstage.io/entity-ref',
  preset: 'kaito.backstage.io/preset',
  method: 'kaito.backstage.io/tuning-method',
  instanceType: 'kaito.backstage.io/instance-type',
  adapterImage: 'kaito.backstage.io/adapter-image',
  adapters: 'kaito.backstage.io/adapters',
  state: 'kaito.backstage.io/state',
  finishedAt: 'kaito.backstage.io/finished-at',
  endpoint: 'kaito.backstage.io/endpoint',
  chatPath: 'kaito.backstage.io/chat-path',
  /** Optional owner set on a workspace; wins over the owning entity's owner. */
  owner: 'kaito.backstage.io/owner',
} as const;

export { kaitoEntityName };

/** Where the links of the published entities point. @public */
export interface KaitoEntityOptions {
  /** The app's base URL (`app.baseUrl`); entity links must be absolute. */
  appBaseUrl?: string;
}

/** The owner's AI Workspaces tab, or a workspace (view) in it. */
function tabLink(
  owner: Entity,
  ref?: { cluster: string; namespace: string; name: string },
  view?: 'chat',
): string {
  const entity = getCompoundEntityRef(owner);
  return ref ? workspaceTabPath(entity, ref, view)! : entityTabPath(entity)!;
}

/** The annotations every entity of a workspace carries. */
function workspaceAnnotations(
  owner: Entity,
  ref: { cluster: string; namespace: string; name: string },
  fields: { preset?: string; instanceType?: string },
): Record<string, string | undefined> {
  const loc = location(ref);
  return {
    [ANNOTATION_LOCATION]: loc,
    [ANNOTATION_ORIGIN_LOCATION]: loc,
    ...kubernetesAnnotations(owner, ref),
    [KaitoEntityAnnotations.cluster]: ref.cluster,
    [KaitoEntityAnnotations.namespace]: ref.namespace,
    [KaitoEntityAnnotations.workspace]: ref.name,
    [KaitoEntityAnnotations.entityRef]: stringifyEntityRef(owner),
    [KaitoEntityAnnotations.preset]: fields.preset,
    [KaitoEntityAnnotations.instanceType]: fields.instanceType,
  };
}

/**
 * The Kubernetes annotations of an entity that stands for one workspace.
 * KAITO labels that workspace's Job, StatefulSet pods and tuning pods with
 * `kaito.sh/workspace=<name>` (and copies none of the Workspace's own
 * labels), so that label is what makes Backstage's Kubernetes tab find its
 * pods; the AI Workspaces tab selects the same workspace by it. The
 * kubernetes-id stays the owner's, so the suite labels anything created from
 * this page as the owner's.
 */
function kubernetesAnnotations(
  owner: Entity,
  ref: { cluster: string; namespace: string; name: string },
): Record<string, string> {
  return {
    [ANNOTATION_KUBERNETES_ID]: getEntityKubernetesId(owner),
    [ANNOTATION_KUBERNETES_LABEL_SELECTOR]: `${KAITO_LABEL_WORKSPACE}=${ref.name}`,
    [ANNOTATION_KUBERNETES_NAMESPACE]: ref.namespace,
    // Honoured by the Kubernetes plugin's singleTenant service locator.
    [ANNOTATION_KUBERNETES_CLUSTER]: ref.cluster,
  };
}

function ownerOf(owner: Entity, override?: string): string {
  if (override) return override;
  const specOwner = (owner.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof specOwner === 'string' && specOwner) return specOwner;
  return stringifyEntityRef(owner);
}

function systemOf(owner: Entity): Record<string, string> {
  const system = (owner.spec as { system?: unknown } | undefined)?.system;
  return typeof system === 'string' && system ? { system } : {};
}

function location(ref: { cluster: string; namespace: string; name: string }) {
  return `kaito:${ref.cluster}/${ref.namespace}/${ref.name}`;
}

function compact(
  record: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined && v !== ''),
  ) as Record<string, string>;
}

/** What the provider knows about a tuned model. @public */
export interface TunedModel {
  cluster: string;
  namespace: string;
  workspace: string;
  preset?: string;
  method?: string;
  instanceType?: string;
  outputImage?: string;
  finishedAt?: string;
  createdBy?: string;
  /** Whether the tuning workspace still exists. */
  live: boolean;
  /** Owner override from the workspace's `kaito.backstage.io/owner` annotation. */
  owner?: string;
}

/** What the provider knows about an inference endpoint. @public */
export interface InferenceEndpoint {
  cluster: string;
  namespace: string;
  workspace: string;
  preset?: string;
  instanceType?: string;
  state: string;
  serviceUrl?: string;
  chatPath?: string;
  adapters: Array<{ name?: string; image?: string }>;
  owner?: string;
}

/** The fields of an object that are set (not undefined, null or empty). */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== null && v !== '',
    ),
  ) as T;
}

/** What a tuned model and an endpoint take from a live workspace. */
function fromWorkspace(
  summary: KaitoWorkspaceSummary,
  detail: KaitoWorkspaceDetail | undefined,
) {
  return {
    cluster: summary.cluster,
    namespace: summary.namespace,
    workspace: summary.name,
    preset: summary.preset,
    instanceType: summary.instanceType,
    owner: detail?.annotations?.[KaitoEntityAnnotations.owner],
  };
}

/** A tuned model from a live tuning workspace that succeeded. @public */
export function tunedModelFromWorkspace(
  summary: KaitoWorkspaceSummary,
  detail?: KaitoWorkspaceDetail,
): TunedModel {
  return defined({
    ...fromWorkspace(summary, detail),
    method: summary.method,
    outputImage: detail?.tuning?.outputImage,
    finishedAt: summary.finishedAt,
    createdBy: summary.createdBy,
    live: true,
  });
}

/** A tuned model from the run history (its workspace may be gone). @public */
export function tunedModelFromRun(run: KaitoRun): TunedModel {
  return defined({
    cluster: run.cluster,
    namespace: run.namespace,
    workspace: run.workspace,
    preset: run.preset,
    method: run.tuningMethod,
    instanceType: run.instanceType,
    outputImage: run.outputImage,
    finishedAt: run.finishedAt,
    createdBy: run.createdBy,
    live: !run.deletedAt,
  });
}

/** An endpoint from a live inference workspace. @public */
export function endpointFromWorkspace(
  summary: KaitoWorkspaceSummary,
  detail?: KaitoWorkspaceDetail,
): InferenceEndpoint {
  return defined({
    ...fromWorkspace(summary, detail),
    state: summary.state,
    serviceUrl: summary.endpoint?.serviceUrl,
    chatPath: summary.endpoint?.chatPath,
    adapters: detail?.inference?.adapters ?? [],
  });
}

function absoluteLinks(
  options: KaitoEntityOptions,
  links: Array<{ url: string; title: string; icon: string }>,
) {
  const base = options.appBaseUrl?.replace(/\/+$/, '');
  if (!base) return {};
  return { links: links.map(l => ({ ...l, url: `${base}${l.url}` })) };
}

/** The workspace coordinates of a tuned model or an endpoint. */
function workspaceRefOf(w: {
  cluster: string;
  namespace: string;
  workspace: string;
}) {
  return { cluster: w.cluster, namespace: w.namespace, name: w.workspace };
}

/** The `ai-model` Resource of a tuned model. @public */
export function tunedModelEntity(
  owner: Entity,
  model: TunedModel,
  options: KaitoEntityOptions = {},
): Entity {
  const ref = workspaceRefOf(model);
  const ownerRef = stringifyEntityRef(owner);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: kaitoEntityName(ref),
      namespace: owner.metadata.namespace ?? 'default',
      title: `${model.preset ?? 'Model'} fine-tuned for ${
        owner.metadata.title ?? owner.metadata.name
      }`,
      description:
        `${model.method ? `${model.method.toUpperCase()} ` : ''}fine-tune of ${
          model.preset ?? 'a KAITO preset'
        } ` +
        `by tuning run ${model.namespace}/${model.workspace} on cluster ${model.cluster}` +
        `${model.finishedAt ? `, finished ${model.finishedAt}` : ''}.` +
        `${model.outputImage ? ` Adapter image: ${model.outputImage}.` : ''}` +
        `${
          model.live
            ? ''
            : ' The tuning workspace has been deleted; the adapter remains.'
        }`,
      annotations: compact({
        ...workspaceAnnotations(owner, ref, model),
        [KaitoEntityAnnotations.method]: model.method,
        [KaitoEntityAnnotations.adapterImage]: model.outputImage,
        [KaitoEntityAnnotations.finishedAt]: model.finishedAt,
        [KaitoEntityAnnotations.state]: model.live ? 'Succeeded' : 'Deleted',
      }),
      tags: [
        'kaito',
        'fine-tuned',
        ...(model.method ? [model.method.toLowerCase()] : []),
      ],
      ...absoluteLinks(options, [
        { url: tabLink(owner), title: 'AI Workspaces', icon: 'dashboard' },
        ...(model.live
          ? [
              {
                url: tabLink(owner, ref),
                title: 'Tuning run',
                icon: 'catalog',
              },
            ]
          : []),
      ]),
    },
    spec: {
      type: AI_MODEL_TYPE,
      owner: ownerOf(owner, model.owner),
      dependencyOf: [ownerRef],
      ...systemOf(owner),
    },
  };
}

/** The `ai-endpoint` Resource of an inference workspace. @public */
export function endpointEntity(
  owner: Entity,
  endpoint: InferenceEndpoint,
  models: Array<{ entityRef: string; outputImage?: string }> = [],
  options: KaitoEntityOptions = {},
): Entity {
  const ref = workspaceRefOf(endpoint);
  const ownerRef = stringifyEntityRef(owner);
  const adapterImages = new Set(
    endpoint.adapters.map(a => a.image?.split('@')[0]).filter(Boolean),
  );
  const servedModels = models
    .filter(
      m => m.outputImage && adapterImages.has(m.outputImage.split('@')[0]),
    )
    .map(m => m.entityRef);
  const adapters = endpoint.adapters
    .map(a => a.name ?? a.image)
    .filter(Boolean);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: kaitoEntityName(ref),
      namespace: owner.metadata.namespace ?? 'default',
      title: `${endpoint.preset ?? 'Model'} endpoint for ${
        owner.metadata.title ?? owner.metadata.name
      }`,
      description:
        `OpenAI-compatible endpoint serving ${
          endpoint.preset ?? 'a KAITO preset'
        }` +
        `${
          adapters.length ? ` with adapter(s) ${adapters.join(', ')}` : ''
        } from inference workspace ` +
        `${endpoint.namespace}/${endpoint.workspace} on cluster ${endpoint.cluster} (${endpoint.state}).`,
      annotations: compact({
        ...workspaceAnnotations(owner, ref, endpoint),
        [KaitoEntityAnnotations.adapters]: adapters.length
          ? adapters.join(',')
          : undefined,
        [KaitoEntityAnnotations.state]: endpoint.state,
        [KaitoEntityAnnotations.endpoint]: endpoint.serviceUrl,
        [KaitoEntityAnnotations.chatPath]: endpoint.chatPath,
      }),
      tags: ['kaito', 'inference'],
      ...absoluteLinks(options, [
        { url: tabLink(owner), title: 'AI Workspaces', icon: 'dashboard' },
        { url: tabLink(owner, ref), title: 'Endpoint', icon: 'web' },
        { url: tabLink(owner, ref, 'chat'), title: 'Chat', icon: 'chat' },
      ]),
    },
    spec: {
      type: AI_ENDPOINT_TYPE,
      owner: ownerOf(owner, endpoint.owner),
      dependencyOf: [ownerRef],
      ...(servedModels.length ? { dependsOn: servedModels } : {}),
      ...systemOf(owner),
    },
  };
}
