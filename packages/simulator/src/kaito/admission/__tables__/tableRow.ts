/**
 * One row of our port of KAITO v0.12.0's validation tables: the Go test and
 * case it comes from, the simulator set up as that test sets KAITO up, the
 * Workspace a client sends (create or update), and what the API server
 * answers, worded as KAITO and the API server word it.
 *
 * KAITO's tables call single Go functions (`ResourceSpec.validateCreateWithInference`...);
 * a row sends the whole Workspace through the API server, so the CRD
 * schema, the API server's own checks and every other webhook rule apply
 * too. Where that changes the Go case's verdict, the row says why (`note`).
 */
import type { NodeProvisioner } from '../../constants';
import type { GfdNode } from './preconditions';

export type GoSource =
  | 'api/v1beta1/workspace_validation_test.go'
  | 'api/v1alpha1/workspace_validation_test.go'
  | 'test/e2e/webhook_test.go';

/** KAITO's flags and package state a Go test sets before its cases run. */
export interface TableSetup {
  nodeProvisioner: NodeProvisioner;
  featureGates?: Record<string, boolean>;
  /** The Go tests' package variable `totalSafeTensorFileSize`, read by the `test-validation` model. */
  testValidationSize?: string;
}

export interface RowContext {
  /** The simulated AKS system node (BYO selectors that match every node find it). */
  systemNode: string;
}

export type Outcome =
  | { admitted: true }
  | { code: number; reason: string; message: string };

export interface TableRow {
  source: GoSource;
  /** The Go test function, e.g. `TestResourceSpecValidateCreate`. */
  goTest: string;
  /** The case's `name` in the Go table. */
  goCase: string;
  setup: TableSetup;
  version?: 'v1beta1' | 'v1alpha1';
  /** Nodes in the cluster for this row (BYO cases). */
  nodes?: GfdNode[];
  /**
   * For an UPDATE: the stored object. `restore` stores it without admission,
   * for objects the Go test builds that today's create rules refuse (as if
   * an earlier KAITO had admitted them).
   */
  before?: { workspace: WorkspaceBody; restore?: boolean };
  /** What the client sends (its name is the row's object name). */
  workspace: WorkspaceBody;
  expect: Outcome | ((ctx: RowContext) => Outcome);
  /** Why the HTTP answer differs from the Go case's verdict, or how the case was adapted. */
  note?: string;
}

export interface WorkspaceBody {
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  [field: string]: unknown;
}

const PREFIX =
  'admission webhook "validation.workspace.kaito.sh" denied the request: validation failed: ';

export const ADMITTED: Outcome = { admitted: true };

/** A denial by KAITO's webhook (knative FieldError lines, merged and sorted). */
export const denied = (...lines: string[]): Outcome => ({
  code: 400,
  reason: 'BadRequest',
  message: PREFIX + lines.join('\n'),
});

/** A 422 from the API server's own validation (ObjectMeta, CRD schema), before any webhook. */
export const schemaInvalid = (name: string, ...causes: string[]): Outcome => ({
  code: 422,
  reason: 'Invalid',
  message: `Workspace.kaito.sh "${name}" is invalid: ${
    causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`
  }`,
});

/** KAITO's webhook crashed (a Go nil dereference): the API server's call failed. */
export const webhookCrash = (releaseNamespace = 'kube-system'): Outcome => ({
  code: 500,
  reason: 'InternalError',
  message: `Internal error occurred: failed calling webhook "validation.workspace.kaito.sh": failed to call webhook: Post "https://kaito-workspace-svc.${releaseNamespace}.svc:9443/validate/workspace.kaito.sh?timeout=10s": EOF`,
});

/** KAITO v0.12's Azure SKU table (`pkg/sku/azure_sku_handler.go`), as the simulator sorts it (Go's map order is random). */
export const SUPPORTED_SKUS =
  '[Standard_NC24ads_A100_v4 Standard_NC40ads_H100_v5 Standard_NC48ads_A100_v4 Standard_NC80adis_H100_v5 Standard_NC96ads_A100_v4 Standard_NCC40ads_H100_v5 Standard_ND96amsr_A100_v4 Standard_ND96asr_A100_v4 Standard_ND96isr_H100_v5 Standard_ND96isr_H200_v5 Standard_NG32adms_V620_v1 Standard_NG32ads_V620_v1 Standard_NV36ads_A10_v5 Standard_NV72ads_A10_v5]';

export const DNS1123_LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export const DNS1123_SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

export const NAP = { nodeProvisioner: 'azure-gpu-provisioner' } as const;
export const BYO = { nodeProvisioner: 'byo' } as const;

const A10 = 'Standard_NV36ads_A10_v5';

/** A Workspace body: `resource`, `inference`/`tuning` at the top level as KAITO has them. */
export function workspace(
  name: string,
  fields: Record<string, unknown>,
  meta: Partial<WorkspaceBody['metadata']> = {},
): WorkspaceBody {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace: 'kaito', ...meta },
    ...fields,
  };
}

/** `resource` with the labelSelector the CRD requires (the Go cases often have none). */
export const resource = (
  name: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> => ({
  labelSelector: { matchLabels: { apps: name } },
  ...fields,
});

export const napResource = (name: string, fields: Record<string, unknown> = {}) =>
  resource(name, { instanceType: A10, count: 1, ...fields });

export const preset = (name: string, options?: Record<string, unknown>) => ({
  preset: { name, ...(options ? { presetOptions: options } : {}) },
});

export const TRANSFORMERS = { 'kaito.sh/runtime': 'transformers' };

/** A valid tuning spec of KAITO's tables (image in, image out). */
export const tuning = (fields: Record<string, unknown> = {}) => ({
  input: { name: 'valid-input', image: 'kaito.azurecr.io/test:0.0.0' },
  output: { image: 'kaito.azurecr.io/test:0.0.0', imagePushSecret: 'secret' },
  preset: { name: 'test-validation' },
  method: 'lora',
  ...fields,
});
