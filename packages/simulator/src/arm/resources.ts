/**
 * Resource ids and the JSON shapes of the managed cluster, upgrade profiles
 * and Compute resource SKUs, as ARM returns them.
 */
import { createHash } from 'node:crypto';
import { AgentPoolResource } from './agentPoolSpec';
import { VM_SIZES } from './vmSizes';

export const CONTAINER_SERVICE = 'Microsoft.ContainerService';
export const MANAGED_CLUSTER_TYPE =
  'Microsoft.ContainerService/ManagedClusters';
export const AGENT_POOL_TYPE =
  'Microsoft.ContainerService/managedClusters/agentPools' as const;
/** The api-version AKS puts into its operation URLs (independent of the request's). */
export const OPERATION_API_VERSION = '2017-08-31';

export interface ClusterIdentity {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  location: string;
  kubernetesVersion: string;
  tenantId: string;
}

/** AKS writes `resourcegroups` in lower case inside ids. */
export const clusterId = (c: ClusterIdentity) =>
  `/subscriptions/${c.subscriptionId}/resourcegroups/${c.resourceGroup}/providers/${CONTAINER_SERVICE}/managedClusters/${c.clusterName}`;

export const agentPoolId = (c: ClusterIdentity, pool: string) =>
  `${clusterId(c)}/agentPools/${pool}`;

export const nodeResourceGroup = (c: ClusterIdentity) =>
  `MC_${c.resourceGroup}_${c.clusterName}_${c.location}`;

export const operationPath = (
  c: ClusterIdentity,
  kind: 'operations' | 'operationresults',
  id: string,
) =>
  `/subscriptions/${c.subscriptionId}/providers/${CONTAINER_SERVICE}/locations/${c.location}/${kind}/${id}?api-version=${OPERATION_API_VERSION}`;

/** Stable pseudo-random hex and GUIDs derived from the cluster id, so restarts look the same. */
const digest = (c: ClusterIdentity, salt: string) =>
  createHash('sha256')
    .update(`${clusterId(c).toLowerCase()}#${salt}`)
    .digest('hex');

const guid = (c: ClusterIdentity, salt: string) => {
  const h = digest(c, salt);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
};

export const dnsPrefix = (c: ClusterIdentity) =>
  `${c.clusterName.slice(0, 10)}-${c.resourceGroup.slice(
    0,
    16,
  )}-${c.subscriptionId.slice(0, 6)}`.replace(/[^a-zA-Z0-9-]/g, '');

export const clusterFqdn = (c: ClusterIdentity) =>
  `${dnsPrefix(c)}-${digest(c, 'fqdn').slice(0, 8)}.hcp.${
    c.location
  }.azmk8s.io`.toLowerCase();

