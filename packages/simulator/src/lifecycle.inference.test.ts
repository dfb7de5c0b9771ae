import {
  condition,
  eventually,
  inferenceWorkspace,
  startTestSimulator,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(60_000);

const proxy = (name: string, path: string) =>
  `/api/v1/namespaces/ml/services/${name}:80/proxy${path}`;

/**
 * An inference workspace with a LoRA adapter, end to end: StatefulSet, pod
 * and Services as KAITO makes them, InferenceReady then WorkspaceSucceeded,
 * and the OpenAI-compatible API through the API server's service proxy.
 */
describe('inference workspace with an adapter', () => {
  let sim: TestSimulator;
  const earlyReplies: number[] = [];

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 400 });
    await sim.createNamespace('ml');
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('chat', {
        inference: {
          preset: { name: 'phi-3-mini-128k-instruct' },
          adapters: [
            {
              source: {
                name: 'tuned-phi3',
                image: 'myregistry.azurecr.io/adapters/tuned-phi3:0.0.1',
              },
            },
          ],
        },
      }),
    });
    // Ask before the model is served: 404 until KAITO made the Service, then
    // the proxy answers 503 until the pod is Ready.
    await eventually(async () => {
      const reply = await sim.kubeRequest('GET', proxy('chat', '/v1/models'));
      if (reply.status !== 404) earlyReplies.push(reply.status);
      return reply.status === 503 || reply.status === 200 ? true : undefined;
    });
  });

  afterAll(() => sim?.close());

  it('becomes Ready through InferenceReady and WorkspaceSucceeded', async () => {
    const ws = await sim.waitForWorkspace(
      'ml',
      'chat',
      w => w.status?.state === 'Ready',
      45_000,
    );
    expect(condition(ws, 'InferenceReady')).toMatchObject({
      status: 'True',
      reason: 'WorkspaceInferenceStatusSuccess',
    });
    expect(condition(ws, 'WorkspaceSucceeded')).toMatchObject({
      status: 'True',
      reason: 'workspaceSucceeded',
    });
    expect(condition(ws, 'JobStarted')).toBeUndefined();
    expect(earlyReplies[0]).toBe(503);
  });

  it('runs a StatefulSet, pod <ws>-0 and the two Services', async () => {
    const sts = await sim.apps.readNamespacedStatefulSet({
      namespace: 'ml',
      name: 'chat',
    });
    expect(sts.spec?.serviceName).toBe('chat-headless');
    expect(sts.status?.readyReplicas).toBe(1);
    const pod = await sim.core.readNamespacedPod({
      namespace: 'ml',
      name: 'chat-0',
    });
    expect(pod.metadata?.labels?.['kaito.sh/workspace']).toBe('chat');
    expect(pod.spec?.initContainers?.map(c => c.name)).toEqual([
      'puller-tuned-phi3',
    ]);
    expect(pod.status?.conditions?.find(c => c.type === 'Ready')?.status).toBe(
      'True',
    );
    const svc = await sim.core.readNamespacedService({
      namespace: 'ml',
      name: 'chat',
    });
    expect(svc.spec?.ports?.find(p => p.name === 'http')).toMatchObject({
      port: 80,
      targetPort: 5000,
    });
    expect(svc.spec?.selector).toEqual({
      'kaito.sh/workspace': 'chat',
      'statefulset.kubernetes.io/pod-name': 'chat-0',
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.0\.\d+\.\d+$/);
    const headless = await sim.core.readNamespacedService({
      namespace: 'ml',
      name: 'chat-headless',
    });
    expect(headless.spec?.clusterIP).toBe('None');
    const log = await sim.core.readNamespacedPodLog({
      namespace: 'ml',
      name: 'chat-0',
      container: 'chat',
    });
    expect(log).toContain(
      "Loaded new LoRA adapter: name 'tuned-phi3', path '/mnt/adapter/tuned-phi3'",
    );
    expect(log).toContain('INFO:     Application startup complete.');
  });

  it('serves /health and /v1/models with the adapter as a LoRA model', async () => {
    expect(
      (await sim.kubeRequest('GET', proxy('chat', '/health'))).status,
    ).toBe(200);
    const models = JSON.parse(
      (await sim.kubeRequest('GET', proxy('chat', '/v1/models'))).body,
    );
    expect(models.data.map((m: any) => [m.id, m.parent])).toEqual([
      ['phi-3-mini-128k-instruct', null],
      ['tuned-phi3', 'phi-3-mini-128k-instruct'],
    ]);
  });

  it('answers chat completions naming the model and adapter, with usage', async () => {
    const reply = await sim.kubeRequest(
      'POST',
      proxy('chat', '/v1/chat/completions'),
      {
        model: 'tuned-phi3',
        messages: [
          { role: 'system', content: 'You are a support bot.' },
          { role: 'user', content: 'Where is my order?' },
        ],
      },
    );
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body);
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('tuned-phi3');
    expect(body.choices[0].message.content).toBe(
      '[phi-3-mini-128k-instruct + adapter tuned-phi3] You said: Where is my order?',
    );
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.total_tokens).toBe(
      body.usage.prompt_tokens + body.usage.completion_tokens,
    );
    expect(body.usage.completion_tokens).toBeGreaterThan(5);

    const again = JSON.parse(
      (
        await sim.kubeRequest('POST', proxy('chat', '/v1/chat/completions'), {
          model: 'tuned-phi3',
          messages: [
            { role: 'system', content: 'You are a support bot.' },
            { role: 'user', content: 'Where is my order?' },
          ],
        })
      ).body,
    );
    expect(again.choices[0].message.content).toBe(
      body.choices[0].message.content,
    );

    const base = JSON.parse(
      (
        await sim.kubeRequest('POST', proxy('chat', '/v1/chat/completions'), {
          model: 'phi-3-mini-128k-instruct',
          messages: [{ role: 'user', content: 'hi' }],
        })
      ).body,
    );
    expect(base.choices[0].message.content).toBe(
      '[phi-3-mini-128k-instruct] You said: hi',
    );

    const unknown = await sim.kubeRequest(
      'POST',
      proxy('chat', '/v1/chat/completions'),
      {
        model: 'gpt-4',
        messages: [{ role: 'user', content: 'hi' }],
      },
    );
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({
      object: 'error',
      type: 'NotFoundError',
      message: 'The model `gpt-4` does not exist.',
    });
  });

  it('streams chat completions as server-sent events ending with [DONE]', async () => {
    const chunks: string[] = [];
    const reply = await sim.kubeRequest(
      'POST',
      proxy('chat', '/v1/chat/completions'),
      {
        model: 'tuned-phi3',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Stream this please' }],
      },
      chunk => chunks.push(chunk),
    );
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = reply.body.split('\n\n').filter(Boolean);
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const payloads = events
      .slice(0, -1)
      .map(e => JSON.parse(e.replace(/^data: /, '')));
    expect(payloads[0].choices[0].delta.role).toBe('assistant');
    const text = payloads.map(p => p.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe(
      '[phi-3-mini-128k-instruct + adapter tuned-phi3] You said: Stream this please',
    );
    expect(
      payloads.find(p => p.choices[0]?.finish_reason)?.choices[0].finish_reason,
    ).toBe('stop');
    expect(
      payloads[payloads.length - 1].usage.completion_tokens,
    ).toBeGreaterThan(0);
    expect(chunks.length).toBeGreaterThan(3);
  });

  it('logs each request in the server log', async () => {
    const log = await sim.core.readNamespacedPodLog({
      namespace: 'ml',
      name: 'chat-0',
      container: 'chat',
      tailLines: 20,
    });
    expect(log).toMatch(/"POST \/v1\/chat\/completions HTTP\/1\.1" 200 OK/);
  });

  it('answers 503 for a service without endpoints', async () => {
    await sim.core.createNamespacedService({
      namespace: 'ml',
      body: {
        metadata: { name: 'nothing' },
        spec: { selector: { app: 'none' }, ports: [{ port: 80 }] },
      },
    });
    const reply = await sim.kubeRequest('GET', proxy('nothing', '/v1/models'));
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toMatchObject({
      reason: 'ServiceUnavailable',
      message: 'no endpoints available for service "nothing"',
    });
  });
});
