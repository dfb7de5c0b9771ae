export { ArmSimulator, MAX_AGENT_POOLS } from './ArmSimulator';
export type {
  AcceptedOperation,
  AgentPoolDeletedDetail,
  AgentPoolFailedDetail,
  AgentPoolOperationStartedDetail,
  AgentPoolSucceededDetail,
  AgentPoolWriteKind,
  ArmRequestLogEntry,
  ArmSimulatorEvents,
  ArmSimulatorOptions,
  WriteConditions,
} from './ArmSimulator';
export { ArmError, isArmError } from './errors';
export type { ArmErrorDetail } from './errors';
export { SPOT_LABEL, SPOT_TAINT, parseTaint } from './agentPoolSpec';
export type {
  AgentPoolInput,
  AgentPoolProperties,
  AgentPoolResource,
} from './agentPoolSpec';
export type {
  OperationRecord,
  OperationStatus,
  PoolOperationKind,
} from './operations';
export {
  DEFAULT_FAMILY_LIMIT,
  DEFAULT_LOW_PRIORITY_LIMIT,
  DEFAULT_REGIONAL_LIMIT,
  LOW_PRIORITY_CORES,
  REGIONAL_CORES,
} from './quota';
export type { ComputeUsage } from './quota';
export { createSimulatorTls } from './tls';
export type { CreateSimulatorTlsOptions, SimulatorTls } from './tls';
export {
  VM_SIZES,
  findVmSize,
  normalizeQuotaFamily,
  sameQuotaFamily,
} from './vmSizes';
export type { VmSize } from './vmSizes';
export {
  simulatorClientOptions,
  simulatorCredentialOptions,
} from './clientOptions';
export type { SimulatorEndpoint, SimulatorIdentity } from './clientOptions';
