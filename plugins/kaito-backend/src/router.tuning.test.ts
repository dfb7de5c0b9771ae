import { RunningSimulator } from '@kaito-backstage/simulator';
import http from 'node:http';
import request from 'supertest';
import {
  eventually,
  simulatorConfig,
  startKaitoBackend,
  startTeamSimulator,
  TEAM_NAMESPACE,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const BASE = '/api/kaito';
const WS = `${BASE}/clusters/sim/namespaces/ml-team/workspaces/tune-phi`;

describe('workspaces: a tuning run against the simulator', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;

  beforeAll(async () => {
    sim = await startTeamSimulator({ timeScale: 400, seed: 'none' });
    backend = await startKaitoBackend({ config: simulatorConfig(sim) });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('creates a tuning workspace and shows progress, the loss series and the outcome', async () => {
    const create = await request(backend.server)
      .post(`${BASE}/workspaces`)
      .send({
        entityRef: 'component:default/chatbot',
        cluster: 'sim',
        namespace: TEAM_NAMESPACE,
        name: 'tune-phi',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        tuning: {
          preset: 'phi-4-mini-instruct',
          method: 'qlora',
          input: { urls: ['https://example.com/datasets/support.jsonl'] },
          output: {
            image: 'registry.example.com/adapters/chatbot:v1',
            imagePushSecret: 'registry-push',
          },
        },
      });
    expect(create.status).toBe(201);
    expect(create.body.workspace).toMatchObject({ type: 'tuning', method: 'qlora' });

    // While it trains: step/total, epoch and a growing loss series.
    const running = await eventually(
      async () => {
        const res = await request(backend.server).get(WS);
        const progress = res.body.tuning?.progress;
        return res.body.state === 'Running' && progress?.loss?.length >= 2
          ? res.body
          : undefined;
      },
      { timeoutMs: 60_000, what: 'training progress' },
    );
    const progress = running.tuning.progress;
    expect(progress.totalSteps).toBeGreaterThan(progress.step - 1);
    expect(progress.step).toBeGreaterThan(0);
    expect(progress.fraction).toBeGreaterThan(0);
    expect(progress.loss[0]).toEqual({
      step: expect.any(Number),
      epoch: expect.any(Number),
      loss: expect.any(Number),
      learningRate: expect.any(Number),
    });
    expect(running.tuning.outputImage).toBe('registry.example.com/adapters/chatbot:v1');
    expect(running.job).toMatchObject({ name: 'tune-phi', active: 1 });
    expect(running.pods[0].name).toMatch(/^tune-phi-/);

    // Following the log streams lines as the trainer writes them.
    const followed = await followFor(`${WS}/logs?follow=true&tailLines=1`, 1500);
    expect(followed.status).toBe(200);
    expect(followed.text.split('\n').filter(Boolean).length).toBeGreaterThan(1);

    const done = await eventually(
      async () => {
        const res = await request(backend.server).get(WS);
        return res.body.state === 'Succeeded' ? res.body : undefined;
      },
      { timeoutMs: 90_000, what: 'the run to succeed' },
    );
    expect(done.tuning.progress.trainLoss).toEqual(expect.any(Number));
    expect(done.tuning.progress.step).toBe(done.tuning.progress.totalSteps);
    expect(done.tuning.progress.loss.length).toBeGreaterThan(progress.loss.length);
    expect(done.finishedAt).toEqual(expect.any(String));
    expect(done.usage.gpuHours).toBeGreaterThan(0);

    const runs = await eventually(async () => {
      const res = await request(backend.server).get(
        `${BASE}/runs?entityRef=component:default/chatbot`,
      );
      return res.body.items[0]?.outcome === 'succeeded' ? res.body.items : undefined;
    });
    expect(runs[0]).toMatchObject({
      mode: 'tuning',
      tuningMethod: 'qlora',
      outputImage: 'registry.example.com/adapters/chatbot:v1',
      state: 'Succeeded',
      outcome: 'succeeded',
      finishedAt: expect.any(String),
      active: false,
    });
  });

  /** GETs a streaming response for `ms`, then hangs up. */
  function followFor(path: string, ms: number) {
    const address = backend.server.address() as { port: number };
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${address.port}${path}`, res => {
        let text = '';
        res.on('data', chunk => {
          text += chunk.toString();
        });
        setTimeout(() => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text });
        }, ms);
      });
      req.on('error', reject);
    });
  }
});
