import { findGpuSkuByVmSize } from '../skus';
import {
  checkDnsLabel,
  checkEntityRef,
  checkInteger,
  checkLabels,
  isObject,
  objectRequest,
  requiredString,
} from './common';
import {
  IssueCollector,
  KaitoValidationError,
  ValidationIssue,
  shown,
} from './issues';
import { AKS_POOL_NAME_PATTERN } from './names';
import {
  CreateGpuPoolRequest,
  EnsureGpuPoolRequest,
  UpdateGpuPoolRequest,
} from './requests';
import {
  createGpuPoolRequestSchema,
  ensureGpuPoolRequestSchema,
  updateGpuPoolRequestSchema,
} from './schemas';
import { addStructuralIssues, mergeIssues } from './structural';

/** AKS limit on user pool node counts. */
const MAX_POOL_NODES = 1000;

/** Label prefixes AKS manages on agent pool nodes. */
const AKS_RESERVED_LABEL_PREFIXES = ['kubernetes.azure.com/'];

function checkScale(v: IssueCollector, req: Record<string, unknown>): void {
  const count = checkInteger(
    v,
    'count',
    req.count,
    0,
    MAX_POOL_NODES,
    'gpupool.count.range',
  );
  const minCount = checkInteger(
    v,
    'minCount',
    req.minCount,
    0,
    MAX_POOL_NODES,
    'gpupool.count.range',
  );
  const maxCount = checkInteger(
    v,
    'maxCount',
    req.maxCount,
    1,
    MAX_POOL_NODES,
    'gpupool.count.range',
  );
  const hasMin = req.minCount !== undefined;
  const hasMax = req.maxCount !== undefined;
  if (hasMin !== hasMax) {
    v.add(
      hasMin ? 'maxCount' : 'minCount',
      'gpupool.autoscale.incomplete',
      'minCount and maxCount enable the autoscaler together; give both or neither',
    );
  }
  if (minCount !== undefined && maxCount !== undefined && minCount > maxCount) {
    v.add(
      'minCount',
      'gpupool.autoscale.min-max',
      `${minCount} is greater than maxCount ${maxCount}`,
    );
  }
  if (
    count !== undefined &&
    minCount !== undefined &&
    maxCount !== undefined &&
    minCount <= maxCount &&
    (count < minCount || count > maxCount)
  ) {
    v.add(
      'count',
      'gpupool.count.outside-autoscale-range',
      `${count} must lie within [minCount ${minCount}, maxCount ${maxCount}]`,
    );
  }
}

/**
 * Checks a create-GPU-pool request: AKS pool name, a KAITO GPU SKU, node
 * counts (min ≤ count ≤ max), Spot settings, labels and the optional
 * entity and workspace references.
 *
 * @public
 */
export function validateCreateGpuPoolRequest(
  request: CreateGpuPoolRequest,
): ValidationIssue[] {
  return checkPoolRequest(request, createGpuPoolRequestSchema, {
    nameRequired: true,
  });
}

/**
 * Checks a find-or-create GPU pool request: the same rules as
 * {@link validateCreateGpuPoolRequest} (strict: an unknown field is
 * refused), but the name may be left out.
 *
 * @public
 */
export function validateEnsureGpuPoolRequest(
  request: EnsureGpuPoolRequest,
): ValidationIssue[] {
  return checkPoolRequest(request, ensureGpuPoolRequestSchema, {
    nameRequired: false,
  });
}

/** The structure (strict schema), then the semantic rules that say something new. */
function checkPoolRequest(
  request: EnsureGpuPoolRequest,
  schema: typeof ensureGpuPoolRequestSchema | typeof createGpuPoolRequestSchema,
  options: { nameRequired: boolean },
): ValidationIssue[] {
  const structure = new IssueCollector();
  addStructuralIssues(structure, schema, request, 'the GPU pool request');
  return mergeIssues(structure.issues, poolSemanticIssues(request, options));
}

