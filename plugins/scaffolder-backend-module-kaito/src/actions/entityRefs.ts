import { parseEntityRef } from '@backstage/catalog-model';
import { kaitoEntityName } from '@kaito-backstage/plugin-kaito-node';

/** `kind:namespace/name` parts of an entity ref (kind and namespace lowercased). */
export interface EntityRefParts {
  kind: string;
  namespace: string;
  name: string;
}

/** Parses `kind:[namespace/]name`; undefined when it is not one. */
export function parseEntityRefParts(ref: string): EntityRefParts | undefined {
  try {
    const { kind, namespace, name } = parseEntityRef(ref.trim());
    return {
      kind: kind.toLocaleLowerCase('en-US'),
      namespace: namespace.toLocaleLowerCase('en-US'),
      name,
    };
  } catch {
    return undefined;
  }
}

/** `kind:namespace/name`, normalized. */
export function normalizeEntityRef(ref: string): string {
  const parts = parseEntityRefParts(ref);
  return parts ? `${parts.kind}:${parts.namespace}/${parts.name}` : ref;
}

/**
 * The catalog entity the KAITO catalog module publishes for a workspace:
 * `resource:<owner namespace>/<kaitoEntityName>`.
 */
export function kaitoEntityRef(
  ownerRef: string | undefined,
  ref: { cluster: string; namespace: string; name: string },
): string | undefined {
  const owner = ownerRef ? parseEntityRefParts(ownerRef) : undefined;
  if (!owner) return undefined;
  return `resource:${owner.namespace}/${kaitoEntityName(ref)}`;
}
