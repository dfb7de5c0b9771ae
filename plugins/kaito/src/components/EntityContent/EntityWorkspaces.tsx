import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { kaitoEntitySignalChannel } from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import { kaitoApiRef } from '../../api';
import { useLiveData } from '../../hooks/useLiveData';
import { errorMessage } from '../../lib/errors';
import { StaleClusterAlert } from '../ClusterFreshness/StaleClusterAlert';
import { DeleteWorkspaceButton } from '../WorkspaceActions/DeleteWorkspaceButton';
import { WorkspacesTable } from '../WorkspacesTable/WorkspacesTable';
import { LiveCaption } from '../LiveCaption/LiveCaption';

/** Props of {@link EntityWorkspaces}. */
export interface EntityWorkspacesProps {
  entityRef: string;
  /** Shown when the entity has no workspace (e.g. the template buttons). */
  emptyAction?: JSX.Element;
  /** Polling interval where the app has no signals. */
  pollIntervalMs?: number;
}

/** The entity's workspaces, updated as they change. */
export function EntityWorkspaces(props: EntityWorkspacesProps) {
  const { entityRef, emptyAction, pollIntervalMs } = props;
  const kaitoApi = useApi(kaitoApiRef);
  const { value, error, loading, refresh, updatedAt, pushed } = useLiveData(
    signal => kaitoApi.listWorkspaces(entityRef, { signal }),
    [kaitoApi, entityRef],
    {
      channel: kaitoEntitySignalChannel(entityRef),
      topics: ['workspaces'],
      pollIntervalMs,
    },
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
          readAt={updatedAt?.getTime()}
          titleExtra={
            <LiveCaption updatedAt={updatedAt} pushed={pushed} stale={stale} />
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
