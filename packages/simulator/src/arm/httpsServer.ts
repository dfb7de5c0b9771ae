/**
 * An HTTPS endpoint of the simulator (ARM, Microsoft Entra): listening on a
 * host and port (0 for any free one) and the base URL clients use; closing
 * drops keep-alive connections too.
 */
import type { RequestListener } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HttpsEndpoint {
  server: https.Server;
  /** `https://host:port`; a wildcard host is reached as 127.0.0.1. */
  url: string;
}

export async function listenHttps(
  handler: RequestListener,
  options: {
    tls: { certPem: string; keyPem: string };
    host?: string;
    port?: number;
  },
): Promise<HttpsEndpoint> {
  const server = https.createServer(
    { cert: options.tls.certPem, key: options.tls.keyPem },
    handler,
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let urlHost = host.includes(':') ? `[${host}]` : host;
  if (host === '0.0.0.0' || host === '::') urlHost = '127.0.0.1';
  return { server, url: `https://${urlHost}:${port}` };
}

export function closeHttps(server: https.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise<void>(resolve => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
