export type { ValidationIssue } from './issues';
export { KaitoValidationError, formatValidationIssues } from './issues';
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
  InferenceRequest,
  TuningInputRequest,
  TuningOutputRequest,
  TuningRequest,
  UpdateGpuPoolRequest,
  WorkspaceResourceRequest,
  WorkspaceVolumeRequest,
} from './requests';
export type { WorkspaceValidationOptions } from './validateCreateWorkspaceRequest';
export {
  MAX_ADAPTERS,
  assertValidCreateWorkspaceRequest,
  unknownInstanceTypeMessage,
  validateCreateWorkspaceRequest,
} from './validateCreateWorkspaceRequest';
export {
  assertValidCreateGpuPoolRequest,
  assertValidUpdateGpuPoolRequest,
  validateCreateGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from './validateGpuPoolRequest';
export type { ValidationRuleId } from './rules';
export { validationRules } from './rules';
