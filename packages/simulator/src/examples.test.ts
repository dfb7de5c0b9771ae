import { join, resolve } from 'node:path';
import {
  startTestSimulator,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(120_000);

const EXAMPLES = resolve(__dirname, '../../../examples/kaito');

/**
 * The example manifests in examples/kaito work as documented: kubectl apply,
 * kubectl wait for WorkspaceSucceeded, then a chat through the service proxy
 * answered by the tuned adapter.
 */
describe('examples/kaito', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 1000 });
  });

  afterAll(() => sim?.close());

  const ok = async (...args: string[]) => {
    const result = await sim.kubectl(...args);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };

  it('tunes phi-3 with QLoRA, then serves it with the adapter', async () => {
    await ok(
      'create',
      'secret',
      'docker-registry',
      'acr-push-secret',
      '--docker-server=myregistry.azurecr.io',
      '--docker-username=00000000-0000-0000-0000-000000000000',
      '--docker-password=not-a-real-password',
    );
    expect(
      await ok('apply', '-f', join(EXAMPLES, 'tuning-phi-3-qlora.yaml')),
    ).toContain('workspace.kaito.sh/workspace-tuning-phi-3 created');
    expect(
      await ok(
        'wait',
        '--for=condition=WorkspaceSucceeded',
        'workspace/workspace-tuning-phi-3',
        '--timeout=60s',
      ),
    ).toContain('workspace.kaito.sh/workspace-tuning-phi-3 condition met');

    const tuned = JSON.parse(
      await ok('get', 'workspace', 'workspace-tuning-phi-3', '-o', 'json'),
    );
    expect(tuned.status.state).toBe('Succeeded');
    expect(
      tuned.metadata.annotations['simulator.kaito.sh/tuning-output'],
    ).toMatch(
      /^myregistry\.azurecr\.io\/adapters\/phi-3-qlora:0\.0\.1@sha256:/,
    );

    expect(
      await ok('apply', '-f', join(EXAMPLES, 'inference-phi-3-adapter.yaml')),
    ).toContain('workspace.kaito.sh/workspace-phi-3-adapter created');
    await ok(
      'wait',
      '--for=condition=WorkspaceSucceeded',
      'workspace/workspace-phi-3-adapter',
      '--timeout=60s',
    );

    const models = JSON.parse(
      await ok(
        'get',
        '--raw',
        '/api/v1/namespaces/default/services/workspace-phi-3-adapter:80/proxy/v1/models',
      ),
    );
    expect(models.data.map((m: { id: string }) => m.id)).toEqual([
      'phi-3-mini-128k-instruct',
      'phi-3-qlora',
    ]);

    const reply = await sim.kubeRequest(
      'POST',
      '/api/v1/namespaces/default/services/workspace-phi-3-adapter:80/proxy/v1/chat/completions',
      {
        model: 'phi-3-qlora',
        messages: [{ role: 'user', content: 'Summarize our refund policy.' }],
      },
    );
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).choices[0].message.content).toBe(
      '[phi-3-mini-128k-instruct + adapter phi-3-qlora] You said: Summarize our refund policy.',
    );
  });
});
