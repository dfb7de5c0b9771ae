import { Config } from '@backstage/config';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { KaitoConfigError } from './configError';

/*
 * The clusters of `kubernetes.clusterLocatorMethods` (type `config`), in
 * the Kubernetes plugin's own shape: `ClusterDetails` of
 * `@backstage/plugin-kubernetes-node`, with the auth provider and its
 * token in `authMetadata` under `@backstage/plugin-kubernetes-common`'s
 * keys, and an `authMetadata` block honoured, so one entry means the same
 * to both plugins.
 *
 * Why this is read here and not by Backstage's code: the reader that fills
 * `ClusterDetails` from this config (`ConfigClusterLocator`) is internal to
 * `@backstage/plugin-kubernetes-backend` (not exported), and the KAITO
 * backend must work without that plugin installed. What it adds: every key
 * checked at startup, with the key named in the error.
 */

/** The `authMetadata` key of a service account token (the Kubernetes plugin's). */
export const SERVICE_ACCOUNT_TOKEN = 'serviceAccountToken';

const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A cluster of the Kubernetes config, with where it is declared. */
export interface KubernetesCluster {
  details: ClusterDetails;
  /** e.g. `kubernetes.clusterLocatorMethods[0].clusters[1]`, for errors. */
  configKey: string;
}

/** A required, non-empty, trimmed string; KaitoConfigError naming the key otherwise. */
export function readString(
  config: Config,
  key: string,
  fullKey: string,
): string {
  const value = config.getOptionalString(key);
  if (value === undefined || value.trim() === '') {
    throw new KaitoConfigError(fullKey, 'a non-empty string is required');
  }
  return value.trim();
}

function readUrl(entry: Config, key: string): string {
  const url = readString(entry, 'url', `${key}.url`);
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error('scheme');
    }
  } catch {
    throw new KaitoConfigError(`${key}.url`, `"${url}" is not an http(s) URL`);
  }
  return url;
}

/** The auth provider and its settings, as the Kubernetes plugin keeps them. */
function readAuthMetadata(entry: Config, key: string): Record<string, string> {
  const block = (entry.getOptional('authMetadata') ?? {}) as Record<
    string,
    string
  >;
  const provider =
    block[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
    readString(entry, 'authProvider', `${key}.authProvider`);
  const token = entry.getOptionalString('serviceAccountToken');
  return {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: provider,
    ...(token ? { [SERVICE_ACCOUNT_TOKEN]: token } : {}),
    ...block,
  };
}

/** Reads the clusters of every locator of type `config`, checking each key. */
export function readKubernetesClusters(config: Config): KubernetesCluster[] {
  const clusters: KubernetesCluster[] = [];
  const byName = new Map<string, string>();
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, m) => {
    if (method.getOptionalString('type') !== 'config') {
      return;
    }
    (method.getOptionalConfigArray('clusters') ?? []).forEach((entry, c) => {
      const key = `kubernetes.clusterLocatorMethods[${m}].clusters[${c}]`;
      const name = readString(entry, 'name', `${key}.name`);
      if (!CLUSTER_NAME.test(name)) {
        throw new KaitoConfigError(
          `${key}.name`,
          `"${name}" must be alphanumeric (with - _ . inside)`,
        );
      }
      if (byName.has(name)) {
        throw new KaitoConfigError(
          `${key}.name`,
          `cluster "${name}" is already declared at ${byName.get(name)}`,
        );
      }
      const url = readUrl(entry, key);
      const skipTLSVerify = entry.getOptionalBoolean('skipTLSVerify') ?? false;
      if (url.startsWith('http:') && !skipTLSVerify) {
        throw new KaitoConfigError(
          `${key}.skipTLSVerify`,
          `must be true for the plain-http URL ${url} (@kubernetes/client-node refuses http otherwise)`,
        );
      }
      const title = entry.getOptionalString('title');
      const caData = entry.getOptionalString('caData');
      const caFile = entry.getOptionalString('caFile');
      byName.set(name, key);
      clusters.push({
        configKey: key,
        details: {
          name,
          ...(title ? { title } : {}),
          url,
          authMetadata: readAuthMetadata(entry, key),
          skipTLSVerify,
          ...(caData ? { caData } : {}),
          ...(caFile ? { caFile } : {}),
        },
      });
    });
  });
  return clusters;
}
