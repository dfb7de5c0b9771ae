/*
 * Two replicas of packages/backend (production config, NODE_ENV=production)
 * on one PostgreSQL, watching the same simulated AKS cluster: requests go to
 * either; run history, audit and catalog entities must come out as if there
 * were one backend.
 */
import type {
  RunView,
  WorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-common';
import {
  CHATBOT,
  listRuns,
  listWorkspaces,
  workspacePath,
  workspaceRequest,
} from './goldenPath';
import { eventually } from './harness/eventually';
import { ProductionSite, TEAM_NAMESPACE } from './harness/ProductionSite';
import type { SiteClient } from './harness/SiteClient';

const ENTITY_NAME = 'support-chatbot';

export function replicaTests(getSite: () => ProductionSite) {
  describe('two backend replicas on one PostgreSQL', () => {
    let site: ProductionSite;
    let a: SiteClient;
    let b: SiteClient;
    /** Workspace name -> the replica its create and its delete went to. */
    const writes = new Map<string, { created: string; deleted?: string }>();

    beforeAll(() => {
      site = getSite();
      a = site.client(site.a);
      b = site.client(site.b);
    });

    const byName = (items: WorkspaceSummary[], name: string) =>
      items.find(w => w.name === name);

    it('serves the same cluster from each replica’s own watch cache', async () => {
      for (const client of [a, b]) {
        const { items } = await client.kaito<{
          items: { name: string; health: { state: string } }[];
        }>('GET', '/clusters');
        expect(items.map(c => [c.name, c.health.state])).toEqual([
          ['aks-kaito-dev', 'healthy'],
        ]);
      }
    });

    it('creates workspaces through either replica; both list all of them', async () => {
      const plan: [string, 'tuning' | 'inference', SiteClient][] = [
        ['rep-tune-a', 'tuning', a],
        ['rep-serve-b', 'inference', b],
        ['rep-tune-b', 'tuning', b],
        ['rep-serve-a', 'inference', a],
      ];
      for (const [name, kind, client] of plan) {
        await client.kaito('POST', '/workspaces', workspaceRequest(name, kind));
        writes.set(name, { created: client.replica.name });
      }
      for (const client of [a, b]) {
        await eventually(
          async () => {
            const { items } = await listWorkspaces(client, CHATBOT);
            return plan.every(([name, kind]) => {
              const ws = byName(items, name);
              return ws?.state === (kind === 'tuning' ? 'Succeeded' : 'Ready');
            });
          },
          {
            timeoutMs: 180_000,
            intervalMs: 1000,
            what: `the four workspaces done on replica ${client.replica.name}`,
          },
        );
      }
      const [viaA, viaB] = await Promise.all([
        listWorkspaces(a, CHATBOT),
        listWorkspaces(b, CHATBOT),
      ]);
      const names = (items: WorkspaceSummary[]) =>
        items.map(w => w.name).sort();
      expect(names(viaA.items)).toEqual(plan.map(([name]) => name).sort());
      expect(names(viaB.items)).toEqual(names(viaA.items));
    });

    it('publishes the tuned models and endpoints as catalog entities once, without flapping between replicas', async () => {
      const kaitoEntities = async (client: SiteClient) => {
        const entities = await client.catalogEntities<{
          metadata: { name: string; annotations?: Record<string, string> };
          spec: { type: string };
        }>('kind=resource,metadata.annotations.kaito.backstage.io/workspace');
        return entities
          .map(
            e =>
              `${e.spec.type}:${e.metadata.annotations?.['kaito.backstage.io/workspace']}`,
          )
          .sort();
      };
      const expected = [
        'ai-endpoint:rep-serve-a',
        'ai-endpoint:rep-serve-b',
        'ai-model:rep-tune-a',
        'ai-model:rep-tune-b',
      ];
      await eventually(
        async () =>
          JSON.stringify(await kaitoEntities(a)) === JSON.stringify(expected),
        {
          timeoutMs: 60_000,
          what: 'the provider to publish the four entities',
        },
      );
      const linesBefore = site.replicas.map(r => r.lines.length);

      // Five refresh periods (3 s each): every read of either replica's
      // catalog shows the same four entities, each once.
      const seen: string[][] = [];
      const until = Date.now() + 15_000;
      while (Date.now() < until) {
        seen.push(await kaitoEntities(a), await kaitoEntities(b));
        await new Promise(r => setTimeout(r, 400));
      }
      for (const view of seen) expect(view).toEqual(expected);

      // The refresh is one scheduled task for the whole site: each run
      // happened on one replica, and no two runs overlapped.
      const runs = site.replicas.flatMap((r, i) =>
        r.lines
          .slice(linesBefore[i])
          .filter(l => /^KAITO entity provider published/.test(l.message ?? ''))
          .map(l => {
            const ms = Number(/in (\d+) ms/.exec(l.message!)?.[1] ?? 0);
            return { replica: r.name, start: l.at - ms, end: l.at };
          }),
      );
      expect(runs.length).toBeGreaterThanOrEqual(3);
      runs.sort((x, y) => x.start - y.start);
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end - 50);
      }
    });

    it('keeps one run per workspace, closed once, with the same GPU-hours and cost on both replicas', async () => {
      const deleteVia: Record<string, SiteClient> = {
        'rep-tune-a': b,
        'rep-serve-b': a,
        'rep-tune-b': a,
        'rep-serve-a': b,
      };
      for (const [name, client] of Object.entries(deleteVia)) {
        await client.kaito(
          'DELETE',
          workspacePath({
            cluster: 'aks-kaito-dev',
            namespace: TEAM_NAMESPACE,
            name,
          }),
        );
        writes.get(name)!.deleted = client.replica.name;
      }
      const closed = (runs: RunView[]) =>
        [...writes.keys()].every(name =>
          runs.some(r => r.workspace === name && r.deletedAt),
        );
      const runsA = await eventually(
        async () => {
          const { items } = await listRuns(a, CHATBOT);
          return closed(items) ? items : undefined;
        },
        { timeoutMs: 60_000, what: 'the four runs closed' },
      );
      const { items: runsB } = await listRuns(b, CHATBOT);

      const ours = (runs: RunView[]) =>
        runs
          .filter(r => writes.has(r.workspace))
          .map(r => ({
            id: r.id,
            workspace: r.workspace,
            outcome: r.outcome,
            finishedAt: r.finishedAt,
            deletedAt: r.deletedAt,
            durationSeconds: r.durationSeconds,
            gpuHours: r.gpuHours,
            estimatedCostUsd: r.estimatedCostUsd,
          }))
          .sort((x, y) => x.id - y.id);
      expect(ours(runsA)).toHaveLength(4);
      expect(ours(runsB)).toEqual(ours(runsA));
      for (const run of ours(runsA)) {
        expect(run.gpuHours).toBeGreaterThan(0);
        expect(run.outcome).toBe(
          run.workspace.includes('tune') ? 'succeeded' : 'deleted',
        );
      }

      // And in the database itself: one row per workspace uid.
      const rows = await site.query<{ workspace: string; n: string }>(
        'kaito',
        `SELECT workspace, COUNT(*) AS n FROM kaito_runs WHERE workspace LIKE 'rep-%' GROUP BY workspace_uid, workspace`,
      );
      expect(rows.map(r => [r.workspace, Number(r.n)]).sort()).toEqual(
        [...writes.keys()].sort().map(name => [name, 1]),
      );
    });

    it('records one run for workspaces both replicas see appear at the same moment', async () => {
      // Created straight in the cluster (kubectl apply, GitOps): no request
      // tells either replica, both watches deliver the ADDED event at once.
      const names = Array.from({ length: 12 }, (_, i) => `rep-gitops-${i}`);
      for (const name of names) {
        await site.sim.store.create({
          apiVersion: 'kaito.sh/v1beta1',
          kind: 'Workspace',
          metadata: {
            name,
            namespace: TEAM_NAMESPACE,
            labels: { 'backstage.io/kubernetes-id': ENTITY_NAME },
            annotations: { 'kaito.backstage.io/entity-ref': CHATBOT },
          },
          resource: {
            instanceType: 'Standard_NC24ads_A100_v4',
            labelSelector: { matchLabels: { apps: name } },
          },
          inference: { preset: { name: 'phi-3-mini-128k-instruct' } },
        });
      }
      const counts = async () =>
        site.query<{ workspace: string; n: string }>(
          'kaito',
          `SELECT workspace, COUNT(*) AS n FROM kaito_runs WHERE workspace LIKE 'rep-gitops-%' GROUP BY workspace_uid, workspace`,
        );
      await eventually(async () => (await counts()).length === names.length, {
        timeoutMs: 30_000,
        what: 'a run for each of the twelve workspaces',
      });
      // Both replicas have had time to record what they saw.
      await new Promise(r => setTimeout(r, 3000));
      const rows = await counts();
      expect(rows).toHaveLength(names.length);
      expect(rows.every(r => Number(r.n) === 1)).toBe(true);
      const [{ items: viaA }, { items: viaB }] = await Promise.all([
        listRuns(a, CHATBOT),
        listRuns(b, CHATBOT),
      ]);
      const gitops = (runs: RunView[]) =>
        runs.filter(r => r.workspace.startsWith('rep-gitops-'));
      expect(gitops(viaA)).toHaveLength(names.length);
      expect(
        gitops(viaB)
          .map(r => r.id)
          .sort(),
      ).toEqual(
        gitops(viaA)
          .map(r => r.id)
          .sort(),
      );
    });

    it('audits each write once, on the replica that made it', () => {
      for (const [name, { created, deleted }] of writes) {
        const creates = site
          .auditEvents({
            plugin: 'kaito',
            eventId: 'workspace-create',
            status: 'succeeded',
          })
          .filter(e => e.meta?.name === name);
        const deletes = site
          .auditEvents({
            plugin: 'kaito',
            eventId: 'workspace-delete',
            status: 'succeeded',
          })
          .filter(e => e.meta?.name === name);
        expect(creates.map(e => e.replica)).toEqual([created]);
        expect(deletes.map(e => e.replica)).toEqual([deleted]);
      }
      // The watch-driven run history writes no audit events of its own.
      const gitops = site
        .auditEvents({ plugin: 'kaito' })
        .filter(e => String(e.meta?.name ?? '').startsWith('rep-gitops-'));
      expect(gitops).toEqual([]);
    });
  });
}
