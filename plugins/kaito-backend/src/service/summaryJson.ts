import { UsageView } from '@kaito-backstage/plugin-kaito-common';
import { JsonBytes } from './JsonBytes';
import {
  SummaryParts,
  ageSeconds,
  readyCount,
  usageAt,
} from './workspaceSummary';

/*
 * The byte-level writer of workspace summaries: a summary's JSON kept as
 * pre-serialised pieces around the values read at each request, so a list
 * read writes bytes instead of serialising objects (see BENCHMARKS.md).
 */

/**
 * A summary's JSON (UTF-8) around its read-time values, as
 * `writeSummaryJson` writes it: everything up to the ready-node count; the
 * fixed fields between the age and an unfinished run's usage (finish, a
 * finished run's usage); the endpoint and the closing brace.
 */
interface SummaryJsonPieces {
  toReady: Buffer;
  /** `,"createdAt":"...","ageSeconds":`, when the creation time is known. */
  toAge?: Buffer;
  fixed?: Buffer;
  end: Buffer;
  /**
   * The usage an unfinished run was last written with. Its rounded figures
   * change every few seconds, not at every read, so the text is reused
   * while they stay the same.
   */
  lastUsage?: { view: UsageView; json: Buffer };
}

/** What `WorkspaceSummaries` remembers of a workspace object. */
export type RememberedSummary = SummaryParts & { json: SummaryJsonPieces };

export function summaryJsonPieces(parts: SummaryParts): SummaryJsonPieces {
  const head = JSON.stringify(parts.head);
  const target =
    parts.target !== undefined ? `"target":${JSON.stringify(parts.target)},` : '';
  const fixed =
    (parts.finished ? `,"finishedAt":${JSON.stringify(parts.finished)}` : '') +
    (parts.usage ? `,"usage":${JSON.stringify(parts.usage)}` : '');
  return {
    toReady: Buffer.from(
      `${head.slice(0, -1)},"nodes":{${target}"workers":${JSON.stringify(
        parts.workers,
      )},"ready":`,
    ),
    ...(parts.created
      ? {
          toAge: Buffer.from(
            `,"createdAt":${JSON.stringify(parts.created)},"ageSeconds":`,
          ),
        }
      : {}),
    ...(fixed ? { fixed: Buffer.from(fixed) } : {}),
    end: Buffer.from(
      `${parts.endpoint ? `,"endpoint":${JSON.stringify(parts.endpoint)}` : ''}}`,
    ),
  };
}

const READY_CLOSE = Array.from({ length: 17 }, (_, n) => `${n}}`);

/** The ready-node count and the brace closing `nodes`. */
function readyClose(ready: number): string {
  return READY_CLOSE[ready] ?? `${ready}}`;
}

/**
 * Appends to `out` the UTF-8 of `JSON.stringify(assembleSummary(parts,
 * nodes, now))`, from the remembered pieces: only the ready-node count, the
 * age and an unfinished run's usage are serialised at each read.
 */
export function writeSummaryJson(
  parts: RememberedSummary,
  nodeReady: (node: string) => boolean,
  now: number,
  out: JsonBytes,
): void {
  const { json } = parts;
  out.bytes(json.toReady).ascii(readyClose(readyCount(parts.workers, nodeReady)));
  if (json.toAge) {
    out.bytes(json.toAge).ascii(JSON.stringify(ageSeconds(parts, now)));
  }
  if (json.fixed) out.bytes(json.fixed);
  if (!parts.usage && parts.usageBase) {
    const view = usageAt(parts, now)!;
    const last = json.lastUsage?.view;
    if (
      !last ||
      last.hours !== view.hours ||
      last.gpuHours !== view.gpuHours ||
      last.estimatedCostUsd !== view.estimatedCostUsd
    ) {
      json.lastUsage = {
        view,
        json: Buffer.from(`,"usage":${JSON.stringify(view)}`),
      };
    }
    out.bytes(json.lastUsage!.json);
  }
  out.bytes(json.end);
}
