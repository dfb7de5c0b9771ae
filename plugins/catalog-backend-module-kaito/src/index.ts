/**
 * Catalog entity provider of the KAITO plugin suite: tuned models and
 * inference endpoints as catalog entities.
 *
 * @packageDocumentation
 */

export { catalogModuleKaito as default } from './module';
export {
  KaitoEntityProvider,
  DEFAULT_KAITO_PROVIDER_SCHEDULE,
} from './KaitoEntityProvider';
export type { KaitoEntityProviderOptions } from './KaitoEntityProvider';
export {
  AI_ENDPOINT_TYPE,
  AI_MODEL_TYPE,
  KaitoEntityAnnotations,
  endpointEntity,
  kaitoEntityName,
  tunedModelEntity,
} from './entities';
export type {
  InferenceEndpoint,
  KaitoEntityOptions,
  TunedModel,
} from './entities';
