export type { ValidationIssue } from './issues';
export {
  IssueCollector,
  KaitoValidationError,
  formatValidationIssues,
} from './issues';
export {
  AKS_POOL_NAME_PATTERN,
  isDns1123Label,
  isDns1123Subdomain,
  isImageReference,
} from './names';
export type { UrlHostClass, UrlProblem, UrlRuleId } from './urls';
export { checkTuningInputUrl, classifyUrlHost } from './urls';
export type {
  AdapterRequest,
  CreateGpuPoolRequest,
  CreateWorkspaceRequest,
  EnsureGpuPoolRequest,
  InferenceRequest,
  TuningInputRequest,
  TuningOutputRequest,
  TuningRequest,
  UpdateGpuPoolRequest,
  WorkspaceResourceRequest,
  WorkspaceVolumeRequest,
} from './requests';
export type { WorkspaceValidationOptions } from './workspaceRequestParts';
export { MAX_ADAPTERS } from './inferenceRequest';
export {
  assertValidCreateWorkspaceRequest,
  validateCreateWorkspaceRequest,
} from './validateCreateWorkspaceRequest';
export { unknownInstanceTypeMessage } from './cheapestSku';
export {
  assertValidCreateGpuPoolRequest,
  assertValidUpdateGpuPoolRequest,
  validateCreateGpuPoolRequest,
  validateEnsureGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from './validateGpuPoolRequest';
export type { ValidationRuleId } from './rules';
export { validationRules } from './rules';
