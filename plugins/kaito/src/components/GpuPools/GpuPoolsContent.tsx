import {
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  ClusterError,
  ClusterInfo,
  GpuPoolView,
  KAITO_GPU_POOLS_SIGNAL_CHANNEL,
  kaitoGpuPoolManagePermission,
} from '@kaito-backstage/plugin-kaito-common';
import DeleteIcon from '@mui/icons-material/Delete';
import TuneIcon from '@mui/icons-material/Tune';
import Alert from '@mui/material/Alert';
import IconButton from '@mui/material/IconButton';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { ReactNode, useState } from 'react';
import { kaitoApiRef } from '../../api';
import {
  ActionPermission,
  useActionPermission,
} from '../../hooks/useKaitoPermission';
import { useLiveData } from '../../hooks/useLiveData';
import { errorMessage } from '../../lib/errors';
import { formatGiB, formatUsdPerHour } from '../../lib/format';
import { DataColumn, DataTable } from '../DataTable/DataTable';
import { EllipsisText } from '../DataTable/EllipsisText';
import { textColumn } from '../DataTable/textColumn';
import { LiveCaption } from '../LiveCaption/LiveCaption';
import { DeletePoolDialog } from './DeletePoolDialog';
import { ScalePoolDialog } from './ScalePoolDialog';

/** GPU pools of every cluster whose pools the backend can manage. */
export interface PoolsOverview {
  pools: GpuPoolView[];
  /** Clusters whose pools could not be listed. */
  errors: ClusterError[];
  /** Clusters without Azure coordinates (no pool management). */
  withoutAzure: ClusterInfo[];
}

function ProvisioningState({ pool }: { pool: GpuPoolView }) {
  const state = pool.provisioningState ?? 'Unknown';
  const label =
    pool.powerState && pool.powerState !== 'Running'
      ? `${state} (${pool.powerState})`
      : state;
  let icon = <StatusPending>{label}</StatusPending>;
  if (state === 'Succeeded') {
    icon = <StatusOK>{label}</StatusOK>;
  } else if (state === 'Failed') {
    icon = <StatusError>{label}</StatusError>;
  }
  const text = <span style={{ whiteSpace: 'nowrap' }}>{icon}</span>;
  return pool.provisioningError?.message ? (
    <Tooltip
      title={`${pool.provisioningError.code ?? 'Error'}: ${
        pool.provisioningError.message
      }`}
    >
      {text}
    </Tooltip>
  ) : (
    text
  );
}

function PoolUsers({ pool }: { pool: GpuPoolView }) {
  if (pool.usedBy.length > 0) {
    return (
      <>
        {pool.usedBy.map(w => (
          <EllipsisText
            key={`${w.namespace}/${w.name}`}
            full={`${w.namespace}/${w.name}`}
            maxWidth={240}
          >
            {w.namespace}/{w.name}
          </EllipsisText>
        ))}
      </>
    );
  }
  if (pool.idle) {
    return (
      <Chip
        size="small"
        color="warning"
        label={`Idle · ${formatUsdPerHour(pool.usdPerHour)}`}
        data-testid={`idle-${pool.cluster}-${pool.name}`}
      />
    );
  }
  return <>–</>;
}

function deleteBlockedReason(pool: GpuPoolView): string | undefined {
  if (pool.mode === 'System') {
    return 'System pools cannot be deleted here.';
  }
  if (pool.provisioningState === 'Deleting') {
    return 'The pool is being deleted.';
  }
  return undefined;
}

