import { KaitoRuntime } from '../presets';
import { skuFits } from '../sizing';
import {
  checkDnsLabel,
  checkEntityRef,
  objectRequest,
  requiredString,
} from './common';
import {
  IssueCollector,
  KaitoValidationError,
  ValidationIssue,
} from './issues';
import { cheapestFit, insteadText } from './cheapestSku';
import { CreateWorkspaceRequest } from './requests';
import { createWorkspaceRequestSchema } from './schemas';
import { addStructuralIssues, mergeIssues } from './structural';
import {
  PresetContext,
  WorkspaceValidationOptions,
} from './workspaceRequestParts';
import { checkTuning } from './tuningRequest';
import { checkInference } from './inferenceRequest';
import { checkResource } from './resourceRequest';

export type { WorkspaceValidationOptions } from './workspaceRequestParts';
export { MAX_ADAPTERS } from './inferenceRequest';

/**
 * Checks a create-workspace request: its structure (strict: every field
 * known, of the right type; see `createWorkspaceRequestSchema`), every KAITO
 * webhook rule that can be checked without the cluster, and the suite's own
 * rules. Returns all issues found; an empty list means valid.
 *
 * @public
 */
export function validateCreateWorkspaceRequest(
  request: CreateWorkspaceRequest,
  options: WorkspaceValidationOptions = {},
): ValidationIssue[] {
  const structure = new IssueCollector();
  addStructuralIssues(
    structure,
    createWorkspaceRequestSchema,
    request,
    'the workspace request',
  );
  return mergeIssues(structure.issues, semanticIssues(request, options));
}

function semanticIssues(
  request: CreateWorkspaceRequest,
  options: WorkspaceValidationOptions,
): ValidationIssue[] {
  const v = new IssueCollector();
  const req = objectRequest(v, request);
  if (!req) return v.issues;
  checkEntityRef(v, 'entityRef', req.entityRef);
  requiredString(v, 'cluster', req.cluster);
  checkDnsLabel(v, 'namespace', req.namespace, 'namespace.dns-label');
  checkDnsLabel(v, 'name', req.name, 'name.dns-label');
  if (req.dryRun !== undefined && typeof req.dryRun !== 'boolean') {
    v.add('dryRun', 'field.type', 'must be true or false');
  }

  const hasTuning = req.tuning !== undefined && req.tuning !== null;
  const hasInference = req.inference !== undefined && req.inference !== null;
  if (hasTuning === hasInference) {
    v.add(
      hasTuning ? 'tuning' : 'inference',
      'workspace.exactly-one-of',
      hasTuning
        ? 'a workspace has either tuning or inference, not both'
        : 'give either tuning or inference',
    );
  }
  let mode: 'tuning' | 'inference' | undefined;
  if (hasTuning !== hasInference) {
    mode = hasTuning ? 'tuning' : 'inference';
  }

  let preset:
    | (PresetContext & { method?: string; runtime?: KaitoRuntime })
    | undefined;
  if (mode === 'tuning') {
    preset = checkTuning(v, req.tuning);
  } else if (mode === 'inference') {
    preset = checkInference(v, req.inference);
  }

  const fitting =
    mode && preset?.preset && preset.usable
      ? cheapestFit(preset.preset, mode, preset.method, preset.runtime)
      : undefined;
  const { sku, count } = checkResource(
    v,
    req.resource,
    mode,
    preset?.runtime,
    options,
    fitting,
  );

  if (
    mode &&
    sku &&
    !v.hasIssueUnder('resource.count') &&
    preset?.preset &&
    preset.usable &&
    (mode === 'inference' || preset.method)
  ) {
    const fit = skuFits(
      preset.preset,
      sku,
      mode,
      preset.method as 'lora' | 'qlora' | undefined,
      {
        runtime: preset.runtime,
        requestedCount: count,
      },
    );
    if (!fit.fits) {
      v.add(
        'resource.instanceType',
        'resource.gpu-memory',
        `${fit.reason ?? `${sku.name} does not fit`}${insteadText(fitting)}`,
      );
    }
  }
  return v.issues;
}

/**
 * Like {@link validateCreateWorkspaceRequest}, but throws a
 * `KaitoValidationError` listing the issues.
 *
 * @public
 */
export function assertValidCreateWorkspaceRequest(
  request: CreateWorkspaceRequest,
  options?: WorkspaceValidationOptions,
): void {
  const issues = validateCreateWorkspaceRequest(request, options);
  if (issues.length > 0) {
    throw new KaitoValidationError('workspace request', issues);
  }
}
