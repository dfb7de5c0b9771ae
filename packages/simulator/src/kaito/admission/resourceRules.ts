import { findSku, hasAzureGpuPrefix, supportedSkuNames } from '../catalog';
import { gpuConfigFromNodeLabels, type GpuConfig } from '../gpuConfig';
import { labelSelectorAsMap, sanitizedMatchLabels } from '../labelSelector';
import type { InferenceSpec, Workspace, WorkspaceResource } from '../workspace';
import { napDisabled, type AdmissionContext } from './context';
import { FieldError } from './fieldError';
import type { ModelParams } from './models';
import { validateMigModelFit, validatePartition } from './partitionRules';
import {
  compareQuantities,
  formatQuantity,
  gibibytes,
  parseQuantity,
} from './quantity';
import type { Runtime } from './runtime';
import { WebhookPanic } from './webhookPanic';

/**
 * `ResourceSpec` rules of `api/<version>/workspace_validation.go`. Paths
 * are relative to `resource` (the caller adds it with `viaField`).
 */

function requireCount(resource: WorkspaceResource): number {
  if (resource.count === undefined) {
    // `*r.Count` with no `resource` object to default `count` into.
    throw new WebhookPanic(
      'invalid memory address or nil pointer dereference (ResourceSpec.Count is nil)',
    );
  }
  return resource.count;
}

/** `ResourceSpec.validateCreateWithTuning` (v1alpha1 has no partition). */
export function validateResourceForTuning(
  resource: WorkspaceResource,
  withPartition: boolean,
): FieldError {
  let errs = FieldError.none();
  if (requireCount(resource) > 1) {
    errs = errs.also(
      FieldError.invalidValue(
        'Tuning does not currently support multinode configurations. Please set the node count to 1. Future support with DeepSpeed will allow this.',
        'count',
      ),
    );
  }
  if (withPartition && resource.partition) {
    errs = errs.also(
      FieldError.invalidValue(
        'GPU partitioning is not supported for tuning workloads',
        'partition',
      ),
    );
  }
  return errs;
}

/** `preset` was not valid: deprecated models get their own message, others are reported by the inference rules. */
function deprecatedPresetErrors(
  presetName: string,
  ctx: AdmissionContext,
): FieldError {
  return ctx.models.isDeprecated(presetName)
    ? FieldError.generic(
        `Model ${presetName} is deprecated and no longer supported`,
        'presetName',
      )
    : FieldError.none();
}

/** BYO: every node matching the sanitized selector, with uniform GFD GPU labels. */
function byoGpuConfig(
  resource: WorkspaceResource,
  ctx: AdmissionContext,
): { config: GpuConfig; nodeCount: number } | { error: FieldError } {
  const nodes = ctx.listNodes(sanitizedMatchLabels(resource.labelSelector));
  if (nodes.length === 0) {
    return {
      error: FieldError.generic(
        'No nodes found matching the specified label selector',
      ),
    };
  }
  let first: GpuConfig | undefined;
  for (const node of nodes) {
    const parsed = gpuConfigFromNodeLabels(node);
    if ('error' in parsed) {
      return {
        error: FieldError.generic(
          `Failed to get GPU config from nvidia labels on node ${node.metadata.name}: ${parsed.error}`,
        ),
      };
    }
    const config = parsed.config;
    const name = node.metadata.name;
    if (!first) {
      first = config;
    } else if (config.gpuModel !== first.gpuModel) {
      return {
        error: FieldError.generic(
          `Non-uniform GPU product: node ${name} has ${config.gpuModel} GPUs, but previous node has ${first.gpuModel} GPUs, all nodes must have the same GPU product for homogeneous placement`,
        ),
      };
    } else if (config.gpuCount !== first.gpuCount) {
      return {
        error: FieldError.generic(
          `Non-uniform GPU count: node ${name} has ${config.gpuCount} GPUs, but previous node has ${first.gpuCount} GPUs`,
        ),
      };
    } else if (config.gpuMemGiB !== first.gpuMemGiB) {
      return {
        error: FieldError.generic(
          `Non-uniform GPU memory: node ${name} has ${formatQuantity(
            gibibytes(config.gpuMemGiB),
          )} memory, but previous node has ${formatQuantity(
            gibibytes(first.gpuMemGiB),
          )} memory`,
        ),
      };
    }
  }
  return { config: first!, nodeCount: nodes.length };
}

