import {
  ANNOTATION_NODE_IMAGE_FAMILY,
  ANNOTATION_PERFORMANCE_MODE,
  ANNOTATION_USE_LOCAL_WEIGHTS,
} from '../constants';
import type { Workspace } from '../workspace';
import { FieldError } from './fieldError';

/**
 * Annotation rules of `api/v1beta1/workspace_validation.go`:
 * `validateAnnotations` (v1beta1 only; note its paths have no quotes) and
 * `validateNodeImageFamilyAnnotation` (both versions). The node-class-name
 * rule only applies with the karpenter node provisioner, which the
 * simulator does not run, so that annotation is always inert here.
 */
export function validateAnnotations(ws: Workspace): FieldError {
  const annotations = ws.metadata.annotations ?? {};
  let errs = FieldError.none();
  const mode = annotations[ANNOTATION_PERFORMANCE_MODE];
  if (
    mode !== undefined &&
    !['balanced', 'interactivity', 'throughput'].includes(mode)
  ) {
    errs = errs.also(
      FieldError.invalidValue(
        `${JSON.stringify(
          mode,
        )} is not a valid performance mode; choose one of: balanced, interactivity, throughput`,
        `metadata.annotations[${ANNOTATION_PERFORMANCE_MODE}]`,
      ),
    );
  }
  const local = annotations[ANNOTATION_USE_LOCAL_WEIGHTS];
  if (local !== undefined && local !== 'true' && local !== 'false') {
    errs = errs.also(
      FieldError.invalidValue(
        `${JSON.stringify(local)} must be "true" or "false"`,
        `metadata.annotations[${ANNOTATION_USE_LOCAL_WEIGHTS}]`,
      ),
    );
  }
  return errs;
}

export function validateNodeImageFamily(ws: Workspace): FieldError {
  const family = ws.metadata.annotations?.[ANNOTATION_NODE_IMAGE_FAMILY];
  if (family === undefined) return FieldError.none();
  if (['ubuntu', 'azurelinux'].includes(family.trim().toLowerCase())) {
    return FieldError.none();
  }
  return FieldError.invalidValue(
    `unsupported node image family ${JSON.stringify(
      family,
    )}, supported values are azurelinux, ubuntu`,
    `metadata.annotations[${JSON.stringify(ANNOTATION_NODE_IMAGE_FAMILY)}]`,
  );
}
