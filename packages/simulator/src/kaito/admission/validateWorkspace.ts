import { ANNOTATION_NODE_IMAGE_FAMILY } from '../constants';
import type { Workspace } from '../workspace';
import type { AdmissionContext } from './context';
import { dns1123LabelErrors } from './dnsNames';
import { FieldError } from './fieldError';
import {
  validateInferenceConfig,
  validateInferenceCreate,
  validateInferenceUpdate,
} from './inferenceRules';
import {
  validateResourceForInference,
  validateResourceForTuning,
  validateResourceUpdate,
} from './resourceRules';
import { validateTuningCreate, validateTuningUpdate } from './tuningRules';

/**
 * `Workspace.Validate` of `api/v1beta1/workspace_validation.go`: the
 * create rules when there is no old object, the update rules otherwise.
 * Returns KAITO's FieldError; empty means admitted.
 */
export function validateWorkspace(
  ws: Workspace,
  old: Workspace | undefined,
  ctx: AdmissionContext,
): FieldError {
  let errs = FieldError.none();
  const nameErrs = dns1123LabelErrors(ws.metadata.name);
  if (nameErrs.length > 0) {
    errs = errs.also(FieldError.invalidValue(nameErrs.join(', '), 'name'));
  }
  return errs.also(
    old ? validateUpdate(ws, old, ctx) : validateCreate(ws, ctx),
  );
}

function validateCreate(ws: Workspace, ctx: AdmissionContext): FieldError {
  let errs = validateSpecShape(ws, ctx).viaField('spec');
  const namespace = ws.metadata.namespace ?? 'default';
  if (ws.inference) {
    errs = errs.also(
      validateResourceForInference(ws, ctx).viaField('resource'),
      validateInferenceCreate(ws.inference).viaField('inference'),
      validateInferenceConfig(ws, ctx),
    );
  }
  if (ws.tuning) {
    errs = errs.also(
      validateResourceForTuning(ws.resource ?? {}).viaField('resource'),
      validateTuningCreate(ws.tuning, namespace, ctx).viaField('tuning'),
    );
  }
  return errs;
}

/**
 * `Workspace.validateCreate`: one of inference/tuning, NAP vs BYO
 * instanceType, the node-image-family annotation.
 */
function validateSpecShape(ws: Workspace, ctx: AdmissionContext): FieldError {
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
  const instanceType = ws.resource?.instanceType ?? '';
  if (ctx.nodeProvisioner === 'byo') {
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

function validateNodeImageFamily(ws: Workspace): FieldError {
  const family = ws.metadata.annotations?.[ANNOTATION_NODE_IMAGE_FAMILY];
  if (family === undefined) return FieldError.none();
  if (['ubuntu', 'azurelinux'].includes(family.toLowerCase()))
    return FieldError.none();
  return FieldError.invalidValue(
    `unsupported node image family "${family}", supported values are azurelinux, ubuntu`,
    `metadata.annotations["${ANNOTATION_NODE_IMAGE_FAMILY}"]`,
  );
}

function validateUpdate(
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
  let errs = toggles
    .viaField('spec')
    .also(
      validateResourceUpdate(
        ws.resource ?? {},
        old.resource ?? {},
        ctx,
      ).viaField('resource'),
    );
  if (ws.inference) {
    errs = errs.also(
      validateInferenceUpdate(ws.inference, old.inference).viaField(
        'inference',
      ),
    );
  }
  if (ws.tuning) {
    errs = errs.also(
      validateTuningUpdate(ws.tuning, old.tuning).viaField('tuning'),
    );
  }
  return errs;
}
