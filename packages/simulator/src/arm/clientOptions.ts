/**
 * Helpers for pointing the real Azure SDK clients (and `@azure/identity`) at
 * the simulator without touching process-wide state: the endpoint plus a
 * per-client trust of the simulator's CA (`tlsOptions.ca`, which core-rest-pipeline turns into
 * `request.tlsSettings` for the client's own HTTPS agent). Processes can trust
 * the CA with `NODE_EXTRA_CA_CERTS=<ca.pem>` instead and pass only `endpoint`.
 */
export interface SimulatorEndpoint {
  url: string;
  caCertPem: string;
}

/** `{ endpoint, tlsOptions: { ca } }` for `new ContainerServiceClient(cred, sub, options)` and friends. */
export function simulatorClientOptions(sim: SimulatorEndpoint): {
  endpoint: string;
  tlsOptions: { ca: string };
} {
  return { endpoint: sim.url, tlsOptions: { ca: sim.caCertPem } };
}

export interface SimulatorIdentity {
  /** The simulator's Entra endpoint (its `authorityHost`). */
  entraUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The CA of the simulator's certificates. */
  armCaCertPem: string;
}

/**
 * The arguments of `new ClientSecretCredential(tenantId, clientId,
 * clientSecret, options)` from `@azure/identity` for the simulator's
 * Entra: its authority host, no instance discovery (that always asks
 * login.microsoftonline.com) and trust of its CA for this credential only.
 */
export function simulatorCredentialOptions(sim: SimulatorIdentity) {
  return {
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    options: {
      authorityHost: sim.entraUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sim.armCaCertPem },
    },
  };
}
