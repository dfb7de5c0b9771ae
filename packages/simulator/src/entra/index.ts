export { EntraSimulator } from './EntraSimulator';
export type { EntraSimulatorOptions } from './EntraSimulator';
export { ARM_RESOURCE, EntraDirectory, RESOURCE_APPS } from './directory';
export type {
  AppRegistration,
  EntraDirectoryOptions,
  IssuedToken,
  ResourceApp,
} from './directory';
export { createSigningKey } from './jwt';
export type { SigningKey } from './jwt';
export { EntraError } from './errors';
