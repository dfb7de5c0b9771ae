/* The `tuning` part of a create-workspace request: dataset, output, method. */
import { tuningMethods } from '../presets';
import {
  checkImage,
  checkObjectName,
  checkSecretList,
  isObject,
  requiredString,
} from './common';
import { IssueCollector, shown } from './issues';
import { checkTuningInputUrl } from './urls';
import {
  PresetContext,
  checkModePart,
  checkVolume,
  presentKinds,
} from './workspaceRequestParts';

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

export function checkTuning(
  v: IssueCollector,
  request: unknown,
): PresetContext & { method?: string } {
  const part = checkModePart(v, 'tuning', request);
  if (!part) return { usable: false };
  const { value, context } = part;
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
