import { WorkspaceDetail } from './api';
import { explainProblem, quotaFamilyOf, regionOf } from './diagnosis';

function detail(overrides: Partial<WorkspaceDetail>): WorkspaceDetail {
  return {
    cluster: 'dev',
    freshness: { cluster: 'dev', stale: false },
    namespace: 'ml',
    name: 'ws',
    type: 'tuning',
    state: 'Provisioning',
    status: {
      kind: 'tuning',
      phase: 'Provisioning',
      terminal: false,
      problem: false,
      workerNodes: [],
    },
    conditions: [],
    nodes: { workers: [], ready: 0 },
    labels: {},
    annotations: {},
    timeline: [],
    events: [],
    pods: [],
    nodeClaims: [],
    ...overrides,
  };
}

describe('explainProblem', () => {
  it('explains an AKS quota failure with the family and region', () => {
    const result = explainProblem(
      detail({
        instanceType: 'Standard_NC24ads_A100_v4',
        status: {
          kind: 'tuning',
          phase: 'Provisioning',
          terminal: false,
          problem: true,
          conditionType: 'NodeClaimReady',
          reason: 'LaunchFailed',
          message:
            'Insufficient vcpu quota requested 24, remaining 0 for family standardNCADSA100v4Family for region eastus.',
          workerNodes: [],
        },
      }),
    );
    expect(result?.kind).toBe('quota');
    expect(result?.quotaFamily).toBe('standardNCADSA100v4Family');
    expect(result?.region).toBe('eastus');
    expect(result?.steps.join(' ')).toMatch(/platform team/);
    expect(result?.steps.join(' ')).toMatch(/another GPU SKU/);
  });

  it('falls back to the SKU’s quota family', () => {
    const result = explainProblem(
      detail({
        instanceType: 'Standard_NC24ads_A100_v4',
        events: [
          {
            type: 'Warning',
            reason: 'FailedCreate',
            message: 'QuotaExceeded: Operation could not be completed',
            object: { kind: 'NodeClaim', name: 'wsabc' },
          },
        ],
      }),
    );
    expect(result?.kind).toBe('quota');
    expect(result?.quotaFamily).toBe('standardNCADSA100v4Family');
  });

  it('reads Compute’s wording', () => {
    const text =
      "Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota. Location: 'eastus'";
    expect(quotaFamilyOf(text)).toBe('standardNCADSA100v4Family');
    expect(regionOf('family X in westeurope has 0 vCPUs')).toBe('westeurope');
  });

  it('has nothing to say about a healthy workspace', () => {
    expect(explainProblem(detail({}))).toBeUndefined();
  });

  it('explains an out-of-memory failure', () => {
    const result = explainProblem(
      detail({
        state: 'Failed',
        status: {
          kind: 'tuning',
          phase: 'Failed',
          terminal: true,
          problem: true,
          workerNodes: [],
        },
        pods: [
          {
            name: 'ws-1',
            ready: false,
            restarts: 0,
            containers: [
              {
                name: 'ws',
                ready: false,
                restartCount: 0,
                state: 'terminated',
                reason: 'OOMKilled',
                exitCode: 137,
              },
            ],
          },
        ],
      }),
    );
    expect(result?.kind).toBe('out-of-memory');
  });
});
