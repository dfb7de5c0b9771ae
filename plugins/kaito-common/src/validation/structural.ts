import type { z } from 'zod/v3';
import { IssueCollector, ValidationIssue, shown } from './issues';
import { closestName } from './suggest';

/*
 * The structural half of every request check: a strict zod schema (see
 * ./schemas) says which fields exist and what type each has; this file turns
 * zod's issues into the suite's `field: text [rule]` issues. Unknown fields
 * are refused by name, with the closest known field when one is close.
 * The semantic rules (presets, SKUs, URLs, ...) run after it, on the same
 * input, so one answer lists every problem.
 */

type Path = ReadonlyArray<string | number>;

/** `tuning.input.urls[0]`, `resource.labelSelector["app/x"]`. */
export function fieldPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
    } else if (/^[A-Za-z_$][\w$]*$/.test(key)) {
      out += out ? `.${key}` : key;
    } else {
      out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** zod's definition of a schema, read by type name (robust across zod copies). */
function def(schema: z.ZodTypeAny): any {
  return (schema as any)._def;
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const d = def(current);
    switch (d?.typeName) {
      case 'ZodOptional':
      case 'ZodNullable':
      case 'ZodDefault':
      case 'ZodCatch':
      case 'ZodReadonly':
        current = d.innerType;
        break;
      case 'ZodEffects':
        current = d.schema;
        break;
      case 'ZodBranded':
        current = d.type;
        break;
      case 'ZodPipeline':
        current = d.in;
        break;
      case 'ZodLazy':
        current = d.getter();
        break;
      default:
        return current;
    }
  }
  return current;
}

/** The object schemas a (possibly union) schema stands for. */
function objectsOf(schema: z.ZodTypeAny): z.ZodTypeAny[] {
  const s = unwrap(schema);
  const d = def(s);
  if (d?.typeName === 'ZodObject') return [s];
  if (d?.typeName === 'ZodUnion' || d?.typeName === 'ZodDiscriminatedUnion') {
    const options: z.ZodTypeAny[] = Array.isArray(d.options)
      ? d.options
      : [...d.options.values()];
    return options.flatMap(objectsOf);
  }
  return [];
}

function childrenOf(
  schema: z.ZodTypeAny,
  key: string | number,
): z.ZodTypeAny[] {
  const s = unwrap(schema);
  const d = def(s);
  switch (d?.typeName) {
    case 'ZodArray':
      return [d.type];
    case 'ZodRecord':
      return [d.valueType];
    case 'ZodTuple':
      return typeof key === 'number' && d.items[key] ? [d.items[key]] : [];
    default:
      return objectsOf(s).flatMap(o => {
        const child = def(o).shape()[key];
        return child ? [child] : [];
      });
  }
}

/** The field names an object in the schema (at `path`) knows. */
export function knownFieldsAt(schema: z.ZodTypeAny, path: Path): string[] {
  let level = [schema];
  for (const key of path) {
    level = level.flatMap(s => childrenOf(s, key));
  }
  const names = new Set<string>();
  for (const s of level.flatMap(objectsOf)) {
    for (const name of Object.keys(def(s).shape())) names.add(name);
  }
  return [...names];
}

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  float: 'a number with a fraction',
  nan: 'NaN',
  boolean: 'true or false',
  null: 'null',
  undefined: 'nothing',
  bigint: 'a big integer',
};

