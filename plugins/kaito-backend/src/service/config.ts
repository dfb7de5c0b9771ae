import { Config } from '@backstage/config';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import fs from 'node:fs';
import { KaitoConfigError } from './configError';
import { parseLabelSelector } from './labelSelector';
import {
  SERVICE_ACCOUNT_TOKEN,
  readKubernetesClusters,
  readString,
} from './kubernetesClusters';

export { KaitoConfigError } from './configError';

/** How the backend authenticates to a cluster's API server. */
export type ClusterAuth =
  | { type: 'serviceAccount'; token: string }
  | { type: 'azure' }
  | { type: 'unsupported'; provider: string };

/** Azure coordinates of an AKS cluster, for agent pool (GPU pool) management. */
export interface AzureClusterConfig {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  location?: string;
  /** ARM endpoint; undefined means the public cloud. */
  endpoint?: string;
  /** PEM certificate authority trusted for `endpoint` and `credential.authorityHost` only. */
  caPem?: string;
  /** A service principal to reach ARM as; DefaultAzureCredential when absent. */
  credential?: AzureClientSecret;
}

/** A Microsoft Entra app registration and its client secret (`ClientSecretCredential`). */
export interface AzureClientSecret {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Entra endpoint; undefined means the public cloud (login.microsoftonline.com). */
  authorityHost?: string;
}

/** One cluster the KAITO backend talks to. */
export interface ClusterConfig {
  name: string;
  title?: string;
  url: string;
  auth: ClusterAuth;
  /** PEM of the API server's certificate authority, when configured. */
  caPem?: string;
  skipTLSVerify: boolean;
  /** Namespaces to watch; undefined means all. */
  namespaces?: string[];
  /** How KAITO gets GPU nodes on this cluster, when known (validation context). */
  nodeProvisioning?: 'auto' | 'byo';
  azure?: AzureClusterConfig;
  /** Where the cluster is declared, for error messages. */
  configKey: string;
}

export interface WatchSettings {
  initialBackoffMs: number;
  maxBackoffMs: number;
  syncTimeoutMs: number;
  /**
   * The nodes the cache keeps (workspaces' and GPU pools' nodes): AKS's GPU
   * label by default; empty keeps every node.
   */
  nodeLabelSelector: string;
  /** How long a namespace's informers run after its last workspace is gone, ms. */
  namespaceIdleMs: number;
}

/** The watch settings without configuration. */
export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  syncTimeoutMs: 5_000,
  nodeLabelSelector: 'kubernetes.azure.com/accelerator',
  namespaceIdleMs: 600_000,
};

/** The AKS AAD server application, whose token AKS API servers accept. */
export const AKS_AAD_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant named by one of its domains, e.g. `contoso.onmicrosoft.com`. */
const TENANT_DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/i;

function readPem(
  key: string,
  data: string | undefined,
  file: string | undefined,
  fileKey: string,
): string | undefined {
  if (data) {
    const trimmed = data.trim();
    if (trimmed.includes('-----BEGIN')) {
      return trimmed;
    }
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
    if (!decoded.includes('-----BEGIN CERTIFICATE-----')) {
      throw new KaitoConfigError(
        key,
        'expected a PEM certificate or the base64 encoding of one',
      );
    }
    return decoded;
  }
  if (file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new KaitoConfigError(
        fileKey,
        `cannot read ${file}: ${(e as Error).message}`,
      );
    }
  }
  return undefined;
}

