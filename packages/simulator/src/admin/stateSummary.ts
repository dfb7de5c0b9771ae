import type { KubeObject, ObjectStore } from '../kube/api';
import type { Faults } from '../faults';
import type { AgentPoolApi } from '../wiring/agentPools';

/** `GET /_sim/state`: what is in the simulated cluster right now, at a glance. */
export function stateSummary(deps: {
  store: ObjectStore;
  arm: AgentPoolApi;
  faults: () => Faults;
  timeScale: () => number;
  nodeProvisioner: string;
  endpoints: Record<string, string>;
  /** The demo seed's progress, when seeding the demo. */
  seed?: () => unknown;
}) {
  const { store } = deps;
  const list = (group: string, plural: string) =>
    store.list({ group, plural }).items;
  const conditionStatus = (obj: KubeObject, type: string) =>
    (
      (
        obj.status as
          | { conditions?: { type: string; status: string }[] }
          | undefined
      )?.conditions ?? []
    ).find(c => c.type === type)?.status;
  return {
    timeScale: deps.timeScale(),
    nodeProvisioner: deps.nodeProvisioner,
    endpoints: deps.endpoints,
    ...(deps.seed?.() ? { seed: deps.seed() } : {}),
    faults: deps.faults(),
    workspaces: list('kaito.sh', 'workspaces').map(ws => ({
      namespace: ws.metadata.namespace,
      name: ws.metadata.name,
      kind: ws.tuning ? 'tuning' : 'inference',
      instanceType: (ws.resource as { instanceType?: string } | undefined)
        ?.instanceType,
      state: (ws.status as { state?: string } | undefined)?.state,
      resourceReady: conditionStatus(ws, 'ResourceReady'),
      succeeded: conditionStatus(ws, 'WorkspaceSucceeded'),
      deleting: Boolean(ws.metadata.deletionTimestamp),
    })),
    agentPools: deps.arm.listAgentPools().map(pool => ({
      name: pool.name,
      vmSize: pool.properties.vmSize,
      count: pool.properties.count,
      mode: pool.properties.mode,
      provisioningState: pool.properties.provisioningState,
    })),
    nodes: list('', 'nodes').map(node => ({
      name: node.metadata.name,
      pool: node.metadata.labels?.agentpool,
      instanceType: node.metadata.labels?.['node.kubernetes.io/instance-type'],
      ready: conditionStatus(node, 'Ready') === 'True',
      gpus: Number(
        (node.status as { allocatable?: Record<string, string> }).allocatable?.[
          'nvidia.com/gpu'
        ] ?? 0,
      ),
    })),
    nodeClaims: list('karpenter.sh', 'nodeclaims').map(nc => ({
      name: nc.metadata.name,
      workspace: nc.metadata.labels?.['kaito.sh/workspace'],
      ready: conditionStatus(nc, 'Ready'),
    })),
    pods: list('', 'pods').length,
  };
}
