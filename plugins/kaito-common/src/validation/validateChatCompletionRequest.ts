import {
  IssueCollector,
  KaitoValidationError,
  ValidationIssue,
} from './issues';
import { chatCompletionRequestSchema } from './schemas';
import { addStructuralIssues } from './structural';

/**
 * Checks a chat completion request against `chatCompletionRequestSchema`:
 * known OpenAI fields only, of the right types and ranges, at least one
 * message.
 *
 * @public
 */
export function validateChatCompletionRequest(
  request: unknown,
): ValidationIssue[] {
  const v = new IssueCollector();
  addStructuralIssues(
    v,
    chatCompletionRequestSchema,
    request,
    'the chat completion request',
  );
  return v.issues;
}

/**
 * Like {@link validateChatCompletionRequest}, but throws a
 * `KaitoValidationError` listing the issues.
 *
 * @public
 */
export function assertValidChatCompletionRequest(request: unknown): void {
  const issues = validateChatCompletionRequest(request);
  if (issues.length > 0) {
    throw new KaitoValidationError('chat completion request', issues);
  }
}
