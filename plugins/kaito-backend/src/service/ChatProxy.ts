import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Request, Response } from 'express';
import { ClusterSet } from './ClusterSet';
import { kubeRequest, toClusterError } from './kubeHttp';

/** The API server's service proxy path of a workspace's chat endpoint. */
export function chatProxyPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(
    namespace,
  )}/services/${encodeURIComponent(name)}:80/proxy/v1/chat/completions`;
}

function upstreamMessage(body: string): string {
  try {
    const parsed = JSON.parse(body);
    return (
      parsed?.error?.message ??
      (typeof parsed?.error === 'string' ? parsed.error : undefined) ??
      parsed?.message ??
      parsed?.detail ??
      body
    );
  } catch {
    return body.trim().slice(0, 500);
  }
}

/**
 * Proxies an OpenAI-compatible chat completion to a workspace's model
 * server through the API server's service proxy, passing streaming
 * responses (server-sent events) through as they arrive.
 */
export class ChatProxy {
  constructor(private readonly clusters: ClusterSet) {}

  async proxy(
    target: { cluster: string; namespace: string; name: string },
    req: Request,
    res: Response,
  ): Promise<void> {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new InputError('body: a JSON chat completion request is required');
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw new InputError(
        'messages: a non-empty array of chat messages is required [chat.messages]',
      );
    }
    const kc = this.clusters.cluster(target.cluster).kubeConfig!;
    const controller = new AbortController();
    // The caller went away before the answer ended: stop generating.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    let upstream;
    try {
      upstream = await kubeRequest(kc, {
        method: 'POST',
        path: chatProxyPath(target.namespace, target.name),
        body: JSON.stringify(body),
        headers: {
          'Content-Type': 'application/json',
          Accept: body.stream ? 'text/event-stream' : 'application/json',
        },
        signal: controller.signal,
      });
    } catch (error) {
      throw toClusterError(target.cluster, error);
    }
    const status = upstream.statusCode ?? 502;
    if (status >= 400) {
      const chunks: Buffer[] = [];
      for await (const chunk of upstream) chunks.push(Buffer.from(chunk));
      const message = upstreamMessage(Buffer.concat(chunks).toString('utf8'));
      const where = `workspace ${target.namespace}/${target.name} on cluster "${target.cluster}"`;
      if (status === 400 || status === 422) {
        throw new InputError(`The model server of ${where} rejected the request: ${message}`);
      }
      if (status === 404) {
        throw new NotFoundError(`The model server of ${where} has no chat endpoint: ${message}`);
      }
      if (status >= 500) {
        throw new ServiceUnavailableError(
          `The model server of ${where} is not serving: ${message}`,
        );
      }
      throw new Error(`The model server of ${where} answered ${status}: ${message}`);
    }
    res.status(status);
    const contentType = upstream.headers['content-type'];
    if (contentType) res.setHeader('Content-Type', contentType);
    if (String(contentType).includes('text/event-stream')) {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Accel-Buffering', 'no');
    }
    res.flushHeaders();
    upstream.on('error', () => res.destroy());
    upstream.pipe(res);
    await new Promise<void>(resolve => res.on('close', () => resolve()));
  }
}
