/*
 * Issue 11 through each kaito:* action: an unknown input is refused,
 * naming it and the closest known input, before any call; a typo of
 * `dryRun` never becomes a real create; a wrong type names the expected
 * one; `dryRun: true` is the backend's dry run. Against the real KAITO
 * backend and the simulator (cluster and ARM), checked in the simulator.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';
import { RunningSimulator } from '@kaito-backstage/simulator';
import {
  CLUSTER,
  ENTITY_REF,
  NAMESPACE,
  recordArmPoolWrites,
  startDevSimulator,
  startKaito,
} from '../__testUtils__/harness';
import {
  actionContext,
  capturingLogger,
  outputsOf,
  spyOnClient,
} from '../__testUtils__/context';
import { createGpuPoolEnsureAction } from './gpuPoolEnsure';
import { createWorkspaceCreateAction } from './workspaceCreate';
import { createWorkspaceDeleteAction } from './workspaceDelete';
import { createWorkspaceWaitAction } from './workspaceWait';

jest.setTimeout(90_000);

const A100 = 'Standard_NC24ads_A100_v4';
const WORKSPACES = {
  group: 'kaito.sh',
  plural: 'workspaces',
  namespace: NAMESPACE,
};

const serveInput = (extra: Record<string, unknown> = {}) => ({
  entityRef: ENTITY_REF,
  cluster: CLUSTER,
  namespace: NAMESPACE,
  name: 'strict-serve',
  instanceType: A100,
  inference: { preset: 'phi-4-mini-instruct' },
  ...extra,
});

const existing = (extra: Record<string, unknown> = {}) => ({
  cluster: CLUSTER,
  namespace: NAMESPACE,
  name: 'strict-existing',
  ...extra,
});

type Factory = (options: { kaito: KaitoService }) => {
  handler: (ctx: any) => Promise<void>;
};

describe('strict inputs of the kaito:* actions (issue 11)', () => {
  let sim: RunningSimulator;
  let stopKaito: () => Promise<void>;
  let client: KaitoService;
  let armWrites: string[];

  const workspaceNames = () =>
    sim.store
      .list(WORKSPACES)
      .items.map(w => w.metadata.name)
      .sort();

  beforeAll(async () => {
    sim = await startDevSimulator();
    const started = await startKaito(sim);
    client = started.client;
    stopKaito = () => started.backend.stop();
    armWrites = recordArmPoolWrites(sim);
    // A workspace for wait and delete to name.
    await client.createWorkspace(
      {
        entityRef: ENTITY_REF,
        cluster: CLUSTER,
        namespace: NAMESPACE,
        name: 'strict-existing',
        resource: { instanceType: A100 },
        inference: { preset: 'phi-4-mini-instruct' },
      },
      { credentials: mockCredentials.user() },
    );
  });

  afterAll(async () => {
    await stopKaito?.();
    await sim?.stop();
  });

  function run(
    factory: Factory,
    input: Record<string, unknown>,
    options: Parameters<typeof actionContext>[1] = {},
  ) {
    const spy = spyOnClient(client);
    const log = capturingLogger();
    const ctx = actionContext(input, { logger: log.logger, ...options });
    const action = factory({
      kaito: spy.kaito,
      discovery: {
        getExternalBaseUrl: async (id: string) =>
          `http://localhost:7007/api/${id}`,
        getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
      },
    } as any);
    return { spy, log, ctx, promise: action.handler(ctx) };
  }

  const rows: Array<{
    what: string;
    factory: Factory;
    input: Record<string, unknown>;
    field: string;
    /** The closest known input the message names, if any. */
    meant?: string;
    rule: string;
    text: string;
  }> = [
    {
      what: 'create: "dryrun" (a typo of dryRun)',
      factory: createWorkspaceCreateAction as Factory,
      input: serveInput({ dryrun: true }),
      field: 'dryrun',
      meant: 'dryRun',
      rule: 'field.unknown',
      text: 'is not a field of the input of kaito:workspace:create; did you mean dryRun?',
    },
    {
      what: 'create: an unknown nested input (tuning has no adapters)',
      factory: createWorkspaceCreateAction as Factory,
      input: serveInput({
        inference: undefined,
        tuning: {
          preset: 'phi-3-mini-4k-instruct',
          method: 'qlora',
          input: { urls: ['https://example.com/data.jsonl'] },
          output: { volume: 'adapters' },
          adapters: [{ image: 'registry.example.com/a:v1' }],
        },
      }),
      field: 'tuning.adapters',
      rule: 'field.unknown',
      text: 'is not a field of tuning (its fields:',
    },
    {
      what: 'create: a misspelt nested input',
      factory: createWorkspaceCreateAction as Factory,
      input: serveInput({
        inference: { preset: 'phi-4-mini-instruct', runtim: 'vllm' },
      }),
      field: 'inference.runtim',
      meant: 'runtime',
      rule: 'field.unknown',
      text: 'did you mean runtime?',
    },
    {
      what: 'create: a wrong type names the expected one',
      factory: createWorkspaceCreateAction as Factory,
      input: serveInput({ count: 'two' }),
      field: 'count',
      rule: 'field.type',
      text: 'count: must be a number (got a string)',
    },
    {
      what: 'ensure: "dryrun"',
      factory: createGpuPoolEnsureAction as Factory,
      input: { cluster: CLUSTER, vmSize: A100, dryrun: true },
      field: 'dryrun',
      meant: 'dryRun',
      rule: 'field.unknown',
      text: 'did you mean dryRun?',
    },
    {
      what: 'ensure: a misspelt pool workspace field',
      factory: createGpuPoolEnsureAction as Factory,
      input: {
        cluster: CLUSTER,
        vmSize: A100,
        workspace: { namespace: NAMESPACE, name: 'x', nam: 'y' },
      },
      field: 'workspace.nam',
      meant: 'name',
      rule: 'field.unknown',
      text: 'did you mean name?',
    },
    {
      what: 'ensure: "minCnt"',
      factory: createGpuPoolEnsureAction as Factory,
      input: { cluster: CLUSTER, vmSize: A100, minCnt: 0 },
      field: 'minCnt',
      meant: 'minCount',
      rule: 'field.unknown',
      text: 'did you mean minCount?',
    },
    {
      what: 'wait: "timeoutMinute"',
      factory: createWorkspaceWaitAction as Factory,
      input: existing({ timeoutMinute: 1 }),
      field: 'timeoutMinute',
      meant: 'timeoutMinutes',
      rule: 'field.unknown',
      text: 'did you mean timeoutMinutes?',
    },
    {
      what: 'delete: "wai"',
      factory: createWorkspaceDeleteAction as Factory,
      input: existing({ wai: false }),
      field: 'wai',
      meant: 'wait',
      rule: 'field.unknown',
      text: 'did you mean wait?',
    },
    {
      what: 'delete: a wrong type',
      factory: createWorkspaceDeleteAction as Factory,
      input: existing({ wait: 'no' }),
      field: 'wait',
      rule: 'field.type',
      text: 'must be true or false (got a string)',
    },
  ];

  it.each(rows)(
    '$what: refused before any call, nothing changes',
    async row => {
      const before = workspaceNames();
      const writesBefore = armWrites.length;
      const { promise, spy } = run(row.factory, row.input);
      const error = await promise.catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(`\n- ${row.field}: `);
      expect(error.message).toContain(row.text);
      expect(error.message).toContain(`[${row.rule}]`);
      expect(error.message.includes(`did you mean ${row.meant}?`)).toBe(
        Boolean(row.meant),
      );
      expect(spy.calls).toEqual([]);
      expect(workspaceNames()).toEqual(before);
      expect(armWrites.length).toBe(writesBefore);
    },
  );

  it('create: dryRun: true is the backend’s dry run (the cluster’s too), nothing is created', async () => {
    const before = workspaceNames();
    const { promise, spy, log, ctx } = run(
      createWorkspaceCreateAction as Factory,
      serveInput({ name: 'strict-dry', dryRun: true }),
    );
    await promise;
    expect(spy.calls).toEqual(['createWorkspace']);
    expect(log.lines[0]).toContain(
      'Dry run: would create the inference workspace ml-team/strict-dry',
    );
    // The manifest the API server would store (its dry run fills in what
    // the server sets, e.g. the uid and creation time).
    const manifest = JSON.parse(log.lines[0].split('Manifest: ')[1]);
    expect(manifest.metadata).toMatchObject({
      name: 'strict-dry',
      namespace: NAMESPACE,
    });
    expect(manifest.metadata.creationTimestamp).toEqual(expect.any(String));
    expect(outputsOf(ctx)).toMatchObject({
      name: 'strict-dry',
      created: false,
    });
    expect(workspaceNames()).toEqual(before);
  });

  it('create: a dry run is refused exactly like the create', async () => {
    const refused = (dryRun: boolean) =>
      run(
        createWorkspaceCreateAction as Factory,
        serveInput({ name: 'strict-dry', namespace: 'other-team', dryRun }),
      ).promise.catch(e => e);
    const dry = await refused(true);
    const real = await refused(false);
    expect(dry.message).toContain('[namespace.entity-namespace]');
    expect(dry.message).toBe(real.message);
    expect(workspaceNames()).not.toContain('strict-dry');
  });

  it('ensure: dryRun: true asks the backend (permission, SKU, quota) and writes nothing to ARM', async () => {
    const writesBefore = armWrites.length;
    const { promise, spy, log, ctx } = run(
      createGpuPoolEnsureAction as Factory,
      { cluster: CLUSTER, vmSize: A100, dryRun: true },
    );
    await promise;
    expect(spy.calls).toEqual(['ensureGpuPool']);
    expect(log.lines.join('\n')).toContain('Dry run: would create GPU pool');
    expect(log.lines.join('\n')).toContain('vCPU quota OK');
    expect(outputsOf(ctx)).toMatchObject({
      poolName: 'nc24adsa100',
      created: false,
      nodeProvisioning: 'pool',
    });
    expect(armWrites.length).toBe(writesBefore);
    expect(sim.arm.getAgentPool('nc24adsa100')).toBeUndefined();
  });
});
