import {
  CompoundEntityRef,
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';
import { isReservedLabelKey } from '../annotations';
import { IssueCollector, shown } from './issues';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isImageReference,
  isLabelKey,
  isLabelValue,
} from './names';

/*
 * Field checks shared by the request validators. Requests arrive as parsed
 * JSON, so every check tolerates values of the wrong type.
 */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request as an object; undefined after reporting that it is not one. */
export function objectRequest(
  v: IssueCollector,
  request: unknown,
): Record<string, unknown> | undefined {
  if (isObject(request)) return request;
  v.add('', 'request.type', 'the request must be an object');
  return undefined;
}

/** Reports a missing or non-string value; returns the string if usable. */
export function requiredString(
  v: IssueCollector,
  field: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null || value === '') {
    v.add(field, 'field.required', 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    v.add(field, 'field.type', 'must be a string');
    return undefined;
  }
  return value;
}

/** Reports a non-string value; returns the string, or undefined if absent. */
export function optionalString(
  v: IssueCollector,
  field: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    v.add(field, 'field.type', 'must be a string');
    return undefined;
  }
  return value;
}

/** Parses an entity ref whose name can be used as a label value. */
export function checkEntityRef(
  v: IssueCollector,
  field: string,
  value: unknown,
): CompoundEntityRef | undefined {
  const raw = requiredString(v, field, value);
  if (raw === undefined) {
    return undefined;
  }
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(raw);
  } catch {
    v.add(
      field,
      'entity-ref.invalid',
      `${shown(raw)} is not an entity ref of the form kind:namespace/name`,
    );
    return undefined;
  }
  // Backstage compares refs case-insensitively (stringifyEntityRef
  // lowercases them), so `Component:Default/Bot` is as good as its
  // lowercase form.
  if (
    !KubernetesValidatorFunctions.isValidKind(ref.kind) ||
    !KubernetesValidatorFunctions.isValidNamespace(
      ref.namespace.toLocaleLowerCase('en-US'),
    ) ||
    !KubernetesValidatorFunctions.isValidObjectName(ref.name)
  ) {
    v.add(
      field,
      'entity-ref.invalid',
      `${shown(raw)} has an invalid kind, namespace or name`,
    );
    return undefined;
  }
  return ref;
}

export function checkDnsLabel(
  v: IssueCollector,
  field: string,
  value: unknown,
  rule: string,
): string | undefined {
  const raw = requiredString(v, field, value);
  if (raw !== undefined && !isDns1123Label(raw)) {
    v.add(
      field,
      rule,
      `${shown(raw)} must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit`,
    );
    return undefined;
  }
  return raw;
}

/** An optional name of a Secret, ConfigMap or PVC (DNS-1123 subdomain). */
export function checkObjectName(
  v: IssueCollector,
  field: string,
  value: unknown,
  required = false,
): string | undefined {
  const raw = required
    ? requiredString(v, field, value)
    : optionalString(v, field, value);
  if (raw !== undefined && !isDns1123Subdomain(raw)) {
    v.add(
      field,
      'k8s-name.dns-subdomain',
      `${shown(raw)} must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters`,
    );
    return undefined;
  }
  return raw;
}

export function checkImage(
  v: IssueCollector,
  field: string,
  value: unknown,
): string | undefined {
  const raw = optionalString(v, field, value);
  if (raw !== undefined && !isImageReference(raw)) {
    v.add(
      field,
      'image.invalid',
      `${shown(raw)} is not an image reference ([registry/]repository[:tag][@digest])`,
    );
    return undefined;
  }
  return raw;
}

export function checkSecretList(
  v: IssueCollector,
  field: string,
  value: unknown,
): void {
  if (value === undefined) {
    return;
  }
  if (!Array.isArray(value)) {
    v.add(field, 'field.type', 'must be a list of Secret names');
    return;
  }
  value.forEach((name, i) => checkObjectName(v, `${field}[${i}]`, name, true));
}

/** Node labels: valid keys and values, none reserved by KAITO. */
export function checkLabels(
  v: IssueCollector,
  field: string,
  value: unknown,
  extraReservedPrefixes: readonly string[] = [],
): Record<string, string> | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!isObject(value)) {
    v.add(field, 'field.type', 'must be a map of label keys to values');
    return undefined;
  }
  for (const [key, labelValue] of Object.entries(value)) {
    const keyField = `${field}[${shown(key)}]`;
    if (!isLabelKey(key)) {
      v.add(keyField, 'label.key-invalid', `${shown(key)} is not a valid label key`);
    } else if (
      isReservedLabelKey(key) ||
      extraReservedPrefixes.some(prefix => key.startsWith(prefix))
    ) {
      v.add(
        keyField,
        'label.reserved-key',
        `${shown(key)} is reserved (kaito.sh/, karpenter.sh/${
          extraReservedPrefixes.length
            ? `, ${extraReservedPrefixes.join(', ')}`
            : ''
        } keys are managed by KAITO or AKS)`,
      );
    }
    if (typeof labelValue !== 'string' || !isLabelValue(labelValue)) {
      v.add(
        keyField,
        'label.value-invalid',
        `value ${shown(labelValue)} is not a valid label value (at most 63 letters, digits, '-', '_' or '.')`,
      );
    }
  }
  return value as Record<string, string>;
}

/** An integer in [min, max]; reports `rule` otherwise. */
export function checkInteger(
  v: IssueCollector,
  field: string,
  value: unknown,
  min: number,
  max: number,
  rule: string,
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    v.add(
      field,
      rule,
      `${shown(value)} must be an integer from ${min} to ${max}`,
    );
    return undefined;
  }
  return value;
}
