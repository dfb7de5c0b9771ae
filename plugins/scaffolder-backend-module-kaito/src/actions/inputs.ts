import { Zod, requestFields } from '@kaito-backstage/plugin-kaito-common';

/*
 * Schema pieces that more than one kaito:* action has, each written once.
 * Fields that feed a REST request come from kaito-common's `requestFields`;
 * the rules behind them are kaito-common's validators, which each handler
 * runs before any call.
 */

/** The fields of a schema given as `{ field: z => schema }`, inferred. */
export type InferFields<T extends Record<string, (z: Zod) => unknown>> = {
  [K in keyof T]: T[K] extends (z: Zod) => infer S
    ? S extends { _output: infer O }
      ? O
      : never
    : never;
};

/**
 * An action's input fields as one strict object (an unknown input is an
 * error, never dropped): what its handler checks the input against. The
 * scaffolder turns the same fields into a JSON Schema with
 * `additionalProperties: false`.
 */
export function strictFields<T extends Record<string, (z: Zod) => any>>(
  fields: T,
) {
  return (z: Zod) =>
    z
      .object(
        Object.fromEntries(
          Object.entries(fields).map(([name, field]) => [name, field(z)]),
        ),
      )
      .strict();
}

/** Inputs naming an existing workspace (wait, delete). */
export const existingWorkspaceInputs = {
  cluster: requestFields.cluster,
  namespace: requestFields.namespace,
  name: (z: Zod) => z.string().describe('Workspace name'),
  entityRef: (z: Zod) =>
    requestFields
      .entityRef(z)
      .optional()
      .describe(
        'Owning entity; only needed for workspaces the suite did not create',
      ),
};

/** `timeoutMinutes`: how long a step waits. */
export const timeoutMinutesInput =
  (what: string, defaultMinutes: number) => (z: Zod) =>
    z
      .number()
      .optional()
      .describe(`How long to wait for ${what}; default ${defaultMinutes}`);

/** `pollIntervalSeconds`: the longest interval between two status checks. */
export const pollIntervalInput = (defaultSeconds: number) => (z: Zod) =>
  z
    .number()
    .optional()
    .describe(
      `Longest interval between status checks (at most 15); default ${defaultSeconds}`,
    );

/** Outputs naming the workspace a step worked on. */
export const workspaceOutputs = {
  cluster: (z: Zod) => z.string().describe('Cluster name'),
  namespace: (z: Zod) => z.string().describe('Workspace namespace'),
  name: (z: Zod) => z.string().describe('Workspace name'),
  kind: (z: Zod) =>
    z.enum(['tuning', 'inference']).describe('tuning or inference'),
};

/** Outputs linking to an inference workspace's model server. */
export const endpointOutputs = {
  endpoint: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Inference: in-cluster URL of the model server (OpenAI-compatible)',
      ),
  chatPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "Inference: the KAITO backend's chat completions path, relative to /api/kaito",
      ),
  chatUrl: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "Inference: absolute URL of the KAITO backend's chat completions proxy",
      ),
};

/** Outputs linking to the workspace in its entity's AI Workspaces tab. */
export const tabOutputs = {
  entityTabPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe("Path of the owning entity's AI Workspaces tab"),
  workspacePath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('Path of the workspace in the AI Workspaces tab'),
};