function poolSemanticIssues(
  request: EnsureGpuPoolRequest,
  options: { nameRequired: boolean },
): ValidationIssue[] {
  const v = new IssueCollector();
  const req = objectRequest(v, request);
  if (!req) return v.issues;
  requiredString(v, 'cluster', req.cluster);
  const name =
    options.nameRequired || req.name !== undefined
      ? requiredString(v, 'name', req.name)
      : undefined;
  if (name !== undefined && !AKS_POOL_NAME_PATTERN.test(name)) {
    v.add(
      'name',
      'gpupool.name.format',
      `${shown(
        name,
      )} must be a lowercase letter followed by up to 11 lowercase letters or digits`,
    );
  }
  const vmSize = requiredString(v, 'vmSize', req.vmSize);
  if (vmSize !== undefined && !findGpuSkuByVmSize(vmSize)) {
    v.add(
      'vmSize',
      'gpupool.vm-size.unknown',
      `${shown(vmSize)} is not a GPU VM size KAITO v0.12 supports`,
    );
  }
  checkScale(v, req);
  if (req.spot !== undefined && typeof req.spot !== 'boolean') {
    v.add('spot', 'field.type', 'must be true or false');
  }
  if (req.spotMaxPrice !== undefined) {
    if (req.spot !== true) {
      v.add(
        'spotMaxPrice',
        'gpupool.spot-max-price.without-spot',
        'is only used for Spot pools',
      );
    }
    if (
      typeof req.spotMaxPrice !== 'number' ||
      !(req.spotMaxPrice === -1 || req.spotMaxPrice > 0)
    ) {
      v.add(
        'spotMaxPrice',
        'gpupool.spot-max-price.invalid',
        `${shown(
          req.spotMaxPrice,
        )} must be -1 (up to the on-demand price) or a positive USD/hour`,
      );
    }
  }
  checkLabels(v, 'nodeLabels', req.nodeLabels, AKS_RESERVED_LABEL_PREFIXES);
  if (req.entityRef !== undefined) {
    checkEntityRef(v, 'entityRef', req.entityRef);
  }
  if (req.workspace !== undefined) {
    if (!isObject(req.workspace)) {
      v.add('workspace', 'field.type', 'must be { namespace, name }');
    } else {
      checkDnsLabel(
        v,
        'workspace.namespace',
        req.workspace.namespace,
        'namespace.dns-label',
      );
      checkDnsLabel(v, 'workspace.name', req.workspace.name, 'name.dns-label');
    }
  }
  return v.issues;
}

/**
 * Checks a GPU pool update: at least one of count, minCount, maxCount, and
 * the same count rules as creation.
 *
 * @public
 */
export function validateUpdateGpuPoolRequest(
  request: UpdateGpuPoolRequest,
): ValidationIssue[] {
  const structure = new IssueCollector();
  addStructuralIssues(
    structure,
    updateGpuPoolRequestSchema,
    request,
    'the GPU pool update',
  );
  return mergeIssues(structure.issues, updateSemanticIssues(request));
}

function updateSemanticIssues(
  request: UpdateGpuPoolRequest,
): ValidationIssue[] {
  const v = new IssueCollector();
  const req = objectRequest(v, request);
  if (!req) return v.issues;
  if (
    req.count === undefined &&
    req.minCount === undefined &&
    req.maxCount === undefined
  ) {
    v.add('', 'gpupool.update.empty', 'give count, or minCount and maxCount');
  }
  checkScale(v, req);
  return v.issues;
}

/**
 * Like {@link validateCreateGpuPoolRequest}, but throws a
 * `KaitoValidationError` listing the issues.
 *
 * @public
 */
export function assertValidCreateGpuPoolRequest(
  request: CreateGpuPoolRequest,
): void {
  const issues = validateCreateGpuPoolRequest(request);
  if (issues.length > 0) {
    throw new KaitoValidationError('GPU pool request', issues);
  }
}

/**
 * Like {@link validateUpdateGpuPoolRequest}, but throws a
 * `KaitoValidationError` listing the issues.
 *
 * @public
 */
export function assertValidUpdateGpuPoolRequest(
  request: UpdateGpuPoolRequest,
): void {
  const issues = validateUpdateGpuPoolRequest(request);
  if (issues.length > 0) {
    throw new KaitoValidationError('GPU pool update', issues);
  }
}
