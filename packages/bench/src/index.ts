/**
 * Benchmarks of the KAITO plugin suite (not shipped). `yarn bench:api` runs
 * the API benchmark; see BENCHMARKS.md at the repository root.
 *
 * @packageDocumentation
 */
export { runApiBench, main } from './api/runApiBench';
export { parseArgs, DEFAULT_OPTIONS } from './api/apiBenchOptions';
export type { ApiBenchOptions } from './api/apiBenchOptions';
