import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { kaitoApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { errorMessage } from '../../lib/errors';
import { StaleClusterAlert } from '../ClusterFreshness/StaleClusterAlert';
import { DeleteWorkspaceButton } from '../WorkspaceActions/DeleteWorkspaceButton';
import { WorkspacesTable } from '../WorkspacesTable/WorkspacesTable';

/** Props of {@link EntityWorkspaces}. */
export interface EntityWorkspacesProps {
  entityRef: string;
  /** Shown when the entity has no workspace (e.g. the template buttons). */
  emptyAction?: JSX.Element;
  pollIntervalMs?: number;
}

/** The entity's workspaces, refreshed every few seconds. */
export function EntityWorkspaces(props: EntityWorkspacesProps) {
  const { entityRef, emptyAction, pollIntervalMs } = props;
  const kaitoApi = useApi(kaitoApiRef);
  const { value, error, loading, refresh, updatedAt } = usePolling(
    signal => kaitoApi.listWorkspaces(entityRef, { signal }),
    [kaitoApi, entityRef],
    { intervalMs: pollIntervalMs },
  );

  if (loading) {
    return <Progress />;
  }
  if (!value) {
    return (
      <ResponseErrorPanel
        title="Could not load the AI workspaces"
        error={error ?? new Error('no answer')}
      />
    );
  }
  // An older backend answers without `clusters`.
  const stale = (value.clusters ?? []).some(c => c.stale);
  return (
    <Stack spacing={1}>
      {error && (
        <Alert severity="warning">
          Showing the last known state; refreshing failed: {errorMessage(error)}
        </Alert>
      )}
      {(value.clusters ?? []).map(c => (
        <StaleClusterAlert freshness={c} key={`stale-${c.cluster}`} />
      ))}
      {value.errors.map(e => (
        <Alert severity="warning" key={e.cluster}>
          Cluster {e.cluster} could not be read, so its workspaces are missing:{' '}
          {e.message}
        </Alert>
      ))}
      {value.items.length === 0 ? (
        <EmptyState
          missing="data"
          title="No AI workspaces yet"
          description="This entity has no KAITO workspace. Fine-tune a model on your data or deploy a preset model to get started."
          action={emptyAction}
        />
      ) : (
        <WorkspacesTable
          items={value.items}
          title={
            <>
              AI workspaces
              {updatedAt && (
                <Typography
                  component="span"
                  variant="caption"
                  color="textSecondary"
                  sx={{ ml: 2 }}
                >
                  {stale ? 'stale' : 'live'} · updated{' '}
                  {updatedAt.toLocaleTimeString()}
                </Typography>
              )}
            </>
          }
          rowActions={ws => (
            <DeleteWorkspaceButton
              workspace={ws}
              entityRef={entityRef}
              onDeleted={refresh}
            />
          )}
        />
      )}
    </Stack>
  );
}
