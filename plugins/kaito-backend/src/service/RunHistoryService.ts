import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  RunOutcome,
  RunView,
  Workspace,
  WorkspacePhase,
  billedNodeCount,
  estimateGpuUsage,
  findGpuSku,
  hoursBetween,
  summarizeWorkspaceStatus,
  workspaceKind,
} from '@kaito-backstage/plugin-kaito-common';
import {
  NewRunRecord,
  RunHistoryStore,
  RunPatch,
  RunRecord,
} from '../database/RunHistoryStore';
import { CacheChange, ClusterWatchCache } from './WatchCache';
import { presetOf } from './workspaceSummary';

/** Entity refs compared the way the catalog does (case-insensitively). */
export function normalizeEntityRef(ref: string): string {
  return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
}

function outcomeOf(phase: WorkspacePhase): RunOutcome {
  switch (phase) {
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
      return 'failed';
    case 'Running':
      return 'running';
    case 'Ready':
      return 'ready';
    default:
      return 'pending';
  }
}

function safeEntityRef(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  try {
    return normalizeEntityRef(ref);
  } catch {
    return undefined;
  }
}

/**
 * Keeps the run history: records a run when the backend creates a
 * workspace, follows its state through the watch cache and closes it when
 * the workspace finishes or is deleted. The rows stay after deletion.
 */