function typeWord(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

function rangeText(issue: z.ZodIssue): string {
  const i = issue as any;
  const bound = issue.code === 'too_small' ? i.minimum : i.maximum;
  const inclusive = i.inclusive !== false;
  const words =
    issue.code === 'too_small'
      ? ['at least', 'more than']
      : ['at most', 'less than'];
  const word = inclusive ? words[0] : words[1];
  switch (i.type) {
    case 'array':
      return `must have ${word} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
    case 'string':
      return `must be ${word} ${bound} character${
        Number(bound) === 1 ? '' : 's'
      } long`;
    default:
      return `must be ${word} ${bound}`;
  }
}

/** A message the schema gave (zod's own are "Required" and "Expected ..."). */
function hasOwnMessage(issue: z.ZodIssue): boolean {
  return (
    issue.message !== 'Required' &&
    !issue.message.startsWith('Expected ') &&
    (issue as any).received !== 'undefined'
  );
}

/**
 * Turns a zod result into issues: `field.unknown` (naming the field and the
 * closest known one), `field.required`, `field.type` (naming the expected
 * and the given type), `field.range`, `field.enum`; a top-level value that
 * is not an object is `request.type`.
 */
export function addStructuralIssues(
  v: IssueCollector,
  schema: z.ZodTypeAny,
  value: unknown,
  subject: string,
): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const field = fieldPath(issue.path);
    const parent = issue.path.length ? fieldPath(issue.path) : subject;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownFieldsAt(schema, issue.path);
        for (const key of issue.keys) {
          const near = closestName(key, known);
          v.add(
            fieldPath([...issue.path, key]),
            'field.unknown',
            near
              ? `is not a field of ${parent}; did you mean ${near}?`
              : `is not a field of ${parent} (${
                  known.length
                    ? `its fields: ${known.join(', ')}`
                    : 'it has none'
                })`,
            near ? { didYouMean: near } : {},
          );
        }
        break;
      }
      case 'invalid_type':
        if (hasOwnMessage(issue)) {
          v.add(field, 'field.type', issue.message);
        } else if (issue.path.length === 0) {
          v.add(
            '',
            'request.type',
            `${subject} must be a JSON object (got ${typeWord(
              issue.received,
            )})`,
          );
        } else if (issue.received === 'undefined') {
          v.add(field, 'field.required', 'is required');
        } else {
          v.add(
            field,
            'field.type',
            `must be ${typeWord(issue.expected)} (got ${typeWord(
              issue.received,
            )})`,
          );
        }
        break;
      case 'invalid_union':
        // Schemas give their unions a message naming the accepted types.
        v.add(field, 'field.type', issue.message);
        break;
      case 'too_small':
      case 'too_big':
        v.add(field, 'field.range', rangeText(issue));
        break;
      case 'invalid_enum_value':
        v.add(
          field,
          'field.enum',
          `must be one of ${issue.options.join(', ')} (got ${shown(
            issue.received,
          )})`,
        );
        break;
      case 'not_multiple_of':
      case 'not_finite':
        v.add(field, 'field.range', 'must be a finite number');
        break;
      default:
        v.add(field, 'field.invalid', issue.message);
    }
  }
}

/** `a["b"]` and `a.b` name the same field. */
function normalized(field: string): string {
  return field.replace(/\["([A-Za-z_$][\w$]*)"\]/g, '.$1').replace(/^\./, '');
}

/**
 * Structural issues first, then the semantic ones that say something new:
 * a semantic issue on a field the structure already refused (or inside it)
 * is left out, so `"resource": "big"` is reported as "must be an object"
 * and not also as "is required".
 */
export function mergeIssues(
  structural: readonly ValidationIssue[],
  semantic: readonly ValidationIssue[],
): ValidationIssue[] {
  const refused = structural
    .filter(i => i.rule !== 'field.unknown')
    .map(i => normalized(i.field));
  const covered = (field: string) => {
    const f = normalized(field);
    return refused.some(
      r =>
        r === '' || f === r || f.startsWith(`${r}.`) || f.startsWith(`${r}[`),
    );
  };
  return [...structural, ...semantic.filter(i => !covered(i.field))];
}

/**
 * The structural issues of a value against a strict zod schema (unknown
 * fields with the closest known name, missing fields, wrong types, ranges),
 * in the suite's `field: text [rule]` wording: for inputs that have no
 * validator of their own, such as the scaffolder actions' inputs.
 *
 * @public
 */
export function structuralIssues(
  schema: z.ZodTypeAny,
  value: unknown,
  subject: string,
): ValidationIssue[] {
  const v = new IssueCollector();
  addStructuralIssues(v, schema, value, subject);
  return v.issues;
}
