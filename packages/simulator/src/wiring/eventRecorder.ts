import { randomBytes } from 'node:crypto';
import type { KubeObject, ObjectStore } from '../kube/api';
import { isStatus } from './objectUpdates';

/**
 * Writes `core/v1` Events the way client-go's `record.EventRecorder` does:
 * named `<object>.<hex>`, in the object's namespace, and a repeat of the same
 * reason and message on the same object bumps `count` and `lastTimestamp`
 * instead of creating a new Event.
 */
export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly store: ObjectStore,
    /** The cluster's time, for the timestamps. */
    private readonly now: () => string = () =>
      new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ) {}

  forComponent(source: EventSource) {
    return (
      involved: KubeObject,
      type: EventType,
      reason: string,
      message: string,
    ) => this.record(source, involved, type, reason, message);
  }

  async record(
    source: EventSource,
    involved: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const namespace = involved.metadata.namespace ?? 'default';
    const now = this.now();
    const key = [
      involved.metadata.uid,
      involved.metadata.name,
      reason,
      message,
      source.component,
    ].join('\u0000');
    try {
      const existingName = this.seen.get(key);
      if (existingName) {
        const existing = this.store.get({
          group: '',
          plural: 'events',
          namespace,
          name: existingName,
        });
        if (existing) {
          await this.store.update({
            ...existing,
            count: Number(existing.count ?? 1) + 1,
            lastTimestamp: now,
          });
          return;
        }
      }
      const name = `${involved.metadata.name}.${randomBytes(8).toString(
        'hex',
      )}`;
      await this.store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
          resourceVersion: involved.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      this.seen.set(key, name);
    } catch (error) {
      // Events are best effort, as in client-go (e.g. the namespace is going away).
      if (
        !isStatus(error, 404) &&
        !isStatus(error, 409) &&
        !isStatus(error, 403)
      ) {
        // eslint-disable-next-line no-console
        console.warn(
          `event ${reason} on ${involved.kind}/${involved.metadata.name} not recorded:`,
          error,
        );
      }
    }
  }
}

export type RecordEvent = ReturnType<EventRecorder['forComponent']>;