export class RunHistoryService {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: RunHistoryStore,
    private readonly logger: LoggerService,
  ) {}

  /** The run a newly created (or first seen) workspace starts. */
  static newRun(
    cluster: string,
    ws: Workspace,
    createdBy?: string,
  ): NewRunRecord {
    const status = summarizeWorkspaceStatus(ws);
    const sku = ws.resource?.instanceType
      ? findGpuSku(ws.resource.instanceType)
      : undefined;
    const finished = status.terminal
      ? status.since ?? new Date().toISOString()
      : undefined;
    return {
      cluster,
      namespace: ws.metadata.namespace ?? '',
      workspace: ws.metadata.name ?? '',
      ...(ws.metadata.uid ? { workspaceUid: ws.metadata.uid } : {}),
      ...(safeEntityRef(ws.metadata.annotations?.[ANNOTATION_ENTITY_REF])
        ? {
            entityRef: safeEntityRef(
              ws.metadata.annotations?.[ANNOTATION_ENTITY_REF],
            ),
          }
        : {}),
      ...(createdBy ?? ws.metadata.annotations?.[ANNOTATION_CREATED_BY]
        ? {
            createdBy:
              createdBy ?? ws.metadata.annotations?.[ANNOTATION_CREATED_BY],
          }
        : {}),
      mode: workspaceKind(ws),
      ...(presetOf(ws) ? { preset: presetOf(ws) } : {}),
      ...(ws.tuning?.method ? { tuningMethod: ws.tuning.method } : {}),
      ...(ws.tuning?.output?.image
        ? { outputImage: ws.tuning.output.image }
        : {}),
      ...(ws.resource?.instanceType
        ? { instanceType: ws.resource.instanceType }
        : {}),
      nodeCount: billedNodeCount(ws),
      ...(sku ? { gpusPerNode: sku.gpuCount } : {}),
      ...(sku?.price ? { usdPerNodeHour: sku.price.usdPerHour } : {}),
      state: status.phase,
      outcome: outcomeOf(status.phase),
      ...(status.problem && status.message ? { message: status.message } : {}),
      createdAt: ws.metadata.creationTimestamp ?? new Date().toISOString(),
      ...(finished ? { finishedAt: finished } : {}),
    };
  }

  /** Serializes the store operations of one workspace. */
  private enqueue<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.queues.set(key, next);
    next
      .finally(() => {
        if (this.queues.get(key) === next) this.queues.delete(key);
      })
      .catch(() => undefined);
    return next;
  }

  /** Records the run of a workspace the backend just created. */
  async recordCreated(
    cluster: string,
    ws: Workspace,
    createdBy?: string,
  ): Promise<RunRecord> {
    return this.enqueue(`${cluster}/${ws.metadata.uid}`, () =>
      this.store.recordRun(RunHistoryService.newRun(cluster, ws, createdBy)),
    );
  }

  /** Follows workspace changes of one cluster. Returns an unsubscribe function. */
  attach(cache: ClusterWatchCache): () => void {
    return cache.onChange(change => {
      if (change.kind !== 'workspaces') return;
      this.onWorkspaceChange(change).catch(error =>
        this.logger.warn(
          `Could not update the run history of workspace ${change.object.metadata?.namespace}/${change.object.metadata?.name} on ${change.cluster}: ${error}`,
        ),
      );
    });
  }

  /** Applies one watch change to the run history. */
  async onWorkspaceChange(change: CacheChange): Promise<void> {
    const ws = change.object as unknown as Workspace;
    const uid = ws.metadata?.uid;
    if (!uid) return;
    const key = { cluster: change.cluster, workspaceUid: uid };
    await this.enqueue(`${change.cluster}/${uid}`, async () => {
      const run = await this.store.getRun(key);
      if (change.type === 'delete') {
        if (run && !run.deletedAt) {
          const now = new Date().toISOString();
          await this.store.updateRun(key, {
            deletedAt: now,
            ...(run.finishedAt ? {} : { finishedAt: now, outcome: 'deleted' }),
          });
        }
        return;
      }
      if (!run) {
        // A workspace of the suite the backend did not see being created
        // (e.g. created while it was down).
        if (ws.metadata.annotations?.[ANNOTATION_ENTITY_REF]) {
          await this.store.recordRun(RunHistoryService.newRun(change.cluster, ws));
        }
        return;
      }
      if (run.deletedAt) return;
      const next = RunHistoryService.newRun(change.cluster, ws);
      const patch: RunPatch = {};
      // Also once finished: runs recorded before the column existed get their
      // image while the workspace is still there.
      if (next.outputImage && next.outputImage !== run.outputImage) {
        patch.outputImage = next.outputImage;
      }
      // While deleting, a run keeps the last state it reached; the delete
      // event closes it.
      if (!run.finishedAt && next.state !== 'Deleting') {
        if (next.state !== run.state) patch.state = next.state;
        if (next.outcome !== run.outcome) patch.outcome = next.outcome;
        if (next.nodeCount !== run.nodeCount) patch.nodeCount = next.nodeCount;
        if (next.message && next.message !== run.message) patch.message = next.message;
        if (next.finishedAt) patch.finishedAt = next.finishedAt;
      }
      if (Object.keys(patch).length > 0) {
        await this.store.updateRun(key, patch);
      }
    });
  }

  /**
   * After a cluster's cache (re)synced: closes open runs whose workspace is
   * gone and brings the others up to date. `workspaces` is everything the
   * cache holds for the cluster.
   */
  async reconcile(cluster: string, workspaces: Workspace[]): Promise<void> {
    const open = await this.store.listRuns({ cluster, open: true, limit: 10_000 });
    const present = new Map(workspaces.map(ws => [ws.metadata.uid, ws]));
    for (const run of open) {
      if (!run.workspaceUid) continue;
      const ws = present.get(run.workspaceUid);
      await this.onWorkspaceChange({
        cluster,
        kind: 'workspaces',
        type: ws ? 'update' : 'delete',
        object: (ws ?? {
          metadata: {
            uid: run.workspaceUid,
            name: run.workspace,
            namespace: run.namespace,
          },
        }) as any,
      });
    }
  }

  async listRuns(entityRef: string, limit?: number): Promise<RunView[]> {
    const runs = await this.store.listRuns({
      entityRef: normalizeEntityRef(entityRef),
      limit,
    });
    const now = Date.now();
    return runs.map(run => RunHistoryService.view(run, now));
  }

  static view(run: RunRecord, now = Date.now()): RunView {
    const end = run.finishedAt ?? run.deletedAt ?? now;
    const hours = hoursBetween(run.createdAt, end);
    const sku = run.instanceType ? findGpuSku(run.instanceType) : undefined;
    const gpus = run.gpusPerNode ?? sku?.gpuCount ?? 0;
    const usage = estimateGpuUsage(
      {
        ...(sku ?? ({} as any)),
        gpuCount: gpus,
        ...(run.usdPerNodeHour !== undefined
          ? {
              price: {
                usdPerHour: run.usdPerNodeHour,
                region: sku?.price?.region ?? '',
                source: sku?.price?.source ?? 'recorded',
                asOf: sku?.price?.asOf ?? '',
              },
            }
          : { price: undefined }),
      },
      run.nodeCount,
      hours,
    );
    return {
      ...run,
      durationSeconds: Math.round(hours * 3600),
      gpuHours: usage.gpuHours,
      ...(usage.estimatedCostUsd !== undefined
        ? { estimatedCostUsd: usage.estimatedCostUsd }
        : {}),
      active: !run.finishedAt && !run.deletedAt,
    };
  }
}
