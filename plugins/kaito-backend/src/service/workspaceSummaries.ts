import { Workspace } from '@kaito-backstage/plugin-kaito-common';
import { JsonBytes } from './JsonBytes';
import {
  RememberedSummary,
  summaryJsonPieces,
  writeSummaryJson,
} from './summaryJson';
import { summaryParts } from './workspaceSummary';

export type { RememberedSummary } from './summaryJson';
export { summarizeWorkspace } from './workspaceSummary';

/**
 * Workspace summaries of watch-cache objects as JSON text, remembering what
 * depends only on the object, already serialised. The informers replace an
 * object on every change (a new resourceVersion), so remembering by object
 * identity is remembering by uid + resourceVersion, forgotten on update or
 * delete. The ready-node count, age and usage so far are written at every
 * read. Serialising 100 summaries per entity read was most of the list
 * route's time (see BENCHMARKS.md).
 */
export class WorkspaceSummaries {
  private readonly parts = new WeakMap<Workspace, RememberedSummary>();

  /**
   * Appends to `out` the UTF-8 of `JSON.stringify(summarizeWorkspace(cluster,
   * ws, nodes, now))` for the workspace `summary` was remembered from,
   * without building the summary; `nodeReady` answers whether a node is
   * Ready.
   */
  writeJson(
    summary: RememberedSummary,
    nodeReady: (node: string) => boolean,
    now: number,
    out: JsonBytes,
  ): void {
    writeSummaryJson(summary, nodeReady, now, out);
  }

  /** What is remembered of the workspace (computed on first use). */
  summaryOf(cluster: string, ws: Workspace): RememberedSummary {
    return this.partsOf(cluster, ws);
  }

  private partsOf(cluster: string, ws: Workspace): RememberedSummary {
    let parts = this.parts.get(ws);
    if (
      !parts ||
      parts.cluster !== cluster ||
      parts.head.uid !== ws.metadata.uid
    ) {
      const objectParts = summaryParts(cluster, ws);
      parts = { ...objectParts, json: summaryJsonPieces(objectParts) };
      this.parts.set(ws, parts);
    }
    return parts;
  }
}
