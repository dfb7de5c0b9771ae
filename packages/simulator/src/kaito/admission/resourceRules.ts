import { ANNOTATION_BYPASS_RESOURCE_CHECKS } from '../constants';
import {
  findSku,
  hasAzureGpuPrefix,
  isValidPreset,
  resolvePreset,
  supportedSkuNames,
} from '../catalog';
import {
  formatGi,
  gpuConfigFromNodeLabels,
  type GpuConfig,
} from '../gpuConfig';
import { labelSelectorAsMap, sanitizedMatchLabels } from '../labelSelector';
import { isNodeReady } from '../nodeReadiness';
import {
  runtimeOf,
  type Workspace,
  type WorkspaceResource,
} from '../workspace';
import type { AdmissionContext } from './context';
import { FieldError } from './fieldError';

/**
 * `ResourceSpec` rules of `api/v1beta1/workspace_validation.go`. Paths are
 * relative to `resource` (the caller adds it with `viaField`).
 */

export function validateResourceForTuning(
  resource: WorkspaceResource,
): FieldError {
  let errs = FieldError.none();
  if ((resource.count ?? 1) > 1) {
    errs = errs.also(
      FieldError.invalidValue(
        'Tuning does not currently support multinode configurations. Please set the node count to 1. Future support with DeepSpeed will allow this.',
        'count',
      ),
    );
  }
  if (resource.partition) {
    errs = errs.also(
      FieldError.invalidValue(
        'GPU partitioning is not supported for tuning workloads',
        'partition',
      ),
    );
  }
  return errs;
}

/**
 * The BYO node check: Ready nodes match the selector and carry uniform GPU
 * labels. (KAITO lists matching nodes whatever their state; the simulator
 * asks for Ready ones, as its nodes join a little after their pool.)
 */
function byoGpuConfig(
  ws: Workspace,
  ctx: AdmissionContext,
): { config?: GpuConfig; nodeCount: number; error?: FieldError } {
  const nodes = ctx
    .listNodes(sanitizedMatchLabels(ws.resource?.labelSelector))
    .filter(isNodeReady);
  if (nodes.length === 0) {
    return {
      nodeCount: 0,
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
        nodeCount: nodes.length,
        error: FieldError.generic(
          `Failed to get GPU config from nvidia labels on node ${node.metadata.name}: ${parsed.error}`,
        ),
      };
    }
    const config = parsed.config;
    if (!first) {
      first = config;
      continue;
    }
    const name = node.metadata.name;
    if (config.gpuModel !== first.gpuModel) {
      return {
        nodeCount: nodes.length,
        error: FieldError.generic(
          `Non-uniform GPU product: node ${name} has ${config.gpuModel} GPUs, but previous node has ${first.gpuModel} GPUs, all nodes must have the same GPU product for homogeneous placement`,
        ),
      };
    }
    if (config.gpuCount !== first.gpuCount) {
      return {
        nodeCount: nodes.length,
        error: FieldError.generic(
          `Non-uniform GPU count: node ${name} has ${config.gpuCount} GPUs, but previous node has ${first.gpuCount} GPUs`,
        ),
      };
    }
    if (config.gpuMemGiB !== first.gpuMemGiB) {
      return {
        nodeCount: nodes.length,
        error: FieldError.generic(
          `Non-uniform GPU memory: node ${name} has ${formatGi(
            config.gpuMemGiB,
          )} memory, but previous node has ${formatGi(first.gpuMemGiB)} memory`,
        ),
      };
    }
  }
  return { config: first, nodeCount: nodes.length };
}

