import type { Response } from 'express';
import { BufferPool } from './BufferPool';
import { JsonBytes } from './JsonBytes';

/**
 * Answers 200 with a JSON text that is already serialised, in a pooled
 * buffer that goes back to the pool once the response is flushed (after
 * `finish` nothing reads it; an aborted response just drops it). Express's
 * ETag is left out on purpose: it hashes the whole body at every read, and
 * the lists it would serve change every second (ages, usage so far).
 */
export function sendJsonBytes(
  res: Response,
  json: JsonBytes,
  pool: BufferPool,
): void {
  const buffer = pool.take(json.length);
  const body = json.copyInto(buffer);
  res.once('finish', () => pool.give(buffer));
  res.status(200).type('json').setHeader('Content-Length', body.length);
  res.end(body);
}
