import {
  IssueCollector,
  KaitoValidationError,
  ValidationIssue,
} from './issues';
import { kaitoQuerySchemas } from './schemas';
import { addStructuralIssues } from './structural';

/**
 * A route's query-parameter schema, by name (see `kaitoQuerySchemas`).
 *
 * @public
 */
export type KaitoQueryName = keyof typeof kaitoQuerySchemas;

/**
 * Checks a parsed query string against a route's schema: only its
 * parameters, each given once as a string. An unknown parameter is named,
 * with the closest known one (`tailline` for `tailLines`).
 *
 * @public
 */
export function validateQuery(
  route: KaitoQueryName,
  query: unknown,
): ValidationIssue[] {
  const v = new IssueCollector();
  addStructuralIssues(v, kaitoQuerySchemas[route], query, 'the query');
  return v.issues.map(issue =>
    issue.rule === 'field.unknown'
      ? {
          ...issue,
          rule: 'query.unknown',
          message: issue.message
            .replace(
              'is not a field of the query',
              'is not a query parameter of this route',
            )
            .replace('[field.unknown]', '[query.unknown]'),
        }
      : issue,
  );
}

/**
 * Like {@link validateQuery}, but throws a `KaitoValidationError`.
 *
 * @public
 */
export function assertValidQuery(route: KaitoQueryName, query: unknown): void {
  const issues = validateQuery(route, query);
  if (issues.length > 0) {
    throw new KaitoValidationError('query', issues);
  }
}
