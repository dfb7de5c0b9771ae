import { Entity } from '@backstage/catalog-model';
import type { RunView } from '@kaito-backstage/plugin-kaito-common';
import { RunningSimulator, startSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  simulatorConfig,
  startKaitoBackend,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(240_000);

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: {
    type: 'service',
    owner: 'group:default/ml-team',
    lifecycle: 'production',
  },
});

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * The simulator's demo plays its quarter of runs once kaito-backend watches
 * the cluster, and the backend's ordinary watch path records it: the run
 * history a team would have after three months, with the durations, failures
 * and cancellations the simulated KAITO produced.
 */
describe('the demo history, as the backend records it', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  const runs: Record<string, RunView[]> = {};

  beforeAll(async () => {
    sim = await startSimulator({
      timeScale: 120,
      seed: 'demo',
      demoHistory: 'on-watch',
    });
    backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      entities: ['support-chatbot', 'code-assistant', 'docs-search'].map(
        component,
      ),
    });
    await sim.seeded;
    // The last writes of the history reach the store asynchronously.
    await new Promise(resolve => setTimeout(resolve, 1500));
    for (const entity of ['support-chatbot', 'code-assistant', 'docs-search']) {
      const res = await request(backend.server).get(
        `/api/kaito/runs?entityRef=component:default/${entity}`,
      );
      if (res.status !== 200) {
        throw new Error(`GET /runs for ${entity}: ${res.status} ${res.text}`);
      }
      runs[entity] = res.body.items;
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  const all = () => Object.values(runs).flat();
  const tuning = () => all().filter(r => r.mode === 'tuning');

  it('holds a dozen past tuning runs across the three components, within the last quarter', () => {
    expect(Object.values(runs).every(r => r.length > 0)).toBe(true);
    const past = tuning().filter(r => !r.active && r.deletedAt);
    expect(past.length).toBeGreaterThanOrEqual(12);
    const now = Date.now();
    for (const run of all()) {
      const age = (now - Date.parse(run.createdAt)) / 1000;
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThan(92 * DAY);
    }
    // Newest first.
    const created = runs['support-chatbot'].map(r => r.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('has tuning runs of tens of minutes to hours, with GPU-hours and costs', () => {
    const finished = tuning().filter(r => r.outcome === 'succeeded');
    expect(finished.length).toBeGreaterThanOrEqual(10);
    for (const run of finished) {
      expect(run.durationSeconds).toBeGreaterThan(10 * MIN);
      expect(run.durationSeconds).toBeLessThan(6 * HOUR);
      expect(run.gpuHours).toBeGreaterThan(0.1);
      expect(run.estimatedCostUsd).toBeGreaterThan(0.5);
    }
    expect(finished.some(r => r.durationSeconds > 1.5 * HOUR)).toBe(true);
  });

  it('keeps the failed run with what the trainer died of', () => {
    const failed = tuning().filter(r => r.outcome === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      instanceType: 'Standard_NV36ads_A10_v5',
      tuningMethod: 'lora',
    });
    // Until the trainer died: the node, the image pulls and the model load.
    expect(failed[0].durationSeconds).toBeGreaterThan(10 * MIN);
    expect(failed[0].durationSeconds).toBeLessThan(HOUR);
    expect(failed[0].message).toMatch(
      /^tuning job failed: torch\.OutOfMemoryError: CUDA out of memory\..*\(container support-chatbot-tune-t8v3c: OOMKilled, exit code 137\)$/,
    );
  });

  it('keeps the cancelled run, ended when it was deleted', () => {
    const cancelled = tuning().filter(r => r.outcome === 'deleted');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].workspace).toBe('code-assistant-tune-c9x4m');
    expect(cancelled[0].durationSeconds).toBeGreaterThan(30 * MIN);
    expect(cancelled[0].durationSeconds).toBeLessThan(45 * MIN);
  });

  it('has endpoints that served for days, and today’s workspaces going on', () => {
    const served = all().filter(
      r => r.mode === 'inference' && r.durationSeconds > 5 * DAY,
    );
    expect(served.length).toBeGreaterThanOrEqual(3);
    const active = all()
      .filter(r => r.active)
      .map(r => r.workspace);
    expect(active.sort()).toEqual(['code-assistant', 'support-chatbot']);
    const today = runs['support-chatbot'].find(
      r => r.workspace === 'support-chatbot-tuning',
    )!;
    expect(today.outcome).toBe('succeeded');
    expect(today.durationSeconds).toBeGreaterThan(15 * MIN);
  });
});
