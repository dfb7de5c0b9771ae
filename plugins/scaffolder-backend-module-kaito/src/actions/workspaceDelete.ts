import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KaitoRequestOptions,
  KaitoWorkspaceDetail,
  KaitoWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-node';
import { KaitoActionOptions } from './types';
import {
  CancelledError,
  Issues,
  ProgressLog,
  checkEntityRef,
  checkPositive,
  checkWorkspaceRef,
  formatDuration,
  isTransient,
  normalizeEntityRef,
  pollIntervals,
  sleep,
  throwIfCancelled,
} from './util';

/** @public */
export const WORKSPACE_DELETE_ACTION_ID = 'kaito:workspace:delete';

const examples = [
  {
    description:
      'Delete a workspace and wait until KAITO has released its GPU nodes',
    example: `steps:
  - id: delete-old
    name: Remove the previous endpoint
    action: kaito:workspace:delete
    input:
      cluster: aks-kaito-dev
      namespace: ml-team
      name: support-chatbot-serve-1a2b3c`,
  },
  {
    description: 'Delete without waiting (KAITO finishes in the background)',
    example: `steps:
  - id: delete-tuning
    name: Clean up the tuning workspace
    action: kaito:workspace:delete
    input:
      cluster: \${{ steps['create-tuning'].output.cluster }}
      namespace: \${{ steps['create-tuning'].output.namespace }}
      name: \${{ steps['create-tuning'].output.name }}
      wait: false`,
  },
];

interface DeleteInput {
  cluster: string;
  namespace: string;
  name: string;
  entityRef?: string;
  wait?: boolean;
  timeoutMinutes?: number;
  pollIntervalSeconds?: number;
}

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
    schema: {
      input: {
        cluster: z => z.string().describe('Cluster name'),
        namespace: z => z.string().describe('Workspace namespace'),
        name: z => z.string().describe('Workspace name'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Owning entity; only needed for workspaces the suite did not create',
            ),
        wait: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait until the workspace is gone (its finalizer has run); default true',
            ),
        timeoutMinutes: z =>
          z
            .number()
            .optional()
            .describe('How long to wait for the deletion; default 15'),
        pollIntervalSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'Longest interval between checks (at most 15); default 5',
            ),
      },
      output: {
        existed: z =>
          z
            .boolean()
            .describe('Whether the workspace existed when the step ran'),
        deleted: z => z.boolean().describe('Whether the workspace is gone'),
        lastState: z =>
          z
            .string()
            .optional()
            .describe('The state the workspace was in before deletion'),
      },
    },
    async handler(ctx) {
      const input = ctx.input as DeleteInput;
      const issues = new Issues();
      checkWorkspaceRef(issues, input);
      checkEntityRef(issues, 'entityRef', input.entityRef, false);
      checkPositive(issues, 'timeoutMinutes', input.timeoutMinutes, 24 * 60);
      checkPositive(
        issues,
        'pollIntervalSeconds',
        input.pollIntervalSeconds,
        15,
      );
      issues.throwIfAny(WORKSPACE_DELETE_ACTION_ID);

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
      // Calls that change something run to completion once sent; only
      // waiting is cut short by a cancelled task.
      const opts: KaitoRequestOptions = { credentials };
      const readOpts: KaitoRequestOptions = { credentials, signal: ctx.signal };

      const deletion = await ctx.checkpoint({
        key: `delete-workspace-${input.cluster}-${input.namespace}-${input.name}`,
        fn: async (): Promise<{ existed: boolean; lastState?: string }> => {
          const existing = await kaito.getWorkspace(ref, opts);
          if (!existing) {
            ctx.logger.info(
              `Workspace ${where} does not exist; nothing to delete`,
            );
            return { existed: false };
          }
          ctx.logger.info(
            `Deleting ${existing.type} workspace ${where} (${existing.state})`,
          );
          await kaito.deleteWorkspace(ref, opts);
          return { existed: true, lastState: existing.state };
        },
      });

      let deleted = !deletion.existed;
      if (deletion.existed && wait) {
        const timeoutMs = (input.timeoutMinutes ?? 15) * 60_000;
        const intervals = pollIntervals(
          (input.pollIntervalSeconds ?? 5) * 1000,
        );
        const progress = new ProgressLog(ctx.logger);
        const started = Date.now();
        for (;;) {
          if (ctx.signal?.aborted) {
            const message = `Cancelled while waiting for workspace ${where} to be deleted; the deletion was accepted and KAITO finishes it in the background`;
            ctx.logger.warn(message);
            throw new CancelledError(message);
          }
          let current: KaitoWorkspaceDetail | undefined;
          try {
            current = await kaito.getWorkspace(ref, readOpts);
          } catch (error) {
            if (ctx.signal?.aborted) continue;
            if (!isTransient(error)) throw error;
            ctx.logger.warn(
              `Could not read workspace ${where} (will retry): ${error}`,
            );
            current = {} as KaitoWorkspaceDetail;
          }
          if (!current) {
            ctx.logger.info(
              `Workspace ${where} is gone after ${formatDuration(
                Date.now() - started,
              )}`,
            );
            deleted = true;
            break;
          }
          if (current.state) {
            progress.update(
              current.state,
              () =>
                `Workspace ${where}: ${current!.state}${
                  current!.status?.message
                    ? ` (${current!.status.message})`
                    : ''
                } | waiting ${formatDuration(Date.now() - started)}`,
            );
          }
          if (Date.now() - started > timeoutMs) {
            throw new Error(
              `Timed out after ${formatDuration(
                timeoutMs,
              )} waiting for workspace ${where} to be deleted; ` +
                'its deletion was accepted, so KAITO may still be releasing its nodes (a stuck finalizer shows in its events)',
            );
          }
          await sleep(intervals.next().value, ctx.signal);
        }
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
