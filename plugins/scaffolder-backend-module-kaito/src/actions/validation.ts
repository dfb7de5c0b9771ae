import { InputError } from '@backstage/errors';
import {
  IssueCollector,
  KaitoValidationError,
  ValidationIssue,
  Zod,
  isDns1123Label,
  structuralIssues,
} from '@kaito-backstage/plugin-kaito-common';
import { z } from 'zod/v3';
import type { z as zod } from 'zod/v3';
import { parseEntityRefParts } from './entityRefs';

/*
 * Input checks of the kaito:* actions that kaito-common's request
 * validators do not make (the action-only inputs, and the coordinates of an
 * existing workspace), in the same `<field>: <problem> [<rule>]` wording,
 * collected with kaito-common's IssueCollector.
 */

/**
 * An `InputError` listing every issue as `<field>: <problem> [<rule>]`, the
 * same wording kaito-common and the KAITO backend use.
 */
export function validationError(
  actionId: string,
  issues: readonly ValidationIssue[],
): InputError {
  return new InputError(
    new KaitoValidationError(`input of ${actionId}`, [...issues]).message,
  );
}

const SHAPE_RULES = ['field.unknown', 'field.type', 'request.type'];

/**
 * Refuses, before anything else, an input the action's schema does not
 * define (naming the closest known input: `dryrun: ... did you mean
 * dryRun?`) or of the wrong type. The scaffolder makes the same check from
 * the action's JSON Schema (`additionalProperties: false`) when it runs a
 * template, in its own words; this one holds for every caller and names
 * the input meant.
 */
export function checkInputShape(
  actionId: string,
  schema: (z: Zod) => zod.ZodTypeAny,
  input: unknown,
): void {
  // Missing inputs, ranges and allowed values are the actions' own rules
  // (e.g. wait.until.invalid), checked next with their own rule ids.
  const issues = structuralIssues(
    schema(z),
    input,
    `the input of ${actionId}`,
  ).filter(issue => SHAPE_RULES.includes(issue.rule));
  if (issues.length > 0) {
    throw validationError(actionId, issues);
  }
}

/** Throws the InputError of the collected issues, if there are any. */
export function throwIfInvalid(actionId: string, v: IssueCollector): void {
  if (v.issues.length > 0) {
    throw validationError(actionId, v.issues);
  }
}

/** Checks the coordinates of an existing workspace. */
export function checkWorkspaceRef(
  v: IssueCollector,
  ref: { cluster?: unknown; namespace?: unknown; name?: unknown },
): void {
  if (typeof ref.cluster !== 'string' || ref.cluster.trim() === '') {
    v.add('cluster', 'field.required', 'a cluster name is required');
  }
  for (const [field, rule] of [
    ['namespace', 'namespace.dns-label'],
    ['name', 'name.dns-label'],
  ] as const) {
    const value = ref[field];
    if (typeof value !== 'string' || value === '') {
      v.add(field, 'field.required', 'is required');
    } else if (!isDns1123Label(value)) {
      v.add(
        field,
        rule,
        `"${value}" must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`,
      );
    }
  }
}

/** Checks an optional positive number (minutes, seconds). */
export function checkPositive(
  v: IssueCollector,
  field: string,
  value: unknown,
  max: number,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    v.add(
      field,
      'field.positive',
      `${JSON.stringify(value)} must be a positive number`,
    );
  } else if (value > max) {
    v.add(field, 'field.max', `${value} must be at most ${max}`);
  }
}

/** Checks an entity ref of the form `kind:namespace/name`. */
export function checkEntityRef(
  v: IssueCollector,
  field: string,
  value: unknown,
  required: boolean,
): void {
  if (value === undefined || value === '') {
    if (required) {
      v.add(
        field,
        'entity-ref.required',
        'an entity ref (kind:namespace/name) is required',
      );
    }
    return;
  }
  if (typeof value !== 'string' || !parseEntityRefParts(value)) {
    v.add(
      field,
      'entity-ref.invalid',
      `${JSON.stringify(
        value,
      )} is not an entity ref of the form kind:namespace/name`,
    );
  }
}
