import type { KubeObject } from '../kube/api';

/**
 * The parts of a KAITO Workspace (`api/v1beta1/workspace_types.go`) the
 * simulator reads. v1alpha1 has the same shape. There is no `.spec`.
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface DataSource {
  name?: string;
  urls?: string[];
  image?: string;
  imagePullSecrets?: string[];
  volumeSource?: Record<string, unknown>;
}

export interface DataDestination {
  image?: string;
  imagePushSecret?: string;
  volumeSource?: Record<string, unknown>;
}

export interface PresetSpec {
  name?: string;
  accessMode?: string;
  presetOptions?: {
    modelAccessSecret?: string;
    image?: string;
    imagePullSecrets?: string[];
  };
}

export interface AdapterSpec {
  source?: DataSource;
  strength?: string;
}

export interface WorkspaceResource {
  instanceType?: string;
  labelSelector?: LabelSelector;
  count?: number;
  preferredNodes?: string[];
  partition?: { mode?: string; profile?: string; count?: number };
}

export interface InferenceSpec {
  preset?: PresetSpec;
  template?: Record<string, unknown>;
  config?: string;
  adapters?: AdapterSpec[];
}

export interface TuningSpec {
  preset?: PresetSpec;
  method?: string;
  config?: string;
  input?: DataSource;
  output?: DataDestination;
}

export interface MetaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface WorkspaceStatus {
  workerNodes?: string[];
  conditions?: MetaCondition[];
  state?: string;
  targetNodeCount?: number;
}

export interface Workspace extends KubeObject {
  resource?: WorkspaceResource;
  inference?: InferenceSpec;
  tuning?: TuningSpec;
  status?: WorkspaceStatus;
}

export function workspaceKey(ws: {
  metadata: { namespace?: string; name: string };
}) {
  return `${ws.metadata.namespace ?? ''}/${ws.metadata.name}`;
}

export function matchLabelsOf(ws: Workspace): Record<string, string> {
  return { ...(ws.resource?.labelSelector?.matchLabels ?? {}) };
}

export function runtimeOf(ws: Workspace): 'vllm' | 'transformers' {
  return ws.metadata.annotations?.['kaito.sh/runtime'] === 'transformers'
    ? 'transformers'
    : 'vllm';
}
