/**
 * The production-shaped test site of issue 14 (not shipped): two
 * packages/backend replicas with the production config on one PostgreSQL
 * against the simulator. See README.md.
 *
 * @packageDocumentation
 */
export {
  ProductionSite,
  REPO_ROOT,
  TEAM_NAMESPACE,
} from './harness/ProductionSite';
export type { ProductionSiteOptions } from './harness/ProductionSite';
export { BackendReplica } from './harness/BackendReplica';
export type { LogLine } from './harness/BackendReplica';
export { SiteClient, TokenSource, HttpError } from './harness/SiteClient';
export { eventually } from './harness/eventually';
export { CLUSTER, TEST_USER } from './harness/siteConfig';
