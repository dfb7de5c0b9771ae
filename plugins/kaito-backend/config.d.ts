export interface Config {
  /**
   * The subset of the Kubernetes plugin's configuration the KAITO backend
   * reads: clusters are named once, in `kubernetes.clusterLocatorMethods`
   * (type `config`), and shared with the Kubernetes plugin.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /** Only locators of type `config` are read by the KAITO backend. */
      type: string;
      clusters?: Array<{
        /** Cluster name, as used in `kaito.clusters.<name>` and in the REST API. */
        name: string;
        /** API server URL. */
        url: string;
        /** Human-readable title. */
        title?: string;
        /**
         * `serviceAccount` (static bearer token) or `azure` (server-side
         * `@azure/identity` DefaultAzureCredential, scope of the AKS AAD server
         * app). Other providers are listed as unavailable by the KAITO backend.
         */
        authProvider: string;
        /**
         * Bearer token for `authProvider: serviceAccount`.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64-encoded PEM of the API server's certificate authority.
         * @visibility secret
         */
        caData?: string;
        /**
         * Path to a PEM file of the API server's certificate authority.
         * @visibility secret
         */
        caFile?: string;
        /** Skips TLS verification of the API server. Never in production. */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  /** KAITO plugin suite. */
  kaito?: {
    /**
     * Per-cluster settings, keyed by the cluster name from
     * `kubernetes.clusterLocatorMethods`.
     */
    clusters?: {
      [clusterName: string]: {
        /**
         * The namespaces the suite works in on this cluster: the backend
         * watches only these, and workspaces may be created (GPU pools
         * tagged for them, and chat served from them) only in these. One key
         * for both, so a workspace is never created where the suite cannot
         * see it.
         *
         * Absent: every namespace is watched, and workspaces may live in any
         * namespace except the protected ones: `default`, every `kube-*`
         * (`kube-system`, `kube-public`, `kube-node-lease`), `kaito-system`,
         * `kaito-workspace` and `gpu-provisioner`. List one of those here to
         * allow it.
         *
         * An entity with a `backstage.io/kubernetes-namespace` annotation
         * keeps its workspaces in that namespace only, which must also be
         * allowed by this rule. A refusal is a 403 naming the rule
         * (`namespace.entity-namespace`, `namespace.not-allowed`,
         * `namespace.protected`).
         */
        namespaces?: string[];
        /**
         * How KAITO gets GPU nodes on this cluster: `auto` (node
         * auto-provisioning; `instanceType` required) or `byo` (existing
         * nodes; `instanceType` must be empty). Unset: both are accepted.
         */
        nodeProvisioning?: 'auto' | 'byo';
        /** Azure coordinates of the AKS cluster, for GPU node pool management. */
        azure?: {
          /** Azure subscription ID (a UUID). */
          subscriptionId: string;
          /** Resource group of the managed cluster. */
          resourceGroup: string;
          /** Name of the managed cluster in ARM. */
          clusterName: string;
          /**
           * Azure region of the cluster, e.g. `eastus`; read from ARM when
           * absent. Used for quota usages and prices.
           */
          location?: string;
          /**
           * ARM endpoint. Defaults to `https://management.azure.com`.
           */
          endpoint?: string;
          /**
           * Certificate authority (PEM, or base64 of PEM) to trust for this
           * cluster's ARM `endpoint` and `authorityHost` only (e.g. a local
           * ARM simulator).
           * @visibility secret
           */
          caData?: string;
          /** Path to a PEM file of the certificate authority of `endpoint` and `authorityHost`. */
          caFile?: string;
          /**
           * Microsoft Entra tenant (ID or domain) of the service principal to
           * reach ARM as. With `clientId` and `clientSecret`, the backend uses
           * `ClientSecretCredential` from `@azure/identity`; without all three,
           * `DefaultAzureCredential` (managed identity, workload identity,
           * `AZURE_*` environment variables, Azure CLI...).
           */
          tenantId?: string;
          /** Application (client) ID of the service principal. */
          clientId?: string;
          /**
           * Client secret of the service principal.
           * @visibility secret
           */
          clientSecret?: string;
          /**
           * Microsoft Entra endpoint for the service principal, e.g.
           * `https://login.microsoftonline.us` (Azure Government) or a local
           * simulator's. Defaults to `https://login.microsoftonline.com`. Hosts
           * that are not a national cloud's get instance discovery turned off
           * (`disableInstanceDiscovery`), as Azure Stack needs.
           */
          authorityHost?: string;
        };
      };
    };
    /**
     * Request limits of the KAITO backend. A body above its bound is a 413
     * before it is parsed; a chat request beyond a per-user limit is a 429
     * with `Retry-After`.
     */
    limits?: {
      /**
       * Largest JSON body of a write (create workspace, create or change a
       * GPU pool), in bytes. Default 65536 (64 KiB).
       */
      bodyBytes?: number;
      /** Chat completions (`POST .../workspaces/:name/chat/completions`). */
      chat?: {
        /** Largest chat completion body, in bytes. Default 1048576 (1 MiB). */
        bodyBytes?: number;
        /**
         * Chat requests one user (or calling service) may start per minute,
         * over all workspaces. Default 20.
         */
        requestsPerMinute?: number;
        /**
         * Chat requests one user may have in flight at once, streamed or
         * not. Default 2.
         */
        concurrentStreams?: number;
      };
    };
    /** Watch cache tuning. */
    watch?: {
      /** First reconnect delay after a watch error, ms. Default 500. */
      initialBackoffMs?: number;
      /** Longest reconnect delay, ms. Default 30000. */
      maxBackoffMs?: number;
      /** How long a request waits for a cluster's first sync, ms. Default 5000. */
      syncTimeoutMs?: number;
      /**
       * The nodes the cache keeps (the nodes workspaces and GPU pools run
       * on), as a label selector. Default `kubernetes.azure.com/accelerator`
       * (AKS's label on GPU VM sizes); an empty string keeps every node.
       */
      nodeLabelSelector?: string;
      /**
       * How long the informers of a namespace (its pods' and jobs' events)
       * keep running after its last workspace is gone, ms. Default 600000.
       */
      namespaceIdleMs?: number;
    };
  };
}
