import { Workspace } from '@kaito-backstage/plugin-kaito-common';
import { JsonBytes } from './JsonBytes';
import { isReady } from './readiness';
import { RawObject } from './rawObjects';
import { WorkspaceSummaries, summarizeWorkspace } from './workspaceSummaries';

const created = '2026-01-01T00:00:00Z';
const t0 = Date.parse(created);

function inference(name: string, resourceVersion = '1'): Workspace {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name,
      namespace: 'ml',
      uid: `uid-${name}`,
      resourceVersion,
      creationTimestamp: created,
      labels: { 'backstage.io/kubernetes-id': 'bot' },
      annotations: { 'kaito.sh/created-by': 'user:default/ada' },
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { app: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
    status: {
      workerNodes: ['node-a', 'node-b'],
      targetNodeCount: 2,
      conditions: [
        { type: 'ResourceReady', status: 'True', reason: 'x', lastTransitionTime: created },
        { type: 'InferenceReady', status: 'True', lastTransitionTime: created },
        { type: 'WorkspaceSucceeded', status: 'True', lastTransitionTime: created },
      ],
    },
  } as any;
}

function tuningDone(name: string): Workspace {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace: 'ml', uid: `uid-${name}`, resourceVersion: '3', creationTimestamp: created },
    resource: { instanceType: 'Standard_NC24ads_A100_v4' },
    tuning: { preset: { name: 'phi-4-mini-instruct' }, method: 'qlora' },
    status: {
      workerNodes: ['node-a'],
      conditions: [
        { type: 'JobStarted', status: 'True', lastTransitionTime: created },
        {
          type: 'WorkspaceSucceeded',
          status: 'True',
          reason: 'WorkspaceSucceeded',
          lastTransitionTime: '2026-01-01T02:00:00Z',
        },
      ],
    },
  } as any;
}

const noSku: Workspace = {
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name: 'bare', namespace: 'ml' },
  inference: { preset: { name: 'phi-4-mini-instruct' } },
} as any;

function nodes(ready: Record<string, boolean>) {
  return (name: string): RawObject | undefined =>
    name in ready
      ? ({
          metadata: { name },
          status: {
            conditions: [{ type: 'Ready', status: ready[name] ? 'True' : 'False' }],
          },
        } as RawObject)
      : undefined;
}

function tuningRunning(name: string): Workspace {
  const ws = tuningDone(name) as any;
  ws.status = {
    conditions: [
      { type: 'NodeClaimReady', status: 'False', reason: 'NodeClaimNotReady', message: 'quota "exceeded" — 0/24 vCPUs ✗\n' },
      { type: 'JobStarted', status: 'False', lastTransitionTime: created },
    ],
  };
  return ws;
}

describe('WorkspaceSummaries', () => {
  const summaries = new WorkspaceSummaries();
  const json = (
    cluster: string,
    ws: Workspace,
    lookup: (name: string) => RawObject | undefined,
    now: number,
  ) => {
    const out = new JsonBytes();
    summaries.writeJson(
      summaries.summaryOf(cluster, ws),
      node => isReady(lookup(node)),
      now,
      out,
    );
    return out.toBuffer().toString('utf8');
  };
  const summarize = (...args: Parameters<typeof json>) =>
    JSON.parse(json(...args));

  it('writes exactly the JSON of summarizeWorkspace, at any time', () => {
    const lookup = nodes({ 'node-a': true, 'node-b': false });
    for (const ws of [inference('a'), tuningDone('t'), tuningRunning('r'), noSku]) {
      for (const now of [t0 + 90_000, t0 + 90_400, t0 + 5 * 3600_000 + 1234]) {
        expect(json('c1', ws, lookup, now)).toBe(
          JSON.stringify(summarizeWorkspace('c1', ws, lookup, now)),
        );
      }
    }
  });

  it('remembers per object, and the creation time for sorting', () => {
    const ws = inference('a');
    expect(summaries.summaryOf('c1', ws)).toBe(summaries.summaryOf('c1', ws));
    expect(summaries.summaryOf('c1', ws).created).toBe(created);
    expect(summaries.summaryOf('c1', noSku).created).toBeUndefined();
  });

  it('bills no GPU time while a run waits for nodes (e.g. stuck on a quota)', () => {
    const stuck = summarize('c1', tuningRunning('q'), nodes({}), t0 + 2 * 3600_000);
    expect(stuck.usage).toEqual({
      nodeCount: 0,
      hours: 2,
      gpuHours: 0,
      estimatedCostUsd: 0,
      usdPerHour: 0,
      priceSource: expect.any(String),
    });
  });

  it('keeps age and usage current and reads node readiness at every read', () => {
    const ws = inference('a');
    const first = summarize('c1', ws, nodes({ 'node-a': true }), t0 + 3600_000);
    const later = summarize(
      'c1',
      ws,
      nodes({ 'node-a': true, 'node-b': true }),
      t0 + 2 * 3600_000,
    );
    expect(first.ageSeconds).toBe(3600);
    expect(later.ageSeconds).toBe(7200);
    expect(later.usage!.gpuHours).toBeGreaterThan(first.usage!.gpuHours);
    expect(first.nodes.ready).toBe(1);
    expect(later.nodes.ready).toBe(2);
  });

  it('forgets a summary when the object is replaced (a new resourceVersion) or read for another cluster', () => {
    const lookup = nodes({});
    const v1 = inference('a', '1');
    expect(summarize('c1', v1, lookup, t0).state).toBe('Ready');
    const v2 = inference('a', '2');
    (v2 as any).status.conditions = [
      { type: 'InferenceReady', status: 'False', reason: 'Crash', message: 'boom' },
    ];
    const after = summarize('c1', v2, lookup, t0);
    expect(after).toEqual(summarizeWorkspace('c1', v2, lookup, t0));
    expect(after.state).not.toBe('Ready');
    expect(summarize('c2', v2, lookup, t0).cluster).toBe('c2');
  });
});
