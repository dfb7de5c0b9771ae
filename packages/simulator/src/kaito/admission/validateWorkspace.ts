import { ANNOTATION_BYPASS_RESOURCE_CHECKS } from '../constants';
import type { Workspace } from '../workspace';
import {
  validateAnnotations,
  validateNodeImageFamily,
} from './annotationRules';
import {
  napDisabled,
  type AdmissionContext,
  type KaitoApiVersion,
} from './context';
import { dns1123LabelErrors } from './dnsNames';
import { FieldError } from './fieldError';
import {
  validateInferenceConfig,
  validateInferenceConfigV1alpha1,
} from './inferenceConfigRules';
import {
  validateInferenceCreate,
  validateInferenceCreateV1alpha1,
  validateInferenceUpdate,
} from './inferenceRules';
import {
  validateResourceForInference,
  validateResourceForInferenceV1alpha1,
  validateResourceForTuning,
} from './resourceRules';
import {
  validateResourceUpdate,
  validateResourceUpdateV1alpha1,
} from './resourceUpdateRules';
import { workspaceRuntime } from './runtime';
import { validateTuningCreate, validateTuningUpdate } from './tuningRules';

/**
 * `Workspace.Validate` of `api/<version>/workspace_validation.go`: the API
 * server calls KAITO's webhook with the object in the version the client
 * used, and each version has its own rules (v1alpha1's are older and
 * fewer). Create rules when there is no old object, update rules otherwise.
 * Returns KAITO's FieldError; empty means admitted.
 */
export function validateWorkspace(
  version: KaitoApiVersion,
  ws: Workspace,
  old: Workspace | undefined,
  ctx: AdmissionContext,
): FieldError {
  let errs = FieldError.none();
  const nameErrs = dns1123LabelErrors(ws.metadata.name);
  if (nameErrs.length > 0) {
    errs = errs.also(FieldError.invalidValue(nameErrs.join(', '), 'name'));
  }
  if (old) return errs.also(validateUpdate(version, ws, old, ctx));
  return errs.also(
    version === 'v1alpha1'
      ? validateCreateV1alpha1(ws, ctx)
      : validateCreate(ws, ctx),
  );
}

function inferenceXorTuning(ws: Workspace): FieldError {
  let errs = FieldError.none();
  if (!ws.inference && !ws.tuning) {
    errs = errs.also(
      FieldError.generic(
        'Either Inference or Tuning must be specified, not neither',
        '',
      ),
    );
  }
  if (ws.inference && ws.tuning) {
    errs = errs.also(
      FieldError.generic(
        'Either Inference or Tuning must be specified, but not both',
        '',
      ),
    );
  }
  return errs;
}

/** v1beta1 `Workspace.validateCreate`: inference xor tuning, NAP vs BYO instanceType, node image family. */
function validateSpecShape(ws: Workspace, ctx: AdmissionContext): FieldError {
  let errs = inferenceXorTuning(ws);
  const instanceType = ws.resource?.instanceType ?? '';
  if (napDisabled(ctx)) {
    if (instanceType !== '') {
      errs = errs.also(
        FieldError.invalidValue(
          'instanceType must be empty when node auto-provisioning is disabled (BYO scenario)',
          'resource.instanceType',
        ),
      );
    }
  } else if (instanceType === '') {
    errs = errs.also(
      FieldError.missing(
        'instanceType is required when node auto-provisioning is enabled',
        'resource.instanceType',
      ),
    );
  }
  return errs.also(validateNodeImageFamily(ws));
}

const bypassesResourceChecks = (ws: Workspace) =>
  ws.metadata.annotations?.[ANNOTATION_BYPASS_RESOURCE_CHECKS] !== undefined;

/** v1beta1 `Workspace.ValidateCreate` */
function validateCreate(ws: Workspace, ctx: AdmissionContext): FieldError {
  const namespace = ws.metadata.namespace ?? '';
  let errs = validateSpecShape(ws, ctx)
    .viaField('spec')
    .also(validateAnnotations(ws));
  if (ws.inference) {
    const runtime = workspaceRuntime(ws, ctx);
    errs = errs.also(
      validateResourceForInference(
        ws,
        ws.inference,
        bypassesResourceChecks(ws),
        runtime,
        ctx,
      ).viaField('resource'),
      validateInferenceCreate(ws.inference, runtime, namespace, ctx).viaField(
        'inference',
      ),
      validateInferenceConfig(ws, runtime, ctx),
    );
  }
  if (ws.tuning) {
    errs = errs.also(
      validateResourceForTuning(ws.resource ?? {}, true).viaField('resource'),
      validateTuningCreate(ws.tuning, namespace, 'v1beta1', ctx).viaField(
        'tuning',
      ),
    );
  }
  return errs;
}

/** v1alpha1 `Workspace.Validate` (create branch) */
function validateCreateV1alpha1(
  ws: Workspace,
  ctx: AdmissionContext,
): FieldError {
  const namespace = ws.metadata.namespace ?? '';
  let errs = inferenceXorTuning(ws)
    .also(validateNodeImageFamily(ws))
    .viaField('spec');
  if (ws.inference) {
    const runtime = workspaceRuntime(ws, ctx);
    errs = errs.also(
      validateResourceForInferenceV1alpha1(
        ws,
        ws.inference,
        bypassesResourceChecks(ws),
        ctx,
      ).viaField('resource'),
      validateInferenceCreateV1alpha1(ws.inference, runtime, ctx).viaField(
        'inference',
      ),
      validateInferenceConfigV1alpha1(ws, runtime, ctx),
    );
  }
  if (ws.tuning) {
    errs = errs.also(
      validateResourceForTuning(ws.resource ?? {}, false).viaField('resource'),
      validateTuningCreate(ws.tuning, namespace, 'v1alpha1', ctx).viaField(
        'tuning',
      ),
    );
  }
  return errs;
}

function validateUpdate(
  version: KaitoApiVersion,
  ws: Workspace,
  old: Workspace,
  ctx: AdmissionContext,
): FieldError {
  let toggles = FieldError.none();
  if (Boolean(old.inference) !== Boolean(ws.inference)) {
    toggles = toggles.also(
      FieldError.generic(
        'Inference field cannot be toggled once set',
        'inference',
      ),
    );
  }
  if (Boolean(old.tuning) !== Boolean(ws.tuning)) {
    toggles = toggles.also(
      FieldError.generic('Tuning field cannot be toggled once set', 'tuning'),
    );
  }
  const resource = ws.resource ?? {};
  const oldResource = old.resource ?? {};
  let errs = toggles
    .viaField('spec')
    .also(
      (version === 'v1alpha1'
        ? validateResourceUpdateV1alpha1(resource, oldResource)
        : validateResourceUpdate(resource, oldResource, ctx)
      ).viaField('resource'),
    );
  if (ws.inference) {
    errs = errs.also(
      validateInferenceUpdate(ws.inference, old.inference, version).viaField(
        'inference',
      ),
    );
  }
  if (ws.tuning) {
    errs = errs.also(
      validateTuningUpdate(ws.tuning, old.tuning, version).viaField('tuning'),
    );
  }
  return errs;
}
