/**
 * Scaffolder actions of the KAITO plugin suite: `kaito:gpu-pool:ensure`,
 * `kaito:workspace:create`, `kaito:workspace:wait` and
 * `kaito:workspace:delete`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleKaito as default } from './module';
export * from './actions';
