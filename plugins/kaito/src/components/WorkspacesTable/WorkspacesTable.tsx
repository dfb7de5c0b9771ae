import {
  WorkspaceSummary,
  workspaceTabQuery,
} from '@kaito-backstage/plugin-kaito-common';
import { ReactNode } from 'react';
import { useNow } from '../../hooks/useNow';
import { formatDuration, formatGpuHours, formatUsd } from '../../lib/format';
import { summaryNow } from '../../lib/liveUsage';
import { DataColumn, DataTable } from '../DataTable/DataTable';
import { figureColumn } from '../DataTable/figureColumn';
import { textColumn } from '../DataTable/textColumn';
import { WorkspaceStateIndicator } from '../WorkspaceState/WorkspaceStateIndicator';

/** Props of {@link WorkspacesTable}. */
export interface WorkspacesTableProps {
  items: WorkspaceSummary[];
  /** When `items` were read (ages and running costs move on from there). */
  readAt?: number;
  title?: string;
  /** Beside the title (e.g. how the table stays live). */
  titleExtra?: ReactNode;
  /** Extra controls of a row (e.g. delete). */
  rowActions?: (workspace: WorkspaceSummary) => ReactNode;
  emptyContent?: ReactNode;
}

/** Link into the detail view (kept in the tab's URL). */
export function workspaceDetailHref(ws: WorkspaceSummary): string {
  return workspaceTabQuery(ws);
}

function nodesText(ws: WorkspaceSummary): string {
  if (ws.nodes.target === undefined && ws.nodes.workers.length === 0) {
    return 'no nodes yet';
  }
  const target = ws.nodes.target ?? ws.nodes.workers.length;
  return `× ${target} node${target === 1 ? '' : 's'}, ${ws.nodes.ready} ready`;
}

/** The entity's workspaces, one row each. */
export function WorkspacesTable(props: WorkspacesTableProps) {
  const { items, title = 'AI workspaces', rowActions, emptyContent } = props;
  const now = useNow();
  const readAt = props.readAt ?? now;
  const live = (ws: WorkspaceSummary) =>
    summaryNow(ws, readAt, Math.max(now, readAt));
  const columns: DataColumn<WorkspaceSummary>[] = [
    textColumn({
      id: 'name',
      title: 'Name',
      text: ws => ws.name,
      caption: ws => `${ws.cluster}/${ws.namespace}`,
      href: workspaceDetailHref,
      strong: true,
    }),
    textColumn({
      id: 'model',
      title: 'Model',
      text: ws => ws.preset ?? '–',
      caption: ws => [ws.type, ws.method].filter(Boolean).join(' · '),
    }),
    textColumn({
      id: 'sku',
      title: 'SKU × nodes',
      text: ws => ws.instanceType ?? 'BYO nodes',
      caption: nodesText,
      maxWidth: 240,
    }),
    {
      id: 'state',
      title: 'State',
      sortValue: ws => ws.state,
      render: ws => <WorkspaceStateIndicator status={ws.status} dense />,
    },
    figureColumn({
      id: 'age',
      title: 'Age',
      figure: ws => formatDuration(live(ws).ageSeconds),
      sortValue: ws => ws.ageSeconds,
    }),
    figureColumn({
      id: 'cost',
      title: 'Cost so far',
      figure: ws => formatUsd(live(ws).estimatedCostUsd),
      caption: ws => formatGpuHours(live(ws).gpuHours),
      sortValue: ws => ws.usage?.estimatedCostUsd,
    }),
  ];
  if (rowActions) {
    columns.push({
      id: 'actions',
      title: 'Actions',
      width: 48,
      render: ws => rowActions(ws),
    });
  }
  return (
    <DataTable<WorkspaceSummary>
      title={title}
      titleExtra={props.titleExtra}
      columns={columns}
      rows={items}
      rowKey={ws => `${ws.cluster}/${ws.namespace}/${ws.name}`}
      emptyContent={emptyContent}
    />
  );
}
