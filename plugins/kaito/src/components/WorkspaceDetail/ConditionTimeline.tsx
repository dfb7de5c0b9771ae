import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import {
  NODE_PROGRESS_REASONS,
  TimelineEntry,
  WorkspaceConditionReasons,
} from '@kaito-backstage/plugin-kaito-common';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { formatTime } from '../../lib/format';

const IN_PROGRESS_REASONS: readonly string[] = [
  ...NODE_PROGRESS_REASONS,
  WorkspaceConditionReasons.WorkspacePending,
  WorkspaceConditionReasons.InferenceStatusPending,
  WorkspaceConditionReasons.TuningJobPending,
  WorkspaceConditionReasons.ModelMirrorPending,
];

function ConditionIcon({ entry }: { entry: TimelineEntry }) {
  if (entry.status === 'True') {
    return <StatusOK />;
  }
  if (
    entry.status === 'Unknown' ||
    !entry.reason ||
    IN_PROGRESS_REASONS.includes(entry.reason)
  ) {
    return <StatusPending />;
  }
  return <StatusError />;
}

/** Props of {@link ConditionTimeline}. */
export interface ConditionTimelineProps {
  entries: TimelineEntry[];
}

/**
 * A workspace's conditions in the order they last changed, each with its
 * reason and message.
 */
export function ConditionTimeline({ entries }: ConditionTimelineProps) {
  if (entries.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        KAITO has not reported any condition yet.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Condition timeline">
      {entries.map(entry => (
        <ListItem
          key={`${entry.type}-${entry.lastTransitionTime ?? ''}`}
          alignItems="flex-start"
          divider
          data-testid={`condition-${entry.type}`}
        >
          <ListItemText
            primary={
              <>
                <ConditionIcon entry={entry} />
                <Typography component="span" fontWeight="bold">
                  {entry.type}
                </Typography>{' '}
                <Typography component="span" color="textSecondary">
                  {entry.status}
                  {entry.reason ? ` · ${entry.reason}` : ''}
                </Typography>
              </>
            }
            secondary={
              <>
                {entry.message && (
                  <Typography component="span" display="block" variant="body2">
                    {entry.message}
                  </Typography>
                )}
                <Typography component="span" display="block" variant="caption">
                  {formatTime(entry.lastTransitionTime)}
                </Typography>
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
