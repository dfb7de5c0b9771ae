/** The simulated Kubernetes API: object store, HTTP server, built-in types and helpers. */
export * from './api';
export * from './errors';
export {
  InMemoryObjectStore,
  seedNamespaces,
  DEFAULT_NAMESPACES,
  DEFAULT_VERBS,
} from './store';
export type {
  InMemoryObjectStoreOptions,
  StoreDeleteOptions,
  StoreWriteOptions,
} from './store';
export type {
  ComputedPrinterColumn,
  PropagationPolicy,
  ResourceStrategy,
} from './strategy';
export { registerBuiltinTypes, createClusterStore } from './cluster';
export {
  BUILTIN_TYPES,
  CONFIG_MAP_TYPE,
  EVENT_TYPE,
  JOB_TYPE,
  NAMESPACE_TYPE,
  NODE_CLAIM_TYPE,
  NODE_TYPE,
  POD_TYPE,
  SECRET_TYPE,
  SERVICE_TYPE,
  STATEFUL_SET_TYPE,
} from './builtinTypes';
export {
  CUSTOM_RESOURCE_DEFINITION_TYPE,
  customResourceDefinitionFor,
  seedCustomResourceDefinitions,
} from './customResourceDefinitions';
export { createKubeApiServer } from './server';
export type { KubeApiServer, KubeApiServerOptions } from './server';
export {
  parseLabelSelector,
  formatLabelSelector,
  matchesRequirement,
} from './labelSelector';
export type {
  LabelOperator,
  LabelRequirement,
  LabelSelector,
} from './labelSelector';
export { parseFieldSelector, fieldValue } from './fieldSelector';
export type { FieldRequirement, FieldSelector } from './fieldSelector';
export { compileJsonPath, JsonPathError } from './jsonPath';
export { humanDuration } from './humanDuration';
export { asVersion, formatTimestamp } from './objects';
export {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patch';
export { toTable } from './table';
