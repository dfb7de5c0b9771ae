import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  DataSource,
  WorkspaceDetail,
} from '@kaito-backstage/plugin-kaito-common';
import { ReactNode } from 'react';
import { useNow } from '../../hooks/useNow';
import { EllipsisText } from '../DataTable/EllipsisText';
import { summaryNow } from '../../lib/liveUsage';
import {
  formatDuration,
  formatGpuHours,
  formatTime,
  formatUsd,
  formatUsdPerHour,
} from '../../lib/format';

function dataSourceText(source: DataSource | undefined): string | undefined {
  if (!source) return undefined;
  if (source.urls?.length) return source.urls.join(', ');
  if (source.image) return source.image;
  if (source.volumeSource?.persistentVolumeClaim) {
    return `PVC ${source.volumeSource.persistentVolumeClaim.claimName}`;
  }
  return source.volumeSource ? 'volume' : undefined;
}

/** A value on one line, cut to the card with the full value on hover. */
function OneLine({ text, caption }: { text: string; caption?: boolean }) {
  return (
    <EllipsisText
      full={text}
      maxWidth={{ xs: 180, lg: 190, xl: 440 }}
      variant={caption ? 'caption' : 'body2'}
      color={caption ? 'textSecondary' : undefined}
    >
      {text}
    </EllipsisText>
  );
}

/** Props of {@link WorkspaceSummaryCard}. */
export interface WorkspaceSummaryCardProps {
  workspace: WorkspaceDetail;
  action?: ReactNode;
  /** When `workspace` was read (its age and running cost move on from there). */
  readAt?: number;
}

/** The facts of a workspace: model, SKU, nodes, usage and cost. */
export function WorkspaceSummaryCard({
  workspace: ws,
  action,
  readAt,
}: WorkspaceSummaryCardProps) {
  const now = useNow();
  const live = summaryNow(ws, readAt ?? now, Math.max(now, readAt ?? now));
  const target = ws.nodes.target ?? ws.nodes.workers.length;
  const metadata: Record<string, ReactNode> = {
    kind: ws.type,
    model: ws.preset ?? '–',
    ...(ws.type === 'tuning' ? { method: ws.method ?? '–' } : {}),
    sku: <OneLine text={ws.instanceType ?? 'BYO nodes'} />,
    nodes: (
      <>
        {ws.nodes.ready} ready of {target}
        {ws.nodes.workers.map(n => (
          <OneLine key={n} text={n} caption />
        ))}
      </>
    ),
    location: `${ws.cluster} / ${ws.namespace}`,
    createdBy: ws.createdBy ?? '–',
    created: `${formatTime(ws.createdAt)} (${formatDuration(
      live.ageSeconds,
    )} ago)`,
    ...(ws.finishedAt ? { finished: formatTime(ws.finishedAt) } : {}),
    gpuHours: formatGpuHours(live.gpuHours),
    costSoFar: `${formatUsd(live.estimatedCostUsd)}${
      ws.usage?.usdPerHour !== undefined && !ws.finishedAt
        ? ` (${formatUsdPerHour(ws.usage.usdPerHour)})`
        : ''
    }`,
  };
  if (ws.tuning) {
    const input = dataSourceText(ws.tuning.input);
    if (input) metadata.dataset = <OneLine text={input} />;
    metadata.outputImage = (
      <OneLine
        text={
          ws.tuning.outputImage ??
          dataSourceText(ws.tuning.output as DataSource) ??
          '–'
        }
      />
    );
  }
  return (
    <InfoCard
      title="Workspace"
      subheader={
        ws.usage?.priceSource
          ? `Cost at list price (${ws.usage.priceSource})`
          : undefined
      }
      action={action}
    >
      <StructuredMetadataTable metadata={metadata} dense />
    </InfoCard>
  );
}
