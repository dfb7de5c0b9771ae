/* The `resource` part of a create-workspace request: SKU, nodes, labels. */
import { KaitoRuntime } from '../presets';
import { findGpuSku, GpuSku } from '../skus';
import { checkInteger, checkLabels, isObject } from './common';
import { FittingSku, unknownSkuText } from './cheapestSku';
import { IssueCollector } from './issues';
import { WorkspaceValidationOptions } from './workspaceRequestParts';

export function checkResource(
  v: IssueCollector,
  value: unknown,
  mode: 'tuning' | 'inference' | undefined,
  runtime: KaitoRuntime | undefined,
  options: WorkspaceValidationOptions,
  fitting?: FittingSku,
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
          unknownSkuText(instanceType, fitting),
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