export function managedClusterResource(
  c: ClusterIdentity,
  pools: AgentPoolResource[],
) {
  const fqdn = clusterFqdn(c);
  const nodeRg = nodeResourceGroup(c);
  const kubeletIdentityName = `${c.clusterName}-agentpool`;
  return {
    id: clusterId(c),
    location: c.location,
    name: c.clusterName,
    type: MANAGED_CLUSTER_TYPE,
    kind: 'Base',
    sku: { name: 'Base', tier: 'Free' },
    identity: {
      type: 'SystemAssigned',
      principalId: guid(c, 'principal'),
      tenantId: c.tenantId,
    },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: c.kubernetesVersion,
      currentKubernetesVersion: c.kubernetesVersion,
      dnsPrefix: dnsPrefix(c),
      fqdn,
      azurePortalFQDN: fqdn.replace('.hcp.', '.portal.hcp.'),
      agentPoolProfiles: pools.map(p => ({ name: p.name, ...p.properties })),
      servicePrincipalProfile: { clientId: 'msi' },
      addonProfiles: {},
      nodeResourceGroup: nodeRg,
      enableRBAC: true,
      supportPlan: 'KubernetesOfficial',
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'none',
        networkDataplane: 'azure',
        loadBalancerSku: 'standard',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
        podCidrs: ['10.244.0.0/16'],
        serviceCidrs: ['10.0.0.0/16'],
        ipFamilies: ['IPv4'],
      },
      maxAgentPools: 100,
      identityProfile: {
        kubeletidentity: {
          resourceId: `/subscriptions/${c.subscriptionId}/resourcegroups/${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${kubeletIdentityName}`,
          clientId: guid(c, 'kubelet-client'),
          objectId: guid(c, 'kubelet-object'),
        },
      },
      autoUpgradeProfile: {
        upgradeChannel: 'none',
        nodeOSUpgradeChannel: 'NodeImage',
      },
      disableLocalAccounts: false,
      securityProfile: {},
      storageProfile: {
        diskCSIDriver: { enabled: true },
        fileCSIDriver: { enabled: true },
        snapshotController: { enabled: true },
      },
      oidcIssuerProfile: {
        enabled: true,
        issuerURL: `https://${c.location}.oic.prod-aks.azure.com/${
          c.tenantId
        }/${guid(c, 'oidc')}/`,
      },
      workloadAutoScalerProfile: {},
      aiToolchainOperatorProfile: { enabled: true },
      nodeProvisioningProfile: { mode: 'Manual', defaultNodePools: 'Auto' },
      resourceUID: digest(c, 'uid').slice(0, 24),
    },
  };
}

export function agentPoolUpgradeProfile(
  c: ClusterIdentity,
  pool: AgentPoolResource,
  latestNodeImageVersion: string,
) {
  const current =
    pool.properties.currentOrchestratorVersion ?? c.kubernetesVersion;
  return {
    id: `${agentPoolId(c, pool.name)}/upgradeProfiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
    properties: {
      kubernetesVersion: current,
      osType: pool.properties.osType ?? 'Linux',
      upgrades:
        current === c.kubernetesVersion
          ? []
          : [{ kubernetesVersion: c.kubernetesVersion, isPreview: false }],
      latestNodeImageVersion,
    },
  };
}

/** `GET /subscriptions/{sub}/providers/Microsoft.Compute/skus` entries for the catalog. */
export function resourceSkus(
  location: string,
  unavailable: ReadonlySet<string>,
) {
  return VM_SIZES.map(size => {
    const restricted = [...unavailable].some(
      u => u.toLowerCase() === size.name.toLowerCase(),
    );
    const capabilities: [string, string][] = [
      ['vCPUs', String(size.vCpus)],
      ['vCPUsAvailable', String(size.vCpus)],
      ['MemoryGB', String(size.memoryGiB)],
      ...(size.gpu
        ? ([['GPUs', String(size.gpu.count)]] as [string, string][])
        : []),
      ['HyperVGenerations', size.hyperVGenerations],
      ['MaxDataDiskCount', String(size.maxDataDiskCount)],
      ['CpuArchitectureType', 'x64'],
      ['LowPriorityCapable', 'True'],
      ['PremiumIO', 'True'],
      ['vCPUsPerCore', size.gpu ? '1' : '2'],
      ['EphemeralOSDiskSupported', 'True'],
      ['AcceleratedNetworkingEnabled', 'True'],
      [
        'RdmaEnabled',
        /^Standard_ND/.test(size.name) || /_NC24rs_/.test(size.name)
          ? 'True'
          : 'False',
      ],
      ['MaxNetworkInterfaces', '8'],
    ];
    return {
      resourceType: 'virtualMachines',
      name: size.name,
      tier: 'Standard',
      size: size.name.replace(/^Standard_/, ''),
      family: size.quotaFamily,
      locations: [location],
      locationInfo: [{ location, zones: ['1', '2', '3'], zoneDetails: [] }],
      capabilities: capabilities.map(([name, value]) => ({ name, value })),
      restrictions: restricted
        ? [
            {
              type: 'Location',
              values: [location],
              restrictionInfo: { locations: [location] },
              reasonCode: 'NotAvailableForSubscription',
            },
          ]
        : [],
    };
  });
}
