/**
 * `ResourceSpec.validateUpdate` of `api/<version>/workspace_validation.go`:
 * what may not change on an existing Workspace's `resource` (count when set
 * on both sides, instanceType, labelSelector, partitioning). Paths are
 * relative to `resource`.
 */
import { labelSelectorAsMap } from '../labelSelector';
import type { WorkspaceResource } from '../workspace';
import { napDisabled, type AdmissionContext } from './context';
import { FieldError } from './fieldError';
import type { Partition } from './partitionRules';

const sameLabels = (
  a: Record<string, string> | null,
  b: Record<string, string> | null,
) =>
  a === null || b === null
    ? a === b
    : Object.keys(a).length === Object.keys(b).length &&
      Object.keys(a).every(k => a[k] === b[k]);

function labelSelectorUpdateErrors(
  resource: WorkspaceResource,
  old: WorkspaceResource,
): FieldError {
  const next = labelSelectorAsMap(resource.labelSelector);
  const prev = labelSelectorAsMap(old.labelSelector);
  if ('error' in next || 'error' in prev) {
    return FieldError.generic(
      "Only allow matchLabels or 'IN' matchExpression",
      'labelSelector',
    );
  }
  return sameLabels(next.labels, prev.labels)
    ? FieldError.none()
    : FieldError.generic('field is immutable', 'labelSelector');
}

/** `apiequality.Semantic.DeepEqual` of two `*PartitionSpec`. */
const samePartition = (a?: Partition, b?: Partition) =>
  !a || !b
    ? !a && !b
    : (a.mode ?? '') === (b.mode ?? '') &&
      (a.profile ?? '') === (b.profile ?? '') &&
      a.count === b.count;

/** Both versions' `validateUpdate`: a count set on both sides cannot change. */
function countImmutable(
  resource: WorkspaceResource,
  old: WorkspaceResource,
): FieldError {
  return resource.count !== undefined &&
    old.count !== undefined &&
    resource.count !== old.count
    ? FieldError.generic('field is immutable', 'count')
    : FieldError.none();
}

/** v1beta1 `ResourceSpec.validateUpdate` */
export function validateResourceUpdate(
  resource: WorkspaceResource,
  old: WorkspaceResource,
  ctx: AdmissionContext,
): FieldError {
  let errs = countImmutable(resource, old);
  if (!samePartition(resource.partition, old.partition)) {
    errs = errs.also(FieldError.generic('field is immutable', 'partition'));
  }
  const next = resource.instanceType ?? '';
  const prev = old.instanceType ?? '';
  if (napDisabled(ctx)) {
    if (prev === '') {
      if (next !== '') {
        errs = errs.also(
          FieldError.invalidValue(
            'instanceType must be empty when node auto-provisioning is disabled (BYO scenario)',
            'instanceType',
          ),
        );
      }
    } else if (next !== '' && prev !== next) {
      errs = errs.also(
        FieldError.invalidValue(
          'instanceType cannot be changed once set',
          'instanceType',
        ),
      );
    }
  } else if (next === '') {
    errs = errs.also(
      FieldError.missing(
        'instanceType is required when node auto-provisioning is enabled',
        'instanceType',
      ),
    );
  } else if (prev !== '' && prev !== next) {
    errs = errs.also(
      FieldError.generic(
        'instanceType cannot be changed once set when node auto-provisioning is enabled',
        'instanceType',
      ),
    );
  }
  return errs.also(labelSelectorUpdateErrors(resource, old));
}

/** v1alpha1 `ResourceSpec.validateUpdate`: count, instanceType and labelSelector are immutable. */
export function validateResourceUpdateV1alpha1(
  resource: WorkspaceResource,
  old: WorkspaceResource,
): FieldError {
  let errs = countImmutable(resource, old);
  if ((resource.instanceType ?? '') !== (old.instanceType ?? '')) {
    errs = errs.also(FieldError.generic('field is immutable', 'instanceType'));
  }
  return errs.also(labelSelectorUpdateErrors(resource, old));
}
