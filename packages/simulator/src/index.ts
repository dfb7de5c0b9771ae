export { SimClock } from './clock';
export { FaultStore, defaultFaults } from './faults';
export type { Faults, FaultsPatch } from './faults';
