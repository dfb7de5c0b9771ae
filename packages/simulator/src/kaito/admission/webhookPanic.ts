/**
 * A path where KAITO v0.12's webhook code dereferences a nil pointer and
 * panics. knative's admission handler does not recover, so Go's HTTP server
 * drops the connection and the API server reports the call as failed
 * (`failurePolicy: Fail`): a 500, not a denial. The message is for logs only.
 */
export class WebhookPanic extends Error {
  constructor(message: string) {
    super(`runtime error: ${message}`);
    this.name = 'WebhookPanic';
  }
}
