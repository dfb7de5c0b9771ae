import { Config } from '@backstage/config';
import fs from 'node:fs';

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
  /** PEM certificate authority trusted for `endpoint` only. */
  caPem?: string;
  /** Static ARM bearer token (ARM simulator only). */
  token?: string;
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
}

/** The AKS AAD server application, whose token AKS API servers accept. */
export const AKS_AAD_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A configuration error that names the offending key. */
export class KaitoConfigError extends Error {
  constructor(readonly key: string, problem: string) {
    super(`Invalid KAITO configuration at '${key}': ${problem}`);
    this.name = 'KaitoConfigError';
  }
}

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

function readString(config: Config, key: string, fullKey: string): string {
  const value = config.getOptionalString(key);
  if (value === undefined || value.trim() === '') {
    throw new KaitoConfigError(fullKey, 'a non-empty string is required');
  }
  return value.trim();
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
  const endpoint = config.getOptionalString('endpoint');
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new KaitoConfigError(`${key}.endpoint`, `"${endpoint}" is not a URL`);
    }
    if (url.protocol !== 'https:') {
      throw new KaitoConfigError(
        `${key}.endpoint`,
        'ARM must be reached over https (the Azure SDK refuses bearer tokens over http)',
      );
    }
  }
  return {
    subscriptionId,
    resourceGroup: readString(config, 'resourceGroup', `${key}.resourceGroup`),
    clusterName: readString(config, 'clusterName', `${key}.clusterName`),
    location: config.getOptionalString('location')?.trim() || undefined,
    endpoint: endpoint?.replace(/\/+$/, ''),
    caPem: readPem(
      `${key}.caData`,
      config.getOptionalString('caData'),
      config.getOptionalString('caFile'),
      `${key}.caFile`,
    ),
    token: config.getOptionalString('token') || undefined,
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
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];

  methods.forEach((method, m) => {
    const methodKey = `kubernetes.clusterLocatorMethods[${m}]`;
    if (method.getOptionalString('type') !== 'config') {
      return;
    }
    const entries = method.getOptionalConfigArray('clusters') ?? [];
    entries.forEach((entry, c) => {
      const key = `${methodKey}.clusters[${c}]`;
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
          `cluster "${name}" is already declared at ${byName.get(name)!.configKey}`,
        );
      }
      const url = readString(entry, 'url', `${key}.url`);
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          throw new Error('scheme');
        }
      } catch {
        throw new KaitoConfigError(`${key}.url`, `"${url}" is not an http(s) URL`);
      }
      const skipTLSVerify = entry.getOptionalBoolean('skipTLSVerify') ?? false;
      if (url.startsWith('http:') && !skipTLSVerify) {
        throw new KaitoConfigError(
          `${key}.skipTLSVerify`,
          `must be true for the plain-http URL ${url} (@kubernetes/client-node refuses http otherwise)`,
        );
      }
      const provider = readString(entry, 'authProvider', `${key}.authProvider`);
      let auth: ClusterAuth;
      if (provider === 'serviceAccount') {
        const token = entry.getOptionalString('serviceAccountToken');
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
        name,
        title: entry.getOptionalString('title'),
        url: url.replace(/\/+$/, ''),
        auth,
        caPem: readPem(
          `${key}.caData`,
          entry.getOptionalString('caData'),
          entry.getOptionalString('caFile'),
          `${key}.caFile`,
        ),
        skipTLSVerify,
        configKey: key,
      };
      byName.set(name, cluster);
      clusters.push(cluster);
    });
  });

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
  return {
    initialBackoffMs: positive(config, 'kaito.watch.initialBackoffMs', 500),
    maxBackoffMs: positive(config, 'kaito.watch.maxBackoffMs', 30_000),
    syncTimeoutMs: positive(config, 'kaito.watch.syncTimeoutMs', 5_000),
  };
}
