/**
 * Benchmarks of the KAITO plugin suite (not shipped). `yarn bench:api` runs
 * the API benchmark; see BENCHMARKS.md at the repository root.
 *
 * @packageDocumentation
 */
export {
  runApiBench,
  parseArgs,
  DEFAULT_OPTIONS,
  main,
} from './api/runApiBench';
export type { ApiBenchOptions } from './api/runApiBench';
