import type { AdmissionRequest, ObjectStore } from '../../kube/api';
import { badRequest, StatusError } from '../../kube/errors';
import { WEBHOOK_NAME, WORKSPACE_KEY } from '../constants';
import type { Workspace } from '../workspace';
import type { AdmissionContext, KaitoApiVersion } from './context';
import type { FieldError } from './fieldError';
import { validateWorkspace } from './validateWorkspace';
import { WebhookPanic } from './webhookPanic';

/**
 * KAITO's validating webhook `validation.workspace.kaito.sh` (CREATE and
 * UPDATE, v1alpha1 and v1beta1; `charts/kaito/workspace/templates/webhooks.yaml`).
 * It runs after the API server has pruned, defaulted and schema-validated
 * the object against the CRD, in the version the client sent.
 *
 * KAITO's webhook is built on knative, whose denials are BadRequest
 * (`webhook.MakeErrorStatus`), and the API server passes that code through:
 * clients see HTTP 400 `admission webhook "..." denied the request:
 * validation failed: <FieldError>`, not a 403 or a 422.
 */
export function webhookDenial(errs: FieldError) {
  return badRequest(
    `admission webhook "${WEBHOOK_NAME}" denied the request: validation failed: ${errs.toString()}`,
  );
}

/** Where the chart serves the webhook (`kaito.serviceName`, `webhook.port`). */
const WEBHOOK_URL = (releaseNamespace: string) =>
  `https://kaito-workspace-svc.${releaseNamespace}.svc:9443/validate/workspace.kaito.sh?timeout=10s`;

/**
 * A webhook that dropped the connection (a Go panic in KAITO), as the API
 * server reports a failed call with `failurePolicy: Fail`.
 */
export function webhookCallFailure(releaseNamespace: string) {
  const cause = `failed calling webhook "${WEBHOOK_NAME}": failed to call webhook: Post "${WEBHOOK_URL(
    releaseNamespace,
  )}": EOF`;
  return new StatusError(500, 'InternalError', `Internal error occurred: ${cause}`, {
    causes: [{ message: cause }],
  });
}

export function installWorkspaceWebhook(
  store: ObjectStore,
  ctx: AdmissionContext,
): void {
  store.addAdmissionHook(
    WORKSPACE_KEY,
    (request: AdmissionRequest) => {
      if (request.operation === 'DELETE' || !request.object) return;
      const version = (request.requestVersion || 'v1beta1') as KaitoApiVersion;
      const ws = request.object as Workspace;
      const old =
        request.operation === 'UPDATE'
          ? (request.oldObject as Workspace | undefined)
          : undefined;
      let errs: FieldError;
      try {
        errs = validateWorkspace(version, ws, old, ctx);
      } catch (error) {
        if (error instanceof WebhookPanic) {
          throw webhookCallFailure(ctx.releaseNamespace);
        }
        throw error;
      }
      if (!errs.empty) throw webhookDenial(errs);
    },
    'validating',
  );
}
