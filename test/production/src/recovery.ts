/*
 * A replica killed in the middle of a golden-path task, and a site that
 * comes back while the cluster keeps changing. Backstage's own machinery
 * does the work: the task's heartbeat goes stale, another replica's
 * scaffolder recovers it (`scaffolder.EXPERIMENTAL_recoverTasks`, the
 * template's `EXPERIMENTAL_recovery: startOver`) and the actions' checkpoints
 * keep what was already done.
 */
import type { RunningSimulator } from '@kaito-backstage/simulator';
import type { WorkspaceSummary } from '@kaito-backstage/plugin-kaito-common';
import {
  CHATBOT,
  chat,
  cleanUp,
  clusterWorkspaces,
  fineTuneValues,
  gpuPools,
  listWorkspaces,
} from './goldenPath';
import type { BackendReplica } from './harness/BackendReplica';
import { eventually } from './harness/eventually';
import { ProductionSite, TEAM_NAMESPACE } from './harness/ProductionSite';
import type { SiteClient } from './harness/SiteClient';

type KubeObject = Awaited<ReturnType<RunningSimulator['store']['create']>>;

/** The running replica whose scaffolder runs the task now (both poll the shared task queue). */
export async function runnerOf(
  site: ProductionSite,
  taskId: string,
): Promise<BackendReplica> {
  return eventually(
    () =>
      site.replicas.find(
        r =>
          r.running &&
          r
            .auditEvents({ plugin: 'scaffolder', eventId: 'task' })
            .some(
              e =>
                e.meta?.actionType === 'execution' &&
                e.meta?.taskId === taskId &&
                e.incarnation === r.incarnationNow,
            ),
      ),
    { timeoutMs: 60_000, what: `a replica to claim task ${taskId}` },
  );
}

/** After a golden-path run: one pool, one tuning and one inference workspace, and the chat answers. */
export async function expectGoldenPathState(
  site: ProductionSite,
  client: SiteClient,
  entityName: string,
  entityRef: string,
) {
  const pools = gpuPools(site);
  expect(
    pools.map(p => [p.properties.vmSize, p.properties.provisioningState]),
  ).toEqual([['Standard_NC24ads_A100_v4', 'Succeeded']]);
  const inCluster = clusterWorkspaces(site, entityName);
  expect(inCluster.filter(w => w.tuning)).toHaveLength(1);
  expect(inCluster.filter(w => w.inference)).toHaveLength(1);

  const { items } = await listWorkspaces(client, entityRef);
  const tuning = items.filter(w => w.type === 'tuning');
  const inference = items.filter(w => w.type === 'inference');
  expect(tuning.map(w => w.state)).toEqual(['Succeeded']);
  expect(inference.map(w => w.state)).toEqual(['Ready']);
  const answer = await chat(
    client,
    inference[0] as WorkspaceSummary,
    tuning[0].name,
  );
  expect(answer.choices[0].message.content.length).toBeGreaterThan(0);
}

