import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';

export interface KubeRequest {
  method?: string;
  /** Path on the API server, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string | Buffer;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A non-2xx answer from a Kubernetes API server. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether an error means the API server could not be reached at all. */
export function isNetworkError(error: unknown): boolean {
  let current: any = error;
  for (let i = 0; current && i < 5; i++) {
    if (NETWORK_ERRORS.has(current.code) || NETWORK_ERRORS.has(current.errno)) {
      return true;
    }
    if (current.type === 'system') {
      return true;
    }
    current = current.cause;
  }
  return false;
}

/**
 * Sends a request to a cluster's API server with the cluster's credentials
 * and TLS settings from its KubeConfig (via @kubernetes/client-node), and
 * returns the response stream, whatever its status.
 */
export async function kubeRequest(
  kc: KubeConfig,
  request: KubeRequest,
): Promise<IncomingMessage> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new Error('KubeConfig has no current cluster');
  }
  const url = new URL(cluster.server.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) {
      url.searchParams.set(key, String(value));
    }
  }
  const options: https.RequestOptions = {
    method: request.method ?? 'GET',
    headers: { Accept: 'application/json', ...request.headers },
  };
  await kc.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      { ...options, signal: request.signal },
      resolve,
    );
    req.on('error', reject);
    if (request.body !== undefined) {
      req.write(request.body);
    }
    req.end();
  });
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Turns a Kubernetes `Status` body (or anything else) into a KubeApiError. */
export function kubeStatusError(statusCode: number, body: string): KubeApiError {
  try {
    const status = JSON.parse(body);
    if (status && typeof status.message === 'string') {
      return new KubeApiError(statusCode, status.message, status.reason);
    }
  } catch {
    // not JSON
  }
  return new KubeApiError(
    statusCode,
    body.trim().slice(0, 500) || `HTTP ${statusCode}`,
  );
}

/** A JSON request; throws KubeApiError on a non-2xx answer. */
export async function kubeJson<T>(kc: KubeConfig, request: KubeRequest): Promise<T> {
  const res = await kubeRequest(kc, request);
  const body = await readBody(res);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    throw kubeStatusError(status, body);
  }
  return JSON.parse(body) as T;
}

/**
 * Maps a failure talking to a cluster to a `@backstage/errors` error that
 * names the cluster.
 */
export function toClusterError(cluster: string, error: unknown): Error {
  let statusCode: number | undefined;
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof KubeApiError) {
    statusCode = error.statusCode;
  } else if (error instanceof ApiException) {
    statusCode = error.code;
    const parsed = kubeStatusError(
      error.code,
      typeof error.body === 'string' ? error.body : JSON.stringify(error.body),
    );
    message = parsed.message;
  }
  if (statusCode === undefined) {
    if (isNetworkError(error)) {
      return new ServiceUnavailableError(
        `Cluster "${cluster}" is unreachable: ${message}`,
      );
    }
    return error instanceof Error ? error : new Error(message);
  }
  switch (statusCode) {
    case 400:
    case 422:
      return new InputError(`Cluster "${cluster}" rejected the request: ${message}`);
    case 401:
    case 403:
      return new NotAllowedError(
        `Cluster "${cluster}" refused the KAITO backend's identity: ${message}`,
      );
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 429:
    case 502:
    case 503:
    case 504:
      return new ServiceUnavailableError(
        `Cluster "${cluster}" is unavailable: ${message}`,
      );
    default:
      return new Error(`Cluster "${cluster}" failed: ${message}`);
  }
}
