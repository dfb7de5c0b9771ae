/**
 * Reading query parameters as the generated `Convert_url_Values_To_v1_*Options`
 * conversions do (the first value of a parameter, Go's bool and int64
 * parsing), and the `dryRun` check every options struct that has it shares.
 */
import { type StatusCause } from './errors';
import { fieldNotSupported, goStringSlice } from './fieldErrors';
import { goParseInt64, queryBool } from './goValues';

export const META_GROUP = 'meta.k8s.io';

/** The first value of a parameter, when present (`url.Values` with at least one value). */
export function first(
  query: URLSearchParams,
  name: string,
): string | undefined {
  const values = query.getAll(name);
  return values.length > 0 ? values[0] : undefined;
}

export function boolParam(
  query: URLSearchParams,
  name: string,
): boolean | undefined {
  const values = query.getAll(name);
  return values.length > 0 ? queryBool(values) : undefined;
}

export function int64Param(
  query: URLSearchParams,
  name: string,
): number | undefined {
  const value = first(query, name);
  return value === undefined ? undefined : goParseInt64(value);
}

export function validateDryRun(values: string[]): StatusCause[] {
  return values.every(v => v === 'All')
    ? []
    : [fieldNotSupported('dryRun', goStringSlice(values), ['All'])];
}