/** The GPU memory check and the transformers multi-node check, on a known GPU configuration. */
function memoryErrors(
  params: ModelParams,
  presetName: string,
  instanceType: string,
  gpu: GpuConfig,
  machineCount: number,
  runtime: Runtime,
  bypass: boolean,
): FieldError {
  if (params.totalSafeTensorFileSize === '') return FieldError.none();
  const size = parseQuantity(params.totalSafeTensorFileSize);
  if ('error' in size) {
    return FieldError.invalidValue(
      `invalid TotalSafeTensorFileSize ${JSON.stringify(
        params.totalSafeTensorFileSize,
      )} for preset ${presetName}: ${size.error}`,
      'TotalSafeTensorFileSize',
    );
  }
  let errs = FieldError.none();
  const total = gibibytes(machineCount * gpu.gpuMemGiB);
  if (compareQuantities(total, size) < 0 && !bypass) {
    errs = errs.also(
      FieldError.invalidValue(
        `Insufficient total GPU memory: Instance type ${instanceType} has a total of ${formatQuantity(
          total,
        )}, but preset ${presetName} requires at least ${formatQuantity(size)}`,
        'instanceType',
      ),
    );
  }
  const needsSeveralMachines =
    compareQuantities(size, gibibytes(gpu.gpuMemGiB)) > 0;
  if (
    params.supportDistributedInference &&
    needsSeveralMachines &&
    runtime === 'transformers'
  ) {
    errs = errs.also(
      FieldError.generic(
        'Multi-node distributed inference is not supported with Huggingface Transformers runtime',
      ),
    );
  }
  return errs;
}

const skuConfig = (instanceType: string): GpuConfig | undefined => {
  const sku = findSku(instanceType);
  return sku
    ? {
        gpuModel: sku.gpuModel,
        gpuCount: sku.gpuCount,
        gpuMemGiB: sku.gpuMemoryGiB,
      }
    : undefined;
};

const unsupportedInstanceType = (instanceType: string) =>
  FieldError.invalidValue(
    `Unsupported instance type ${instanceType}. Supported SKUs: [${supportedSkuNames().join(
      ' ',
    )}]`,
    'instanceType',
  );

