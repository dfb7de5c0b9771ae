import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  ANNOTATION_TEMPLATE_TASK_ID,
  KaitoAnnotations,
  LABEL_KUBERNETES_ID,
  LABEL_MANAGED_BY,
  LABEL_WORKSPACE_NODE,
  MANAGED_BY_VALUE,
} from './annotations';
import { findPreset } from './presets';
import {
  DataDestination,
  DataSource,
  PresetSpec,
  Workspace,
  WORKSPACE_API_VERSION,
  WORKSPACE_KIND,
} from './types';
import {
  assertValidCreateWorkspaceRequest,
  WorkspaceValidationOptions,
} from './validation/validateCreateWorkspaceRequest';
import { KaitoValidationError } from './validation/issues';
import { isLabelValue } from './validation/names';
import {
  AdapterRequest,
  CreateWorkspaceRequest,
  TuningInputRequest,
  TuningOutputRequest,
  WorkspaceVolumeRequest,
} from './validation/requests';

/**
 * Extra metadata for {@link buildWorkspaceManifest}.
 *
 * @public
 */
export interface BuildWorkspaceManifestOptions {
  /**
   * Value of the `backstage.io/kubernetes-id` label: the entity's
   * kubernetes-id annotation when it has one (see `getEntityKubernetesId`).
   * Defaults to the entity name from `entityRef`.
   */
  kubernetesId?: string;
  /** User entity ref of the creator (annotation). */
  createdBy?: string;
  /** Scaffolder task id (annotation). */
  taskId?: string;
  /** Validation context (node provisioning mode). */
  validation?: WorkspaceValidationOptions;
}

function volumeSource(volume: WorkspaceVolumeRequest) {
  const { claimName, readOnly } = volume.persistentVolumeClaim;
  return {
    persistentVolumeClaim: {
      claimName,
      ...(readOnly !== undefined ? { readOnly } : {}),
    },
  };
}

function presetSpec(name: string, modelAccessSecret?: string): PresetSpec {
  // Canonical name: the legacy short name where there is one, which every
  // KAITO version (including the AKS add-on) understands.
  const preset = findPreset(name)!;
  return {
    name: preset.name,
    ...(modelAccessSecret ? { presetOptions: { modelAccessSecret } } : {}),
  };
}

function imageSource(image: string, pullSecrets?: string[]) {
  return {
    image,
    ...(pullSecrets?.length ? { imagePullSecrets: [...pullSecrets] } : {}),
  };
}

function tuningInput(input: TuningInputRequest): DataSource {
  const named = input.name ? { name: input.name } : {};
  if (input.urls) return { ...named, urls: [...input.urls] };
  if (input.image)
    return { ...named, ...imageSource(input.image, input.imagePullSecrets) };
  return { ...named, volumeSource: volumeSource(input.volume!) };
}

function tuningOutput(output: TuningOutputRequest): DataDestination {
  if (output.image) {
    return { image: output.image, imagePushSecret: output.imagePushSecret };
  }
  return { volumeSource: volumeSource(output.volume!) };
}

function adapterSpec(adapter: AdapterRequest) {
  const source: DataSource = adapter.image
    ? {
        name: adapter.name,
        ...imageSource(adapter.image, adapter.imagePullSecrets),
      }
    : { name: adapter.name, volumeSource: volumeSource(adapter.volume!) };
  return {
    source,
    ...(adapter.strength !== undefined ? { strength: adapter.strength } : {}),
  };
}

/**
 * Builds the `kaito.sh/v1beta1` Workspace for a create request: validates
 * it (throwing `KaitoValidationError`), resolves the preset to its KAITO
 * name, and stamps the label `backstage.io/kubernetes-id=<entity name>`,
 * the managed-by label and the entity-ref annotation.
 *
 * @public
 */
export function buildWorkspaceManifest(
  request: CreateWorkspaceRequest,
  options: BuildWorkspaceManifestOptions = {},
): Workspace {
  assertValidCreateWorkspaceRequest(request, options.validation);
  const entityRef = parseEntityRef(request.entityRef);
  const kubernetesId = options.kubernetesId ?? entityRef.name;
  if (!isLabelValue(kubernetesId)) {
    throw new KaitoValidationError('workspace request', [
      {
        field: 'kubernetesId',
        rule: 'label.value-invalid',
        message: `kubernetesId: "${kubernetesId}" is not a valid label value [label.value-invalid]`,
      },
    ]);
  }

  const annotations: Record<string, string> = {
    [ANNOTATION_ENTITY_REF]: stringifyEntityRef(entityRef),
  };
  if (options.createdBy) annotations[ANNOTATION_CREATED_BY] = options.createdBy;
  if (options.taskId) annotations[ANNOTATION_TEMPLATE_TASK_ID] = options.taskId;
  if (request.inference?.runtime) {
    annotations[KaitoAnnotations.runtime] = request.inference.runtime;
  }

  const { instanceType, count, labelSelector } = request.resource;
  const matchLabels =
    labelSelector && Object.keys(labelSelector).length > 0
      ? { ...labelSelector }
      : { [LABEL_WORKSPACE_NODE]: request.name };

  const workspace: Workspace = {
    apiVersion: WORKSPACE_API_VERSION,
    kind: WORKSPACE_KIND,
    metadata: {
      name: request.name,
      namespace: request.namespace,
      labels: {
        [LABEL_KUBERNETES_ID]: kubernetesId,
        [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
      },
      annotations,
    },
    resource: {
      ...(instanceType ? { instanceType } : {}),
      ...(count !== undefined ? { count } : {}),
      labelSelector: { matchLabels },
    },
  };

  if (request.tuning) {
    const tuning = request.tuning;
    workspace.tuning = {
      preset: presetSpec(tuning.preset, tuning.modelAccessSecret),
      method: tuning.method.toLowerCase(),
      ...(tuning.config ? { config: tuning.config } : {}),
      input: tuningInput(tuning.input),
      output: tuningOutput(tuning.output),
    };
  } else if (request.inference) {
    const inference = request.inference;
    workspace.inference = {
      preset: presetSpec(inference.preset, inference.modelAccessSecret),
      ...(inference.config ? { config: inference.config } : {}),
      ...(inference.adapters?.length
        ? { adapters: inference.adapters.map(adapterSpec) }
        : {}),
    };
  }
  return workspace;
}
