import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateWorkspaceResponse,
  Zod,
  entityTabPath,
  findPreset,
  workspaceEndpoint,
  workspaceTabPath,
} from '@kaito-backstage/plugin-kaito-common';
import {
  buildCreateRequest,
  createInputSchema,
  describeRequest,
} from './createRequest';
import { endpointOutputs, tabOutputs, workspaceOutputs } from './inputs';
import { KaitoActionOptions, chatUrlOf } from './types';
import { examples } from './workspaceCreate.examples';
import { checkInputShape } from './validation';
import { throwIfCancelled } from './waiting';

/** @public */
export const WORKSPACE_CREATE_ACTION_ID = 'kaito:workspace:create';

const outputSchema = (z: Zod) =>
  z.object({
    cluster: workspaceOutputs.cluster(z),
    namespace: workspaceOutputs.namespace(z),
    name: workspaceOutputs.name(z),
    kind: workspaceOutputs.kind(z),
    entityRef: z.string().describe('The owning entity'),
    preset: z.string().describe('Preset name as KAITO knows it'),
    instanceType: z.string().optional().describe('GPU SKU'),
    created: z
      .boolean()
      .describe(
        'True when this run created it; false when a retried run found it',
      ),
    endpoint: endpointOutputs.endpoint(z),
    chatPath: endpointOutputs.chatPath(z),
    chatUrl: endpointOutputs.chatUrl(z),
    entityTabPath: tabOutputs.entityTabPath(z),
    workspacePath: tabOutputs.workspacePath(z),
  });

/** What a step keeps of the backend's answer (its checkpoint value). */
type Created = {
  created: boolean;
  preset: string;
  endpoint?: { serviceUrl: string; chatPath: string };
};

function createdFrom(
  response: CreateWorkspaceResponse,
  cluster: string,
  requestedPreset: string,
): Created {
  const { manifest } = response;
  const endpoint =
    response.workspace?.endpoint ?? workspaceEndpoint(cluster, manifest);
  return {
    created: response.created !== false,
    preset:
      manifest.tuning?.preset?.name ??
      manifest.inference?.preset?.name ??
      requestedPreset,
    ...(endpoint ? { endpoint } : {}),
  };
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
      "validated with the suite's rules before any call; a dry run asks the backend for the manifest. Without a " +
      'name, the workspace is named after the entity, the mode and the task, so a retried task finds the ' +
      'workspace it created.',
    examples,
    supportsDryRun: true,
    schema: { input: createInputSchema, output: outputSchema },
    async handler(ctx) {
      checkInputShape(WORKSPACE_CREATE_ACTION_ID, createInputSchema, ctx.input);
      const request = buildCreateRequest(
        WORKSPACE_CREATE_ACTION_ID,
        ctx.input,
        {
          taskId: ctx.task.id,
          stepId: ctx.step?.id,
        },
      );
      const kind = request.tuning ? 'tuning' : 'inference';
      const where = `${request.namespace}/${request.name} on cluster "${request.cluster}"`;
      const requested = (request.tuning ?? request.inference)!.preset;
      const requestedPreset = findPreset(requested)?.name ?? requested;

      const emit = async (result: Created) => {
        ctx.output('cluster', request.cluster);
        ctx.output('namespace', request.namespace);
        ctx.output('name', request.name);
        ctx.output('kind', kind);
        ctx.output('entityRef', request.entityRef);
        ctx.output('preset', result.preset);
        if (request.resource.instanceType) {
          ctx.output('instanceType', request.resource.instanceType);
        }
        ctx.output('created', result.created);
        if (result.endpoint) {
          ctx.output('endpoint', result.endpoint.serviceUrl);
          ctx.output('chatPath', result.endpoint.chatPath);
          const chatUrl = await chatUrlOf(options, result.endpoint.chatPath);
          if (chatUrl) ctx.output('chatUrl', chatUrl);
        }
        ctx.output('entityTabPath', entityTabPath(request.entityRef)!);
        ctx.output(
          'workspacePath',
          workspaceTabPath(request.entityRef, request)!,
        );
      };

      if (ctx.isDryRun || ctx.input.dryRun === true) {
        // The backend's own dry run: the entity, namespace and cluster
        // checks of a real create, the cluster's dry run, and the manifest
        // it would create.
        const response = await kaito.createWorkspace(
          { ...request, dryRun: true },
          {
            credentials: await ctx.getInitiatorCredentials(),
            taskId: ctx.task.id,
          },
        );
        ctx.logger.info(
          `Dry run: would create the ${describeRequest(
            request,
          )}. Manifest: ${JSON.stringify(response.manifest)}`,
        );
        await emit({
          ...createdFrom(response, request.cluster, requestedPreset),
          // A task's dry run shows the outputs of a create; a step that
          // only checks created nothing.
          created: ctx.isDryRun === true,
        });
        return;
      }

      throwIfCancelled(
        ctx.signal,
        `preparing to create workspace ${request.namespace}/${request.name}; nothing was created`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      // Calls that change something run to completion once sent: no signal.
      const result = await ctx.checkpoint({
        key: `create-workspace-${request.cluster}-${request.namespace}-${request.name}`,
        fn: async (): Promise<Created> => {
          // With the task id the backend answers the workspace this task
          // created already (a retried or recovered step) instead of a
          // conflict, so nothing needs looking up first.
          const response = await kaito.createWorkspace(request, {
            credentials,
            taskId: ctx.task.id,
          });
          const created = createdFrom(
            response,
            request.cluster,
            requestedPreset,
          );
          ctx.logger.info(
            created.created
              ? `Created the ${describeRequest(request)}, for ${
                  request.entityRef
                }`
              : `Found ${kind} workspace ${where}, created earlier by this task ` +
                  `(${response.workspace?.state}); using it instead of creating another`,
          );
          return created;
        },
      });
      await emit(result);
    },
  });
}
