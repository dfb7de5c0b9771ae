import { summarizeWorkspaceStatus } from '@kaito-backstage/plugin-kaito-common';
import type { KubeObject, ObjectStore } from '../kube/api';
import { WORKSPACE_KEY } from '../kaito/constants';
import type { Workspace } from '../kaito/workspace';
import type { AgentPoolApi } from '../wiring/agentPools';
import { createIfAbsent, deleteIfPresent } from '../wiring/objectUpdates';
import type { WarpClock } from '../wiring/warpClock';
import { trainingConfig } from './kaitoSystem';
import type { Ago, DemoRun } from './demoRun';

/**
 * Plays a timeline of workspaces on the simulated cluster as a team would
 * have lived it: the cluster's clock is set back to the first run, each
 * workspace is created (and deleted) at its time through the store, exactly
 * as the template's API calls would, and KAITO, the gpu-provisioner and the
 * kubelet run everything in between at the warp scale, so every timestamp
 * and duration is the simulated cluster's own. The quiet time between runs
 * (nothing provisioning, training, serving up or going away) is skipped.
 * A client that watches the cluster meanwhile sees the quarter happen.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function msAgo(ago: Ago): number {
  return (
    (ago.days ?? 0) * DAY +
    (ago.hours ?? 0) * HOUR +
    (ago.minutes ?? 0) * MINUTE
  );
}

interface TimelineEvent {
  at: number;
  run: DemoRun;
  kind: 'create' | 'delete';
}

export interface TimelineProgress {
  played: number;
  total: number;
}

type Condition = {
  type: string;
  status: string;
  reason?: string;
  lastTransitionTime?: string;
};

function conditionOf(
  obj: KubeObject | undefined,
  type: string,
): Condition | undefined {
  return (
    (obj?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []
  ).find(c => c.type === type);
}

/** A tuning run's end (Succeeded or Failed), if it ended. */
export function finishedAt(ws: KubeObject | undefined): number | undefined {
  if (!ws) return undefined;
  const status = summarizeWorkspaceStatus(
    ws as unknown as Parameters<typeof summarizeWorkspaceStatus>[0],
  );
  return status.terminal && status.since ? Date.parse(status.since) : undefined;
}

/** Nothing of the workspace is under way: it trained, serves, or is stuck. */
function steady(ws: KubeObject): boolean {
  if (ws.metadata.deletionTimestamp) return false;
  if ((ws as Workspace).tuning) return finishedAt(ws) !== undefined;
  if (conditionOf(ws, 'InferenceReady')?.status === 'True') return true;
  return conditionOf(ws, 'NodeClaimReady')?.reason === 'QuotaExceeded';
}

export class TimelinePlayer {
  private readonly events: TimelineEvent[] = [];
  private readonly cleanupScheduled = new Set<string>();
  private played = 0;

  constructor(
    private readonly deps: {
      store: ObjectStore;
      arm: AgentPoolApi;
      clock: WarpClock;
      /** The scale the history plays at. */
      warpScale: number;
      /** Wall-clock limit of the whole play. */
      timeoutMs: number;
    },
    private readonly runs: DemoRun[],
  ) {}

  progress(): TimelineProgress {
    return { played: this.played, total: this.runs.length };
  }

