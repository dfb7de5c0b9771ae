export { SimClock } from './clock';
export { FaultStore, defaultFaults } from './faults';
export type { Faults, FaultsPatch } from './faults';
export {
  startSimulator,
  DEMO_TIME_SCALE,
  DEFAULT_COORDINATES,
  DEFAULT_IDENTITY,
} from './simulator';
export type { SimulatorOptions, RunningSimulator } from './simulator';
export { backstageConfig, DEFAULT_TOKEN, simulatorAppConfig } from './cli';
export { WarpClock } from './wiring/warpClock';
export { DEMO_NAMESPACE, DEMO_ENTITIES } from './seed/demo';
export { ANNOTATION_TUNING_OUTPUT } from './kaito/workloads/tuningOutput';
export {
  ArmSimulator,
  createSimulatorTls,
  simulatorClientOptions,
  simulatorCredentialOptions,
} from './arm';
export type { SimulatorTls } from './arm';
export { EntraSimulator, EntraDirectory } from './entra';
export {
  createClusterStore,
  createKubeApiServer,
  InMemoryObjectStore,
} from './kube';
