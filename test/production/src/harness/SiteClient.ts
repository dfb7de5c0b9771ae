import type { BackendReplica } from './BackendReplica';
import { eventually } from './eventually';

/** An HTTP error answer, with what the backend said. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly body: string, where: string) {
    super(`${where}: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

/**
 * A signed-in user's Backstage token, from whichever replica answers: user
 * tokens are signed with keys kept in the shared database, so a token one
 * replica issued is good on every replica.
 */
export class TokenSource {
  private token?: { value: string; until: number };

  constructor(private readonly replicas: () => BackendReplica[]) {}

  async get(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const running = this.replicas().filter(r => r.running);
    let lastError: unknown;
    for (const replica of running) {
      try {
        const res = await fetch(`${replica.url}/api/auth/guest/refresh`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
        if (!res.ok)
          throw new HttpError(res.status, await res.text(), 'guest sign-in');
        const body = (await res.json()) as {
          backstageIdentity: { token: string; expiresInSeconds?: number };
        };
        const ttl = (body.backstageIdentity.expiresInSeconds ?? 3600) * 1000;
        this.token = {
          value: body.backstageIdentity.token,
          until: Date.now() + ttl / 2,
        };
        return this.token.value;
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no replica could sign the test user in: ${lastError}`);
  }
}

export interface ScaffolderTask {
  id: string;
  status: 'open' | 'processing' | 'failed' | 'completed' | 'cancelled';
  spec: unknown;
  lastHeartbeatAt?: string;
}

export interface ScaffolderEvent {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  createdAt: string;
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: Record<string, unknown>;
  };
}

/** Requests to one replica, as the signed-in test user. */
export class SiteClient {
  constructor(
    readonly replica: BackendReplica,
    private readonly tokens: TokenSource,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const token = await this.tokens.get();
    return fetch(`${this.replica.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    if (!res.ok) {
      throw new HttpError(
        res.status,
        text,
        `${method} ${path} on replica ${this.replica.name}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The KAITO REST API (`/api/kaito`). */
  kaito<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.json<T>(method, `/api/kaito${path}`, body);
  }

  catalogEntities<T = any>(filter: string): Promise<T[]> {
    return this.json<T[]>(
      'GET',
      `/api/catalog/entities?filter=${encodeURIComponent(filter)}`,
    );
  }

  async startTask(
    templateName: string,
    values: Record<string, unknown>,
  ): Promise<string> {
    const { id } = await this.json<{ id: string }>(
      'POST',
      '/api/scaffolder/v2/tasks',
      {
        templateRef: `template:default/${templateName}`,
        values,
      },
    );
    return id;
  }

  task(id: string): Promise<ScaffolderTask> {
    return this.json<ScaffolderTask>('GET', `/api/scaffolder/v2/tasks/${id}`);
  }

  taskEvents(id: string): Promise<ScaffolderEvent[]> {
    return this.json<ScaffolderEvent[]>(
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
  }

  /**
   * Waits until a step of the task has begun (its "Beginning step" log
   * line). Generous: with every fault at once the steps before it ride out a
   * 429 storm, 409s and 300 ms per ARM call, on a machine the suite may share.
   */
  async waitStepStarted(
    id: string,
    stepId: string,
    timeoutMs = 300_000,
  ): Promise<void> {
    await eventually(
      async () =>
        (
          await this.taskEvents(id)
        ).some(
          e =>
            e.body.stepId === stepId &&
            /^Beginning step/.test(e.body.message ?? ''),
        ),
      { timeoutMs, what: `step ${stepId} of task ${id} to begin` },
    );
  }

  /** Waits until the task ends; resolves with its status and a readable log. */
  async waitTaskDone(
    id: string,
    timeoutMs = 300_000,
  ): Promise<{ status: string; log: string; events: ScaffolderEvent[] }> {
    const task = await eventually(
      async () => {
        const t = await this.task(id);
        return ['completed', 'failed', 'cancelled'].includes(t.status)
          ? t
          : undefined;
      },
      { timeoutMs, intervalMs: 500, what: `task ${id} to finish` },
    );
    const events = await this.taskEvents(id);
    const log = events
      .map(
        e =>
          `${e.createdAt} ${e.type} ${e.body.stepId ?? ''} ${(
            e.body.message ?? ''
          ).slice(0, 400)}`,
      )
      .join('\n');
    return { status: task.status, log, events };
  }
}
