/*
 * Issue 14: the suite run the way production runs it. One site for every
 * test below (starting two full backends is the slow part): the simulator,
 * one PostgreSQL database set and two replicas of packages/backend with
 * app-config.yaml + app-config.production.yaml. The tests run in order;
 * the recovery tests, which kill replicas, come last.
 */
import { faultTests } from './faults';
import { ProductionSite } from './harness/ProductionSite';
import { recoveryTests } from './recovery';
import { replicaTests } from './replicas';

let site: ProductionSite | undefined;

beforeAll(async () => {
  site = await ProductionSite.start({ name: 'site', catalogRefreshSeconds: 3 });
});

afterAll(async () => {
  if (site) {
    const [{ n }] = await site.query<{ n: string }>(
      'kaito',
      'SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname LIKE ?',
      [`${site.databasePrefix}%`],
    );
    // A figure for the notes: what the replicas hold open at the end.
    console.log(`PostgreSQL connections held by the site at the end: ${n}`);
  }
  await site?.stop();
});

const getSite = () => {
  if (!site) throw new Error('the production site did not start');
  return site;
};

replicaTests(getSite);
faultTests(getSite);
recoveryTests(getSite);
