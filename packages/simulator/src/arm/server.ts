/**
 * The request pipeline in front of the routes, in ARM's order: latency,
 * authentication, throttling, api-version, then the resource provider. Every
 * response carries ARM's tracking headers; every error the ARM envelope.
 */
import { randomUUID } from 'node:crypto';
import type {
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import type { ArmService } from './armService';
import { authenticate } from './auth';
import {
  ArmError,
  invalidApiVersion,
  isArmError,
  missingApiVersion,
  throttled,
} from './errors';
import { ArmRequest, ArmResponse, routeRequest } from './routes';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const API_VERSION =
  /^\d{4}-\d{2}-\d{2}(-(preview|privatepreview|alpha|beta))?$/i;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const decodeSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes match no route and end as 404
  }
};

/** `EASTUS:20260823T101010Z:<guid>`, as ARM's routing id. */
const routingId = (location: string, requestId: string) =>
  `${location.toUpperCase()}:${new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}:${requestId}`;

/** ARM reports the remaining requests of the caller's bucket for the method. */
function rateLimitHeader(method: string): Record<string, string> {
  if (method === 'GET')
    return { 'x-ms-ratelimit-remaining-subscription-reads': '11999' };
  if (method === 'DELETE')
    return { 'x-ms-ratelimit-remaining-subscription-deletes': '11999' };
  return { 'x-ms-ratelimit-remaining-subscription-writes': '1199' };
}

function internalError(
  sim: ArmService,
  e: unknown,
  correlationId: string,
  requestId: string,
): ArmError {
  return new ArmError(
    500,
    'InternalServerError',
    `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', subscription id '${
      sim.subscriptionId
    }', tracking id '${requestId}', request correlation id '${correlationId}'. (${
      (e as Error)?.message ?? String(e)
    })`,
  );
}

async function respond(
  sim: ArmService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const requestId = randomUUID();
  const incomingCorrelation = req.headers['x-ms-correlation-request-id'];
  const correlationId =
    (Array.isArray(incomingCorrelation)
      ? incomingCorrelation[0]
      : incomingCorrelation) ?? randomUUID();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'https://arm.invalid');
  let response: ArmResponse;
  let error: ArmError | undefined;
  try {
    const rawBody = await readBody(req);
    const latency = sim.faults.get().latencyMs.arm;
    if (latency > 0) await new Promise(resolve => setTimeout(resolve, latency));
    authenticate(req.headers.authorization, sim.tenant);
    if (sim.faults.take('armThrottling')) {
      const write =
        method !== 'GET' &&
        url.pathname.toLowerCase().includes('/microsoft.containerservice/');
      throw throttled(sim.faults.get().armThrottling.retryAfterSeconds, write);
    }
    const query = new Map<string, string>();
    url.searchParams.forEach((value, name) => {
      if (!query.has(name.toLowerCase())) query.set(name.toLowerCase(), value);
    });
    const apiVersion = query.get('api-version');
    if (!apiVersion) throw missingApiVersion();
    if (!API_VERSION.test(apiVersion)) throw invalidApiVersion(apiVersion);
    const armRequest: ArmRequest = {
      method,
      segments: url.pathname
        .split('/')
        .filter(s => s.length > 0)
        .map(decodeSegment),
      query,
      headers: req.headers,
      rawBody,
      baseUrl: `https://${req.headers.host ?? new URL(sim.url).host}`,
      apiVersion,
    };
    response = routeRequest(sim, armRequest);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      error = new ArmError(
        413,
        'RequestEntityTooLarge',
        `The request content exceeds the maximum of ${MAX_BODY_BYTES} bytes.`,
      );
    } else {
      error = isArmError(e)
        ? e
        : internalError(sim, e, correlationId, requestId);
    }
    response = {
      status: error.statusCode,
      body: error.toBody(),
      headers:
        error.retryAfterSeconds !== undefined
          ? { 'Retry-After': String(error.retryAfterSeconds) }
          : undefined,
    };
  }

  const headers: Record<string, string> = {
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': correlationId,
    'x-ms-routing-request-id': routingId(sim.location, requestId),
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Cache': 'CONFIG_NOCACHE',
    ...rateLimitHeader(method),
    ...(response.headers ?? {}),
  };
  if (response.status === 401) {
    headers[
      'WWW-Authenticate'
    ] = `Bearer authorization_uri="https://login.windows.net/${
      sim.tenantId
    }", error="invalid_token", error_description="${
      error?.message ?? 'Authentication failed.'
    }"`;
  }
  const payload =
    response.body === undefined ? '' : JSON.stringify(response.body);
  if (response.body !== undefined)
    headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);

  sim.emit('request', {
    method,
    path: url.pathname,
    statusCode: response.status,
    requestId,
    durationMs: Date.now() - started,
    ...(error ? { errorCode: error.code } : {}),
  });
}

/** The HTTPS request listener for ARM (an `ArmSimulator`). */
export function createArmRequestHandler(sim: ArmService): RequestListener {
  return (req, res) => {
    respond(sim, req, res).catch(e => {
      if (!res.headersSent) {
        res.writeHead(500, {
          'Content-Type': 'application/json; charset=utf-8',
        });
      }
      res.end(
        JSON.stringify({
          error: { code: 'InternalServerError', message: String(e) },
        }),
      );
    });
  };
}