export function recoveryTests(getSite: () => ProductionSite) {
  describe('a replica killed mid-task, a site restarted while the cluster changes', () => {
    let site: ProductionSite;

    beforeAll(() => {
      site = getSite();
    });

    /** Starts a killed replica again (the orchestrator's restart) and waits for its cache. */
    async function restart(replica: BackendReplica) {
      await replica.start();
      await site.waitClusterHealthy(replica);
    }

    /**
     * Kills the replica running the task once `killWhen` resolves, waits for
     * the survivor to finish it, and starts the killed one again.
     */
    async function killRunnerAndFinish(
      taskId: string,
      killWhen: () => Promise<unknown>,
    ) {
      const runner = await runnerOf(site, taskId);
      await killWhen();
      await runner.kill();
      try {
        const survivor = site.replicas.find(r => r !== runner)!;
        const client = site.client(survivor);
        const done = await client.waitTaskDone(taskId, 400_000);
        expect({ status: done.status, log: done.log }).toEqual({
          status: 'completed',
          log: done.log,
        });
        // The survivor claimed the recovered task and ran it to the end.
        expect((await runnerOf(site, taskId)).name).toBe(survivor.name);
        return client;
      } finally {
        await restart(runner);
      }
    }

    it('finishes fine-tune-model on the other replica when the one running it is killed during kaito:workspace:wait', async () => {
      await cleanUp(site, site.client(site.b));
      const started = site.client(site.a);
      const taskId = await started.startTask(
        'fine-tune-model',
        fineTuneValues(),
      );
      const client = await killRunnerAndFinish(taskId, async () => {
        await started.waitStepStarted(taskId, 'wait-tuning');
        // The tuning job is running on its GPU node.
        await eventually(
          async () =>
            (
              await listWorkspaces(started, CHATBOT)
            ).items.some(w => w.type === 'tuning' && w.state === 'Running'),
          { timeoutMs: 120_000, what: 'the tuning workspace to run' },
        );
      });
      await expectGoldenPathState(site, client, 'support-chatbot', CHATBOT);
    });

    it('finishes fine-tune-model on the other replica when the one running it is killed during kaito:gpu-pool:ensure’s long-running operation', async () => {
      await cleanUp(site, site.client(site.a));
      // A GPU pool takes 4-6 minutes on AKS: 8-12 s at this scale, time to kill.
      site.sim.clock.warp(30);
      try {
        const started = site.client(site.b);
        const taskId = await started.startTask(
          'fine-tune-model',
          fineTuneValues(),
        );
        const client = await killRunnerAndFinish(taskId, async () => {
          await eventually(
            () =>
              gpuPools(site).some(
                p => p.properties.provisioningState === 'Creating',
              ),
            {
              timeoutMs: 120_000,
              intervalMs: 100,
              what: 'the GPU pool to be creating',
            },
          );
          site.sim.clock.warp(120);
        });
        await expectGoldenPathState(site, client, 'support-chatbot', CHATBOT);
      } finally {
        site.sim.clock.warp(120);
      }
    });

    it('a restarted site catches up from its watches: no run lost, none counted twice', async () => {
      await cleanUp(site, site.client(site.a));
      const churn = new Churn(site);
      // Before: three runs the site records while it is up.
      const before = [
        await churn.create('tuning'),
        await churn.create('inference'),
        await churn.create('inference'),
      ];
      await churn.expectRecorded(before, 30_000);

      // Every replica gone at once (a node failure, a bad rollout).
      await Promise.all(site.replicas.map(r => r.kill()));
      // While nothing watches: new workspaces, deletions, a tuning run finishing.
      const whileDown = [
        await churn.create('tuning'),
        await churn.create('inference'),
      ];
      await churn.remove(before[1]);
      await eventually(() => churn.finished(before[0]), {
        timeoutMs: 120_000,
        what: 'the first tuning run to finish while the site is down',
      });

      // One replica comes back while the cluster keeps changing.
      const stopChurn = churn.runInBackground(400);
      await site.a.start();
      await site.waitClusterHealthy(site.a);
      const syncedAt = Date.now();
      // What happened while nothing watched comes from the relist; the
      // churn goes on meanwhile.
      const downtime = {
        recorded: before,
        deleted: [before[1]],
        finished: [before[0]],
      };
      const caughtUpAt = await churn.expectConsistent(
        [...before, ...whileDown],
        downtime,
        30_000,
      );
      // For the notes (a figure, not an assertion of speed).
      console.log(
        `run history caught up with the downtime ${
          caughtUpAt - syncedAt
        } ms after replica a's cache synced`,
      );
      await new Promise(r => setTimeout(r, 3000));
      const during = await stopChurn();
      const all = [...before, ...whileDown, ...during.created];
      const changes = {
        ...downtime,
        deleted: [before[1], ...during.deleted],
      };
      await churn.expectConsistent(all, changes, 30_000);
      await restart(site.b);
      await churn.expectConsistent(all, changes, 30_000);
    });
  });
}

/** Workspaces of the suite created and deleted straight in the cluster (GitOps, kubectl). */
class Churn {
  private n = 0;

  constructor(private readonly site: ProductionSite) {}

  async create(kind: 'tuning' | 'inference'): Promise<KubeObject> {
    this.n += 1;
    const name = `churn-${kind === 'tuning' ? 't' : 'i'}-${this.n}`;
    return this.site.sim.store.create({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: {
        name,
        namespace: TEAM_NAMESPACE,
        labels: { 'backstage.io/kubernetes-id': 'support-chatbot' },
        annotations: { 'kaito.backstage.io/entity-ref': CHATBOT },
      },
      resource: {
        instanceType: 'Standard_NC24ads_A100_v4',
        labelSelector: { matchLabels: { apps: name } },
      },
      ...(kind === 'tuning'
        ? {
            tuning: {
              preset: { name: 'phi-3-mini-128k-instruct' },
              method: 'qlora',
              input: { urls: ['https://example.com/datasets/support.jsonl'] },
              output: {
                image: `kaitodemo.azurecr.io/adapters/${name}:v1`,
                imagePushSecret: 'acr-push-secret',
              },
            },
          }
        : { inference: { preset: { name: 'phi-3-mini-128k-instruct' } } }),
    });
  }

