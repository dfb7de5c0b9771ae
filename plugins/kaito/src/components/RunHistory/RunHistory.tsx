import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { RunView } from '@kaito-backstage/plugin-kaito-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { kaitoApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import {
  formatDuration,
  formatGpuHours,
  formatTime,
  formatUsd,
} from '../../lib/format';

/** Totals of a run history. */
export interface RunTotals {
  runs: number;
  gpuHours: number;
  estimatedCostUsd: number;
  /** Runs without a price (not counted in the cost). */
  unpriced: number;
}

/** Sums GPU-hours and cost over runs. */
export function runTotals(runs: RunView[]): RunTotals {
  return runs.reduce<RunTotals>(
    (t, r) => ({
      runs: t.runs + 1,
      gpuHours: t.gpuHours + r.gpuHours,
      estimatedCostUsd: t.estimatedCostUsd + (r.estimatedCostUsd ?? 0),
      unpriced: t.unpriced + (r.estimatedCostUsd === undefined ? 1 : 0),
    }),
    { runs: 0, gpuHours: 0, estimatedCostUsd: 0, unpriced: 0 },
  );
}

const OUTCOME_COLOR: Record<
  string,
  'success' | 'error' | 'info' | 'default' | 'warning'
> = {
  succeeded: 'success',
  ready: 'success',
  failed: 'error',
  running: 'info',
  pending: 'warning',
  deleted: 'default',
};

const columns: TableColumn<RunView>[] = [
  {
    title: 'Workspace',
    field: 'workspace',
    highlight: true,
    render: r => (
      <>
        {r.workspace}
        <Typography variant="caption" display="block" color="textSecondary">
          {r.cluster}/{r.namespace}
        </Typography>
      </>
    ),
  },
  { title: 'Kind', field: 'mode' },
  { title: 'Model', field: 'preset', render: r => r.preset ?? '–' },
  {
    title: 'Method',
    field: 'tuningMethod',
    render: r => r.tuningMethod ?? '–',
  },
  {
    title: 'SKU × nodes',
    field: 'instanceType',
    render: r => `${r.instanceType ?? 'BYO'} × ${r.nodeCount}`,
  },
  {
    title: 'Outcome',
    field: 'outcome',
    render: r => (
      <Chip
        size="small"
        label={r.outcome}
        color={OUTCOME_COLOR[r.outcome] ?? 'default'}
        title={r.message}
      />
    ),
  },
  {
    title: 'Started',
    field: 'createdAt',
    render: r => formatTime(r.createdAt),
  },
  {
    title: 'Duration',
    field: 'durationSeconds',
    type: 'numeric',
    render: r => formatDuration(r.durationSeconds),
  },
  {
    title: 'GPU-hours',
    field: 'gpuHours',
    type: 'numeric',
    render: r => formatGpuHours(r.gpuHours),
  },
  {
    title: 'Est. cost',
    field: 'estimatedCostUsd',
    type: 'numeric',
    render: r => formatUsd(r.estimatedCostUsd),
  },
];

/** Props of {@link RunHistory}. */
export interface RunHistoryProps {
  entityRef: string;
  pollIntervalMs?: number;
}

/** Every run of the entity, with total GPU-hours and estimated cost. */
export function RunHistory({
  entityRef,
  pollIntervalMs = 30_000,
}: RunHistoryProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const { value, error, loading } = usePolling(
    signal => kaitoApi.listRuns(entityRef, { signal }),
    [kaitoApi, entityRef],
    { intervalMs: pollIntervalMs },
  );
  if (loading) {
    return (
      <InfoCard title="Run history">
        <Progress />
      </InfoCard>
    );
  }
  if (!value) {
    return (
      <ResponseErrorPanel
        title="Could not load the run history"
        error={error!}
      />
    );
  }
  const totals = runTotals(value.items);
  const summary = (
    <Stack direction="row" spacing={3} sx={{ px: 2 }} data-testid="run-totals">
      <Typography variant="body2">
        {totals.runs} run{totals.runs === 1 ? '' : 's'}
      </Typography>
      <Typography variant="body2">
        Total: {formatGpuHours(totals.gpuHours)}
      </Typography>
      <Typography variant="body2">
        Est. cost: {formatUsd(totals.estimatedCostUsd)}
        {totals.unpriced
          ? ` (${totals.unpriced} run${
              totals.unpriced === 1 ? '' : 's'
            } without a price)`
          : ''}
      </Typography>
    </Stack>
  );
  return (
    <Stack spacing={1}>
      <Table<RunView>
        title="Run history"
        subtitle="GPU-hours and cost at list price, kept after workspaces are deleted"
        columns={columns}
        data={value.items}
        options={{
          paging: value.items.length > 10,
          pageSize: 10,
          search: false,
          padding: 'dense',
        }}
        emptyContent={
          <Typography variant="body2" sx={{ p: 2 }}>
            No runs yet.
          </Typography>
        }
      />
      {summary}
    </Stack>
  );
}
