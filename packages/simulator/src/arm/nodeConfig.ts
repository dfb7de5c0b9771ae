/**
 * Validation of node configuration in an agent pool: enum spellings, taints,
 * labels, tags and Kubernetes versions, with AKS's error codes and wording.
 */
import {
  invalidParameter,
  invalidTagName,
  invalidTags,
  versionIncompatible,
} from './errors';

export const invalid = (field: string, reason: string) =>
  invalidParameter(
    `agentPoolProfile.${field}`,
    `The value of parameter agentPoolProfile.${field} is invalid. ${reason}`,
  );

export const canonical = (
  field: string,
  value: string | undefined,
  allowed: string[],
): string | undefined => {
  if (value === undefined) return undefined;
  const match = allowed.find(a => a.toLowerCase() === value.toLowerCase());
  if (!match) {
    throw invalid(
      field,
      `'${value}' is not one of the supported values: ${allowed.join(', ')}.`,
    );
  }
  return match;
};

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes qualified name: `[prefix/]name`, as used by label and taint keys. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name))
    return false;
  if (parts.length === 2) {
    const prefix = parts[0];
    return (
      prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)
    );
  }
  return true;
}

const isLabelValue = (value: string) =>
  value === '' || (value.length <= 63 && LABEL_NAME.test(value));

const TAINT = /^([^=:\s]+)(?:=([^:\s]*))?:([A-Za-z]+)$/;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function parseTaint(
  taint: string,
): { key: string; value: string; effect: string } | undefined {
  const match = TAINT.exec(taint);
  if (!match) return undefined;
  const [, key, value = '', effect] = match;
  if (
    !isQualifiedName(key) ||
    !isLabelValue(value) ||
    !TAINT_EFFECTS.includes(effect)
  ) {
    return undefined;
  }
  return { key, value, effect };
}

export function validateTaints(taints: string[]): void {
  const seen = new Set<string>();
  for (const taint of taints) {
    const parsed = parseTaint(taint);
    if (!parsed) {
      throw invalid(
        'nodeTaints',
        `Taint '${taint}' is not valid. A taint must be in the format <key>=<value>:<effect> or <key>:<effect>, where key and value are valid Kubernetes label keys and values and effect is one of ${TAINT_EFFECTS.join(
          ', ',
        )}.`,
      );
    }
    const id = `${parsed.key}:${parsed.effect}`;
    if (seen.has(id)) {
      throw invalid(
        'nodeTaints',
        `Taint key '${parsed.key}' with effect '${parsed.effect}' is specified more than once.`,
      );
    }
    seen.add(id);
  }
}

export function validateLabels(labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) {
      throw invalid(
        'nodeLabels',
        `Label key '${key}' is not a valid Kubernetes label key. Please see https://aka.ms/node-labels for more details.`,
      );
    }
    if (!isLabelValue(value ?? '')) {
      throw invalid(
        'nodeLabels',
        `Label value '${value}' of key '${key}' is not a valid Kubernetes label value. Please see https://aka.ms/node-labels for more details.`,
      );
    }
  }
}

const TAG_RESERVED = /[<>%&\\?/]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f]/;

export function validateTags(tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length > 50) {
    throw invalidTags(
      `The number of tags (${keys.length}) exceeds the maximum of 50 tags per resource.`,
    );
  }
  const reserved = keys.filter(
    key => TAG_RESERVED.test(key) || CONTROL_CHARACTERS.test(key),
  );
  if (reserved.length > 0) {
    throw invalidTagName(reserved);
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length > 512) {
      throw invalidTags(
        `The tag name '${key.slice(
          0,
          32,
        )}...' exceeds the maximum length of 512 characters.`,
      );
    }
    if ((value ?? '').length > 256) {
      throw invalidTags(
        `The value of tag '${key}' exceeds the maximum length of 256 characters.`,
      );
    }
  }
}

const parseVersion = (v: string) => {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v);
  return match
    ? {
        major: Number(match[1]),
        minor: Number(match[2]),
        patch: match[3] === undefined ? undefined : Number(match[3]),
      }
    : undefined;
};

/** Resolves `orchestratorVersion` to the patch version the nodes run. */
export function resolveNodeVersion(
  orchestratorVersion: string,
  clusterVersion: string,
): string {
  const pool = parseVersion(orchestratorVersion);
  const cluster = parseVersion(clusterVersion);
  if (!pool || !cluster) return orchestratorVersion;
  if (pool.patch !== undefined) return orchestratorVersion;
  return pool.major === cluster.major &&
    pool.minor === cluster.minor &&
    cluster.patch !== undefined
    ? `${cluster.major}.${cluster.minor}.${cluster.patch}`
    : `${pool.major}.${pool.minor}.0`;
}

export function validateVersion(version: string, clusterVersion: string): void {
  const pool = parseVersion(version);
  const cluster = parseVersion(clusterVersion);
  if (!pool) {
    throw invalid(
      'orchestratorVersion',
      `Version '${version}' is not a valid Kubernetes version; use <major>.<minor> or <major>.<minor>.<patch>.`,
    );
  }
  if (!cluster) return;
  const poolKey = pool.major * 1000 + pool.minor;
  const clusterKey = cluster.major * 1000 + cluster.minor;
  if (
    poolKey > clusterKey ||
    (poolKey === clusterKey &&
      pool.patch !== undefined &&
      cluster.patch !== undefined &&
      pool.patch > cluster.patch)
  ) {
    throw versionIncompatible(
      version,
      clusterVersion,
      `Node pool version ${version} is bigger than control plane version ${clusterVersion}.`,
    );
  }
  if (clusterKey - poolKey > 3) {
    throw versionIncompatible(
      version,
      clusterVersion,
      "Minor version of node pool cannot be more than 3 versions less than control plane's version.",
    );
  }
}
