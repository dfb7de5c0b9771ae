import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { IssueCollector, Zod } from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoWorkspaceDetail,
  KaitoWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-node';
import { normalizeEntityRef } from './entityRefs';
import {
  existingWorkspaceInputs,
  pollIntervalInput,
  strictFields,
  timeoutMinutesInput,
} from './inputs';
import { KaitoActionOptions } from './types';
import {
  checkEntityRef,
  checkInputShape,
  checkPositive,
  checkWorkspaceRef,
  throwIfInvalid,
} from './validation';
import {
  CancelledError,
  ProgressLog,
  formatDuration,
  pollUntil,
  throwIfCancelled,
} from './waiting';
import { examples } from './workspaceDelete.examples';

/** @public */
export const WORKSPACE_DELETE_ACTION_ID = 'kaito:workspace:delete';

const inputs = {
  ...existingWorkspaceInputs,
  wait: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Wait until the workspace is gone (its finalizer has run); default true',
      ),
  timeoutMinutes: timeoutMinutesInput('the deletion', 15),
  pollIntervalSeconds: pollIntervalInput(5),
};

const outputs = {
  existed: (z: Zod) =>
    z.boolean().describe('Whether the workspace existed when the step ran'),
  deleted: (z: Zod) => z.boolean().describe('Whether the workspace is gone'),
  lastState: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('The state the workspace was in before deletion'),
};

/**
 * `kaito:workspace:delete`: deletes a KAITO workspace through the KAITO
 * backend as the initiating user, and by default waits until it is gone.
 *
 * @public
 */
export function createWorkspaceDeleteAction(options: KaitoActionOptions) {
  const { kaito } = options;
  return createTemplateAction({
    id: WORKSPACE_DELETE_ACTION_ID,
    description:
      'Deletes a KAITO workspace through the KAITO backend as the initiating user (permissions and audit ' +
      'apply); KAITO then removes its Job or model server and the nodes it provisioned. A workspace that ' +
      'does not exist counts as deleted. The run history keeps the run.',
    examples,
    supportsDryRun: true,
    schema: { input: inputs, output: outputs },
    async handler(ctx) {
      checkInputShape(
        WORKSPACE_DELETE_ACTION_ID,
        strictFields(inputs),
        ctx.input,
      );
      const input = ctx.input;
      const v = new IssueCollector();
      checkWorkspaceRef(v, input);
      checkEntityRef(v, 'entityRef', input.entityRef, false);
      checkPositive(v, 'timeoutMinutes', input.timeoutMinutes, 24 * 60);
      checkPositive(v, 'pollIntervalSeconds', input.pollIntervalSeconds, 15);
      throwIfInvalid(WORKSPACE_DELETE_ACTION_ID, v);

      const ref: KaitoWorkspaceRef = {
        cluster: input.cluster,
        namespace: input.namespace,
        name: input.name,
        ...(input.entityRef
          ? { entityRef: normalizeEntityRef(input.entityRef) }
          : {}),
      };
      const where = `${input.namespace}/${input.name} on cluster "${input.cluster}"`;
      const wait = input.wait ?? true;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would delete workspace ${where}${
            wait ? ' and wait until it is gone' : ''
          }. No call was made.`,
        );
        ctx.output('existed', true);
        ctx.output('deleted', true);
        return;
      }

      throwIfCancelled(
        ctx.signal,
        `preparing to delete workspace ${where}; nothing was deleted`,
      );
      const credentials = await ctx.getInitiatorCredentials();

      // Calls that change something run to completion once sent: no signal.
      const deletion = await ctx.checkpoint({
        key: `delete-workspace-${input.cluster}-${input.namespace}-${input.name}`,
        fn: async (): Promise<{ existed: boolean; lastState?: string }> => {
          const existing = await kaito.getWorkspace(ref, { credentials });
          if (!existing) {
            ctx.logger.info(
              `Workspace ${where} does not exist; nothing to delete`,
            );
            return { existed: false };
          }
          ctx.logger.info(
            `Deleting ${existing.type} workspace ${where} (${existing.state})`,
          );
          await kaito.deleteWorkspace(ref, { credentials });
          return { existed: true, lastState: existing.state };
        },
      });

      let deleted = !deletion.existed;
      if (deletion.existed && wait) {
        const progress = new ProgressLog(ctx.logger);
        deleted = await pollUntil<KaitoWorkspaceDetail | undefined, boolean>({
          what: `workspace ${where}`,
          logger: ctx.logger,
          signal: ctx.signal,
          maxPollMs: (input.pollIntervalSeconds ?? 5) * 1000,
          timeoutMs: (input.timeoutMinutes ?? 15) * 60_000,
          read: () =>
            kaito.getWorkspace(ref, { credentials, signal: ctx.signal }),
          check: (current, waited) => {
            if (!current) {
              ctx.logger.info(
                `Workspace ${where} is gone after ${formatDuration(waited)}`,
              );
              return { done: true, result: true };
            }
            progress.update(
              current.state,
              () =>
                `Workspace ${where}: ${current.state}${
                  current.status?.message ? ` (${current.status.message})` : ''
                } | waiting ${formatDuration(waited)}`,
            );
            return { done: false };
          },
          timedOut: () =>
            new Error(
              `Timed out after ${formatDuration(
                (input.timeoutMinutes ?? 15) * 60_000,
              )} waiting for workspace ${where} to be deleted; ` +
                'its deletion was accepted, so KAITO may still be releasing its nodes (a stuck finalizer shows in its events)',
            ),
          cancelled: () => {
            const message = `Cancelled while waiting for workspace ${where} to be deleted; the deletion was accepted and KAITO finishes it in the background`;
            ctx.logger.warn(message);
            return new CancelledError(message);
          },
        });
      } else if (deletion.existed) {
        ctx.logger.info(
          `Deletion of workspace ${where} accepted; KAITO finishes it in the background`,
        );
      }
      ctx.output('existed', Boolean(deletion.existed));
      ctx.output('deleted', deleted);
      if (deletion.lastState) ctx.output('lastState', deletion.lastState);
    },
  });
}
