import { ComputeManagementClient } from '@azure/arm-compute';
import {
  ContainerServiceClient,
  ContainerServiceClientOptionalParams,
} from '@azure/arm-containerservice';
import { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { azureCredentialFor } from './azureCredential';
import { NotFoundError } from '@backstage/errors';
import { KubeConfig, User } from '@kubernetes/client-node';
import https from 'node:https';
import {
  AKS_AAD_SCOPE,
  AzureClusterConfig,
  ClusterConfig,
} from './config';

/** The name of the kube authenticator that asks @azure/identity for a token. */
const AZURE_AUTH_PROVIDER = 'kaito-azure-identity';

/** Renew tokens this long before they expire (as the Kubernetes plugin does). */
const TOKEN_RENEWAL_MS = 15 * 60 * 1000;

/**
 * Caches a credential's token for one scope until shortly before it expires.
 */
export class CachedTokenProvider {
  private token?: AccessToken;
  private pending?: Promise<AccessToken>;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
  ) {}

  async getToken(): Promise<string> {
    if (
      this.token &&
      this.token.expiresOnTimestamp - TOKEN_RENEWAL_MS > Date.now()
    ) {
      return this.token.token;
    }
    if (!this.pending) {
      this.pending = this.credential
        .getToken(this.scope)
        .then(token => {
          if (!token) {
            throw new Error(`no Azure token was issued for ${this.scope}`);
          }
          this.token = token;
          return token;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return (await this.pending).token;
  }
}

/** Azure clients and coordinates of one AKS cluster. */
export interface AzureClusterClients {
  coordinates: AzureClusterConfig;
  containerService: ContainerServiceClient;
  compute: ComputeManagementClient;
}

/** Everything the plugin needs to reach one cluster. */
export interface ClusterHandle {
  name: string;
  title?: string;
  url: string;
  authProvider: string;
  /** Absent when the cluster cannot be reached by this backend at all. */
  kubeConfig?: KubeConfig;
  /** Why `kubeConfig` is absent. */
  unavailableReason?: string;
  /** The last failure to get a token for the API server (azure auth), if any. */
  authError?: () => string | undefined;
  namespaces?: string[];
  nodeProvisioning?: 'auto' | 'byo';
  azure?: AzureClusterClients;
}

function kubeConfigFor(
  cluster: ClusterConfig,
  azureToken: () => Promise<string>,
  onAuthError: (error: string | undefined) => void,
): KubeConfig {
  const kc = new KubeConfig();
  const user: User =
    cluster.auth.type === 'serviceAccount'
      ? { name: 'kaito', token: cluster.auth.token }
      : {
          name: 'kaito',
          authProvider: { name: AZURE_AUTH_PROVIDER, config: {} },
        };
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify,
        ...(cluster.caPem
          ? { caData: Buffer.from(cluster.caPem).toString('base64') }
          : {}),
      },
    ],
    users: [user],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'kaito' }],
    currentContext: cluster.name,
  });
  if (cluster.auth.type === 'azure') {
    kc.addAuthenticator({
      isAuthProvider: u => u?.authProvider?.name === AZURE_AUTH_PROVIDER,
      async applyAuthentication(_user, opts) {
        // Never throw here: client-node's watch applies credentials outside
        // its error handling. Without a token the API server answers 401,
        // and the cache reports `authError` with it.
        try {
          const token = await azureToken();
          onAuthError(undefined);
          const options = opts as https.RequestOptions;
          options.headers = {
            ...options.headers,
            Authorization: `Bearer ${token}`,
          };
        } catch (error) {
          onAuthError(error instanceof Error ? error.message : String(error));
        }
      },
    });
  }
  return kc;
}

/**
 * ARM client options: the configured endpoint, and trust of the configured CA
 * for this client only (`tlsOptions.ca` becomes the request's TLS settings
 * in core-rest-pipeline), e.g. for a local ARM over https with its own CA.
 */
export function armClientOptions(
  azure: AzureClusterConfig,
): ContainerServiceClientOptionalParams {
  return {
    ...(azure.endpoint ? { endpoint: azure.endpoint } : {}),
    ...(azure.caPem ? { tlsOptions: { ca: azure.caPem } } : {}),
    userAgentOptions: { userAgentPrefix: 'kaito-backstage' },
  };
}

/**
 * The clusters the plugin knows, by name, with their Kubernetes and Azure
 * clients. Built once from configuration.
 */
export class ClusterRegistry {
  private readonly clusters = new Map<string, ClusterHandle>();

  static fromConfig(
    configs: ClusterConfig[],
    options: { azureCredential?: () => TokenCredential } = {},
  ): ClusterRegistry {
    let shared: TokenCredential | undefined;
    const defaultCredential = () => {
      if (!shared) {
        shared = options.azureCredential
          ? options.azureCredential()
          : new DefaultAzureCredential();
      }
      return shared;
    };
    let aksTokens: CachedTokenProvider | undefined;
    const aksToken = () => {
      if (!aksTokens) {
        aksTokens = new CachedTokenProvider(defaultCredential(), AKS_AAD_SCOPE);
      }
      return aksTokens.getToken();
    };

    const registry = new ClusterRegistry();
    for (const config of configs) {
      const handle: ClusterHandle = {
        name: config.name,
        title: config.title,
        url: config.url,
        authProvider:
          config.auth.type === 'unsupported'
            ? config.auth.provider
            : config.auth.type,
        namespaces: config.namespaces,
        nodeProvisioning: config.nodeProvisioning,
      };
      if (config.auth.type === 'unsupported') {
        handle.unavailableReason =
          `authProvider "${config.auth.provider}" is not supported by the KAITO backend ` +
          `(${config.configKey}.authProvider); use serviceAccount or azure`;
      } else {
        let authError: string | undefined;
        handle.kubeConfig = kubeConfigFor(config, aksToken, error => {
          authError = error;
        });
        handle.authError = () => authError;
      }
      if (config.azure) {
        const credential = azureCredentialFor(config.azure, defaultCredential);
        const clientOptions = armClientOptions(config.azure);
        handle.azure = {
          coordinates: config.azure,
          containerService: new ContainerServiceClient(
            credential,
            config.azure.subscriptionId,
            clientOptions,
          ),
          compute: new ComputeManagementClient(
            credential,
            config.azure.subscriptionId,
            armClientOptions(config.azure),
          ),
        };
      }
      registry.clusters.set(config.name, handle);
    }
    return registry;
  }

  list(): ClusterHandle[] {
    return [...this.clusters.values()];
  }

  /** The cluster by name; NotFoundError naming it when unknown. */
  get(name: string): ClusterHandle {
    const cluster = this.clusters.get(name);
    if (!cluster) {
      throw new NotFoundError(
        `Unknown cluster "${name}"; known clusters: ${
          [...this.clusters.keys()].join(', ') || 'none'
        }`,
      );
    }
    return cluster;
  }
}
