/**
 * The resource types an AKS cluster with the KAITO add-on serves, as far as the
 * simulator needs them: names, scope, versions, subresources and printer
 * columns. Their server-side behaviour is in builtinStrategies.ts.
 */
import type { ResourceType } from './api';
import {
  configMapColumns,
  jobColumns,
  namespaceColumns,
  nodeColumns,
  podColumns,
  secretColumns,
  serviceColumns,
  statefulSetColumns,
} from './builtinPrinters';
import { API_SERVICE_TYPE } from './apiServices';
import { CUSTOM_RESOURCE_DEFINITION_TYPE } from './customResourceDefinitions';
import { NODE_METRICS_TYPE, POD_METRICS_TYPE } from './metricsApi';
import {
  CORE_TYPES,
  DEPLOYMENT_TYPE,
  STANDARD_GROUP_TYPES,
} from './standardTypes';

export const NAMESPACE_TYPE: ResourceType = {
  group: '',
  plural: 'namespaces',
  kind: 'Namespace',
  singular: 'namespace',
  namespaced: false,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status'],
  printerColumns: namespaceColumns,
  fieldLabels: ['status.phase', 'metadata.name'],
};

export const NODE_TYPE: ResourceType = {
  group: '',
  plural: 'nodes',
  kind: 'Node',
  singular: 'node',
  namespaced: false,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['no'],
  subresources: ['status'],
  printerColumns: nodeColumns,
  fieldLabels: ['metadata.name', 'spec.unschedulable'],
};

export const POD_TYPE: ResourceType = {
  group: '',
  plural: 'pods',
  kind: 'Pod',
  singular: 'pod',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'log'],
  printerColumns: podColumns,
  fieldLabels: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
};

export const SERVICE_TYPE: ResourceType = {
  group: '',
  plural: 'services',
  kind: 'Service',
  singular: 'service',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status', 'proxy'],
  printerColumns: serviceColumns,
};

export const EVENT_TYPE: ResourceType = {
  group: '',
  plural: 'events',
  kind: 'Event',
  singular: 'event',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['ev'],
  fieldLabels: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
    'metadata.namespace',
    'metadata.name',
  ],
};

export const SECRET_TYPE: ResourceType = {
  group: '',
  plural: 'secrets',
  kind: 'Secret',
  singular: 'secret',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  printerColumns: secretColumns,
  fieldLabels: ['type', 'metadata.namespace', 'metadata.name'],
};

export const CONFIG_MAP_TYPE: ResourceType = {
  group: '',
  plural: 'configmaps',
  kind: 'ConfigMap',
  singular: 'configmap',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['cm'],
  printerColumns: configMapColumns,
};

export const JOB_TYPE: ResourceType = {
  group: 'batch',
  plural: 'jobs',
  kind: 'Job',
  singular: 'job',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  categories: ['all'],
  subresources: ['status'],
  printerColumns: jobColumns,
  fieldLabels: ['metadata.name', 'metadata.namespace', 'status.successful'],
};

export const STATEFUL_SET_TYPE: ResourceType = {
  group: 'apps',
  plural: 'statefulsets',
  kind: 'StatefulSet',
  singular: 'statefulset',
  namespaced: true,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['status'],
  printerColumns: statefulSetColumns,
};

const conditionStatus = (type: string) =>
  `.status.conditions[?(@.type=="${type}")].status`;

/** `karpenter.sh_nodeclaims.yaml` (Karpenter v1) printer columns. */
export const NODE_CLAIM_TYPE: ResourceType = {
  group: 'karpenter.sh',
  plural: 'nodeclaims',
  kind: 'NodeClaim',
  singular: 'nodeclaim',
  namespaced: false,
  versions: ['v1'],
  storageVersion: 'v1',
  categories: ['karpenter'],
  subresources: ['status'],
  printerColumns: [
    {
      name: 'Type',
      type: 'string',
      jsonPath: '.metadata.labels.node\\.kubernetes\\.io/instance-type',
    },
    {
      name: 'Capacity',
      type: 'string',
      jsonPath: '.metadata.labels.karpenter\\.sh/capacity-type',
    },
    {
      name: 'Zone',
      type: 'string',
      jsonPath: '.metadata.labels.topology\\.kubernetes\\.io/zone',
    },
    { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
    { name: 'Ready', type: 'string', jsonPath: conditionStatus('Ready') },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'ID', type: 'string', jsonPath: '.status.providerID', priority: 1 },
    {
      name: 'NodePool',
      type: 'string',
      jsonPath: '.metadata.labels.karpenter\\.sh/nodepool',
      priority: 1,
    },
    {
      name: 'NodeClass',
      type: 'string',
      jsonPath: '.spec.nodeClassRef.name',
      priority: 1,
    },
    {
      name: 'Drifted',
      type: 'string',
      jsonPath: conditionStatus('Drifted'),
      priority: 1,
    },
  ],
};

export { DEPLOYMENT_TYPE };

/** Every built-in type the simulated cluster serves from its own store (custom resources come from their CRDs). */
export const BUILTIN_TYPES: ResourceType[] = [
  NAMESPACE_TYPE,
  NODE_TYPE,
  POD_TYPE,
  SERVICE_TYPE,
  EVENT_TYPE,
  SECRET_TYPE,
  CONFIG_MAP_TYPE,
  ...CORE_TYPES,
  JOB_TYPE,
  STATEFUL_SET_TYPE,
  DEPLOYMENT_TYPE,
  ...STANDARD_GROUP_TYPES,
  API_SERVICE_TYPE,
  NODE_METRICS_TYPE,
  POD_METRICS_TYPE,
  NODE_CLAIM_TYPE,
  CUSTOM_RESOURCE_DEFINITION_TYPE,
];
