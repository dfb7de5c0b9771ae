/** ObjectMeta validation with the API server's wording (k8s.io/apimachinery validation). */
import type { KubeObject } from './api';
import type { StatusCause } from './errors';
import { validateLabelKey, validateLabelValue } from './labelSelector';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type NameRule = 'subdomain' | 'dns1123Label' | 'dns1035Label';

export function validateName(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'dns1123Label':
      if (name.length > 63) {
        return 'must be no more than 63 characters';
      }
      return DNS1123_LABEL.test(name)
        ? undefined
        : `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
    case 'dns1035Label':
      if (name.length > 63) {
        return 'must be no more than 63 characters';
      }
      return DNS1035_LABEL.test(name)
        ? undefined
        : `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`;
    default:
      if (name.length > 253) {
        return 'must be no more than 253 characters';
      }
      return DNS1123_SUBDOMAIN.test(name)
        ? undefined
        : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
}

const invalidValue = (
  field: string,
  value: string,
  detail: string,
): StatusCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: "${value}": ${detail}`,
});

/** Name, labels, annotations and finalizers; `old` is set for updates. */
export function validateMetadata(
  obj: KubeObject,
  nameRule: NameRule,
  old?: KubeObject,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = obj.metadata;
  if (!old) {
    const problem = validateName(meta.name, nameRule);
    if (problem) {
      causes.push(invalidValue('metadata.name', meta.name, problem));
    }
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    const keyProblem = validateLabelKey(key);
    if (keyProblem) {
      causes.push(invalidValue('metadata.labels', key, keyProblem));
    }
    const valueProblem =
      typeof value === 'string'
        ? validateLabelValue(value)
        : 'must be a string';
    if (valueProblem) {
      causes.push(invalidValue('metadata.labels', String(value), valueProblem));
    }
  }
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    const keyProblem = validateLabelKey(key);
    if (keyProblem) {
      causes.push(invalidValue('metadata.annotations', key, keyProblem));
    }
    if (typeof value !== 'string') {
      causes.push(
        invalidValue('metadata.annotations', String(value), 'must be a string'),
      );
    }
  }
  const annotationBytes = Object.entries(meta.annotations ?? {}).reduce(
    (n, [k, v]) => n + k.length + String(v).length,
    0,
  );
  if (annotationBytes > 256 * 1024) {
    causes.push({
      reason: 'FieldValueTooLong',
      field: 'metadata.annotations',
      message: `Too long: must have at most 262144 bytes`,
    });
  }
  if (old?.metadata.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    const added = (meta.finalizers ?? []).filter(f => !before.has(f));
    if (added.length > 0) {
      causes.push({
        reason: 'FieldValueForbidden',
        field: 'metadata.finalizers',
        message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added
          .map(f => `"${f}"`)
          .join(', ')}}`,
      });
    }
  }
  return causes;
}
