/**
 * The rest of the built-in resource types a Kubernetes 1.33 API server (and
 * so an AKS 1.33 cluster) serves, with the names, scope, verbs, short names
 * and categories of `kubectl api-resources`. Nothing in the simulator runs
 * them: they are stored and served like any object, empty until a client
 * creates some, so clients that list them (the Backstage Kubernetes plugin,
 * `kubectl get all`) see a normal cluster. The types the simulator acts on
 * are in builtinTypes.ts.
 */
import type { ResourceType } from './api';
import {
  cronJobColumns,
  daemonSetColumns,
  deploymentColumns,
  horizontalPodAutoscalerColumns,
  replicaSetColumns,
  replicationControllerColumns,
} from './workloadPrinters';
import {
  ingressColumns,
  leaseColumns,
  persistentVolumeClaimColumns,
  priorityClassColumns,
  resourceQuotaColumns,
  serviceAccountColumns,
  storageClassColumns,
} from './resourcePrinters';

const CREATE_ONLY = ['create'];

type Definition = Omit<
  ResourceType,
  'group' | 'versions' | 'storageVersion' | 'singular' | 'namespaced'
> & { scope: 'Namespaced' | 'Cluster' };

/** One group version's types. */
function groupVersion(
  group: string,
  version: string,
  definitions: Definition[],
): ResourceType[] {
  return definitions.map(({ scope, ...d }) => ({
    ...d,
    group,
    versions: [version],
    storageVersion: version,
    singular: d.kind.toLowerCase(),
    namespaced: scope === 'Namespaced',
  }));
}

export const DEPLOYMENT_TYPE: ResourceType = groupVersion('apps', 'v1', [
  {
    plural: 'deployments',
    kind: 'Deployment',
    scope: 'Namespaced',
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status'],
    printerColumns: deploymentColumns,
  },
])[0];

export const CORE_TYPES = groupVersion('', 'v1', [
  {
    plural: 'bindings',
    kind: 'Binding',
    scope: 'Namespaced',
    verbs: CREATE_ONLY,
  },
  {
    plural: 'componentstatuses',
    kind: 'ComponentStatus',
    scope: 'Cluster',
    shortNames: ['cs'],
    verbs: ['get', 'list'],
  },
  {
    plural: 'endpoints',
    kind: 'Endpoints',
    scope: 'Namespaced',
    shortNames: ['ep'],
  },
  {
    plural: 'limitranges',
    kind: 'LimitRange',
    scope: 'Namespaced',
    shortNames: ['limits'],
  },
  {
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    scope: 'Namespaced',
    shortNames: ['pvc'],
    subresources: ['status'],
    printerColumns: persistentVolumeClaimColumns,
  },
  {
    plural: 'persistentvolumes',
    kind: 'PersistentVolume',
    scope: 'Cluster',
    shortNames: ['pv'],
    subresources: ['status'],
  },
  { plural: 'podtemplates', kind: 'PodTemplate', scope: 'Namespaced' },
  {
    plural: 'replicationcontrollers',
    kind: 'ReplicationController',
    scope: 'Namespaced',
    shortNames: ['rc'],
    categories: ['all'],
    subresources: ['status'],
    printerColumns: replicationControllerColumns,
    fieldLabels: ['metadata.name', 'metadata.namespace', 'status.replicas'],
  },
  {
    plural: 'resourcequotas',
    kind: 'ResourceQuota',
    scope: 'Namespaced',
    shortNames: ['quota'],
    subresources: ['status'],
    printerColumns: resourceQuotaColumns,
  },
  {
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    scope: 'Namespaced',
    shortNames: ['sa'],
    printerColumns: serviceAccountColumns,
  },
]);

const API_EXTENSIONS = ['api-extensions'];

