/*
 * A replica killed in the middle of a golden-path task, and a site that
 * comes back while the cluster keeps changing. Backstage's own machinery
 * does the work: the task's heartbeat goes stale, another replica's
 * scaffolder recovers it (`scaffolder.EXPERIMENTAL_recoverTasks`, the
 * template's `EXPERIMENTAL_recovery: startOver`) and the actions' checkpoints
 * keep what was already done.
 */
import { Churn } from './churn';
import {
  CHATBOT,
  cleanUp,
  expectGoldenPathState,
  fineTuneValues,
  gpuPools,
  listWorkspaces,
} from './goldenPath';
import type { BackendReplica } from './harness/BackendReplica';
import { eventually } from './harness/eventually';
import type { ProductionSite } from './harness/ProductionSite';
import { runnerOf } from './harness/tasks';

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
      // None counted twice, with both replicas back.
      const rows = await churn.rows();
      expect(rows.filter(r => Number(r.n) !== 1)).toEqual([]);
    });
  });
}
