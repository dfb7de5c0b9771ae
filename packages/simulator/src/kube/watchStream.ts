/**
 * A watch over HTTP: a chunked response of newline-delimited JSON watch events
 * (`{"type":"ADDED","object":{...}}`), as the API server streams them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceType, WatchEvent } from './api';
import { toStatusError, type ResponseFormat } from './httpIo';
import { apiVersionOf, asVersion } from './objects';
import type { InMemoryObjectStore } from './store';
import type { ResourceStrategy } from './strategy';
import { partialObjectMetadata, toTable, type IncludeObject } from './table';

/** The open watch streams of a server, so they can be dropped (fault injection) or closed on shutdown. */
export class WatchSessions {
  private readonly sessions = new Set<WatchSession>();

  add(session: WatchSession) {
    this.sessions.add(session);
  }

  delete(session: WatchSession) {
    this.sessions.delete(session);
  }

  get size() {
    return this.sessions.size;
  }

  /** Cuts every stream mid-response, like a dropped connection (the client sees a premature close). */
  dropAll() {
    for (const session of [...this.sessions]) {
      session.drop();
    }
  }

  /** Ends every stream cleanly, like the server's watch timeout. */
  endAll() {
    for (const session of [...this.sessions]) {
      session.end();
    }
  }
}

export interface WatchRequest {
  req: IncomingMessage;
  res: ServerResponse;
  store: InMemoryObjectStore;
  type: ResourceType;
  strategy: ResourceStrategy;
  version: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  sendInitialEvents: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  format: ResponseFormat;
  includeObject: IncludeObject;
  bookmarkIntervalMs: number;
  sessions: WatchSessions;
}

/** The API server's default watch duration: a random 30–60 minutes (--min-request-timeout=1800). */
const defaultTimeoutSeconds = () => 1800 * (1 + Math.random());

export class WatchSession {
  private stopWatch?: () => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private tableHeadersSent = false;

  constructor(private readonly request: WatchRequest) {}

  start() {
    const { req, res, store, type, sessions } = this.request;
    const contentType =
      this.request.format.kind === 'table'
        ? `application/json;as=Table;v=${this.request.format.version};g=meta.k8s.io`
        : 'application/json';
    res.writeHead(200, {
      'Content-Type': contentType,
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    sessions.add(this);
    req.on('close', () => this.cleanup());
    res.on('close', () => this.cleanup());

    const fromVersion =
      this.request.sendInitialEvents || !this.request.resourceVersion
        ? '0'
        : this.request.resourceVersion;
    try {
      this.stopWatch = store.watch(
        {
          group: type.group,
          plural: type.plural,
          namespace: this.request.namespace,
          labelSelector: this.request.labelSelector,
          fieldSelector: this.request.fieldSelector,
          resourceVersion: fromVersion,
        },
        event => this.send(event),
      );
    } catch (error) {
      this.write({ type: 'ERROR', object: toStatusError(error).toStatus() });
      this.end();
      return;
    }
    if (this.closed) {
      this.stopWatch();
      return;
    }
    if (this.request.sendInitialEvents && this.request.allowWatchBookmarks) {
      this.sendBookmark({ 'k8s.io/initial-events-end': 'true' });
    }
    if (this.request.allowWatchBookmarks) {
      const timer = setInterval(
        () => this.sendBookmark(),
        this.request.bookmarkIntervalMs,
      );
      timer.unref();
      this.timers.push(timer);
    }
    // timeoutSeconds=0 (or none) means the server's default; a negative one ends the watch at once.
    const timeout = setTimeout(
      () => this.end(),
      (this.request.timeoutSeconds || defaultTimeoutSeconds()) * 1000,
    );
    timeout.unref();
    this.timers.push(timeout);
  }

  end() {
    if (!this.closed) {
      this.request.res.end();
    }
    this.cleanup();
  }

  drop() {
    this.cleanup();
    this.request.res.socket?.destroy();
    this.request.res.destroy();
  }

  private cleanup() {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.stopWatch?.();
    this.timers.forEach(t => clearTimeout(t));
    this.request.sessions.delete(this);
  }

  private write(event: { type: string; object: unknown }) {
    if (!this.closed) {
      this.request.res.write(`${JSON.stringify(event)}\n`);
    }
  }

  private sendBookmark(annotations?: Record<string, string>) {
    const { type, version, store } = this.request;
    this.write({
      type: 'BOOKMARK',
      object: {
        kind: type.kind,
        apiVersion: apiVersionOf(type.group, version),
        metadata: {
          resourceVersion: store.currentResourceVersion(),
          creationTimestamp: null,
          ...(annotations ? { annotations } : {}),
        },
      },
    });
  }

  private send(event: WatchEvent) {
    const { type, version, format } = this.request;
    const object: KubeObject = asVersion(event.object, version);
    switch (format.kind) {
      case 'table':
        this.write({
          type: event.type,
          object: toTable([object], {
            type,
            version,
            strategy: this.request.strategy,
            tableVersion: format.version,
            includeObject: this.request.includeObject,
            noHeaders: this.tableHeadersSent,
            listMeta: { resourceVersion: object.metadata.resourceVersion },
          }),
        });
        this.tableHeadersSent = true;
        break;
      case 'metadata':
        this.write({
          type: event.type,
          object: partialObjectMetadata(object, format.version),
        });
        break;
      default:
        this.write({ type: event.type, object });
    }
  }
}
