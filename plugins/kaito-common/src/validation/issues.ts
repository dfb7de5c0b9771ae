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
}

/**
 * Formats issues as one line each: `- <message>`.
 *
 * @public
 */
export function formatValidationIssues(
  issues: readonly ValidationIssue[],
): string {
  return issues.map(issue => `- ${issue.message}`).join('\n');
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

  add(field: string, rule: string, text: string): void {
    this.issues.push({
      field,
      rule,
      message: `${field || 'request'}: ${text} [${rule}]`,
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
