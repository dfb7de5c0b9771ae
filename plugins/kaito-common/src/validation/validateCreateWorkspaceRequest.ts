import {
  findPreset,
  KaitoPreset,
  KaitoRuntime,
  tuningMethods,
} from '../presets';
import { skuFits } from '../sizing';
import { findGpuSku, GpuSku } from '../skus';
import {
  checkDnsLabel,
  checkEntityRef,
  checkImage,
  checkInteger,
  checkLabels,
  checkObjectName,
  checkSecretList,
  isObject,
  requiredString,
} from './common';
import {
  IssueCollector,
  KaitoValidationError,
  ValidationIssue,
  shown,
} from './issues';
import { CreateWorkspaceRequest } from './requests';
import { isDns1123Subdomain } from './names';
import { createWorkspaceRequestSchema } from './schemas';
import { addStructuralIssues, mergeIssues } from './structural';
import { checkTuningInputUrl } from './urls';

/**
 * Maximum number of adapters of an inference workspace (KAITO webhook).
 *
 * @public
 */
export const MAX_ADAPTERS = 10;

/**
 * Context the request is validated in.
 *
 * @public
 */
export interface WorkspaceValidationOptions {
  /**
   * How the target cluster gets GPU nodes: `auto` (KAITO provisions them;
   * `instanceType` is required) or `byo` (existing nodes; `instanceType`
   * must be empty and `labelSelector` is required). Unset: neither rule is
   * applied.
   */
  nodeProvisioning?: 'auto' | 'byo';
}

const ADAPTER_STRENGTH = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;

interface PresetContext {
  preset?: KaitoPreset;
  /** True when the preset is usable for the mode (no preset issue). */
  usable: boolean;
}

function checkPreset(
  v: IssueCollector,
  mode: 'tuning' | 'inference',
  value: unknown,
  modelAccessSecret: unknown,
): PresetContext {
  const field = `${mode}.preset`;
  const name = requiredString(v, field, value);
  if (name === undefined) {
    return { usable: false };
  }
  const preset = findPreset(name);
  if (!preset) {
    v.add(
      field,
      'preset.unknown',
      `${shown(name)} is not a KAITO preset in the suite's catalog`,
    );
    return { usable: false };
  }
  let usable = true;
  if (preset.deprecated) {
    v.add(
      field,
      'preset.deprecated',
      `${shown(name)} is deprecated and KAITO rejects it`,
    );
    usable = false;
  }
  if (mode === 'tuning' && !preset.deprecated && !preset.tunable) {
    v.add(
      field,
      'preset.not-tunable',
      `${shown(name)} does not support fine-tuning in KAITO`,
    );
    usable = false;
  }
  checkObjectName(v, `${mode}.modelAccessSecret`, modelAccessSecret);
  if (
    preset.downloadAuthRequired &&
    (modelAccessSecret === undefined ||
      modelAccessSecret === null ||
      modelAccessSecret === '')
  ) {
    v.add(
      `${mode}.modelAccessSecret`,
      'preset.model-access-secret-required',
      `${shown(preset.name)} is a gated model: name a Secret with key HF_TOKEN`,
    );
  }
  return { preset, usable };
}

function checkVolume(v: IssueCollector, field: string, value: unknown): void {
  if (!isObject(value) || !isObject(value.persistentVolumeClaim)) {
    v.add(
      field,
      'volume.unsupported',
      'must be { persistentVolumeClaim: { claimName } }; the suite mounts only PVCs',
    );
    return;
  }
  const extra = Object.keys(value).filter(k => k !== 'persistentVolumeClaim');
  if (extra.length > 0) {
    v.add(
      field,
      'volume.unsupported',
      `volume kinds ${extra.join(
        ', ',
      )} are not supported; the suite mounts only PVCs`,
    );
  }
  checkObjectName(
    v,
    `${field}.persistentVolumeClaim.claimName`,
    value.persistentVolumeClaim.claimName,
    true,
  );
}

function presentKinds(
  value: Record<string, unknown>,
  kinds: string[],
): string[] {
  // An empty string is no source, as everywhere else in these rules
  // (`image: ""` is not an image).
  return kinds.filter(
    kind =>
      value[kind] !== undefined && value[kind] !== null && value[kind] !== '',
  );
}

