import { KubernetesValidatorFunctions } from '@backstage/catalog-model';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Whether a string is a DNS-1123 label (Kubernetes names of namespaces and
 * Workspaces): lowercase alphanumerics and `-`, at most 63 characters,
 * starting and ending with an alphanumeric.
 *
 * @public
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * Whether a string is a DNS-1123 subdomain (names of Secrets, ConfigMaps,
 * PVCs, adapters): dot-separated DNS-1123 labels, at most 253 characters.
 *
 * @public
 */
export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= 253 &&
    value.split('.').every(part => DNS1123_LABEL.test(part))
  );
}

/**
 * AKS agent pool names: a lowercase letter, then up to 11 lowercase letters
 * or digits (`AgentPoolModels.tsp` in azure-rest-api-specs).
 *
 * @public
 */
export const AKS_POOL_NAME_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/**
 * Whether a string is an OCI image reference (`[registry[:port]/]path[:tag][@digest]`),
 * by the grammar of github.com/distribution/reference.
 *
 * @public
 */
export function isImageReference(value: string): boolean {
  const match = IMAGE_REFERENCE.exec(value);
  if (match === null || match[1].length > 255) {
    return false;
  }
  // As in Docker's normalization, the first component is a registry only if
  // it has a '.' or ':' or is localhost; otherwise it is a (lowercase) path.
  const [first, ...rest] = match[1].split('/');
  const isRegistry =
    rest.length > 0 && (/[.:]/.test(first) || first === 'localhost');
  return isRegistry || new RegExp(`^${PATH_COMPONENT}$`).test(first);
}

/** Label key check (prefix DNS subdomain, name up to 63 characters). */
export function isLabelKey(value: string): boolean {
  return KubernetesValidatorFunctions.isValidLabelKey(value);
}

/** Label value check (empty, or up to 63 alphanumerics, `-`, `_`, `.`). */
export function isLabelValue(value: string): boolean {
  return KubernetesValidatorFunctions.isValidLabelValue(value);
}
