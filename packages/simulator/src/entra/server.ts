/** The HTTPS request listener of the simulated Entra: body, routing, Entra's headers and error bodies. */
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { EntraDirectory } from './directory';
import { EntraError } from './errors';
import { routeEntraRequest } from './routes';

const MAX_BODY_BYTES = 1024 * 1024;

export function entraRequestHandler(
  directory: EntraDirectory,
): RequestListener {
  return (req, res) => {
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
        ({ status, body } = routeEntraRequest(directory, {
          method: (req.method ?? 'GET').toUpperCase(),
          segments: url.pathname.split('/').filter(Boolean),
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          baseUrl: `https://${req.headers.host}`,
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
  };
}
