import type { RunningSimulator } from '@kaito-backstage/simulator';
import { CHATBOT } from './goldenPath';
import { eventually } from './harness/eventually';
import type { ProductionSite } from './harness/ProductionSite';
import { TEAM_NAMESPACE } from './harness/ProductionSite';

type KubeObject = Awaited<ReturnType<RunningSimulator['store']['create']>>;

/** Workspaces of the suite created and deleted straight in the cluster (GitOps, kubectl). */
export class Churn {
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

  /** Run-history rows of the churn's workspaces, per uid. */
  rows() {
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
