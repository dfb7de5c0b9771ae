import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import { ProblemExplanation } from '@kaito-backstage/plugin-kaito-common';

/** Props of {@link ProblemPanel}. */
export interface ProblemPanelProps {
  problem: ProblemExplanation;
}

/** What is wrong with a workspace and what to do about it. */
export function ProblemPanel({ problem }: ProblemPanelProps) {
  return (
    <Alert severity="error" data-testid="workspace-problem">
      <AlertTitle>{problem.title}</AlertTitle>
      {problem.detail && (
        <Typography variant="body2" component="p" sx={{ mb: 1 }}>
          <code>{problem.detail}</code>
          {problem.source ? ` (${problem.source})` : ''}
        </Typography>
      )}
      <Typography variant="body2" component="div">
        What to do:
        <ul style={{ margin: 0 }}>
          {problem.steps.map(step => (
            <li key={step}>{step}</li>
          ))}
        </ul>
      </Typography>
    </Alert>
  );
}
