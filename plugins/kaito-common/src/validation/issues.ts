/**
 * One problem found in a request.
 *
 * @public
 */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `tuning.input.urls[0]`. */
  field: string;
  /** Stable rule id, e.g. `url.private-host` (see `validationRules`). */
  rule: string;
  /** Human-readable message naming the field and the rule. */
  message: string;
  /** For an unknown field: the known field whose name is closest, if one is. */
  didYouMean?: string;
}

/**
 * Longest value, in characters, that an issue message repeats.
 *
 * @public
 */
export const MAX_SHOWN_LENGTH = 64;

/**
 * A value as an issue message shows it: JSON, cut to
 * {@link MAX_SHOWN_LENGTH} characters with the number of characters left
 * out, so a huge input never makes a huge error.
 *
 * @public
 */
export function shown(value: unknown, max = MAX_SHOWN_LENGTH): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A field path as an issue names it, cut like {@link shown} values. */
export function shownField(field: string): string {
  return field.length <= 2 * MAX_SHOWN_LENGTH
    ? field
    : `${field.slice(0, 2 * MAX_SHOWN_LENGTH)}…`;
}

/**
 * At most this many issues are listed in one error message.
 *
 * @public
 */
export const MAX_LISTED_ISSUES = 20;

/**
 * Formats issues as one line each: `- <message>`.
 *
 * @public
 */
export function formatValidationIssues(
  issues: readonly ValidationIssue[],
): string {
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map(issue => `- ${issue.message}`);
  if (issues.length > MAX_LISTED_ISSUES) {
    listed.push(`- and ${issues.length - MAX_LISTED_ISSUES} more`);
  }
  return listed.join('\n');
}

/**
 * Thrown by the `assertValid…` functions. Carries HTTP status 400 in
 * `statusCode`, which Backstage's error middleware honours, and the issues.
 *
 * @public
 */
export class KaitoValidationError extends Error {
  readonly name = 'KaitoValidationError';
  readonly statusCode = 400;
  readonly issues: ValidationIssue[];

  constructor(subject: string, issues: ValidationIssue[]) {
    super(
      `Invalid ${subject}: ${issues.length} problem${
        issues.length === 1 ? '' : 's'
      }\n${formatValidationIssues(issues)}`,
    );
    this.issues = issues;
  }
}

/**
 * Collects issues with messages of the form `<field>: <text> [<rule>]`.
 *
 * @public
 */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(
    field: string,
    rule: string,
    text: string,
    extra: Pick<ValidationIssue, 'didYouMean'> = {},
  ): void {
    const name = shownField(field);
    this.issues.push({
      field: name,
      rule,
      message: `${name || 'request'}: ${text} [${rule}]`,
      ...extra,
    });
  }

  addAll(issues: readonly ValidationIssue[]): void {
    this.issues.push(...issues);
  }

  hasIssueUnder(fieldPrefix: string): boolean {
    return this.issues.some(
      issue =>
        issue.field === fieldPrefix ||
        issue.field.startsWith(`${fieldPrefix}.`) ||
        issue.field.startsWith(`${fieldPrefix}[`),
    );
  }
}
