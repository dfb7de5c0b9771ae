import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  RunView,
  kaitoEntitySignalChannel,
} from '@kaito-backstage/plugin-kaito-common';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { kaitoApiRef } from '../../api';
import { useLiveData } from '../../hooks/useLiveData';
import { useNow } from '../../hooks/useNow';
import {
  formatDuration,
  formatGpuHours,
  formatClockTime,
  formatShortDate,
  formatTime,
  formatUsd,
} from '../../lib/format';
import { runNow } from '../../lib/liveUsage';
import { DataColumn, DataTable } from '../DataTable/DataTable';
import { figureColumn } from '../DataTable/figureColumn';
import { textColumn } from '../DataTable/textColumn';
import { TwoLineCell } from '../DataTable/TwoLineCell';

/** Totals of a run history. */
export interface RunTotals {
  runs: number;
  gpuHours: number;
  estimatedCostUsd: number;
  /** Runs without a price (not counted in the cost). */
  unpriced: number;
}

type RunFigures = Pick<RunView, 'gpuHours' | 'estimatedCostUsd'>;

/** Sums GPU-hours and cost over runs. */
export function runTotals(runs: RunFigures[]): RunTotals {
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

/** What a run's outcome means, for the chip's label. */
function outcomeLabel(run: RunView): string {
  // A tuning run deleted before it finished was cancelled.
  if (run.outcome === 'deleted' && run.mode === 'tuning') return 'cancelled';
  return run.outcome;
}

function Outcome({ run }: { run: RunView }) {
  const chip = (
    <Chip
      size="small"
      label={outcomeLabel(run)}
      color={OUTCOME_COLOR[run.outcome] ?? 'default'}
      variant={run.active ? 'filled' : 'outlined'}
    />
  );
  if (!run.message) return chip;
  // Why it failed (or is stuck), cut to the cell; in full on hover.
  return (
    <TwoLineCell
      maxWidth={{ xs: 130, xl: 260 }}
      primary={chip}
      primaryText={outcomeLabel(run)}
      secondary={run.message}
    />
  );
}

/** Props of {@link RunHistory}. */
export interface RunHistoryProps {
  entityRef: string;
  /** Polling interval where the app has no signals. */
  pollIntervalMs?: number;
}

/** Every run of the entity, with total GPU-hours and estimated cost. */
export function RunHistory({
  entityRef,
  pollIntervalMs = 30_000,
}: RunHistoryProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const now = useNow();
  const { value, error, loading, updatedAt } = useLiveData(
    signal => kaitoApi.listRuns(entityRef, { signal }),
    [kaitoApi, entityRef],
    {
      channel: kaitoEntitySignalChannel(entityRef),
      topics: ['runs'],
      pollIntervalMs,
    },
  );
  if (loading) {
    return (
      <Card>
        <CardContent>
          <Progress />
        </CardContent>
      </Card>
    );
  }
  if (!value) {
    return (
      <ResponseErrorPanel
        title="Could not load the run history"
        error={error ?? new Error('no answer')}
      />
    );
  }
  const readAt = updatedAt?.getTime() ?? now;
  const live = (r: RunView) => runNow(r, readAt, Math.max(now, readAt));

  const columns: DataColumn<RunView>[] = [
    textColumn({
      id: 'workspace',
      title: 'Workspace',
      text: r => r.workspace,
      caption: r => `${r.cluster}/${r.namespace}`,
      strong: true,
      // Where room is short, keep the suffix that tells runs apart.
      middleCutAt: 22,
    }),
    textColumn({
      id: 'model',
      title: 'Model',
      text: r => r.preset ?? '–',
      caption: r => [r.mode, r.tuningMethod].filter(Boolean).join(' · '),
    }),
    textColumn({
      id: 'sku',
      title: 'SKU × nodes',
      text: r => r.instanceType ?? 'BYO nodes',
      caption: r => `× ${r.nodeCount} node${r.nodeCount === 1 ? '' : 's'}`,
      maxWidth: 240,
    }),
    {
      id: 'outcome',
      title: 'Outcome',
      sortValue: r => r.outcome,
      render: r => <Outcome run={r} />,
    },
    {
      id: 'started',
      title: 'Started',
      sortValue: r => r.createdAt,
      render: r => (
        <Tooltip title={formatTime(r.createdAt)}>
          <span>
            <Typography variant="body2" noWrap component="div">
              {formatShortDate(r.createdAt)}
            </Typography>
            <Typography
              variant="caption"
              color="textSecondary"
              noWrap
              component="div"
            >
              {formatClockTime(r.createdAt)}
            </Typography>
          </span>
        </Tooltip>
      ),
    },
    figureColumn({
      id: 'duration',
      title: 'Duration',
      figure: r => formatDuration(live(r).durationSeconds),
      sortValue: r => r.durationSeconds,
    }),
    figureColumn({
      id: 'cost',
      title: 'Est. cost',
      figure: r => formatUsd(live(r).estimatedCostUsd),
      caption: r => formatGpuHours(live(r).gpuHours),
      sortValue: r => r.estimatedCostUsd,
    }),
  ];

  const totals = runTotals(value.items.map(live));
  const summary = (
    <Stack
      direction="row"
      spacing={3}
      sx={{ px: 2, py: 1.5 }}
      data-testid="run-totals"
    >
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
    <DataTable<RunView>
      title="Run history"
      subtitle="GPU-hours and cost at list price, kept after workspaces are deleted"
      columns={columns}
      rows={value.items}
      rowKey={r => String(r.id)}
      pageSize={10}
      emptyContent={<Typography variant="body2">No runs yet.</Typography>}
      footer={summary}
    />
  );
}
