import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { WorkspaceRef } from '@kaito-backstage/plugin-kaito-common';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { kaitoApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { errorMessage } from '../../lib/errors';
import { ChatPlayground } from '../ChatPlayground/ChatPlayground';
import { StaleClusterAlert } from '../ClusterFreshness/StaleClusterAlert';
import { DeleteWorkspaceButton } from '../WorkspaceActions/DeleteWorkspaceButton';
import { WorkspaceLogs } from '../WorkspaceLogs/WorkspaceLogs';
import { WorkspaceStateIndicator } from '../WorkspaceState/WorkspaceStateIndicator';
import { WorkspaceOverview } from './WorkspaceOverview';

type View = 'overview' | 'logs' | 'chat';

/** Props of {@link WorkspaceDetailView}. */
export interface WorkspaceDetailViewProps {
  workspaceRef: WorkspaceRef;
  entityRef: string;
  /** Refresh interval; 5 s by default. */
  pollIntervalMs?: number;
}

/** One workspace of the entity: overview, logs and (inference) chat. */
export function WorkspaceDetailView(props: WorkspaceDetailViewProps) {
  const { workspaceRef, entityRef, pollIntervalMs } = props;
  const kaitoApi = useApi(kaitoApiRef);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { cluster, namespace, name } = workspaceRef;
  const { value, error, loading } = usePolling(
    signal => kaitoApi.getWorkspace({ cluster, namespace, name }, { signal }),
    [kaitoApi, cluster, namespace, name],
    { intervalMs: pollIntervalMs },
  );

  const requested = params.get('view') as View | null;
  const view: View =
    requested === 'logs' ||
    (requested === 'chat' && value?.type === 'inference')
      ? requested
      : 'overview';
  const setView = (next: View) => {
    const copy = new URLSearchParams(params);
    if (next === 'overview') copy.delete('view');
    else copy.set('view', next);
    setParams(copy, { replace: true });
  };

  const back = (
    <Link to="?">
      <Stack direction="row" alignItems="center" spacing={0.5} component="span">
        <ArrowBackIcon fontSize="small" />
        <span>All workspaces</span>
      </Stack>
    </Link>
  );

  if (loading) {
    return <Progress />;
  }
  if (!value) {
    return (
      <Stack spacing={2}>
        {back}
        <ResponseErrorPanel error={error ?? new Error('Workspace not found')} />
      </Stack>
    );
  }

  return (
    <Stack spacing={2}>
      {back}
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap">
        <Typography variant="h5" component="h2">
          {value.name}
        </Typography>
        <Chip size="small" variant="outlined" label={value.type} />
        <WorkspaceStateIndicator status={value.status} />
        <Box sx={{ flexGrow: 1 }} />
        <DeleteWorkspaceButton
          workspace={value}
          entityRef={entityRef}
          variant="button"
          onDeleted={() => navigate('?')}
        />
      </Stack>
      {error && (
        <Alert severity="warning">
          Showing the last known state; refreshing failed: {errorMessage(error)}
        </Alert>
      )}
      {value.freshness && <StaleClusterAlert freshness={value.freshness} />}
      <Tabs
        value={view}
        onChange={(_e, v) => setView(v)}
        aria-label="Workspace views"
      >
        <Tab value="overview" label="Overview" />
        <Tab value="logs" label="Logs" />
        {value.type === 'inference' && <Tab value="chat" label="Chat" />}
      </Tabs>
      {view === 'overview' && (
        <WorkspaceOverview workspace={value} entityRef={entityRef} />
      )}
      {view === 'logs' && <WorkspaceLogs workspace={value} />}
      {view === 'chat' && (
        <ChatPlayground workspace={value} entityRef={entityRef} />
      )}
    </Stack>
  );
}
