/**
 * A simulated Microsoft Entra ID (login.microsoftonline.com) for one tenant,
 * over HTTPS: what `ClientSecretCredential` from `@azure/identity` needs when
 * its `authorityHost` points here (with `disableInstanceDiscovery`, since
 * instance discovery always asks login.microsoftonline.com itself). The
 * simulated ARM accepts the tokens it signs.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  EntraDirectory,
  type AppRegistration,
  type EntraDirectoryOptions,
} from './directory';
import { routeEntraRequest, EntraError } from './routes';

export interface EntraSimulatorOptions extends EntraDirectoryOptions {
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  tls: { certPem: string; keyPem: string };
}

const MAX_BODY_BYTES = 1024 * 1024;

export class EntraSimulator {
  readonly directory: EntraDirectory;
  private server?: https.Server;
  private listenUrl?: string;

  constructor(private readonly options: EntraSimulatorOptions) {
    this.directory = new EntraDirectory(options);
  }

  /** The `authorityHost` for `@azure/identity`, e.g. `https://127.0.0.1:6446`. */
  get url(): string {
    if (!this.listenUrl) throw new Error('EntraSimulator is not started');
    return this.listenUrl;
  }

  registerApplication(
    app: Partial<AppRegistration> & { displayName: string },
  ): AppRegistration {
    return this.directory.registerApplication(app);
  }

  async start(): Promise<{ url: string }> {
    if (this.listenUrl) return { url: this.listenUrl };
    const server = https.createServer(
      { cert: this.options.tls.certPem, key: this.options.tls.keyPem },
      (req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        req.on('end', () => {
          const correlationId =
            (req.headers['client-request-id'] as string | undefined) ??
            randomUUID();
          const url = new URL(req.url ?? '/', 'https://login.invalid');
          let status: number;
          let body: unknown;
          try {
            ({ status, body } = routeEntraRequest(this.directory, {
              method: (req.method ?? 'GET').toUpperCase(),
              segments: url.pathname.split('/').filter(Boolean),
              query: url.searchParams,
              headers: req.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              baseUrl: `https://${req.headers.host ?? new URL(this.url).host}`,
            }));
          } catch (error) {
            const entraError =
              error instanceof EntraError
                ? error
                : new EntraError(500, 'server_error', 90033, String(error));
            status = entraError.status;
            body = entraError.toBody(correlationId, new Date());
          }
          const payload = JSON.stringify(body);
          res.writeHead(status, {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(payload),
            'Cache-Control': 'no-store, no-cache',
            Pragma: 'no-cache',
            'x-ms-request-id': randomUUID(),
            'client-request-id': correlationId,
            'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
            'X-Content-Type-Options': 'nosniff',
          });
          res.end(payload);
        });
      },
    );
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    let urlHost = host.includes(':') ? `[${host}]` : host;
    if (host === '0.0.0.0' || host === '::') urlHost = '127.0.0.1';
    this.server = server;
    this.listenUrl = `https://${urlHost}:${port}`;
    return { url: this.listenUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listenUrl = undefined;
    if (server) {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }
}
