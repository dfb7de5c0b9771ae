import { Link, Table, TableColumn } from '@backstage/core-components';
import {
  WorkspaceSummary,
  workspaceTabQuery,
} from '@kaito-backstage/plugin-kaito-common';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { ReactElement, ReactNode } from 'react';
import { formatDuration, formatGpuHours, formatUsd } from '../../lib/format';
import { WorkspaceStateIndicator } from '../WorkspaceState/WorkspaceStateIndicator';

/** Props of {@link WorkspacesTable}. */
export interface WorkspacesTableProps {
  items: WorkspaceSummary[];
  title?: string | ReactElement;
  /** Extra controls of a row (e.g. delete). */
  rowActions?: (workspace: WorkspaceSummary) => ReactNode;
  emptyContent?: ReactNode;
}

/** Link into the detail view (kept in the tab's URL). */
export function workspaceDetailHref(ws: WorkspaceSummary): string {
  return workspaceTabQuery(ws);
}

function skuAndNodes(ws: WorkspaceSummary): string {
  const sku = ws.instanceType ?? 'BYO nodes';
  const target = ws.nodes.target ?? Math.max(ws.nodes.workers.length, 1);
  return `${sku} × ${ws.nodes.ready}/${target}`;
}

/** The entity's workspaces, one row each. */
export function WorkspacesTable(props: WorkspacesTableProps) {
  const { items, title = 'AI workspaces', rowActions, emptyContent } = props;
  const columns: TableColumn<WorkspaceSummary>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: ws => (
        <>
          <Link to={workspaceDetailHref(ws)}>{ws.name}</Link>
          <Typography variant="caption" display="block" color="textSecondary">
            {ws.cluster}/{ws.namespace}
          </Typography>
        </>
      ),
    },
    {
      title: 'Kind',
      field: 'type',
      render: ws => (
        <Chip
          size="small"
          label={ws.type}
          color={ws.type === 'tuning' ? 'secondary' : 'primary'}
          variant="outlined"
        />
      ),
    },
    { title: 'Model', field: 'preset', render: ws => ws.preset ?? '–' },
    { title: 'Method', field: 'method', render: ws => ws.method ?? '–' },
    {
      title: 'SKU × nodes',
      field: 'instanceType',
      render: ws => skuAndNodes(ws),
    },
    {
      title: 'State',
      field: 'state',
      render: ws => <WorkspaceStateIndicator status={ws.status} />,
    },
    {
      title: 'Age',
      field: 'ageSeconds',
      type: 'numeric',
      render: ws => formatDuration(ws.ageSeconds),
    },
    {
      title: 'GPU-hours',
      field: 'usage.gpuHours',
      type: 'numeric',
      render: ws => formatGpuHours(ws.usage?.gpuHours),
    },
    {
      title: 'Cost so far',
      field: 'usage.estimatedCostUsd',
      type: 'numeric',
      render: ws => formatUsd(ws.usage?.estimatedCostUsd),
    },
  ];
  if (rowActions) {
    columns.push({
      title: 'Actions',
      sorting: false,
      render: ws => rowActions(ws),
    });
  }
  return (
    <Table<WorkspaceSummary>
      title={title}
      columns={columns}
      data={items}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={emptyContent}
    />
  );
}