  /** Plays every run; resolves when the cluster's clock is back at now. */
  async play(): Promise<void> {
    const { clock } = this.deps;
    const now = Date.now();
    for (const run of this.runs) {
      const created = now - msAgo(run.created);
      this.events.push({ at: created, run, kind: 'create' });
      if ('cancelAfterMinutes' in run.end) {
        this.events.push({
          at: created + run.end.cancelAfterMinutes * MINUTE,
          run,
          kind: 'delete',
        });
      } else if ('deleted' in run.end) {
        this.events.push({
          at: now - msAgo(run.end.deleted),
          run,
          kind: 'delete',
        });
      }
    }
    const deadline = Date.now() + this.deps.timeoutMs;
    clock.warp(this.deps.warpScale);
    for (;;) {
      this.scheduleCleanups();
      this.events.sort((a, b) => a.at - b.at);
      const next = this.events[0];
      if (!next) break;
      if (clock.now().getTime() >= next.at) {
        this.events.shift();
        await this.perform(next);
        continue;
      }
      if (this.settled()) {
        clock.jumpTo(next.at);
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the demo history did not play out within ${this.deps.timeoutMs} ms (next: ${next.kind} ${next.run.name})`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    while (!this.settled()) {
      if (Date.now() > deadline) {
        throw new Error('the demo cluster did not settle after its history');
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    clock.jumpTo(Date.now());
  }

  private workspace(run: DemoRun): KubeObject | undefined {
    return this.deps.store.get({
      ...WORKSPACE_KEY,
      namespace: run.namespace,
      name: run.name,
    });
  }

  /** Runs cleaned up after they finish get their delete once they have. */
  private scheduleCleanups(): void {
    for (const run of this.runs) {
      if (!('deleteHoursAfterFinish' in run.end)) continue;
      if (this.cleanupScheduled.has(run.name)) continue;
      const done = finishedAt(this.workspace(run));
      if (done === undefined) continue;
      this.cleanupScheduled.add(run.name);
      this.events.push({
        at: done + run.end.deleteHoursAfterFinish * HOUR,
        run,
        kind: 'delete',
      });
    }
  }

  private async perform(event: TimelineEvent): Promise<void> {
    const { store } = this.deps;
    const { run } = event;
    if (event.kind === 'delete') {
      await deleteIfPresent(store, {
        ...WORKSPACE_KEY,
        namespace: run.namespace,
        name: run.name,
      });
      return;
    }
    const { epochs, ...tuning } = run.tuning ?? { epochs: undefined };
    if (run.tuning && epochs) {
      await createIfAbsent(store, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configName(run), namespace: run.namespace },
        data: {
          'training_config.yaml': trainingConfig(
            run.tuning.method === 'lora' ? 'lora' : 'qlora',
            epochs,
          ),
        },
      });
    }
    await createIfAbsent(store, {
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: {
        name: run.name,
        namespace: run.namespace,
        // What the fine-tune-model and deploy-inference templates stamp.
        labels: {
          'backstage.io/kubernetes-id': run.entity,
          'app.kubernetes.io/managed-by': 'backstage-kaito',
        },
        annotations: {
          'kaito.backstage.io/entity-ref': `component:default/${run.entity}`,
          'kaito.backstage.io/created-by': run.createdBy,
        },
      },
      resource: run.resource,
      ...(run.tuning
        ? {
            tuning: {
              ...tuning,
              ...(epochs ? { config: configName(run) } : {}),
            },
          }
        : {}),
      ...(run.inference ? { inference: run.inference } : {}),
    });
    this.played += 1;
  }

  /**
   * Nothing under way that a jump in time would distort: every workspace
   * steady, nothing being deleted, every agent pool done with its operation.
   */
  private settled(): boolean {
    const { store, arm } = this.deps;
    const list = (group: string, plural: string) =>
      store.list({ group, plural }).items;
    if (!list(WORKSPACE_KEY.group, WORKSPACE_KEY.plural).every(steady))
      return false;
    for (const [group, plural] of [
      ['karpenter.sh', 'nodeclaims'],
      ['', 'pods'],
      ['', 'nodes'],
    ]) {
      if (list(group, plural).some(o => o.metadata.deletionTimestamp))
        return false;
    }
    if (
      list('', 'pods').some(p =>
        ['Pending'].includes(String((p.status as { phase?: string })?.phase)),
      )
    ) {
      return false;
    }
    return arm
      .listAgentPools()
      .every(p =>
        ['Succeeded', 'Failed'].includes(
          String(p.properties.provisioningState),
        ),
      );
  }
}

function configName(run: DemoRun): string {
  return `${run.name}-config`;
}
