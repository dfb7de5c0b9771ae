import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { WorkspaceStatusSummary } from '@kaito-backstage/plugin-kaito-common';
import Tooltip from '@mui/material/Tooltip';

/** Props of {@link WorkspaceStateIndicator}. */
export interface WorkspaceStateIndicatorProps {
  status: WorkspaceStatusSummary;
}

function StatusIcon({
  status,
  label,
}: {
  status: WorkspaceStatusSummary;
  label: string;
}) {
  switch (status.phase) {
    case 'Ready':
    case 'Succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'Failed':
    case 'NotReady':
      return <StatusError>{label}</StatusError>;
    case 'Running':
      return <StatusRunning>{label}</StatusRunning>;
    case 'Deleting':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return status.problem ? (
        <StatusWarning>{label}</StatusWarning>
      ) : (
        <StatusPending>{label}</StatusPending>
      );
  }
}

/**
 * A workspace's phase as a coloured status, with the deciding condition's
 * reason and message in a tooltip.
 */
export function WorkspaceStateIndicator({
  status,
}: WorkspaceStateIndicatorProps) {
  const label =
    status.problem && status.phase === 'Provisioning'
      ? 'Provisioning (blocked)'
      : status.phase;
  const hint = [status.reason, status.message].filter(Boolean).join(': ');
  const icon = <StatusIcon status={status} label={label} />;
  return hint ? (
    <Tooltip title={hint}>
      <span data-testid="workspace-state">{icon}</span>
    </Tooltip>
  ) : (
    <span data-testid="workspace-state">{icon}</span>
  );
}
