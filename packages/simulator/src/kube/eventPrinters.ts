/**
 * Server-side table columns of Events (a table without NAME first), computed
 * the way pkg/printers/internalversion/printers.go does (`printEvent`).
 */
import { timestampAge } from './humanDuration';
import { column } from './printerColumns';
import type { ComputedPrinterColumn } from './strategy';

type Obj = Record<string, any>;

// ------------------------------------------------------------------ Events (a table without NAME first)

function eventLastSeen(event: Obj, now: Date): string {
  const last =
    event.series?.lastObservedTime ??
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp;
  const age = timestampAge(last, now);
  const count = event.series?.count ?? event.count ?? 1;
  if (count > 1) {
    const first = event.firstTimestamp ?? event.eventTime;
    return `${age} (x${count} over ${timestampAge(first, now)})`;
  }
  return age;
}

export const eventTableColumns: ComputedPrinterColumn[] = [
  column(
    'Last Seen',
    'string',
    '.lastTimestamp',
    eventLastSeen,
    0,
    'Time when last event from this object was observed.',
  ),
  column(
    'Type',
    'string',
    '.type',
    ev => ev.type ?? '',
    0,
    'Type of this event (Normal, Warning), new types could be added in the future.',
  ),
  column(
    'Reason',
    'string',
    '.reason',
    ev => ev.reason ?? '',
    0,
    'Reason why the action was taken. It is human-readable.',
  ),
  column(
    'Object',
    'string',
    '.involvedObject',
    ev =>
      `${String(ev.involvedObject?.kind ?? '').toLowerCase()}/${
        ev.involvedObject?.name ?? ''
      }`,
    0,
    'The object that this event is about.',
  ),
  column(
    'Subobject',
    'string',
    '.involvedObject.fieldPath',
    ev => ev.involvedObject?.fieldPath ?? '',
    1,
    'The subobject that this event is about.',
  ),
  column(
    'Source',
    'string',
    '.source',
    ev =>
      [
        ev.source?.component ?? ev.reportingComponent ?? '',
        ev.source?.host ?? '',
      ]
        .filter(Boolean)
        .join(', '),
    1,
    'The component reporting this event. Should be a short machine understandable string.',
  ),
  column(
    'Message',
    'string',
    '.message',
    ev => String(ev.message ?? '').trim(),
    0,
    'A human-readable description of the status of this operation.',
  ),
  column(
    'First Seen',
    'string',
    '.firstTimestamp',
    (ev, now) => timestampAge(ev.firstTimestamp ?? ev.eventTime, now),
    1,
    'The time at which the event was first recorded.',
  ),
  column(
    'Count',
    'integer',
    '.count',
    ev => ev.series?.count ?? ev.count ?? 1,
    1,
    'The number of times this event has occurred.',
  ),
  column(
    'Name',
    'string',
    '.metadata.name',
    ev => ev.metadata?.name ?? '',
    1,
    'Name must be unique within a namespace.',
  ),
];