export const STANDARD_GROUP_TYPES: ResourceType[] = [
  ...groupVersion('admissionregistration.k8s.io', 'v1', [
    {
      plural: 'mutatingwebhookconfigurations',
      kind: 'MutatingWebhookConfiguration',
      scope: 'Cluster',
      categories: API_EXTENSIONS,
    },
    {
      plural: 'validatingadmissionpolicies',
      kind: 'ValidatingAdmissionPolicy',
      scope: 'Cluster',
      categories: API_EXTENSIONS,
      subresources: ['status'],
    },
    {
      plural: 'validatingadmissionpolicybindings',
      kind: 'ValidatingAdmissionPolicyBinding',
      scope: 'Cluster',
      categories: API_EXTENSIONS,
    },
    {
      plural: 'validatingwebhookconfigurations',
      kind: 'ValidatingWebhookConfiguration',
      scope: 'Cluster',
      categories: API_EXTENSIONS,
    },
  ]),
  ...groupVersion('apps', 'v1', [
    {
      plural: 'controllerrevisions',
      kind: 'ControllerRevision',
      scope: 'Namespaced',
    },
    {
      plural: 'daemonsets',
      kind: 'DaemonSet',
      scope: 'Namespaced',
      shortNames: ['ds'],
      categories: ['all'],
      subresources: ['status'],
      printerColumns: daemonSetColumns,
    },
    {
      plural: 'replicasets',
      kind: 'ReplicaSet',
      scope: 'Namespaced',
      shortNames: ['rs'],
      categories: ['all'],
      subresources: ['status'],
      printerColumns: replicaSetColumns,
      fieldLabels: ['metadata.name', 'metadata.namespace', 'status.replicas'],
    },
  ]),
  ...groupVersion('authentication.k8s.io', 'v1', [
    {
      plural: 'selfsubjectreviews',
      kind: 'SelfSubjectReview',
      scope: 'Cluster',
      verbs: CREATE_ONLY,
    },
    {
      plural: 'tokenreviews',
      kind: 'TokenReview',
      scope: 'Cluster',
      verbs: CREATE_ONLY,
    },
  ]),
  ...groupVersion('authorization.k8s.io', 'v1', [
    {
      plural: 'localsubjectaccessreviews',
      kind: 'LocalSubjectAccessReview',
      scope: 'Namespaced',
      verbs: CREATE_ONLY,
    },
    {
      plural: 'selfsubjectaccessreviews',
      kind: 'SelfSubjectAccessReview',
      scope: 'Cluster',
      verbs: CREATE_ONLY,
    },
    {
      plural: 'selfsubjectrulesreviews',
      kind: 'SelfSubjectRulesReview',
      scope: 'Cluster',
      verbs: CREATE_ONLY,
    },
    {
      plural: 'subjectaccessreviews',
      kind: 'SubjectAccessReview',
      scope: 'Cluster',
      verbs: CREATE_ONLY,
    },
  ]),
  // autoscaling/v1 is served too upstream; see the fidelity table.
  ...groupVersion('autoscaling', 'v2', [
    {
      plural: 'horizontalpodautoscalers',
      kind: 'HorizontalPodAutoscaler',
      scope: 'Namespaced',
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: ['status'],
      printerColumns: horizontalPodAutoscalerColumns,
    },
  ]),
  ...groupVersion('batch', 'v1', [
    {
      plural: 'cronjobs',
      kind: 'CronJob',
      scope: 'Namespaced',
      shortNames: ['cj'],
      categories: ['all'],
      subresources: ['status'],
      printerColumns: cronJobColumns,
    },
  ]),
  ...groupVersion('certificates.k8s.io', 'v1', [
    {
      plural: 'certificatesigningrequests',
      kind: 'CertificateSigningRequest',
      scope: 'Cluster',
      shortNames: ['csr'],
      subresources: ['status'],
      fieldLabels: ['metadata.name', 'spec.signerName'],
    },
  ]),
  ...groupVersion('coordination.k8s.io', 'v1', [
    {
      plural: 'leases',
      kind: 'Lease',
      scope: 'Namespaced',
      printerColumns: leaseColumns,
    },
  ]),
  ...groupVersion('discovery.k8s.io', 'v1', [
    { plural: 'endpointslices', kind: 'EndpointSlice', scope: 'Namespaced' },
  ]),
  ...groupVersion('flowcontrol.apiserver.k8s.io', 'v1', [
    {
      plural: 'flowschemas',
      kind: 'FlowSchema',
      scope: 'Cluster',
      subresources: ['status'],
    },
    {
      plural: 'prioritylevelconfigurations',
      kind: 'PriorityLevelConfiguration',
      scope: 'Cluster',
      subresources: ['status'],
    },
  ]),
  ...groupVersion('networking.k8s.io', 'v1', [
    { plural: 'ingressclasses', kind: 'IngressClass', scope: 'Cluster' },
    {
      plural: 'ingresses',
      kind: 'Ingress',
      scope: 'Namespaced',
      shortNames: ['ing'],
      subresources: ['status'],
      printerColumns: ingressColumns,
    },
    {
      plural: 'ipaddresses',
      kind: 'IPAddress',
      scope: 'Cluster',
      shortNames: ['ip'],
    },
    {
      plural: 'networkpolicies',
      kind: 'NetworkPolicy',
      scope: 'Namespaced',
      shortNames: ['netpol'],
    },
    {
      plural: 'servicecidrs',
      kind: 'ServiceCIDR',
      scope: 'Cluster',
      subresources: ['status'],
    },
  ]),
  ...groupVersion('node.k8s.io', 'v1', [
    { plural: 'runtimeclasses', kind: 'RuntimeClass', scope: 'Cluster' },
  ]),
  ...groupVersion('policy', 'v1', [
    {
      plural: 'poddisruptionbudgets',
      kind: 'PodDisruptionBudget',
      scope: 'Namespaced',
      shortNames: ['pdb'],
      subresources: ['status'],
    },
  ]),
  ...groupVersion('rbac.authorization.k8s.io', 'v1', [
    {
      plural: 'clusterrolebindings',
      kind: 'ClusterRoleBinding',
      scope: 'Cluster',
    },
    { plural: 'clusterroles', kind: 'ClusterRole', scope: 'Cluster' },
    { plural: 'rolebindings', kind: 'RoleBinding', scope: 'Namespaced' },
    { plural: 'roles', kind: 'Role', scope: 'Namespaced' },
  ]),
  ...groupVersion('scheduling.k8s.io', 'v1', [
    {
      plural: 'priorityclasses',
      kind: 'PriorityClass',
      scope: 'Cluster',
      shortNames: ['pc'],
      printerColumns: priorityClassColumns,
    },
  ]),
  ...groupVersion('storage.k8s.io', 'v1', [
    { plural: 'csidrivers', kind: 'CSIDriver', scope: 'Cluster' },
    { plural: 'csinodes', kind: 'CSINode', scope: 'Cluster' },
    {
      plural: 'csistoragecapacities',
      kind: 'CSIStorageCapacity',
      scope: 'Namespaced',
    },
    {
      plural: 'storageclasses',
      kind: 'StorageClass',
      scope: 'Cluster',
      shortNames: ['sc'],
      printerColumns: storageClassColumns,
    },
    {
      plural: 'volumeattachments',
      kind: 'VolumeAttachment',
      scope: 'Cluster',
      subresources: ['status'],
    },
  ]),
];
