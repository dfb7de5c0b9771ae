import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { CreateWorkspaceRequest } from '@kaito-backstage/plugin-kaito-common';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';
import { RunningSimulator } from '@kaito-backstage/simulator';
import {
  CLUSTER,
  ENTITY_REF,
  NAMESPACE,
  startDevSimulator,
  startKaito,
} from '../__testUtils__/harness';
import {
  actionContext,
  capturingLogger,
  checkpointStore,
  outputsOf,
  spyOnClient,
} from '../__testUtils__/context';
import { createWorkspaceDeleteAction } from './workspaceDelete';
import { CancelledError } from './waiting';

jest.setTimeout(60_000);

const credentials = mockCredentials.user();

function inference(name: string): CreateWorkspaceRequest {
  return {
    entityRef: ENTITY_REF,
    cluster: CLUSTER,
    namespace: NAMESPACE,
    name,
    resource: { instanceType: 'Standard_NC24ads_A100_v4' },
    inference: { preset: 'phi-3-mini-4k-instruct' },
  };
}

describe('kaito:workspace:delete', () => {
  let sim: RunningSimulator;
  let stopKaito: () => Promise<void>;
  let client: KaitoService;

  beforeAll(async () => {
    sim = await startDevSimulator();
    const started = await startKaito(sim);
    client = started.client;
    stopKaito = () => started.backend.stop();
  });

  afterAll(async () => {
    await stopKaito?.();
    await sim?.stop();
  });

  function run(
    input: Record<string, unknown>,
    options: Parameters<typeof actionContext>[1] & {
      onLine?: (line: string) => void;
    } = {},
  ) {
    const spy = spyOnClient(client);
    const log = capturingLogger(options.onLine);
    const ctx = actionContext(
      {
        cluster: CLUSTER,
        namespace: NAMESPACE,
        pollIntervalSeconds: 1,
        ...input,
      },
      { logger: log.logger, ...options },
    );
    return {
      spy,
      log,
      ctx,
      promise: createWorkspaceDeleteAction({ kaito: spy.kaito }).handler(ctx),
    };
  }

  const workspace = (name: string) =>
    sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: NAMESPACE,
      name,
    });

  it('deletes a workspace and waits until it is gone', async () => {
    await client.createWorkspace(inference('delete-me'), { credentials });
    const { promise, ctx, log } = run({ name: 'delete-me' });
    await promise;
    expect(outputsOf(ctx)).toEqual({
      existed: true,
      deleted: true,
      lastState: expect.any(String),
    });
    expect(workspace('delete-me')).toBeUndefined();
    expect(log.lines.join('\n')).toMatch(
      /Deleting inference workspace ml-team\/delete-me/,
    );
    expect(log.lines.join('\n')).toMatch(/is gone after/);
  });

  it('counts a missing workspace as deleted', async () => {
    const { promise, ctx, spy } = run({ name: 'never-was' });
    await promise;
    expect(outputsOf(ctx)).toEqual({ existed: false, deleted: true });
    expect(spy.count('deleteWorkspace')).toBe(0);
  });

  it('replays through stored checkpoints without deleting again', async () => {
    await client.createWorkspace(inference('delete-replay'), { credentials });
    const store = checkpointStore();
    await run({ name: 'delete-replay' }, { checkpoint: store.checkpoint })
      .promise;
    const replay = run(
      { name: 'delete-replay' },
      { checkpoint: store.checkpoint },
    );
    await replay.promise;
    expect(replay.spy.count('deleteWorkspace')).toBe(0);
    expect(outputsOf(replay.ctx)).toMatchObject({
      existed: true,
      deleted: true,
    });
  });

  it('stops waiting when cancelled; the deletion continues and the log says so', async () => {
    await client.createWorkspace(inference('delete-cancel'), { credentials });
    const controller = new AbortController();
    const { promise } = run(
      { name: 'delete-cancel' },
      {
        signal: controller.signal,
        onLine: line => {
          if (line.startsWith('Deleting')) controller.abort();
        },
      },
    );
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toContain(
      'the deletion was accepted and KAITO finishes it in the background',
    );
  });

  it('does not wait when told not to', async () => {
    await client.createWorkspace(inference('delete-nowait'), { credentials });
    const { promise, ctx, log } = run({ name: 'delete-nowait', wait: false });
    await promise;
    expect(outputsOf(ctx)).toMatchObject({ existed: true });
    expect(log.lines.join('\n')).toContain(
      'KAITO finishes it in the background',
    );
  });

  it('makes no call on a dry run', async () => {
    const { promise, ctx, spy } = run({ name: 'anything' }, { isDryRun: true });
    await promise;
    expect(spy.calls).toEqual([]);
    expect(outputsOf(ctx)).toEqual({ existed: true, deleted: true });
  });

  it.each([
    [{ name: '' }, 'name', 'field.required'],
    [{ name: 'x', cluster: '' }, 'cluster', 'field.required'],
    [{ name: 'x', namespace: 'ML' }, 'namespace', 'namespace.dns-label'],
  ])('rejects %j before any call', async (input, field, rule) => {
    const { promise, spy } = run(input);
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`- ${field}: `);
    expect(error.message).toContain(`[${rule}]`);
    expect(spy.calls).toEqual([]);
  });
});
