import {
  catalogEntities,
  clusterFixtures,
  DEFAULT_FIXTURE,
  workspaceFixture,
} from './fixtures';
import { latencyStats, percentile } from './stats';

describe('benchmark fixtures', () => {
  it('gives every entity 12 inference and 8 tuning workspaces per cluster, in the states of a busy cluster', () => {
    const states: Record<string, number> = {};
    const kinds = { inference: 0, tuning: 0 };
    for (let slot = 0; slot < 20; slot++) {
      const { workspace, status } = workspaceFixture(
        0,
        7,
        slot,
        DEFAULT_FIXTURE,
      );
      kinds[workspace.inference ? 'inference' : 'tuning']++;
      states[status.state!] = (states[status.state!] ?? 0) + 1;
      expect(workspace.metadata.labels?.['backstage.io/kubernetes-id']).toBe(
        'svc-007',
      );
    }
    expect(kinds).toEqual({ inference: 12, tuning: 8 });
    expect(states).toEqual({
      Ready: 9,
      Pending: 2,
      NotReady: 1,
      Succeeded: 5,
      Running: 2,
      Failed: 1,
    });
  });

  it('names workspaces and nodes uniquely and gives every worker node a Node', () => {
    const options = { ...DEFAULT_FIXTURE, entities: 30 };
    const workspaces = new Set<string>();
    const nodes = new Set<string>();
    for (const f of clusterFixtures(3, options)) {
      workspaces.add(
        `${f.workspace.metadata.namespace}/${f.workspace.metadata.name}`,
      );
      for (const n of f.nodes) nodes.add(n.name);
      expect(f.status.workerNodes).toEqual(f.nodes.map(n => n.name));
    }
    expect(workspaces.size).toBe(30 * 20);
    expect(nodes.size).toBe(30 * 19);
    expect(catalogEntities(options)).toHaveLength(30);
  });

  it('is deterministic', () => {
    expect(workspaceFixture(1, 2, 3, DEFAULT_FIXTURE)).toEqual(
      workspaceFixture(1, 2, 3, DEFAULT_FIXTURE),
    );
  });
});

describe('latency statistics', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(latencyStats([3, 1, 2])).toMatchObject({
      count: 3,
      minMs: 1,
      p50Ms: 2,
      maxMs: 3,
      meanMs: 2,
    });
  });
});
