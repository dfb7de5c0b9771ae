import { InfoCard } from '@backstage/core-components';
import { WorkspaceDetail } from '@kaito-backstage/plugin-kaito-common';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { LossChart } from './LossChart';

function epochText(epoch?: number, total?: number): string | undefined {
  if (epoch === undefined) return undefined;
  const e = Number.isInteger(epoch) ? epoch : epoch.toFixed(2);
  return total ? `epoch ${e} / ${total}` : `epoch ${e}`;
}

/** Props of {@link TuningProgressCard}. */
export interface TuningProgressCardProps {
  workspace: WorkspaceDetail;
}

/** Progress (steps, epoch) and the loss curve of a tuning run. */
export function TuningProgressCard({ workspace }: TuningProgressCardProps) {
  const progress = workspace.tuning?.progress;
  const succeeded = workspace.state === 'Succeeded';
  const fraction = succeeded ? 1 : progress?.fraction;
  const percent =
    fraction !== undefined ? Math.round(fraction * 100) : undefined;
  const parts = [
    progress?.step !== undefined && progress.totalSteps
      ? `step ${progress.step} / ${progress.totalSteps}`
      : undefined,
    epochText(progress?.epoch, progress?.totalEpochs),
    progress?.trainLoss !== undefined
      ? `train loss ${progress.trainLoss.toFixed(4)}`
      : undefined,
  ].filter(Boolean);
  return (
    <InfoCard title="Training progress">
      {percent !== undefined ? (
        <Box sx={{ mb: 2 }}>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label="Training progress"
          />
          <Typography variant="body2" sx={{ mt: 1 }}>
            {percent}%{parts.length ? ` · ${parts.join(' · ')}` : ''}
          </Typography>
        </Box>
      ) : (
        <Typography variant="body2" color="textSecondary" sx={{ mb: 2 }}>
          {workspace.tuning?.progressError
            ? `No progress yet: ${workspace.tuning.progressError}.`
            : 'The trainer has not reported progress yet.'}
          {parts.length ? ` ${parts.join(' · ')}` : ''}
        </Typography>
      )}
      {progress && progress.loss.length > 0 ? (
        <LossChart loss={progress.loss} evalLoss={progress.evalLoss} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          The loss curve appears once the trainer logs its first loss.
        </Typography>
      )}
    </InfoCard>
  );
}