/** "autoscale 0–3 · spot", under the node count. */
function nodesCaption(pool: GpuPoolView): string | undefined {
  const parts = [
    pool.autoscaling
      ? `autoscale ${pool.minCount ?? 0}–${pool.maxCount ?? '?'}`
      : undefined,
    pool.spot ? 'spot' : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/** "1 × A100, 80 GiB", under the SKU. */
function gpuText(pool: GpuPoolView): string | undefined {
  return pool.gpu
    ? `${pool.gpu.count} × ${pool.gpu.model}, ${formatGiB(pool.gpu.memoryGiB)}`
    : undefined;
}

/** An icon button of a pool's row, named by `label`; why it is off on hover. */
function ManageButton(props: {
  label: string;
  icon: ReactNode;
  permission: ActionPermission;
  onClick: () => void;
  disabledReason?: string;
  color?: 'error' | 'primary';
}) {
  const reason = props.permission.reason ?? props.disabledReason;
  return (
    <Tooltip title={reason ?? props.label}>
      <span>
        <IconButton
          size="small"
          aria-label={props.label}
          color={props.color ?? 'primary'}
          disabled={Boolean(reason)}
          onClick={props.onClick}
        >
          {props.icon}
        </IconButton>
      </span>
    </Tooltip>
  );
}

/** Props of {@link GpuPoolsContent}. */
export interface GpuPoolsContentProps {
  pollIntervalMs?: number;
}

/**
 * GPU node pools across clusters: SKU, nodes and bounds, spot,
 * provisioning state, the workspaces using each, idle pools with what they
 * cost; scale and delete for those allowed `kaito.gpupool.manage`.
 */
export function GpuPoolsContent({
  pollIntervalMs = 15_000,
}: GpuPoolsContentProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const alertApi = useApi(alertApiRef);
  const manage = useActionPermission(
    kaitoGpuPoolManagePermission,
    'scale or delete GPU pools',
  );
  const [scaling, setScaling] = useState<GpuPoolView>();
  const [deleting, setDeleting] = useState<GpuPoolView>();

  const { value, error, loading, refresh, updatedAt, pushed } =
    useLiveData<PoolsOverview>(
      async signal => {
        const { items: clusters } = await kaitoApi.listClusters({ signal });
        const withAzure = clusters.filter(c => c.azure);
        const results = await Promise.all(
          withAzure.map(async c => {
            try {
              return {
                pools: (await kaitoApi.listGpuPools(c.name, { signal })).items,
              };
            } catch (e) {
              return { error: { cluster: c.name, message: errorMessage(e) } };
            }
          }),
        );
        return {
          pools: results.flatMap(r => r.pools ?? []),
          errors: results.flatMap(r => (r.error ? [r.error] : [])),
          withoutAzure: clusters.filter(c => !c.azure),
        };
      },
      [kaitoApi],
      {
        channel: KAITO_GPU_POOLS_SIGNAL_CHANNEL,
        topics: ['gpu-pools'],
        pollIntervalMs,
      },
    );

  if (loading) {
    return <Progress />;
  }
  if (!value) {
    return (
      <ResponseErrorPanel
        title="Could not load the GPU pools"
        error={error ?? new Error('no answer')}
      />
    );
  }

  const idle = value.pools.filter(p => p.idle);
  const idleCost = idle.reduce((sum, p) => sum + (p.usdPerHour ?? 0), 0);

  const columns: DataColumn<GpuPoolView>[] = [
    textColumn({
      id: 'pool',
      title: 'Pool',
      text: p => p.name,
      caption: p => p.cluster,
      strong: true,
    }),
    textColumn({
      id: 'sku',
      title: 'SKU',
      text: p => p.sku ?? p.vmSize ?? '–',
      caption: gpuText,
      maxWidth: 240,
    }),
    {
      id: 'nodes',
      title: 'Nodes',
      numeric: true,
      sortValue: p => p.count,
      render: p => (
        <>
          {p.count}
          {nodesCaption(p) && (
            <Typography
              variant="caption"
              color="textSecondary"
              component="div"
              noWrap
            >
              {nodesCaption(p)}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'state',
      title: 'State',
      sortValue: p => p.provisioningState,
      render: p => <ProvisioningState pool={p} />,
    },
    {
      id: 'usedBy',
      title: 'Used by',
      render: p => <PoolUsers pool={p} />,
    },
    {
      id: 'cost',
      title: 'Cost',
      numeric: true,
      sortValue: p => p.usdPerHour,
      render: p => formatUsdPerHour(p.usdPerHour),
    },
    {
      id: 'actions',
      title: 'Actions',
      render: p => (
        <Stack direction="row" spacing={0.5}>
          <ManageButton
            label="Scale"
            icon={<TuneIcon fontSize="small" />}
            permission={manage}
            onClick={() => setScaling(p)}
            disabledReason={
              p.provisioningState === 'Deleting'
                ? 'The pool is being deleted.'
                : undefined
            }
          />
          <ManageButton
            label="Delete"
            icon={<DeleteIcon fontSize="small" />}
            color="error"
            permission={manage}
            onClick={() => setDeleting(p)}
            disabledReason={deleteBlockedReason(p)}
          />
        </Stack>
      ),
    },
  ];

  return (
    <Stack spacing={2}>
      {idle.length > 0 && (
        <Alert severity="warning" data-testid="idle-summary">
          {idle.length} idle GPU pool{idle.length === 1 ? '' : 's'} (no
          workspace uses {idle.length === 1 ? 'it' : 'them'}) cost{' '}
          {formatUsdPerHour(idleCost)} at list price. Scale them to 0 or delete
          them if nobody needs them.
        </Alert>
      )}
      {error && (
        <Alert severity="warning">
          Showing the last known state; refreshing failed: {errorMessage(error)}
        </Alert>
      )}
      {value.errors.map(e => (
        <Alert severity="error" key={e.cluster}>
          GPU pools of cluster {e.cluster} could not be listed: {e.message}
        </Alert>
      ))}
      {value.withoutAzure.length > 0 && (
        <Alert severity="info">
          No Azure coordinates are configured for{' '}
          {value.withoutAzure.map(c => c.name).join(', ')}
          (kaito.clusters.&lt;name&gt;.azure), so their pools are not shown.
        </Alert>
      )}
      {!manage.allowed && !manage.loading && (
        <Typography variant="body2" color="textSecondary">
          {manage.reason}
        </Typography>
      )}
      <DataTable<GpuPoolView>
        title="GPU node pools"
        titleExtra={<LiveCaption updatedAt={updatedAt} pushed={pushed} />}
        columns={columns}
        rows={value.pools}
        rowKey={p => `${p.cluster}/${p.name}`}
        initialSort={{ column: 'pool', direction: 'asc' }}
        filter={(p, text) =>
          [
            p.cluster,
            p.name,
            p.sku,
            p.vmSize,
            p.provisioningState,
            ...p.usedBy.map(w => `${w.namespace}/${w.name}`),
          ].some(v => v?.toLocaleLowerCase().includes(text))
        }
        emptyContent={<Typography variant="body2">No GPU pools.</Typography>}
      />
      {scaling && (
        <ScalePoolDialog
          key={`${scaling.cluster}/${scaling.name}`}
          pool={scaling}
          open
          onClose={() => setScaling(undefined)}
          onScaled={updated => {
            setScaling(undefined);
            alertApi.post({
              message: `Scaling GPU pool ${updated.name} (${
                updated.provisioningState ?? 'accepted'
              })`,
              severity: 'success',
              display: 'transient',
            });
            refresh();
          }}
        />
      )}
      {deleting && (
        <DeletePoolDialog
          key={`${deleting.cluster}/${deleting.name}`}
          pool={deleting}
          open
          onClose={() => setDeleting(undefined)}
          onDeleted={() => {
            alertApi.post({
              message: `Deleting GPU pool ${deleting.name}`,
              severity: 'success',
              display: 'transient',
            });
            setDeleting(undefined);
            refresh();
          }}
        />
      )}
    </Stack>
  );
}
