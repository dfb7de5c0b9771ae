/**
 * KAITO v0.12.0's own validation tables (kaito-project/kaito, tag v0.12.0:
 * api/v1beta1 and api/v1alpha1 `workspace_validation_test.go`,
 * test/e2e/webhook_test.go), ported row by row and judged from outside:
 * every row goes to the simulator's Kubernetes API through
 * @kubernetes/client-node, and its answer (status code, reason and message)
 * must be what KAITO behind a real API server answers. Each row names the
 * Go test and case it comes from; `note` says where the whole request's
 * verdict differs from the Go function's and why.
 */
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { createSimulatorTls, type SimulatorTls } from './arm/tls';
import { allRows } from './kaito/admission/__tables__/allRows';
import {
  KAITO_TEST_CONFIG_MAPS,
  KAITO_TEST_NAMESPACE,
  kaitoTestModels,
} from './kaito/admission/__tables__/preconditions';
import type {
  Outcome,
  TableRow,
  TableSetup,
} from './kaito/admission/__tables__/tableRow';
import {
  eventually,
  startTestSimulator,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(120_000);

const setupKey = (setup: TableSetup) =>
  JSON.stringify([
    setup.nodeProvisioner,
    setup.featureGates ?? {},
    setup.testValidationSize ?? '',
  ]);

const groups = new Map<string, { setup: TableSetup; rows: TableRow[] }>();
for (const row of allRows) {
  const key = setupKey(row.setup);
  const group = groups.get(key) ?? { setup: row.setup, rows: [] };
  group.rows.push(row);
  groups.set(key, group);
}

let tls: SimulatorTls;
beforeAll(async () => {
  tls = await createSimulatorTls();
});

it('ports at least 150 rows, 120 creates and 30 updates or ConfigMap-backed ones, each naming its Go test', () => {
  const updates = allRows.filter(r => r.before);
  const configMapBacked = allRows.filter(
    r => !r.before && JSON.stringify(r.workspace).includes('"config"'),
  );
  expect(allRows.length).toBeGreaterThanOrEqual(150);
  expect(allRows.length - updates.length).toBeGreaterThanOrEqual(120);
  expect(updates.length + configMapBacked.length).toBeGreaterThanOrEqual(30);
  for (const row of allRows) {
    expect(row.goTest).toMatch(/^Test\w+$|^It /);
    expect(row.goCase.length).toBeGreaterThan(0);
  }
});

type Answer = { admitted: true } | { code: number; reason: string; message: string };

async function send(
  sim: TestSimulator,
  row: TableRow,
  resourceVersion?: string,
): Promise<Answer> {
  const version = row.version ?? 'v1beta1';
  const body = {
    ...row.workspace,
    apiVersion: `kaito.sh/${version}`,
    kind: 'Workspace',
    metadata: {
      ...row.workspace.metadata,
      ...(resourceVersion ? { resourceVersion } : {}),
    },
  };
  const target = {
    ...WS,
    version,
    namespace: row.workspace.metadata.namespace ?? 'kaito',
    dryRun: 'All',
  };
  try {
    if (resourceVersion) {
      await sim.custom.replaceNamespacedCustomObject({
        ...target,
        name: row.workspace.metadata.name,
        body,
      });
    } else {
      await sim.custom.createNamespacedCustomObject({ ...target, body });
    }
    return { admitted: true };
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const status = JSON.parse(error.body as string);
    return { code: error.code, reason: status.reason, message: status.message };
  }
}

/** The old object of an UPDATE row: created through the API, or restored as an earlier KAITO stored it. */
async function storeBefore(sim: TestSimulator, row: TableRow): Promise<string> {
  const before = row.before!.workspace;
  const namespace = before.metadata.namespace ?? 'kaito';
  const version = row.version ?? 'v1beta1';
  const body = {
    ...before,
    apiVersion: `kaito.sh/${version}`,
    kind: 'Workspace',
    metadata: { ...before.metadata, namespace },
  };
  if (row.before!.restore) {
    await sim.store.restore({ ...body, apiVersion: 'kaito.sh/v1beta1' });
  } else {
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      version,
      namespace,
      body,
    });
  }
  const stored = await sim.custom.getNamespacedCustomObject({
    ...WS,
    version,
    namespace,
    name: before.metadata.name,
  });
  return stored.metadata.resourceVersion;
}

async function currentVersion(sim: TestSimulator, row: TableRow) {
  const stored = await sim.custom.getNamespacedCustomObject({
    ...WS,
    version: row.version ?? 'v1beta1',
    namespace: row.workspace.metadata.namespace ?? 'kaito',
    name: row.workspace.metadata.name,
  });
  return stored.metadata.resourceVersion as string;
}

groups.forEach(({ setup, rows }) => {
  describe(`KAITO with --node-provisioner=${setup.nodeProvisioner}${
    setup.featureGates
      ? ` --feature-gates=${Object.entries(setup.featureGates)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`
      : ''
  }, test-validation weights "${setup.testValidationSize ?? ''}"`, () => {
    let sim: TestSimulator;
    let core: CoreV1Api;
    let systemNode: string;

    beforeAll(async () => {
      sim = await startTestSimulator({
        tls,
        timeScale: 1,
        nodeProvisioner: setup.nodeProvisioner,
        featureGates: setup.featureGates,
        models: kaitoTestModels(setup.testValidationSize ?? ''),
      });
      core = sim.core;
      await sim.createNamespace('kaito');
      for (const [name, data] of Object.entries(KAITO_TEST_CONFIG_MAPS)) {
        await core.createNamespacedConfigMap({
          namespace: KAITO_TEST_NAMESPACE,
          body: { metadata: { name }, data },
        });
      }
      // The AKS system pool's node (it joins shortly after start).
      systemNode = await eventually(async () => {
        const nodes = await core.listNode({ labelSelector: 'agentpool=nodepool1' });
        return nodes.items[0]?.metadata?.name;
      });
    });

    afterAll(() => sim?.close());

    it.each(rows.map(row => [`${row.goTest} › ${row.goCase}`, row] as const))(
      '%s',
      async (_title, row) => {
        for (const node of row.nodes ?? []) {
          await core.createNode({
            body: { metadata: { name: node.name, labels: node.labels } },
          });
        }
        try {
          const resourceVersion = row.before
            ? await storeBefore(sim, row)
            : undefined;
          const expected: Outcome =
            typeof row.expect === 'function'
              ? row.expect({ systemNode })
              : row.expect;
          let answer = await send(sim, row, resourceVersion);
          // KAITO's controller may write the stored object meanwhile (finalizer): read and retry, as clients do.
          for (let i = 0; i < 5 && row.before && 'code' in answer && answer.code === 409; i++) {
            answer = await send(sim, row, await currentVersion(sim, row));
          }
          expect(answer).toEqual(expected);
        } finally {
          for (const node of row.nodes ?? []) {
            await core.deleteNode({ name: node.name });
          }
        }
      },
    );
  });
});
