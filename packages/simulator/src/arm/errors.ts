/**
 * ARM errors: an HTTP status plus the `{ error: { code, message, target?, details? } }`
 * envelope every resource provider returns. The SDKs surface `code` as
 * `RestError.code` and `message` as `RestError.message`.
 */
export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorDetail[];
}

export class ArmError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    readonly details?: ArmErrorDetail[],
    /** Sent as `Retry-After` (seconds) with 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ArmError';
  }

  toDetail(): ArmErrorDetail {
    return {
      code: this.code,
      message: this.message,
      ...(this.target ? { target: this.target } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }

  toBody(): { error: ArmErrorDetail } {
    return { error: this.toDetail() };
  }
}

export const isArmError = (e: unknown): e is ArmError => e instanceof ArmError;

const AKS_PENDING = 'See https://aka.ms/aks-pending-operation for more details';

// --- request-level errors (ARM front door) ---

export const missingApiVersion = () =>
  new ArmError(
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );

export const invalidApiVersion = (apiVersion: string) =>
  new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${apiVersion}' is invalid. The supported versions are '2026-06-01,2026-04-01,2025-10-01,2025-07-01,2024-09-01,2021-07-01,2017-08-31,2016-03-30'.`,
  );

export const throttled = (retryAfterSeconds: number, write: boolean) =>
  write
    ? new ArmError(
        429,
        'Throttled',
        'Too many requests to the agent pool API, please retry after the time specified in the Retry-After header. See https://aka.ms/aks/throttling for more details',
        undefined,
        undefined,
        retryAfterSeconds,
      )
    : new ArmError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, refer to - https://aka.ms/armthrottling',
        undefined,
        undefined,
        retryAfterSeconds,
      );

export const subscriptionNotFound = (subscriptionId: string) =>
  new ArmError(
    404,
    'SubscriptionNotFound',
    `The subscription '${subscriptionId}' could not be found.`,
  );

export const resourceGroupNotFound = (resourceGroup: string) =>
  new ArmError(
    404,
    'ResourceGroupNotFound',
    `Resource group '${resourceGroup}' could not be found.`,
  );

export const resourceNotFound = (
  type: string,
  name: string,
  resourceGroup: string,
) =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

export const invalidResourceType = (
  type: string,
  namespace: string,
  apiVersion: string,
) =>
  new ArmError(
    404,
    'InvalidResourceType',
    `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
  );

export const noRoute = (path: string) =>
  new ArmError(
    404,
    'NotFound',
    `No HTTP resource was found that matches the request URI '${path}'.`,
  );

export const methodNotAllowed = (method: string) =>
  new ArmError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
  );

export const invalidRequestContent = (reason: string) =>
  new ArmError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${reason}'.`,
  );

export const unsupportedMediaType = (contentType: string) =>
  new ArmError(
    415,
    'UnsupportedMediaType',
    `The content media type '${contentType}' is not supported. Only 'application/json' is supported.`,
  );

// --- AKS resource provider errors ---

export const agentPoolNotFound = (pool: string, cluster: string) =>
  new ArmError(
    404,
    'NotFound',
    `Agent pool '${pool}' was not found in managed cluster '${cluster}'.`,
  );

export const operationNotFound = (operationId: string) =>
  new ArmError(404, 'NotFound', `Operation '${operationId}' was not found.`);

export const invalidParameter = (target: string, message: string) =>
  new ArmError(400, 'InvalidParameter', message, target);

/** Go's encoding/json wording, which the AKS RP passes through for type mismatches. */
export const unmarshalError = (field: string, got: string, goType: string) =>
  new ArmError(
    400,
    'UnmarshalError',
    `UnmarshalEntity encountered error: json: cannot unmarshal ${got} into Go struct field AgentPoolProperties.properties.${field} of type ${goType}.`,
  );

export const propertyChangeNotAllowed = (
  property: string,
  from: unknown,
  to: unknown,
) =>
  new ArmError(
    400,
    'PropertyChangeNotAllowed',
    `Changing property '${property}' is not allowed. Current value: '${String(
      from,
    )}', requested value: '${String(to)}'.`,
    `properties.${property}`,
  );

/** The wording gpu-provisioner matches ("...in progress create node pool operation"). */
export const poolOperationInProgress = (
  verb: string,
  pool: string,
  cluster: string,
) =>
  new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed because there's an in progress ${verb} node pool operation on agent pool '${pool}' in managed cluster '${cluster}'. Please wait for it to finish before starting a new operation. ${AKS_PENDING}`,
  );

export const anotherPoolOperationInProgress = (pool: string, state: string) =>
  new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed: Another agentpool operation (${pool} - ${state}) is in progress, please wait for it to finish before starting a new operation. ${AKS_PENDING}`,
  );

/** What the `armConflict` fault answers: the cluster reports a create still running. */
export const injectedConflict = (cluster: string) =>
  new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed because there's an in progress create node pool operation on managed cluster '${cluster}'. Please wait for it to finish before starting a new operation. ${AKS_PENDING}`,
  );

export const preconditionFailed = (message: string) =>
  new ArmError(412, 'PreconditionFailed', message);

export const skuNotAvailable = (vmSize: string, location: string) =>
  new ArmError(
    400,
    'SkuNotAvailable',
    `The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: ${vmSize}' is currently not available in location '${location}'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.`,
    'agentPoolProfile.vmSize',
  );

export const vmSizeNotAllowed = (
  vmSize: string,
  location: string,
  available: string[],
) =>
  new ArmError(
    400,
    'InvalidParameter',
    `The VM size of ${vmSize} is not allowed in your subscription in location '${location}'. The available VM sizes are ${available.join(
      ',',
    )}. Please see https://aka.ms/aks/quotas-skus-regions for more details.`,
    'agentPoolProfile.vmSize',
  );

export const invalidTagName = (names: string[]) =>
  new ArmError(
    400,
    'InvalidTagNameCharacters',
    `The tag names '${names.join(
      ',',
    )}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`,
  );

export const invalidTags = (message: string) =>
  new ArmError(400, 'InvalidTag', message);

export const lastSystemPool = (pool: string) =>
  new ArmError(
    400,
    'OperationNotAllowed',
    `Operation is not allowed: agent pool '${pool}' is the last System mode agent pool of the cluster. A cluster must have at least one System mode agent pool.`,
  );

export const tooManyPools = (max: number) =>
  new ArmError(
    400,
    'OperationNotAllowed',
    `Operation is not allowed: the number of agent pools in a managed cluster cannot exceed ${max}. Please see https://aka.ms/aks/quotas-skus-regions for more details.`,
  );

export const versionIncompatible = (
  poolVersion: string,
  clusterVersion: string,
  reason: string,
) =>
  new ArmError(
    400,
    'NodePoolMcVersionIncompatible',
    `Node pool version ${poolVersion} and control plane version ${clusterVersion} are incompatible. ${reason} For more information, please check https://aka.ms/aks/UpgradeVersionRules`,
    'agentPoolProfile.orchestratorVersion',
  );
