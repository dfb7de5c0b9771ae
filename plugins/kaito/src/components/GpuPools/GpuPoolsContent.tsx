import {
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  ClusterError,
  ClusterInfo,
  GpuPoolView,
  kaitoGpuPoolManagePermission,
} from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { kaitoApiRef } from '../../api';
import {
  ActionPermission,
  useActionPermission,
} from '../../hooks/useKaitoPermission';
import { usePolling } from '../../hooks/usePolling';
import { errorMessage } from '../../lib/errors';
import { formatGiB, formatUsdPerHour } from '../../lib/format';
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
  return pool.provisioningError?.message ? (
    <Tooltip
      title={`${pool.provisioningError.code ?? 'Error'}: ${
        pool.provisioningError.message
      }`}
    >
      <span>{icon}</span>
    </Tooltip>
  ) : (
    icon
  );
}

function PoolUsers({ pool }: { pool: GpuPoolView }) {
  if (pool.usedBy.length > 0) {
    return (
      <>
        {pool.usedBy.map(w => (
          <Typography variant="body2" key={`${w.namespace}/${w.name}`}>
            {w.namespace}/{w.name}
          </Typography>
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

function nodesText(pool: GpuPoolView): string {
  return pool.autoscaling
    ? `${pool.count} (autoscale ${pool.minCount ?? 0}–${pool.maxCount ?? '?'})`
    : String(pool.count);
}

function skuText(pool: GpuPoolView): string {
  const name = pool.sku ?? pool.vmSize ?? '–';
  return pool.gpu
    ? `${name} · ${pool.gpu.count} × ${pool.gpu.model}, ${formatGiB(
        pool.gpu.memoryGiB,
      )}`
    : name;
}

function ManageButton(props: {
  label: string;
  permission: ActionPermission;
  onClick: () => void;
  disabledReason?: string;
  color?: 'error' | 'primary';
}) {
  const reason = props.permission.reason ?? props.disabledReason;
  const button = (
    <Button
      size="small"
      color={props.color ?? 'primary'}
      disabled={Boolean(reason)}
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  );
  return reason ? (
    <Tooltip title={reason}>
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
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

  const { value, error, loading, refresh } = usePolling<PoolsOverview>(
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
    { intervalMs: pollIntervalMs },
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

  const columns: TableColumn<GpuPoolView>[] = [
    { title: 'Cluster', field: 'cluster' },
    { title: 'Pool', field: 'name', highlight: true },
    { title: 'SKU', field: 'sku', render: p => skuText(p) },
    { title: 'Nodes', field: 'count', render: p => nodesText(p) },
    {
      title: 'Spot',
      field: 'spot',
      render: p => (p.spot ? <Chip size="small" label="spot" /> : 'no'),
    },
    {
      title: 'State',
      field: 'provisioningState',
      render: p => <ProvisioningState pool={p} />,
    },
    {
      title: 'Used by',
      sorting: false,
      render: p => <PoolUsers pool={p} />,
    },
    {
      title: 'Cost',
      field: 'usdPerHour',
      type: 'numeric',
      render: p => formatUsdPerHour(p.usdPerHour),
    },
    {
      title: 'Actions',
      sorting: false,
      render: p => (
        <Stack direction="row" spacing={1}>
          <ManageButton
            label="Scale"
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
      <Table<GpuPoolView>
        title="GPU node pools"
        columns={columns}
        data={value.pools}
        options={{ paging: false, search: true, padding: 'dense' }}
        emptyContent={
          <Typography variant="body2" sx={{ p: 2 }}>
            No GPU pools.
          </Typography>
        }
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
