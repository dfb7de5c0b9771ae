/**
 * Helpers for pointing the real Azure SDK clients at an ArmSimulator without
 * touching process-wide state: the endpoint plus a per-client trust of the
 * simulator's CA (`tlsOptions.ca`, which core-rest-pipeline turns into
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

/** A `TokenCredential` that always returns the same bearer token (ARM here accepts any). */
export function staticTokenCredential(token = 'simulator-token') {
  return {
    getToken: async () => ({
      token,
      expiresOnTimestamp: Date.now() + 60 * 60 * 1000,
    }),
  };
}
