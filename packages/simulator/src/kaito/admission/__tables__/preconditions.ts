/**
 * What KAITO's validation tests set up before their tables run, set up the
 * same way in the simulator: the models `RegisterValidationTestModels`
 * registers, the ConfigMaps of the fake clients, the GFD-labelled nodes of
 * the BYO cases, the node provisioner and feature gates.
 */
import type { RegisteredModel } from '../models';

/**
 * `RegisterValidationTestModels` of api/v1beta1 and api/v1alpha1
 * (`workspace_validation_test.go`). `test-validation` reads the package
 * variable `totalSafeTensorFileSize`, which cases change; here it is part
 * of the setup. Unset fields are the Go test models' zero values.
 */
export function kaitoTestModels(testValidationSize: string): RegisteredModel[] {
  return [
    {
      // testModel: ModelTokenLimit 4096, a Transformers base command.
      name: 'test-validation',
      totalSafeTensorFileSize: testValidationSize,
      modelTokenLimit: 4096,
      transformers: true,
    },
    // testModelStatic
    { name: 'test-validation-static', totalSafeTensorFileSize: '16Gi' },
    {
      // testModelDownload
      name: 'test-validation-download',
      downloadAtRuntime: true,
      downloadAuthRequired: true,
      totalSafeTensorFileSize: '32Gi',
      supportDistributedInference: true,
    },
    // testModelLarge
    {
      name: 'test-large-model',
      totalSafeTensorFileSize: '131Gi',
      supportDistributedInference: true,
    },
    // testModelSmallA10
    { name: 'test-small-a10', totalSafeTensorFileSize: '7Gi' },
    {
      // v1alpha1 testModelPrivate
      name: 'private-test-validation',
      imageAccessMode: 'private',
      totalSafeTensorFileSize: testValidationSize,
    },
  ];
}

/** `DefaultReleaseNamespace` of KAITO's tests: where their fake clients hold ConfigMaps. */
export const KAITO_TEST_NAMESPACE = 'kaito-workspace';

/**
 * The ConfigMaps of TestInferenceSpecValidateCreate and both
 * TestInferenceConfigMapValidation tables (the v1alpha1 twin's
 * `valid-config-with-max-model-len` says 0.95 instead of 0.84; no rule reads it).
 */
export const KAITO_TEST_CONFIG_MAPS: Record<string, Record<string, string>> = {
  'valid-config': { 'inference_config.yaml': 'a: b' },
  'missing-key-config': { other_key: 'some value' },
  'invalid-config-exceeds-token-limit': {
    'inference_config.yaml':
      '\nvllm:\n  max-model-len: 20480\n  gpu-memory-utilization: 0.84\n',
  },
  'valid-config-with-max-model-len': {
    'inference_config.yaml':
      '\nvllm:\n  max-model-len: 2048\n  gpu-memory-utilization: 0.84\n',
  },
  'invalid-config-without-max-model-len': {
    'inference_config.yaml': '\nvllm:\n  gpu-memory-utilization: 0.84\n',
  },
  'invalid-config-empty-vllm': { 'inference_config.yaml': '\nvllm: {}\n' },
  'invalid-config-no-vllm': {
    'inference_config.yaml': '\nother_field: value\n',
  },
  // test/e2e/webhook_test.go
  'inference-config-webhook': {
    'inference_config.yaml': '\nvllm:\n  max-model-len: 1024\n',
  },
};

/** A BYO node with NVIDIA GPU Feature Discovery labels, as the Go cases build them. */
export interface GfdNode {
  name: string;
  labels: Record<string, string>;
}

export const gfdNode = (
  name: string,
  selector: Record<string, string>,
  gpu: { product?: string; count?: string; memory?: string },
): GfdNode => ({
  name,
  labels: {
    ...selector,
    ...(gpu.product ? { 'nvidia.com/gpu.product': gpu.product } : {}),
    ...(gpu.count ? { 'nvidia.com/gpu.count': gpu.count } : {}),
    ...(gpu.memory ? { 'nvidia.com/gpu.memory': gpu.memory } : {}),
  },
});
