/**
 * Server-side table columns of the other built-in types the simulator serves
 * but does not run (Ingresses, ResourceQuotas, ServiceAccounts, PVCs,
 * StorageClasses, PriorityClasses, Leases), as
 * pkg/printers/internalversion/printers.go prints them.
 */
import { NONE, column } from './printerColumns';

type Obj = Record<string, any>;

export const ingressColumns = [
  column(
    'Class',
    'string',
    '.spec.ingressClassName',
    i => i.spec?.ingressClassName ?? NONE,
    0,
    'The name of the IngressClass resource.',
  ),
  column(
    'Hosts',
    'string',
    '.spec.rules[*].host',
    i => {
      const hosts = (i.spec?.rules ?? [])
        .map((r: Obj) => r.host)
        .filter(Boolean);
      return hosts.length ? hosts.join(',') : '*';
    },
    0,
    'Hosts that incoming requests are matched against before the ingress rule.',
  ),
  column(
    'Address',
    'string',
    '.status.loadBalancer.ingress',
    i =>
      (i.status?.loadBalancer?.ingress ?? [])
        .map((a: Obj) => a.ip || a.hostname)
        .join(','),
    0,
    'Address is a list containing ingress points for the load-balancer.',
  ),
  column(
    'Ports',
    'string',
    '.spec.tls',
    i => (i.spec?.tls?.length ? '80, 443' : '80'),
    0,
    'Ports of TLS configurations that open.',
  ),
];

/** `used/hard` of a quota's requests (`limits: false`) or its `limits.*` resources, by name. */
const quotaUsage = (limits: boolean) => (q: Obj) => {
  const hard = q.status?.hard ?? q.spec?.hard ?? {};
  const used = q.status?.used ?? {};
  return Object.keys(hard)
    .filter(k => k.startsWith('limits.') === limits)
    .sort()
    .map(k => `${k}: ${used[k] ?? 0}/${hard[k]}`)
    .join(', ');
};

export const resourceQuotaColumns = [
  column(
    'Request',
    'string',
    '.status.used',
    quotaUsage(false),
    0,
    'Request represents a minimum amount of cpu/memory that a container may consume.',
  ),
  column(
    'Limit',
    'string',
    '.status.used',
    quotaUsage(true),
    0,
    'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
  ),
];

export const serviceAccountColumns = [
  column(
    'Secrets',
    'integer',
    '.secrets',
    sa => (sa.secrets ?? []).length,
    0,
    'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
  ),
];

export const persistentVolumeClaimColumns = [
  column('Status', 'string', '.status.phase', c => c.status?.phase ?? ''),
  column('Volume', 'string', '.spec.volumeName', c => c.spec?.volumeName ?? ''),
  column(
    'Capacity',
    'string',
    '.status.capacity.storage',
    c => c.status?.capacity?.storage ?? '',
  ),
  column('Access Modes', 'string', '.status.accessModes', c =>
    (c.status?.accessModes ?? []).join(','),
  ),
  column(
    'StorageClass',
    'string',
    '.spec.storageClassName',
    c => c.spec?.storageClassName ?? NONE,
  ),
  column(
    'VolumeAttributesClass',
    'string',
    '.spec.volumeAttributesClassName',
    c => c.spec?.volumeAttributesClassName ?? NONE,
  ),
];

export const storageClassColumns = [
  column('Provisioner', 'string', '.provisioner', s => s.provisioner ?? ''),
  column(
    'ReclaimPolicy',
    'string',
    '.reclaimPolicy',
    s => s.reclaimPolicy ?? 'Delete',
  ),
  column(
    'VolumeBindingMode',
    'string',
    '.volumeBindingMode',
    s => s.volumeBindingMode ?? 'Immediate',
  ),
  column('AllowVolumeExpansion', 'string', '.allowVolumeExpansion', s =>
    Boolean(s.allowVolumeExpansion),
  ),
];

export const priorityClassColumns = [
  column('Value', 'integer', '.value', p => p.value ?? 0),
  column('Global-Default', 'boolean', '.globalDefault', p =>
    Boolean(p.globalDefault),
  ),
];

export const leaseColumns = [
  column(
    'Holder',
    'string',
    '.spec.holderIdentity',
    l => l.spec?.holderIdentity ?? '',
  ),
];
