import { NotImplementedError } from '@backstage/errors';
import { AzureClusterClients, ClusterHandle } from './ClusterRegistry';
import { ClusterSet } from './ClusterSet';

/**
 * The Azure clients of a cluster; NotFoundError for an unknown cluster,
 * NotImplementedError when its Azure coordinates are not configured.
 */
export function azureClientsOf(
  clusters: ClusterSet,
  cluster: string,
): AzureClusterClients & { handle: ClusterHandle } {
  const handle = clusters.cluster(cluster);
  if (!handle.azure) {
    throw new NotImplementedError(
      `GPU pools of cluster "${cluster}" cannot be managed: kaito.clusters.${cluster}.azure is not configured`,
    );
  }
  return { ...handle.azure, handle };
}