function checkTuningInput(v: IssueCollector, value: unknown): void {
  const field = 'tuning.input';
  if (!isObject(value)) {
    v.add(field, 'field.required', 'is required: give urls, image or volume');
    return;
  }
  const kinds = presentKinds(value, ['urls', 'image', 'volume']);
  if (kinds.length !== 1) {
    v.add(
      field,
      'tuning.input.exactly-one',
      `must have exactly one of urls, image or volume (has ${
        kinds.length ? kinds.join(', ') : 'none'
      })`,
    );
  }
  if (value.urls !== undefined) {
    if (!Array.isArray(value.urls) || value.urls.length === 0) {
      v.add(
        `${field}.urls`,
        'tuning.input.urls-empty',
        'must be a non-empty list of URLs',
      );
    } else {
      value.urls.forEach((url, i) => {
        const urlField = `${field}.urls[${i}]`;
        if (typeof url !== 'string') {
          v.add(urlField, 'field.type', 'must be a string');
          return;
        }
        const problem = checkTuningInputUrl(url);
        if (problem) {
          v.add(urlField, problem.rule, problem.reason);
        }
      });
    }
  }
  checkImage(v, `${field}.image`, value.image);
  checkSecretList(v, `${field}.imagePullSecrets`, value.imagePullSecrets);
  if (value.volume !== undefined) {
    checkVolume(v, `${field}.volume`, value.volume);
  }
}

function checkTuningOutput(v: IssueCollector, value: unknown): void {
  const field = 'tuning.output';
  if (!isObject(value)) {
    v.add(
      field,
      'field.required',
      'is required: give image and imagePushSecret, or volume',
    );
    return;
  }
  const kinds = presentKinds(value, ['image', 'volume']);
  if (kinds.length !== 1) {
    v.add(
      field,
      'tuning.output.exactly-one',
      `must have exactly one of image (with imagePushSecret) or volume (has ${
        kinds.length ? kinds.join(', ') : 'none'
      })`,
    );
  }
  checkImage(v, `${field}.image`, value.image);
  checkObjectName(v, `${field}.imagePushSecret`, value.imagePushSecret);
  if (value.image !== undefined && !value.imagePushSecret) {
    v.add(
      `${field}.imagePushSecret`,
      'tuning.output.image-push-secret-required',
      'is required with an output image (a docker-registry Secret)',
    );
  }
  if (value.imagePushSecret !== undefined && value.image === undefined) {
    v.add(
      `${field}.imagePushSecret`,
      'tuning.output.push-secret-without-image',
      'is only used with an output image',
    );
  }
  if (value.volume !== undefined) {
    checkVolume(v, `${field}.volume`, value.volume);
  }
}

function checkTuning(
  v: IssueCollector,
  value: unknown,
): PresetContext & { method?: string } {
  if (!isObject(value)) {
    v.add('tuning', 'field.type', 'must be an object');
    return { usable: false };
  }
  const context = checkPreset(
    v,
    'tuning',
    value.preset,
    value.modelAccessSecret,
  );
  let method: string | undefined;
  const rawMethod = requiredString(v, 'tuning.method', value.method);
  if (rawMethod !== undefined) {
    const lower = rawMethod.toLowerCase();
    if (!(tuningMethods as readonly string[]).includes(lower)) {
      v.add(
        'tuning.method',
        'tuning.method.invalid',
        `${shown(rawMethod)} must be lora or qlora`,
      );
    } else if (
      context.preset &&
      context.usable &&
      !context.preset.tuningMethods.includes(lower as 'lora')
    ) {
      v.add(
        'tuning.method',
        'tuning.method.unsupported',
        `${shown(context.preset.name)} does not support ${lower} tuning`,
      );
    } else {
      method = lower;
    }
  }
  checkObjectName(v, 'tuning.config', value.config);
  checkTuningInput(v, value.input);
  checkTuningOutput(v, value.output);
  return { ...context, method };
}

function checkAdapters(v: IssueCollector, value: unknown): void {
  const field = 'inference.adapters';
  if (value === undefined) {
    return;
  }
  if (!Array.isArray(value)) {
    v.add(field, 'field.type', 'must be a list');
    return;
  }
  if (value.length > MAX_ADAPTERS) {
    v.add(
      field,
      'adapter.max',
      `has ${value.length} adapters; KAITO allows at most ${MAX_ADAPTERS}`,
    );
  }
  const seen = new Set<string>();
  value.forEach((adapter, i) => {
    const adapterField = `${field}[${i}]`;
    if (!isObject(adapter)) {
      v.add(adapterField, 'field.type', 'must be an object');
      return;
    }
    const name = requiredString(v, `${adapterField}.name`, adapter.name);
    if (name !== undefined) {
      if (!isDns1123Subdomain(name)) {
        v.add(
          `${adapterField}.name`,
          'adapter.name.dns-subdomain',
          `${shown(name)} must be a DNS-1123 subdomain`,
        );
      } else if (seen.has(name)) {
        v.add(
          `${adapterField}.name`,
          'adapter.name.duplicate',
          `${shown(name)} is used by another adapter`,
        );
      }
      seen.add(name);
    }
    if (adapter.urls !== undefined) {
      v.add(
        `${adapterField}.urls`,
        'adapter.source.urls-not-allowed',
        'adapters load from an image or volume only',
      );
    }
    const kinds = presentKinds(adapter, ['image', 'volume']);
    if (kinds.length !== 1) {
      v.add(
        adapterField,
        'adapter.source.exactly-one',
        `must have exactly one of image or volume (has ${
          kinds.length ? kinds.join(', ') : 'none'
        })`,
      );
    }
    checkImage(v, `${adapterField}.image`, adapter.image);
    checkSecretList(
      v,
      `${adapterField}.imagePullSecrets`,
      adapter.imagePullSecrets,
    );
    if (adapter.volume !== undefined) {
      checkVolume(v, `${adapterField}.volume`, adapter.volume);
    }
    if (adapter.strength !== undefined) {
      if (
        typeof adapter.strength !== 'string' ||
        !ADAPTER_STRENGTH.test(adapter.strength)
      ) {
        v.add(
          `${adapterField}.strength`,
          'adapter.strength.range',
          `${shown(adapter.strength)} must be a decimal string from "0" to "1"`,
        );
      }
    }
  });
}

