import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  KAITO_LABEL_WORKSPACE,
  getEntityKubernetesId,
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

function tabPath(owner: Entity): string {
  const ns = owner.metadata.namespace ?? 'default';
  return `/catalog/${encodeURIComponent(ns)}/${encodeURIComponent(
    owner.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(owner.metadata.name)}/kaito`;
}

function workspaceLink(
  owner: Entity,
  ref: { cluster: string; namespace: string; name: string },
  view?: 'chat',
): string {
  const ws = encodeURIComponent(
    [ref.cluster, ref.namespace, ref.name].join('/'),
  );
  return `${tabPath(owner)}?workspace=${ws}${view ? `&view=${view}` : ''}`;
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

/** A tuned model from a live tuning workspace that succeeded. @public */
export function tunedModelFromWorkspace(
  summary: KaitoWorkspaceSummary,
  detail?: KaitoWorkspaceDetail,
): TunedModel {
  return {
    cluster: summary.cluster,
    namespace: summary.namespace,
    workspace: summary.name,
    ...(summary.preset ? { preset: summary.preset } : {}),
    ...(summary.method ? { method: summary.method } : {}),
    ...(summary.instanceType ? { instanceType: summary.instanceType } : {}),
    ...(detail?.tuning?.outputImage
      ? { outputImage: detail.tuning.outputImage }
      : {}),
    ...(summary.finishedAt ? { finishedAt: summary.finishedAt } : {}),
    ...(summary.createdBy ? { createdBy: summary.createdBy } : {}),
    ...(detail?.annotations?.[KaitoEntityAnnotations.owner]
      ? { owner: detail.annotations[KaitoEntityAnnotations.owner] }
      : {}),
    live: true,
  };
}

/** A tuned model from the run history (its workspace may be gone). @public */
export function tunedModelFromRun(run: KaitoRun): TunedModel {
  return {
    cluster: run.cluster,
    namespace: run.namespace,
    workspace: run.workspace,
    ...(run.preset ? { preset: run.preset } : {}),
    ...(run.tuningMethod ? { method: run.tuningMethod } : {}),
    ...(run.instanceType ? { instanceType: run.instanceType } : {}),
    ...(run.outputImage ? { outputImage: run.outputImage } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.createdBy ? { createdBy: run.createdBy } : {}),
    live: !run.deletedAt,
  };
}

/** An endpoint from a live inference workspace. @public */
export function endpointFromWorkspace(
  summary: KaitoWorkspaceSummary,
  detail?: KaitoWorkspaceDetail,
): InferenceEndpoint {
  return {
    cluster: summary.cluster,
    namespace: summary.namespace,
    workspace: summary.name,
    ...(summary.preset ? { preset: summary.preset } : {}),
    ...(summary.instanceType ? { instanceType: summary.instanceType } : {}),
    state: summary.state,
    ...(summary.endpoint?.serviceUrl
      ? { serviceUrl: summary.endpoint.serviceUrl }
      : {}),
    ...(summary.endpoint?.chatPath
      ? { chatPath: summary.endpoint.chatPath }
      : {}),
    adapters: detail?.inference?.adapters ?? [],
    ...(detail?.annotations?.[KaitoEntityAnnotations.owner]
      ? { owner: detail.annotations[KaitoEntityAnnotations.owner] }
      : {}),
  };
}

function absoluteLinks(
  options: KaitoEntityOptions,
  links: Array<{ url: string; title: string; icon: string }>,
) {
  const base = options.appBaseUrl?.replace(/\/+$/, '');
  if (!base) return {};
  return { links: links.map(l => ({ ...l, url: `${base}${l.url}` })) };
}

/** The `ai-model` Resource of a tuned model. @public */
export function tunedModelEntity(
  owner: Entity,
  model: TunedModel,
  options: KaitoEntityOptions = {},
): Entity {
  const ref = {
    cluster: model.cluster,
    namespace: model.namespace,
    name: model.workspace,
  };
  const ownerRef = stringifyEntityRef(owner);
  const loc = location(ref);
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
        [ANNOTATION_LOCATION]: loc,
        [ANNOTATION_ORIGIN_LOCATION]: loc,
        ...kubernetesAnnotations(owner, ref),
        [KaitoEntityAnnotations.cluster]: model.cluster,
        [KaitoEntityAnnotations.namespace]: model.namespace,
        [KaitoEntityAnnotations.workspace]: model.workspace,
        [KaitoEntityAnnotations.entityRef]: ownerRef,
        [KaitoEntityAnnotations.preset]: model.preset,
        [KaitoEntityAnnotations.method]: model.method,
        [KaitoEntityAnnotations.instanceType]: model.instanceType,
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
        { url: tabPath(owner), title: 'AI Workspaces', icon: 'dashboard' },
        ...(model.live
          ? [
              {
                url: workspaceLink(owner, ref),
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
  const ref = {
    cluster: endpoint.cluster,
    namespace: endpoint.namespace,
    name: endpoint.workspace,
  };
  const ownerRef = stringifyEntityRef(owner);
  const loc = location(ref);
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
        [ANNOTATION_LOCATION]: loc,
        [ANNOTATION_ORIGIN_LOCATION]: loc,
        ...kubernetesAnnotations(owner, ref),
        [KaitoEntityAnnotations.cluster]: endpoint.cluster,
        [KaitoEntityAnnotations.namespace]: endpoint.namespace,
        [KaitoEntityAnnotations.workspace]: endpoint.workspace,
        [KaitoEntityAnnotations.entityRef]: ownerRef,
        [KaitoEntityAnnotations.preset]: endpoint.preset,
        [KaitoEntityAnnotations.instanceType]: endpoint.instanceType,
        [KaitoEntityAnnotations.adapters]: adapters.length
          ? adapters.join(',')
          : undefined,
        [KaitoEntityAnnotations.state]: endpoint.state,
        [KaitoEntityAnnotations.endpoint]: endpoint.serviceUrl,
        [KaitoEntityAnnotations.chatPath]: endpoint.chatPath,
      }),
      tags: ['kaito', 'inference'],
      ...absoluteLinks(options, [
        { url: tabPath(owner), title: 'AI Workspaces', icon: 'dashboard' },
        { url: workspaceLink(owner, ref), title: 'Endpoint', icon: 'web' },
        { url: workspaceLink(owner, ref, 'chat'), title: 'Chat', icon: 'chat' },
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
