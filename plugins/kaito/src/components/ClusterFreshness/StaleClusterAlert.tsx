import { ClusterFreshness } from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';

/** Props of {@link StaleClusterAlert}. */
export interface StaleClusterAlertProps {
  freshness: ClusterFreshness;
}

function timeOf(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toLocaleTimeString();
}

/**
 * Says that what is shown of a cluster is its last known state: the
 * backend cannot reach the cluster's API server and answers from its watch
 * cache. Renders nothing for a fresh cluster.
 */
export function StaleClusterAlert({ freshness }: StaleClusterAlertProps) {
  if (!freshness.stale) return null;
  // The watches delivered every change until the cluster became
  // unreachable: the state shown is the one of that moment.
  const since = timeOf(freshness.staleSince);
  return (
    <Alert
      severity="warning"
      aria-label={`Cluster ${freshness.cluster} is stale`}
    >
      <AlertTitle>
        Cluster {freshness.cluster} is unreachable: showing its last known state
        {since ? ` (from ${since})` : ''}
      </AlertTitle>
      {freshness.message} It refreshes by itself when the cluster is back.
    </Alert>
  );
}