function readHttpsUrl(config: Config, name: string, key: string, why: string): string | undefined {
  const value = config.getOptionalString(name);
  if (value === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KaitoConfigError(key, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'https:') {
    throw new KaitoConfigError(key, why);
  }
  return value.replace(/\/+$/, '');
}

const CLIENT_SECRET_KEYS = ['tenantId', 'clientId', 'clientSecret'] as const;

/** tenantId, clientId and clientSecret, all three or none; authorityHost only with them. */
function readClientSecret(config: Config, key: string): AzureClientSecret | undefined {
  const present = CLIENT_SECRET_KEYS.filter(k => config.getOptionalString(k) !== undefined);
  const authorityHost = readHttpsUrl(
    config,
    'authorityHost',
    `${key}.authorityHost`,
    'Microsoft Entra must be reached over https',
  );
  if (present.length === 0) {
    if (authorityHost) {
      throw new KaitoConfigError(
        `${key}.authorityHost`,
        'is only used with tenantId, clientId and clientSecret (DefaultAzureCredential reads AZURE_AUTHORITY_HOST)',
      );
    }
    return undefined;
  }
  const missing = CLIENT_SECRET_KEYS.filter(k => !present.includes(k));
  if (missing.length > 0) {
    throw new KaitoConfigError(
      `${key}.${missing[0]}`,
      `a service principal needs tenantId, clientId and clientSecret together; ${missing.join(', ')} missing`,
    );
  }
  const tenantId = readString(config, 'tenantId', `${key}.tenantId`);
  if (!UUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) {
    throw new KaitoConfigError(`${key}.tenantId`, `"${tenantId}" is not a tenant ID (a UUID) or domain`);
  }
  const clientId = readString(config, 'clientId', `${key}.clientId`);
  if (!UUID.test(clientId)) {
    throw new KaitoConfigError(`${key}.clientId`, `"${clientId}" is not an application (client) ID (a UUID)`);
  }
  return {
    tenantId,
    clientId,
    clientSecret: readString(config, 'clientSecret', `${key}.clientSecret`),
    ...(authorityHost ? { authorityHost } : {}),
  };
}

function readAzure(config: Config, key: string): AzureClusterConfig {
  const subscriptionId = readString(
    config,
    'subscriptionId',
    `${key}.subscriptionId`,
  );
  if (!UUID.test(subscriptionId)) {
    throw new KaitoConfigError(
      `${key}.subscriptionId`,
      `"${subscriptionId}" is not a subscription ID (a UUID)`,
    );
  }
  if (config.getOptionalString('token') !== undefined) {
    throw new KaitoConfigError(
      `${key}.token`,
      'static ARM tokens are not supported; configure tenantId, clientId and clientSecret, or leave them out for DefaultAzureCredential',
    );
  }
  const endpoint = readHttpsUrl(
    config,
    'endpoint',
    `${key}.endpoint`,
    'ARM must be reached over https (the Azure SDK refuses bearer tokens over http)',
  );
  const credential = readClientSecret(config, key);
  return {
    subscriptionId,
    resourceGroup: readString(config, 'resourceGroup', `${key}.resourceGroup`),
    clusterName: readString(config, 'clusterName', `${key}.clusterName`),
    location: config.getOptionalString('location')?.trim() || undefined,
    endpoint,
    caPem: readPem(
      `${key}.caData`,
      config.getOptionalString('caData'),
      config.getOptionalString('caFile'),
      `${key}.caFile`,
    ),
    ...(credential ? { credential } : {}),
  };
}

/**
 * Reads the clusters from `kubernetes.clusterLocatorMethods` (type `config`)
 * and their KAITO settings from `kaito.clusters.<name>`. Throws a
 * `KaitoConfigError` naming the key for broken configuration.
 */
export function readClusterConfigs(config: Config): ClusterConfig[] {
  const clusters: ClusterConfig[] = [];
  const byName = new Map<string, ClusterConfig>();
  for (const { details, configKey: key } of readKubernetesClusters(config)) {
    const token = details.authMetadata[SERVICE_ACCOUNT_TOKEN];
    const provider = details.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
    let auth: ClusterAuth;
    if (provider === 'serviceAccount') {
      if (!token) {
        throw new KaitoConfigError(
          `${key}.serviceAccountToken`,
          'required when authProvider is serviceAccount',
        );
      }
      auth = { type: 'serviceAccount', token };
    } else if (provider === 'azure') {
      auth = { type: 'azure' };
    } else {
      auth = { type: 'unsupported', provider };
    }
    const cluster: ClusterConfig = {
      name: details.name,
      title: details.title,
      url: details.url.replace(/\/+$/, ''),
      auth,
      caPem: readPem(
        `${key}.caData`,
        details.caData,
        details.caFile,
        `${key}.caFile`,
      ),
      skipTLSVerify: Boolean(details.skipTLSVerify),
      configKey: key,
    };
    byName.set(cluster.name, cluster);
    clusters.push(cluster);
  }

  const kaitoClusters = config.getOptionalConfig('kaito.clusters');
  for (const name of kaitoClusters?.keys() ?? []) {
    const key = `kaito.clusters.${name}`;
    const cluster = byName.get(name);
    if (!cluster) {
      const known = [...byName.keys()];
      const listed = known.length
        ? `known clusters: ${known.join(', ')}`
        : 'none is configured';
      throw new KaitoConfigError(
        key,
        `no cluster named "${name}" in kubernetes.clusterLocatorMethods (type config); ${listed}`,
      );
    }
    const settings = kaitoClusters!.getConfig(name);
    const namespaces = settings.getOptionalStringArray('namespaces');
    if (namespaces && namespaces.length === 0) {
      throw new KaitoConfigError(
        `${key}.namespaces`,
        'list at least one namespace, or remove the key to watch all',
      );
    }
    cluster.namespaces = namespaces;
    const nodeProvisioning = settings.getOptionalString('nodeProvisioning');
    if (
      nodeProvisioning !== undefined &&
      nodeProvisioning !== 'auto' &&
      nodeProvisioning !== 'byo'
    ) {
      throw new KaitoConfigError(
        `${key}.nodeProvisioning`,
        `"${nodeProvisioning}" must be auto or byo`,
      );
    }
    cluster.nodeProvisioning = nodeProvisioning;
    const azure = settings.getOptionalConfig('azure');
    if (azure) {
      cluster.azure = readAzure(azure, `${key}.azure`);
    }
  }
  return clusters;
}

function positive(
  config: Config,
  key: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) {
    return fallback;
  }
  if (!(value > 0)) {
    throw new KaitoConfigError(key, 'must be a positive number');
  }
  return value;
}

