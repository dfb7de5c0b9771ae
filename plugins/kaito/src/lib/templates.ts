import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  WorkspaceDetail,
  getEntityKubernetesNamespace,
} from '@kaito-backstage/plugin-kaito-common';

/** Name of the golden-path template that fine-tunes a model. */
export const FINE_TUNE_TEMPLATE = 'fine-tune-model';
/** Name of the golden-path template that deploys an inference workspace. */
export const DEPLOY_INFERENCE_TEMPLATE = 'deploy-inference';

/**
 * Form data the tab prefills the templates with (`?formData=<json>`). The
 * templates' parameters must use these property names.
 */
export interface TemplateFormData {
  /** Owning entity ref, e.g. `component:default/support-chatbot`. */
  entityRef: string;
  /** Kubernetes namespace (the entity's kubernetes-namespace annotation). */
  namespace?: string;
  /** Cluster name, when known. */
  cluster?: string;
  /** deploy-inference from a tuning run: the base model preset. */
  preset?: string;
  /** deploy-inference from a tuning run: the adapter image to load. */
  adapterImage?: string;
  /** deploy-inference from a tuning run: the adapter's name. */
  adapterName?: string;
  /** deploy-inference from a tuning run: the tuning workspace. */
  sourceWorkspace?: string;
}

/** `/create/templates/default/<template>?formData=<json>`. */
export function templateUrl(
  template: string,
  formData: TemplateFormData,
  namespace = 'default',
): string {
  const data = Object.fromEntries(
    Object.entries(formData).filter(([, v]) => v !== undefined && v !== ''),
  );
  return `/create/templates/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(template)}?formData=${encodeURIComponent(
    JSON.stringify(data),
  )}`;
}

/** The prefill of the fine-tune and deploy templates for an entity. */
export function entityFormData(
  entity: Entity,
  cluster?: string,
): TemplateFormData {
  return {
    entityRef: stringifyEntityRef(entity),
    namespace: getEntityKubernetesNamespace(entity),
    cluster,
  };
}

/**
 * The deploy-inference prefill that serves a finished tuning run's adapter
 * on its base model; undefined when the run has no output image.
 */
export function serveModelFormData(
  workspace: WorkspaceDetail,
  entityRef: string,
): TemplateFormData | undefined {
  const image = workspace.tuning?.outputImage;
  if (!image) {
    return undefined;
  }
  return {
    entityRef,
    cluster: workspace.cluster,
    namespace: workspace.namespace,
    preset: workspace.preset,
    adapterImage: image,
    adapterName: workspace.name,
    sourceWorkspace: workspace.name,
  };
}
