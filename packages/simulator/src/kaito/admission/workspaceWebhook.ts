import type { AdmissionRequest, KubeObject, ObjectStore } from '../../kube/api';
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

/** The CRD schema defaults the API server applies before webhooks run. */
export function applyCrdDefaults(obj: KubeObject, version: string): Workspace {
  const ws = structuredClone(obj) as Workspace;
  ws.resource = { ...(ws.resource ?? {}) };
  if (ws.resource.count === undefined) ws.resource.count = 1;
  if (version === 'v1alpha1' && !ws.resource.instanceType) {
    ws.resource.instanceType = 'Standard_NC24ads_A100_v4';
  }
  return ws;
}

export function installWorkspaceWebhook(
  store: ObjectStore,
  ctx: AdmissionContext,
): void {
  store.addAdmissionHook(WORKSPACE_KEY, (request: AdmissionRequest) => {
    if (request.operation === 'DELETE' || !request.object) return undefined;
    const version = request.requestVersion || 'v1beta1';
    const ws = applyCrdDefaults(request.object, version);
    // The stored object already had its defaults applied when it was created.
    const old =
      request.operation === 'UPDATE'
        ? (request.oldObject as Workspace | undefined)
        : undefined;
    const errs = validateWorkspace(ws, old, ctx);
    if (!errs.empty) throw webhookDenial(errs);
    return ws;
  });
}
