import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ChatCompletionRequest,
  Workspace,
  summarizeWorkspaceStatus,
  validateChatCompletionRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { Request, Response } from 'express';
import { ClusterSet } from './ClusterSet';
import { invalidRequest, withDetails } from './httpErrors';
import { kubeRequest, toClusterError } from './kubeHttp';

const MAX_WAITING_FOR_LENGTH = 300;

/**
 * Refuses a chat with a workspace that does not serve (yet): a 409 with its
 * phase and what it waits for (the condition that decides the phase), not
 * the API server's 404 for a Service that does not exist yet.
 */
export function assertServing(cluster: string, workspace: Workspace): void {
  const { namespace, name } = workspace.metadata;
  const where = `Workspace ${namespace}/${name} on cluster "${cluster}"`;
  if (workspace.tuning) {
    throw new InputError(
      `${where} is a tuning workspace; only inference workspaces serve chat completions [chat.tuning-workspace]`,
    );
  }
  const status = summarizeWorkspaceStatus(workspace);
  if (status.phase === 'Ready') return;
  const condition = status.conditionType
    ? `${status.conditionType}${status.reason ? ` ${status.reason}` : ''}${
        status.message ? `: ${status.message}` : ''
      }`
    : 'KAITO to report its status';
  const cut =
    condition.length > MAX_WAITING_FOR_LENGTH
      ? `${condition.slice(0, MAX_WAITING_FOR_LENGTH)}\u2026`
      : condition;
  const waitingFor = status.phase === 'Deleting' ? 'its deletion to finish' : cut;
  throw withDetails(
    new ConflictError(
      `${where} cannot serve chat completions yet: it is ${status.phase}, waiting for ${waitingFor}; ` +
        'chat once it is Ready [workspace.not-ready]',
    ),
    { state: status.phase, waitingFor },
  );
}

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

  /** A chat completion body as the model servers take it; 400 naming each problem. */
  static check(body: unknown): ChatCompletionRequest {
    const issues = validateChatCompletionRequest(body);
    if (issues.length > 0) {
      throw invalidRequest('chat completion request', issues);
    }
    return body as ChatCompletionRequest;
  }

  async proxy(
    target: { cluster: string; namespace: string; name: string },
    req: Request,
    res: Response,
  ): Promise<void> {
    const body = req.body as ChatCompletionRequest;
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
