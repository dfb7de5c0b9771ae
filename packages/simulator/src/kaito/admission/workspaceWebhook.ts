import type { AdmissionRequest, ObjectStore } from '../../kube/api';
import { badRequest } from '../../kube/errors';
import { WEBHOOK_NAME, WORKSPACE_KEY } from '../constants';
import type { Workspace } from '../workspace';
import type { AdmissionContext } from './context';
import type { FieldError } from './fieldError';
import { validateWorkspace } from './validateWorkspace';

/**
 * KAITO's validating webhook `validation.workspace.kaito.sh` (CREATE and
 * UPDATE, v1alpha1 and v1beta1).
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

export function installWorkspaceWebhook(
  store: ObjectStore,
  ctx: AdmissionContext,
): void {
  store.addAdmissionHook(
    WORKSPACE_KEY,
    (request: AdmissionRequest) => {
      if (request.operation === 'DELETE' || !request.object) return;
      const ws = request.object as Workspace;
      const old =
        request.operation === 'UPDATE'
          ? (request.oldObject as Workspace | undefined)
          : undefined;
      const errs = validateWorkspace(ws, old, ctx);
      if (!errs.empty) throw webhookDenial(errs);
    },
    'validating',
  );
}
