import { createHash } from 'node:crypto';

const ENTITY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The catalog name of the entity the KAITO catalog module publishes for a
 * workspace (tuned model or endpoint): `<workspace>.<namespace>.<cluster>`,
 * or a truncated name with a hash when that is not a valid entity name (at
 * most 63 characters). The scaffolder actions use it to point at the entity
 * before the catalog has it.
 *
 * @public
 */
export function kaitoEntityName(ref: {
  cluster: string;
  namespace: string;
  name: string;
}): string {
  const full = `${ref.name}.${ref.namespace}.${ref.cluster}`;
  if (full.length <= 63 && ENTITY_NAME.test(full)) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const base = ref.name
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, 63 - hash.length - 1)
    .replace(/[-_.]+$/, '');
  return `${base || 'kaito'}-${hash}`;
}
