import { createHash } from 'node:crypto';
import type { Workspace } from '../workspace';

/**
 * Where a finished tuning run left its adapter. KAITO itself records nothing
 * on the Workspace (the pusher's log is the only trace); the simulator also
 * writes it to this annotation so a client can link the run to an inference
 * workspace's `adapters[].source.image` without parsing logs.
 */
export const ANNOTATION_TUNING_OUTPUT = 'simulator.kaito.sh/tuning-output';

/** The manifest digest the pusher reports for this run (stable per workspace). */
export function adapterDigest(ws: Workspace): string {
  return `sha256:${createHash('sha256')
    .update(`${ws.metadata.uid}/${ws.tuning?.output?.image ?? ''}`)
    .digest('hex')}`;
}

export function tuningOutputRef(ws: Workspace): string | undefined {
  const output = ws.tuning?.output;
  if (output?.image) return `${output.image}@${adapterDigest(ws)}`;
  if (output?.volumeSource)
    return `volume:${JSON.stringify(output.volumeSource)}`;
  return undefined;
}
