/**
 * What an agent pool write is checked against besides its body: the
 * `If-Match` / `If-None-Match` eTag conditions, and whether a PUT only
 * changes `count` (a Scale, not an Update).
 */
import type { AgentPoolProperties } from './agentPoolTypes';
import { preconditionFailed } from './errors';
import type { WriteConditions } from './events';

export const stripETagQuotes = (etag: string) =>
  etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stableJson(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function onlyCountChanged(
  before: AgentPoolProperties,
  after: AgentPoolProperties,
): boolean {
  if (before.count === after.count) return false;
  const { count: _a, ...restBefore } = before;
  const { count: _b, ...restAfter } = after;
  return stableJson(restBefore) === stableJson(restAfter);
}

/** 412 when the pool's eTag (`current`, of a pool that `exists`) does not meet the write's conditions. */
export function checkWriteConditions(
  poolName: string,
  current: string | undefined,
  exists: boolean,
  conditions: WriteConditions,
) {
  if (conditions.ifMatch !== undefined) {
    const wanted = stripETagQuotes(conditions.ifMatch);
    if (wanted === '*' ? !exists : wanted !== current) {
      throw preconditionFailed(
        exists
          ? `Operation failed. The eTag in the If-Match header ('${conditions.ifMatch}') does not match the current eTag ('${current}') of agent pool '${poolName}'.`
          : `Operation failed. The agent pool '${poolName}' does not exist, so the eTag in the If-Match header ('${conditions.ifMatch}') cannot match.`,
      );
    }
  }
  if (conditions.ifNoneMatch !== undefined && exists) {
    const unwanted = stripETagQuotes(conditions.ifNoneMatch);
    if (unwanted === '*' || unwanted === current) {
      throw preconditionFailed(
        `Operation failed. The agent pool '${poolName}' already exists and the If-None-Match header ('${conditions.ifNoneMatch}') forbids overwriting it.`,
      );
    }
  }
}
