import { createHash } from 'node:crypto';
import { ANNOTATION_HASH, ANNOTATION_REVISION } from '../constants';
import type { Workspace } from '../workspace';

/**
 * `syncControllerRevision`/`ComputeHash`: the spec hash and a revision
 * number that goes up when `resource`, `inference` or `tuning` change. The
 * tuning Job and inference StatefulSet carry the revision they were built
 * from; a newer one on the workspace makes the controller rebuild them.
 */
export function specHash(ws: Workspace): string {
  const json = [ws.resource ?? null, ws.inference ?? null, ws.tuning ?? null]
    .map(part => JSON.stringify(part))
    .join('\n');
  return createHash('sha256').update(json).digest('hex');
}

/** The annotations to write, or undefined when they are current. */
export function nextRevisionAnnotations(
  ws: Workspace,
): Record<string, string> | undefined {
  const annotations = ws.metadata.annotations ?? {};
  const hash = specHash(ws);
  if (annotations[ANNOTATION_HASH] === hash && annotations[ANNOTATION_REVISION])
    return undefined;
  const previous = Number(annotations[ANNOTATION_REVISION] ?? 0);
  return {
    ...annotations,
    [ANNOTATION_HASH]: hash,
    [ANNOTATION_REVISION]: String(
      annotations[ANNOTATION_HASH] ? previous + 1 : Math.max(previous, 1),
    ),
  };
}
