/* The `inference` part of a create-workspace request: runtime and adapters. */
import { KaitoRuntime } from '../presets';
import {
  checkImage,
  checkObjectName,
  checkSecretList,
  isObject,
  requiredString,
} from './common';
import { IssueCollector, shown } from './issues';
import { isDns1123Subdomain } from './names';
import {
  PresetContext,
  checkModePart,
  checkVolume,
  presentKinds,
} from './workspaceRequestParts';

/**
 * Maximum number of adapters of an inference workspace (KAITO webhook).
 *
 * @public
 */
export const MAX_ADAPTERS = 10;

const ADAPTER_STRENGTH = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;

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

/**
 * KAITO refuses adapter `strength` with the vLLM runtime (the default) when
 * the workspace is created: `vLLM does not support adapter strength`.
 */
function checkNoStrengthWithVllm(v: IssueCollector, adapters: unknown): void {
  if (!Array.isArray(adapters)) return;
  adapters.forEach((adapter, i) => {
    if (isObject(adapter) && adapter.strength !== undefined) {
      v.add(
        `inference.adapters[${i}].strength`,
        'adapter.strength.vllm',
        'is not supported by the vLLM runtime (the default): leave it out, or choose the transformers runtime',
      );
    }
  });
}

export function checkInference(
  v: IssueCollector,
  request: unknown,
): PresetContext & { runtime?: KaitoRuntime } {
  const part = checkModePart(v, 'inference', request);
  if (!part) return { usable: false };
  const { value, context } = part;
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
  if (value.runtime === undefined || value.runtime === 'vllm') {
    checkNoStrengthWithVllm(v, value.adapters);
  }
  return { ...context, runtime };
}