  async remove(ws: KubeObject): Promise<void> {
    await this.site.sim.store.delete({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: TEAM_NAMESPACE,
      name: ws.metadata.name,
    });
  }

  finished(ws: KubeObject): boolean {
    const now = this.site.sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: TEAM_NAMESPACE,
      name: ws.metadata.name,
    });
    return (now?.status as any)?.conditions?.some(
      (c: any) => c.type === 'WorkspaceSucceeded' && c.status === 'True',
    );
  }

  /** Creates an inference workspace every `everyMs` and deletes every other one, until stopped. */
  runInBackground(
    everyMs: number,
  ): () => Promise<{ created: KubeObject[]; deleted: KubeObject[] }> {
    const created: KubeObject[] = [];
    const deleted: KubeObject[] = [];
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const ws = await this.create('inference');
        if (created.length % 2 === 1) {
          await this.remove(ws);
          deleted.push(ws);
        }
        created.push(ws);
        await new Promise(r => setTimeout(r, everyMs));
      }
    })();
    return async () => {
      stopped = true;
      await loop;
      return { created, deleted };
    };
  }

  private rows() {
    return this.site.query<{
      workspace_uid: string;
      n: string;
      deleted: boolean;
      outcome: string;
    }>(
      'kaito',
      `SELECT workspace_uid, COUNT(*) AS n, BOOL_OR(deleted_at IS NOT NULL) AS deleted, MAX(outcome) AS outcome
           FROM kaito_runs WHERE workspace LIKE 'churn-%' GROUP BY workspace_uid`,
    );
  }

  async expectRecorded(workspaces: KubeObject[], timeoutMs: number) {
    await eventually(
      async () => {
        const uids = new Set((await this.rows()).map(r => r.workspace_uid));
        return workspaces.every(w => uids.has(w.metadata.uid!));
      },
      { timeoutMs, what: 'a run for every workspace' },
    );
  }

  /**
   * Waits until the run history holds exactly one row per workspace, with
   * deletions and finished runs applied; resolves with the time it got
   * there. `recorded` were in the history before; a workspace created and
   * deleted while no replica watched leaves nothing to record, every other
   * one must have its run.
   */
  async expectConsistent(
    expected: KubeObject[],
    changes: {
      recorded: KubeObject[];
      deleted: KubeObject[];
      finished: KubeObject[];
    },
    timeoutMs: number,
  ): Promise<number> {
    const uid = (w: KubeObject) => w.metadata.uid!;
    const recorded = new Set(changes.recorded.map(uid));
    const deleted = new Set(changes.deleted.map(uid));
    const finished = new Set(changes.finished.map(uid));
    let lastProblems: string[] = [];
    await eventually(
      async () => {
        const rows = await this.rows();
        const byUid = new Map(rows.map(r => [r.workspace_uid, r]));
        const problems = rows
          .filter(r => Number(r.n) !== 1)
          .map(r => `${r.workspace_uid} has ${r.n} rows`);
        for (const w of expected) {
          const row = byUid.get(uid(w));
          if (!row) {
            if (recorded.has(uid(w)) || !deleted.has(uid(w))) {
              problems.push(`${w.metadata.name}: no run`);
            }
          } else if (deleted.has(uid(w)) && !row.deleted) {
            problems.push(`${w.metadata.name}: deleted, but its run is open`);
          } else if (finished.has(uid(w)) && row.outcome !== 'succeeded') {
            problems.push(
              `${w.metadata.name}: succeeded, but its run says ${row.outcome}`,
            );
          }
        }
        lastProblems = problems;
        return problems.length === 0;
      },
      { timeoutMs, intervalMs: 200, what: 'a consistent run history' },
    ).catch(error => {
      throw new Error(`${error.message}: ${lastProblems.join('; ')}`);
    });
    return Date.now();
  }
}