/** v1beta1 `ResourceSpec.validateCreateWithInference` */
export function validateResourceForInference(
  ws: Workspace,
  inference: InferenceSpec,
  bypass: boolean,
  runtime: Runtime,
  ctx: AdmissionContext,
): FieldError {
  const resource = ws.resource ?? {};
  const namespace = ws.metadata.namespace ?? '';
  let presetName = '';
  let secretName = '';
  if (inference.preset) {
    presetName = (inference.preset.name ?? '').toLowerCase();
    secretName = inference.preset.presetOptions?.modelAccessSecret ?? '';
    if (!ctx.models.isValidPreset(presetName)) {
      return deprecatedPresetErrors(presetName, ctx);
    }
  }
  const instanceType = resource.instanceType ?? '';
  const asMap = labelSelectorAsMap(resource.labelSelector);
  if ('error' in asMap) {
    return FieldError.invalidValue(asMap.error, 'labelSelector');
  }
  const matchLabels = resource.labelSelector?.matchLabels ?? {};
  if (
    resource.labelSelector &&
    Object.keys(matchLabels).length > 0 &&
    Object.keys(sanitizedMatchLabels(resource.labelSelector)).length === 0
  ) {
    return FieldError.invalidValue(
      'matchLabels must contain at least one non-reserved label',
      'labelSelector.matchLabels',
    );
  }

  let errs = FieldError.none();
  let gpu: GpuConfig | undefined;
  let machineCount = 0;
  if (napDisabled(ctx)) {
    if (resource.partition) {
      const partitionErrs = validatePartition(resource.partition, ctx);
      if (!partitionErrs.empty) return partitionErrs;
      if (resource.partition.mode === 'mig' && presetName !== '') {
        return validateMigModelFit(
          resource.partition,
          presetName,
          secretName,
          namespace,
          bypass,
          ctx,
        );
      }
      return FieldError.none();
    }
    if (presetName !== '') {
      const found = byoGpuConfig(resource, ctx);
      if ('error' in found) return found.error;
      gpu = found.config;
      machineCount = found.nodeCount;
    }
  } else {
    if (resource.partition) {
      return FieldError.generic(
        'GPU partitioning is only supported with BYO nodes (disableNodeAutoProvisioning=true)',
        'partition',
      );
    }
    machineCount = resource.count ?? 1;
    gpu = skuConfig(instanceType);
    if (!gpu && !hasAzureGpuPrefix(instanceType)) {
      errs = errs.also(unsupportedInstanceType(instanceType));
    }
  }

  if (presetName !== '' && gpu && (napDisabled(ctx) || runtime !== 'vllm')) {
    const lookup = ctx.models.getModelByName(presetName, secretName, namespace);
    if ('error' in lookup) {
      return errs.also(
        FieldError.invalidValue(
          `failed to get model preset: ${lookup.error}`,
          'preset',
        ),
      );
    }
    errs = errs.also(
      memoryErrors(
        lookup.model,
        presetName,
        instanceType,
        gpu,
        machineCount,
        runtime,
        bypass,
      ),
    );
  }
  return errs;
}

/** v1alpha1 `ResourceSpec.validateCreateWithInference`: SKU table and memory only, no BYO. */
export function validateResourceForInferenceV1alpha1(
  ws: Workspace,
  inference: InferenceSpec,
  bypass: boolean,
  ctx: AdmissionContext,
): FieldError {
  const resource = ws.resource ?? {};
  let presetName = '';
  if (inference.preset) {
    presetName = (inference.preset.name ?? '').toLowerCase();
    if (!ctx.models.isValidPreset(presetName)) {
      return deprecatedPresetErrors(presetName, ctx);
    }
  }
  const instanceType = resource.instanceType ?? '';
  let errs = FieldError.none();
  const gpu = skuConfig(instanceType);
  if (gpu) {
    if (presetName !== '') {
      const params = ctx.models.mustGet(presetName);
      if (!params) {
        throw new WebhookPanic(
          `invalid memory address or nil pointer dereference (KaitoModelRegister.MustGet(${JSON.stringify(
            presetName,
          )}) is nil)`,
        );
      }
      const size = params.totalSafeTensorFileSize;
      const machineCount = requireCount(resource);
      if (size !== '') {
        const parsed = parseQuantity(size);
        const total = gibibytes(machineCount * gpu.gpuMemGiB);
        if ('error' in parsed) {
          errs = errs.also(
            FieldError.invalidValue(
              `invalid TotalSafeTensorFileSize ${JSON.stringify(
                size,
              )} for preset ${presetName}: ${parsed.error}`,
              'TotalSafeTensorFileSize',
            ),
          );
        } else if (compareQuantities(total, parsed) < 0 && !bypass) {
          errs = errs.also(
            FieldError.invalidValue(
              `Insufficient total GPU memory: Instance type ${instanceType} has a total of ${formatQuantity(
                total,
              )}, but preset ${presetName} requires at least ${formatQuantity(
                parsed,
              )}`,
              'instanceType',
            ),
          );
        }
      }
    }
  } else if (!hasAzureGpuPrefix(instanceType)) {
    errs = errs.also(unsupportedInstanceType(instanceType));
  }
  const asMap = labelSelectorAsMap(resource.labelSelector);
  if ('error' in asMap) {
    errs = errs.also(FieldError.invalidValue(asMap.error, 'labelSelector'));
  }
  return errs;
}
