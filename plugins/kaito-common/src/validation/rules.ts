/**
 * Every validation rule id with what it checks and where the rule comes
 * from (`kaito` = KAITO's admission webhook or CRD, v0.12; `suite` = this
 * plugin suite; `aks` = the AKS agent pool API).
 *
 * @public
 */
export const validationRules = {
  'request.type': {
    source: 'suite',
    description: 'The request is a JSON object',
  },
  'field.required': {
    source: 'suite',
    description: 'A required field is present',
  },
  'field.type': {
    source: 'suite',
    description: 'A field has the expected type',
  },
  'field.unknown': {
    source: 'suite',
    description:
      'Every field is one the request defines (unknown fields are refused, with the closest known name)',
  },
  'field.range': {
    source: 'suite',
    description: 'A number, list or text lies within its bounds',
  },
  'field.enum': {
    source: 'suite',
    description: 'A field has one of its allowed values',
  },
  'field.invalid': {
    source: 'suite',
    description: 'A field has a valid value',
  },
  'query.unknown': {
    source: 'suite',
    description: 'Every query parameter is one the route defines',
  },
  'entity-ref.invalid': {
    source: 'suite',
    description: 'entityRef parses as kind:namespace/name with valid parts',
  },
  'namespace.dns-label': {
    source: 'suite',
    description: 'Namespace is a DNS-1123 label',
  },
  'name.dns-label': {
    source: 'kaito',
    description: 'Workspace name is a DNS-1123 label (at most 63 characters)',
  },
  'k8s-name.dns-subdomain': {
    source: 'kaito',
    description: 'Secret, ConfigMap and PVC names are DNS-1123 subdomains',
  },
  'image.invalid': {
    source: 'suite',
    description: 'Image references follow the OCI reference grammar',
  },
  'workspace.exactly-one-of': {
    source: 'kaito',
    description: 'Exactly one of tuning or inference',
  },
  'preset.unknown': {
    source: 'suite',
    description:
      'The preset is in the catalog (KAITO also accepts other HF IDs best-effort; the suite does not)',
  },
  'preset.deprecated': {
    source: 'kaito',
    description: 'Deprecated presets are rejected',
  },
  'preset.not-tunable': {
    source: 'suite',
    description:
      'Tuning presets support fine-tuning (the webhook does not check this)',
  },
  'preset.model-access-secret-required': {
    source: 'suite',
    description:
      'Gated presets name a modelAccessSecret (key HF_TOKEN); KAITO v0.12 admits without one and the weight download then fails',
  },
  'tuning.method.invalid': {
    source: 'kaito',
    description: 'Tuning method is lora or qlora',
  },
  'tuning.method.unsupported': {
    source: 'suite',
    description: 'The preset supports the tuning method',
  },
  'tuning.input.exactly-one': {
    source: 'kaito',
    description: 'Tuning input has exactly one of urls, image or volume',
  },
  'tuning.input.urls-empty': {
    source: 'suite',
    description: 'Tuning input urls is a non-empty list',
  },
  'url.invalid': {
    source: 'kaito',
    description: 'Tuning URLs parse as absolute URLs',
  },
  'url.scheme': {
    source: 'kaito',
    description: 'Tuning URLs use http or https',
  },
  'url.localhost': {
    source: 'kaito',
    description:
      'Tuning URLs do not point at localhost or unspecified addresses',
  },
  'url.private-host': {
    source: 'kaito',
    description:
      'Tuning URLs do not point at private or cluster-internal hosts',
  },
  'url.link-local': {
    source: 'kaito',
    description: 'Tuning URLs do not point at link-local addresses',
  },
  'url.metadata-host': {
    source: 'kaito',
    description: 'Tuning URLs do not point at cloud metadata endpoints',
  },
  'volume.unsupported': {
    source: 'suite',
    description: 'Volumes are PersistentVolumeClaims',
  },
  'tuning.output.exactly-one': {
    source: 'kaito',
    description: 'Tuning output has exactly one of image or volume',
  },
  'tuning.output.image-push-secret-required': {
    source: 'kaito',
    description: 'An output image comes with an imagePushSecret',
  },
  'tuning.output.push-secret-without-image': {
    source: 'suite',
    description: 'imagePushSecret is only given with an output image',
  },
  'inference.runtime.invalid': {
    source: 'kaito',
    description: 'Runtime is vllm or transformers',
  },
  'inference.runtime.unsupported': {
    source: 'kaito',
    description: 'The preset can run on the chosen runtime',
  },
  'inference.transformers.single-node': {
    source: 'kaito',
    description: 'The transformers runtime runs on one node',
  },
  'adapter.max': { source: 'kaito', description: 'At most 10 adapters' },
  'adapter.name.dns-subdomain': {
    source: 'kaito',
    description: 'Adapter names are DNS-1123 subdomains',
  },
  'adapter.name.duplicate': {
    source: 'kaito',
    description: 'Adapter names are unique',
  },
  'adapter.source.exactly-one': {
    source: 'kaito',
    description: 'An adapter has exactly one of image or volume',
  },
  'adapter.source.urls-not-allowed': {
    source: 'kaito',
    description: 'Adapters do not load from URLs',
  },
  'adapter.strength.range': {
    source: 'kaito',
    description:
      'Adapter strength is a decimal string from "0" to "1" (KAITO checks it on update only; the suite at create too)',
  },
  'adapter.strength.vllm': {
    source: 'kaito',
    description:
      'Adapters set no strength with the vLLM runtime (the default); KAITO refuses it at create',
  },
  'resource.instance-type.unknown': {
    source: 'kaito',
    description:
      "instanceType is in KAITO's SKU table (KAITO's webhook refuses other names but lets N- and D-series ones through, and its controller then fails: the suite refuses those too)",
  },
  'resource.instance-type.required': {
    source: 'kaito',
    description:
      'instanceType is set with node auto-provisioning and for tuning',
  },
  'resource.instance-type.byo': {
    source: 'kaito',
    description: 'instanceType is empty with bring-your-own nodes',
  },
  'resource.count.invalid': {
    source: 'kaito',
    description: 'count is a positive integer',
  },
  'tuning.count.max-one': {
    source: 'kaito',
    description: 'Tuning count is at most 1',
  },
  'resource.label-selector.required': {
    source: 'kaito',
    description: 'BYO workspaces select nodes by label',
  },
  'label.key-invalid': {
    source: 'kaito',
    description: 'Label keys are valid Kubernetes label keys',
  },
  'label.value-invalid': {
    source: 'kaito',
    description: 'Label values are valid Kubernetes label values',
  },
  'label.reserved-key': {
    source: 'kaito',
    description:
      'Labels do not use kaito.sh/ or karpenter.sh/ keys (or kubernetes.azure.com/ on pools)',
  },
  'resource.gpu-memory': {
    source: 'kaito',
    description: 'The SKU has enough GPU memory for the preset (see skuFits)',
  },
  'gpupool.name.format': {
    source: 'aks',
    description: 'Pool name matches ^[a-z][a-z0-9]{0,11}$',
  },
  'gpupool.vm-size.unknown': {
    source: 'suite',
    description: 'vmSize is a GPU size KAITO supports',
  },
  'gpupool.count.range': {
    source: 'aks',
    description:
      'Node counts are integers from 0 to 1000 (maxCount at least 1)',
  },
  'gpupool.autoscale.incomplete': {
    source: 'aks',
    description: 'minCount and maxCount are given together',
  },
  'gpupool.autoscale.min-max': {
    source: 'aks',
    description: 'minCount is at most maxCount',
  },
  'gpupool.count.outside-autoscale-range': {
    source: 'aks',
    description: 'count lies within [minCount, maxCount]',
  },
  'gpupool.spot-max-price.without-spot': {
    source: 'suite',
    description: 'spotMaxPrice is only given for Spot pools',
  },
  'gpupool.spot-max-price.invalid': {
    source: 'aks',
    description: 'spotMaxPrice is -1 or a positive price',
  },
  'gpupool.update.empty': {
    source: 'suite',
    description: 'An update changes count or the autoscaler range',
  },
} as const;

/**
 * A validation rule id.
 *
 * @public
 */
export type ValidationRuleId = keyof typeof validationRules;
