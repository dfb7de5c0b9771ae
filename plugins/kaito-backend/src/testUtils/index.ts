/**
 * Test support for plugins built on the KAITO backend: the real backend
 * plugin in a Backstage test backend, configured like any app (e.g. for
 * the suite's simulator), and the helpers its tests share.
 *
 * @packageDocumentation
 */

export { startKaitoTestBackend, withQuickWatchRetries } from './testBackend';
export type { KaitoTestBackendOptions } from './testBackend';
export { serviceProbe } from './serviceProbe';
export type { ServiceProbe } from './serviceProbe';
export { eventually } from './eventually';
export type { EventuallyOptions } from './eventually';
export { teamNamespaceManifests } from './teamNamespace';