function checkInference(
  v: IssueCollector,
  value: unknown,
): PresetContext & { runtime?: KaitoRuntime } {
  if (!isObject(value)) {
    v.add('inference', 'field.type', 'must be an object');
    return { usable: false };
  }
  const context = checkPreset(
    v,
    'inference',
    value.preset,
    value.modelAccessSecret,
  );
  let runtime: KaitoRuntime | undefined;
  if (value.runtime !== undefined) {
    if (value.runtime !== 'vllm' && value.runtime !== 'transformers') {
      v.add(
        'inference.runtime',
        'inference.runtime.invalid',
        `${shown(value.runtime)} must be vllm or transformers`,
      );
    } else if (
      context.preset &&
      !context.preset.runtimes.includes(value.runtime)
    ) {
      v.add(
        'inference.runtime',
        'inference.runtime.unsupported',
        `${shown(context.preset.name)} cannot run on the ${value.runtime} runtime`,
      );
      context.usable = false;
    } else {
      runtime = value.runtime;
    }
  }
  checkObjectName(v, 'inference.config', value.config);
  checkAdapters(v, value.adapters);
  return { ...context, runtime };
}

function checkResource(
  v: IssueCollector,
  value: unknown,
  mode: 'tuning' | 'inference' | undefined,
  runtime: KaitoRuntime | undefined,
  options: WorkspaceValidationOptions,
): { sku?: GpuSku; count?: number } {
  if (!isObject(value)) {
    v.add(
      'resource',
      'field.required',
      'is required (it may be empty in BYO mode)',
    );
    return {};
  }
  let sku: GpuSku | undefined;
  const instanceType = value.instanceType;
  if (instanceType !== undefined && instanceType !== '') {
    if (typeof instanceType !== 'string') {
      v.add('resource.instanceType', 'field.type', 'must be a string');
    } else {
      sku = findGpuSku(instanceType);
      if (!sku) {
        v.add(
          'resource.instanceType',
          'resource.instance-type.unknown',
          `${shown(instanceType)} is not a GPU SKU KAITO v0.12 supports`,
        );
      }
      if (options.nodeProvisioning === 'byo') {
        v.add(
          'resource.instanceType',
          'resource.instance-type.byo',
          'must be empty: the cluster uses bring-your-own GPU nodes',
        );
      }
    }
  } else if (mode === 'tuning') {
    v.add(
      'resource.instanceType',
      'resource.instance-type.required',
      'is required for tuning: KAITO sizes the tuning Job from the SKU table',
    );
  } else if (options.nodeProvisioning === 'auto') {
    v.add(
      'resource.instanceType',
      'resource.instance-type.required',
      'is required: KAITO provisions GPU nodes of this SKU',
    );
  }

  const count = checkInteger(
    v,
    'resource.count',
    value.count,
    1,
    1000,
    'resource.count.invalid',
  );
  if (count !== undefined && count > 1 && mode === 'tuning') {
    v.add(
      'resource.count',
      'tuning.count.max-one',
      `is ${count}; tuning runs on one node`,
    );
  }
  if (
    count !== undefined &&
    count > 1 &&
    mode === 'inference' &&
    runtime === 'transformers'
  ) {
    v.add(
      'resource.count',
      'inference.transformers.single-node',
      `is ${count}; the transformers runtime has no multi-node support`,
    );
  }

  const labels = checkLabels(v, 'resource.labelSelector', value.labelSelector);
  if (
    options.nodeProvisioning === 'byo' &&
    (!labels || Object.keys(labels).length === 0)
  ) {
    v.add(
      'resource.labelSelector',
      'resource.label-selector.required',
      'is required in BYO mode: it selects the existing GPU nodes',
    );
  }
  return { sku, count };
}

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
  const req: unknown = request;
  if (!isObject(req)) {
    v.add('', 'request.type', 'the request must be an object');
    return v.issues;
  }
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

  const { sku, count } = checkResource(
    v,
    req.resource,
    mode,
    preset?.runtime,
    options,
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
        fit.reason ?? `${sku.name} does not fit`,
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