/** Request limits of kaito-backend (`kaito.limits`). */
export interface RequestLimits {
  /** Largest JSON body of a write (workspaces, GPU pools), bytes. */
  bodyBytes: number;
  chat: {
    /** Largest chat completion body, bytes. */
    bodyBytes: number;
    requestsPerMinute: number;
    concurrentStreams: number;
  };
}

export const DEFAULT_LIMITS: RequestLimits = {
  bodyBytes: 64 * 1024,
  chat: { bodyBytes: 1024 * 1024, requestsPerMinute: 20, concurrentStreams: 2 },
};

function positiveInteger(config: Config, key: string, fallback: number): number {
  const value = positive(config, key, fallback);
  if (!Number.isInteger(value)) {
    throw new KaitoConfigError(key, 'must be a whole number');
  }
  return value;
}

export function readRequestLimits(config: Config): RequestLimits {
  return {
    bodyBytes: positiveInteger(config, 'kaito.limits.bodyBytes', DEFAULT_LIMITS.bodyBytes),
    chat: {
      bodyBytes: positiveInteger(
        config,
        'kaito.limits.chat.bodyBytes',
        DEFAULT_LIMITS.chat.bodyBytes,
      ),
      requestsPerMinute: positiveInteger(
        config,
        'kaito.limits.chat.requestsPerMinute',
        DEFAULT_LIMITS.chat.requestsPerMinute,
      ),
      concurrentStreams: positiveInteger(
        config,
        'kaito.limits.chat.concurrentStreams',
        DEFAULT_LIMITS.chat.concurrentStreams,
      ),
    },
  };
}

export function readWatchSettings(config: Config): WatchSettings {
  const d = DEFAULT_WATCH_SETTINGS;
  // getOptional: getOptionalString refuses '' (which keeps every node).
  const nodeLabelSelector = config.getOptional('kaito.watch.nodeLabelSelector');
  if (nodeLabelSelector !== undefined && typeof nodeLabelSelector !== 'string') {
    throw new KaitoConfigError(
      'kaito.watch.nodeLabelSelector',
      'must be a string (a label selector, or empty for every node)',
    );
  }
  if (nodeLabelSelector !== undefined && nodeLabelSelector.trim() !== '') {
    try {
      parseLabelSelector(nodeLabelSelector);
    } catch (error) {
      throw new KaitoConfigError(
        'kaito.watch.nodeLabelSelector',
        `is not a label selector: ${(error as Error).message}`,
      );
    }
  }
  return {
    initialBackoffMs: positive(config, 'kaito.watch.initialBackoffMs', d.initialBackoffMs),
    maxBackoffMs: positive(config, 'kaito.watch.maxBackoffMs', d.maxBackoffMs),
    syncTimeoutMs: positive(config, 'kaito.watch.syncTimeoutMs', d.syncTimeoutMs),
    nodeLabelSelector: nodeLabelSelector?.trim() ?? d.nodeLabelSelector,
    namespaceIdleMs: positive(config, 'kaito.watch.namespaceIdleMs', d.namespaceIdleMs),
  };
}
