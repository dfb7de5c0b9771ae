/**
 * Which fields a `fieldSelector` may name, per type, as the API server's
 * `ConvertFieldLabel` decides: built-in kinds with a registered conversion
 * accept their own list (`field label not supported: x` otherwise), the others
 * only `metadata.name` and `metadata.namespace`; custom resources accept
 * `metadata.name`, `metadata.namespace` when namespaced, and their
 * `selectableFields`.
 */
import type { ResourceType } from './api';
import { badRequest } from './errors';
import type { FieldSelector } from './fieldSelector';
import { goQuote } from './fieldErrors';
import { isBuiltinGroup } from './objects';

/** Old names the conversion rewrites (Pods: `spec.host` is `spec.nodeName`). */
const ALIASES: Record<string, Record<string, string>> = {
  '/pods': { 'spec.host': 'spec.nodeName' },
};

function canonicalField(type: ResourceType, field: string): string {
  const alias = ALIASES[`${type.group}/${type.plural}`]?.[field];
  if (alias) {
    return alias;
  }
  if (!isBuiltinGroup(type.group)) {
    const allowed = [
      'metadata.name',
      ...(type.namespaced ? ['metadata.namespace'] : []),
      ...(type.fieldLabels ?? []),
    ];
    if (allowed.includes(field)) {
      return field;
    }
    throw badRequest(`field label not supported: ${field}`);
  }
  if (type.fieldLabels) {
    if (type.fieldLabels.includes(field)) {
      return field;
    }
    throw badRequest(`field label not supported: ${field}`);
  }
  if (field === 'metadata.name' || field === 'metadata.namespace') {
    return field;
  }
  throw badRequest(
    `${goQuote(
      field,
    )} is not a known field selector: only "metadata.name", "metadata.namespace"`,
  );
}

const escapeValue = (value: string) => value.replace(/[\\,=]/g, c => `\\${c}`);

/**
 * The selector with every field checked (and renamed) for the type, as a
 * selector string again; a 400 naming the first unsupported field.
 */
export function convertFieldLabels(
  type: ResourceType,
  selector: FieldSelector,
): string | undefined {
  if (selector.empty) {
    return undefined;
  }
  return selector.requirements
    .map(
      r =>
        `${canonicalField(type, r.field)}${
          r.operator === 'Equals' ? '=' : '!='
        }${escapeValue(r.value)}`,
    )
    .join(',');
}