export function validateResourceForInference(
  ws: Workspace,
  ctx: AdmissionContext,
): FieldError {
  const resource = ws.resource ?? {};
  const inference = ws.inference ?? {};
  let errs = FieldError.none();
  const presetName = inference.preset?.name?.toLowerCase() ?? '';

  if (inference.preset) {
    if (!isValidPreset(presetName)) {
      if (resolvePreset(presetName)?.deprecated) {
        errs = errs.also(
          FieldError.generic(
            `Model ${presetName} is deprecated and no longer supported`,
            'presetName',
          ),
        );
      }
      // The inference rules report the unknown name.
      return errs;
    }
  }

  const asMap = labelSelectorAsMap(resource.labelSelector);
  if ('error' in asMap) {
    return errs.also(FieldError.invalidValue(asMap.error, 'labelSelector'));
  }
  const matchLabels = resource.labelSelector?.matchLabels ?? {};
  if (
    Object.keys(matchLabels).length > 0 &&
    Object.keys(sanitizedMatchLabels(resource.labelSelector)).length === 0
  ) {
    return errs.also(
      FieldError.invalidValue(
        'matchLabels must contain at least one non-reserved label',
        'labelSelector.matchLabels',
      ),
    );
  }

  const byo = ctx.nodeProvisioner === 'byo';
  const instanceType = resource.instanceType ?? '';
  let gpu: GpuConfig | undefined;
  let machineCount = 0;

  if (byo) {
    if (resource.partition) {
      // Partitioned (MIG) BYO workloads skip the whole-GPU sizing below.
      return errs;
    }
    if (presetName) {
      const found = byoGpuConfig(ws, ctx);
      if (found.error) return errs.also(found.error);
      gpu = found.config;
      machineCount = found.nodeCount;
    }
  } else {
    if (resource.partition) {
      return errs.also(
        FieldError.generic(
          'GPU partitioning is only supported with BYO nodes (disableNodeAutoProvisioning=true)',
          'partition',
        ),
      );
    }
    machineCount = resource.count ?? 1;
    const sku = findSku(instanceType);
    if (sku) {
      gpu = {
        gpuModel: sku.gpuModel,
        gpuCount: sku.gpuCount,
        gpuMemGiB: sku.gpuMemoryGiB,
      };
    } else if (!hasAzureGpuPrefix(instanceType)) {
      errs = errs.also(
        FieldError.invalidValue(
          `Unsupported instance type ${instanceType}. Supported SKUs: [${supportedSkuNames().join(
            ' ',
          )}]`,
          'instanceType',
        ),
      );
    }
  }

  const preset = resolvePreset(presetName);
  const runtime = runtimeOf(ws);
  // With NAP and vLLM the NodeEstimator sizes the node count instead.
  if (preset && gpu && (byo || runtime !== 'vllm')) {
    const total = machineCount * gpu.gpuMemGiB;
    if (total < preset.modelWeightGiB) {
      const bypass =
        ws.metadata.annotations?.[ANNOTATION_BYPASS_RESOURCE_CHECKS] !==
        undefined;
      if (!bypass) {
        errs = errs.also(
          FieldError.invalidValue(
            `Insufficient total GPU memory: Instance type ${instanceType} has a total of ${formatGi(
              total,
            )}, but preset ${presetName} requires at least ${formatGi(
              preset.modelWeightGiB,
            )}`,
            'instanceType',
          ),
        );
      }
    }
    const needsMoreThanOneNode = preset.modelWeightGiB > gpu.gpuMemGiB;
    if (
      preset.distributedInference &&
      needsMoreThanOneNode &&
      runtime === 'transformers'
    ) {
      errs = errs.also(
        FieldError.generic(
          'Multi-node distributed inference is not supported with Huggingface Transformers runtime',
        ),
      );
    }
  }
  return errs;
}

export function validateResourceUpdate(
  resource: WorkspaceResource,
  old: WorkspaceResource,
  ctx: AdmissionContext,
): FieldError {
  let errs = FieldError.none();
  if (
    resource.count !== undefined &&
    old.count !== undefined &&
    resource.count !== old.count
  ) {
    errs = errs.also(FieldError.generic('field is immutable', 'count'));
  }
  if (
    JSON.stringify(resource.partition ?? null) !==
    JSON.stringify(old.partition ?? null)
  ) {
    errs = errs.also(FieldError.generic('field is immutable', 'partition'));
  }
  const next = resource.instanceType ?? '';
  const prev = old.instanceType ?? '';
  if (ctx.nodeProvisioner === 'byo') {
    if (prev === '' && next !== '') {
      errs = errs.also(
        FieldError.invalidValue(
          'instanceType must be empty when node auto-provisioning is disabled (BYO scenario)',
          'instanceType',
        ),
      );
    } else if (prev !== '' && next !== '' && next !== prev) {
      errs = errs.also(
        FieldError.invalidValue(
          'instanceType cannot be changed once set',
          'instanceType',
        ),
      );
    }
  } else if (next === '') {
    errs = errs.also(
      FieldError.missing(
        'instanceType is required when node auto-provisioning is enabled',
        'instanceType',
      ),
    );
  } else if (prev !== '' && prev !== next) {
    errs = errs.also(
      FieldError.generic(
        'instanceType cannot be changed once set when node auto-provisioning is enabled',
        'instanceType',
      ),
    );
  }
  const nextLabels = labelSelectorAsMap(resource.labelSelector);
  const prevLabels = labelSelectorAsMap(old.labelSelector);
  if ('error' in nextLabels || 'error' in prevLabels) {
    errs = errs.also(
      FieldError.generic(
        "Only allow matchLabels or 'IN' matchExpression",
        'labelSelector',
      ),
    );
  } else if (!sameLabels(nextLabels.labels, prevLabels.labels)) {
    errs = errs.also(FieldError.generic('field is immutable', 'labelSelector'));
  }
  return errs;
}

function sameLabels(
  a: Record<string, string>,
  b: Record<string, string>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every(k => a[k] === b[k])
  );
}
