import { timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FaultStore, FaultsPatch } from '../faults';

/**
 * The simulator's own control endpoint, on its own port: read and change the
 * injected faults at run time and get a summary of the simulated cluster.
 * It takes the same bearer token as the Kubernetes API.
 *
 * - `GET /_sim/faults`: the current faults
 * - `PUT /_sim/faults`: replace them (defaults + body)
 * - `PATCH /_sim/faults`: change some (objects are merged, lists replaced)
 * - `POST /_sim/faults/reset`: back to the defaults
 * - `GET /_sim/state`: the summary from `state()`
 */
export interface AdminServerOptions {
  faults: FaultStore;
  token: string;
  state: () => unknown;
  host?: string;
  port?: number;
  tls?: { certPem: string; keyPem: string };
}

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(req: IncomingMessage): Promise<FaultsPatch> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new HttpError(
      400,
      `request body is not JSON: ${(e as Error).message}`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'request body must be a JSON object of faults');
  }
  return parsed as FaultsPatch;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

export async function startAdminServer(
  options: AdminServerOptions,
): Promise<AdminServer> {
  const { faults } = options;
  const applyPatch = (patch: FaultsPatch) => {
    try {
      return faults.patch(patch);
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
  };
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (!authorized(req, options.token))
      throw new HttpError(401, 'Unauthorized');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(
      /\/+$/,
      '',
    );
    const method = req.method ?? 'GET';
    if (path === '/_sim/faults') {
      if (method === 'GET') return send(res, 200, faults.get());
      if (method === 'PATCH')
        return send(res, 200, applyPatch(await readBody(req)));
      if (method === 'PUT') {
        const body = await readBody(req);
        const previous = faults.get();
        faults.reset();
        try {
          return send(res, 200, applyPatch(body));
        } catch (e) {
          faults.patch(previous);
          throw e;
        }
      }
      throw new HttpError(405, `${method} is not allowed on ${path}`);
    }
    if (path === '/_sim/faults/reset') {
      if (method !== 'POST')
        throw new HttpError(405, `${method} is not allowed on ${path}`);
      return send(res, 200, faults.reset());
    }
    if (path === '/_sim/state') {
      if (method !== 'GET')
        throw new HttpError(405, `${method} is not allowed on ${path}`);
      return send(res, 200, options.state());
    }
    throw new HttpError(404, `no route for ${path}`);
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch(error => {
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, { error: (error as Error).message });
    });
  };
  const server = options.tls
    ? createTlsServer(
        { cert: options.tls.certPem, key: options.tls.keyPem },
        listener,
      )
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host =
    options.host && !['0.0.0.0', '::'].includes(options.host)
      ? options.host
      : '127.0.0.1';
  return {
    url: `${options.tls ? 'https' : 'http'}://${
      host.includes(':') ? `[${host}]` : host
    }:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
