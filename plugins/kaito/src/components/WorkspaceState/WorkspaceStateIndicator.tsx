import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { WorkspaceStatusSummary } from '@kaito-backstage/plugin-kaito-common';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';

/** Props of {@link WorkspaceStateIndicator}. */
export interface WorkspaceStateIndicatorProps {
  status: WorkspaceStatusSummary;
  /**
   * For table cells: the phase alone on one line, and "blocked" with the
   * reason on a second line, instead of "Provisioning (blocked)".
   */
  dense?: boolean;
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
  dense,
}: WorkspaceStateIndicatorProps) {
  const blocked = status.problem && status.phase === 'Provisioning';
  const label = blocked && !dense ? 'Provisioning (blocked)' : status.phase;
  const hint = [status.reason, status.message].filter(Boolean).join(': ');
  const indicator = (
    <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
      <span data-testid="workspace-state">
        <StatusIcon status={status} label={label} />
      </span>
      {blocked && dense && (
        <Typography
          variant="caption"
          color="textSecondary"
          noWrap
          component="div"
          sx={{ maxWidth: 160 }}
        >
          blocked{status.reason ? `: ${status.reason}` : ''}
        </Typography>
      )}
    </Box>
  );
  return hint ? <Tooltip title={hint}>{indicator}</Tooltip> : indicator;
}
