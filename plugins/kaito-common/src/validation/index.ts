export type { ValidationIssue } from './issues';
export {
  IssueCollector,
  KaitoValidationError,
  MAX_LISTED_ISSUES,
  MAX_SHOWN_LENGTH,
  formatValidationIssues,
  shown,
} from './issues';
export {
  adapterRequestSchema,
  chatCompletionRequestSchema,
  createGpuPoolRequestSchema,
  createWorkspaceRequestSchema,
  ensureGpuPoolRequestSchema,
  inferenceRequestSchema,
  kaitoQuerySchemas,
  tuningInputSchema,
  tuningOutputSchema,
  tuningRequestSchema,
  updateGpuPoolRequestSchema,
  workspaceResourceRequestSchema,
  workspaceVolumeSchema,
} from './schemas';
export { closestName } from './suggest';
export { structuralIssues } from './structural';
export {
  assertValidChatCompletionRequest,
  validateChatCompletionRequest,
} from './validateChatCompletionRequest';
export type { KaitoQueryName } from './validateQuery';
export { assertValidQuery, validateQuery } from './validateQuery';
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
