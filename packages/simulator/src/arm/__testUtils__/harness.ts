import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { SimClock } from '../../clock';
import { FaultStore } from '../../faults';
import {
  ArmSimulator,
  ArmSimulatorEvents,
  ArmSimulatorOptions,
} from '../ArmSimulator';
import { EntraDirectory } from '../../entra/directory';
import { simulatorClientOptions } from '../clientOptions';
import { createSimulatorTls, SimulatorTls } from '../tls';

export const SUBSCRIPTION = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
export const RESOURCE_GROUP = 'rg-kaito';
export const CLUSTER = 'aks-kaito';
export const LOCATION = 'eastus';
export const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: aks-kaito
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: aks-kaito
  context: { cluster: aks-kaito, user: clusterUser_rg-kaito_aks-kaito }
current-context: aks-kaito
users:
- name: clusterUser_rg-kaito_aks-kaito
  user: { token: simulator }
`;

/** Nominal AKS durations (minutes) run in tens of milliseconds. */
export const TIME_SCALE = 3000;
/** LRO polling interval for SDK calls in tests. */
export const POLL = { updateIntervalInMs: 5 };

let tls: Promise<SimulatorTls> | undefined;
/** One CA and server certificate per test file. */
export const sharedTls = () => (tls ??= createSimulatorTls());

/** The subscription's Entra tenant, with an app the tests authenticate as. */
export const tenant = new EntraDirectory({
  tenantId: '5d3e2a41-8c7b-4f0e-9a16-2b4c6d8e0f13',
});
export const testApp = tenant.registerApplication({ displayName: 'arm-tests' });
/** Tokens straight from the tenant: these tests are about ARM, not sign-in. */
export const credential: TokenCredential = tenant.credential(testApp);

export function newSimulator(overrides: Partial<ArmSimulatorOptions> = {}) {
  const faults = overrides.faults ?? new FaultStore();
  const clock = overrides.clock ?? new SimClock(TIME_SCALE);
  const sim = new ArmSimulator({
    faults,
    clock,
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RESOURCE_GROUP,
    clusterName: CLUSTER,
    location: LOCATION,
    kubeconfig: () => KUBECONFIG,
    tenant,
    ...overrides,
  });
  return { sim, faults, clock };
}

/** Starts a simulator over HTTPS and the real SDK clients pointed at it. */
export async function startArm(overrides: Partial<ArmSimulatorOptions> = {}) {
  const { sim, faults, clock } = newSimulator({
    tls: await sharedTls(),
    ...overrides,
  });
  await sim.start();
  const options = simulatorClientOptions(sim);
  const containerService = new ContainerServiceClient(
    credential,
    SUBSCRIPTION,
    options,
  );
  const compute = new ComputeManagementClient(
    credential,
    SUBSCRIPTION,
    options,
  );
  return {
    sim,
    faults,
    clock,
    containerService,
    compute,
    async stop() {
      await sim.stop();
      clock.stop();
    },
  };
}

/** Resolves with the arguments of the next `event` for `pool`. */
export function nextEvent<
  K extends 'agentPoolSucceeded' | 'agentPoolFailed' | 'agentPoolDeleted',
>(sim: ArmSimulator, event: K, pool: string): Promise<ArmSimulatorEvents[K]> {
  return new Promise(resolve => {
    const listener = (...args: any[]) => {
      if (args[0]?.name === pool) {
        sim.off(event, listener as any);
        resolve(args as ArmSimulatorEvents[K]);
      }
    };
    sim.on(event, listener as any);
  });
}

export const gpuPool = (extra: Record<string, unknown> = {}) => ({
  properties: {
    vmSize: 'Standard_NC24ads_A100_v4',
    count: 1,
    mode: 'User',
    osType: 'Linux',
    nodeTaints: ['sku=gpu:NoSchedule'],
    nodeLabels: { apps: 'gpu' },
    tags: { 'created-by': 'backstage' },
    ...extra,
  },
});
