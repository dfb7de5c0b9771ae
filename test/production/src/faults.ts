/*
 * The golden path (fine-tune-model through the scaffolder of a replica)
 * under each simulator fault, one at a time and then all together. Faults
 * are set through the simulator's admin endpoint, as an operator running a
 * game day would.
 */
import type { FaultsPatch } from '@kaito-backstage/simulator';
import type { ListWorkspacesResponse } from '@kaito-backstage/plugin-kaito-common';
import {
  CHATBOT,
  cleanUp,
  expectGoldenPathState,
  fineTuneValues,
  listWorkspaces,
} from './goldenPath';
import { eventually } from './harness/eventually';
import type { ProductionSite } from './harness/ProductionSite';
import type { SiteClient } from './harness/SiteClient';
import { CLUSTER } from './harness/siteConfig';

/** How long the Kubernetes API stays down in the outage cases (the 60 s). */
const OUTAGE_MS = 60_000;

async function setFaults(
  site: ProductionSite,
  method: 'PATCH' | 'PUT',
  faults: FaultsPatch,
) {
  const res = await fetch(`${site.sim.adminUrl}/_sim/faults`, {
    method,
    headers: {
      Authorization: `Bearer ${site.sim.token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(faults),
  });
  if (!res.ok)
    throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}

const CASES: [string, FaultsPatch][] = [
  [
    'an ARM 429 storm with Retry-After',
    { armThrottling: { count: 12, retryAfterSeconds: 1 } },
  ],
  ['409 OperationNotAllowed on GPU pool writes', { armConflict: { count: 3 } }],
  ['watch streams dropped every 3 s', { watchDrop: { everyMs: 3000 } }],
  [
    '300 ms added to every Kubernetes and ARM request',
    { latencyMs: { kube: 300, arm: 300 } },
  ],
];

export function faultTests(getSite: () => ProductionSite) {
  describe('the golden path under simulator faults', () => {
    let site: ProductionSite;
    let runs = 0;

    beforeAll(() => {
      site = getSite();
    });

    afterEach(async () => {
      await setFaults(site, 'PUT', {});
    });

    /** Runs fine-tune-model through one replica (alternating) while `during` runs. */
    async function expectGoldenPathCompletes(
      faults: FaultsPatch,
      during?: (taskId: string) => Promise<void>,
    ) {
      const replica = site.replicas[runs++ % site.replicas.length];
      const client = site.client(replica);
      await cleanUp(site, client);
      await setFaults(site, 'PUT', faults);
      const taskId = await client.startTask(
        'fine-tune-model',
        fineTuneValues(),
      );
      await during?.(taskId);
      const done = await client.waitTaskDone(taskId, 480_000);
      expect({ status: done.status, log: done.log }).toEqual({
        status: 'completed',
        log: done.log,
      });
      await setFaults(site, 'PUT', {});
      await expectGoldenPathState(site, client, 'support-chatbot', CHATBOT);
    }

    /**
     * Takes the Kubernetes API down for the outage while the tuning run is
     * followed; meanwhile both replicas keep answering with the last state
     * they saw, marked stale and naming the cluster.
     */
    async function outage(taskId: string) {
      const clients = site.replicas.map(r => site.client(r));
      await clients[0].waitStepStarted(taskId, 'wait-tuning');
      const before = await listWorkspaces(clients[0], CHATBOT);
      await setFaults(site, 'PATCH', { kubeApiDown: true });
      const downSince = Date.now();
      const freshness = async (client: SiteClient) => {
        const list: ListWorkspacesResponse = await listWorkspaces(client, CHATBOT);
        return {
          list,
          cluster: list.clusters.find(c => c.cluster === CLUSTER),
        };
      };
      for (const client of clients) {
        const { list } = await eventually(
          async () => {
            const answer = await freshness(client);
            return answer.cluster?.stale ? answer : undefined;
          },
          {
            timeoutMs: 30_000,
            what: `replica ${client.replica.name} to mark ${CLUSTER} stale`,
          },
        );
        expectLastKnownState(list, before);
      }
      await new Promise(r =>
        setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))),
      );
      await setFaults(site, 'PATCH', { kubeApiDown: false });
      // It recovers by itself: fresh again on both replicas.
      for (const client of clients) {
        await eventually(
          async () => (await freshness(client)).cluster?.stale === false,
          {
            timeoutMs: 60_000,
            what: `replica ${client.replica.name} to see ${CLUSTER} fresh again`,
          },
        );
      }
    }

    it.each(CASES)('completes under %s', async (_name, faults) => {
      await expectGoldenPathCompletes(faults);
    });

    it('completes while the Kubernetes API is down for 60 s; the replicas show the last known state, marked stale, and recover by themselves', async () => {
      await expectGoldenPathCompletes({}, outage);
    });

    it('completes under every fault at once, the 60 s outage included', async () => {
      await expectGoldenPathCompletes(
        Object.assign({}, ...CASES.map(([, faults]) => faults)),
        outage,
      );
    });
  });
}

/** During the outage the list still has every workspace it had, stale, with no error for the cluster. */
function expectLastKnownState(
  view: ListWorkspacesResponse,
  before: ListWorkspacesResponse,
) {
  expect(view.items.map(w => w.name).sort()).toEqual(
    before.items.map(w => w.name).sort(),
  );
  expect(view.errors).toEqual([]);
  const freshness = view.clusters.find(c => c.cluster === CLUSTER)!;
  expect(freshness).toMatchObject({ cluster: CLUSTER, stale: true });
  expect(freshness.lastSyncedAt).toBeDefined();
  expect(freshness.staleSince).toBeDefined();
  expect(freshness.message).toMatch(new RegExp(`"${CLUSTER}"`));
}
