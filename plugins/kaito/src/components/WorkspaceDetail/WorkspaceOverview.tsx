import { InfoCard } from '@backstage/core-components';
import {
  WorkspaceDetail,
  explainProblem,
} from '@kaito-backstage/plugin-kaito-common';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { ServeModelButton } from '../WorkspaceActions/ServeModelButton';
import { ConditionTimeline } from './ConditionTimeline';
import { EventsTable } from './EventsTable';
import { InferenceCard } from './InferenceCard';
import { PodsTable } from './PodsTable';
import { ProblemPanel } from './ProblemPanel';
import { TuningProgressCard } from './TuningProgressCard';
import { WorkspaceSummaryCard } from './WorkspaceSummaryCard';

/** Props of {@link WorkspaceOverview}. */
export interface WorkspaceOverviewProps {
  workspace: WorkspaceDetail;
  entityRef: string;
}

/** The overview of one workspace: problem, facts, progress, timeline, events, pods. */
export function WorkspaceOverview({
  workspace,
  entityRef,
}: WorkspaceOverviewProps) {
  const problem = explainProblem(workspace);
  return (
    <Grid container spacing={3}>
      {problem && (
        <Grid item xs={12}>
          <ProblemPanel problem={problem} />
        </Grid>
      )}
      <Grid item xs={12} md={5}>
        <WorkspaceSummaryCard
          workspace={workspace}
          action={
            workspace.type === 'tuning' ? (
              <ServeModelButton workspace={workspace} entityRef={entityRef} />
            ) : undefined
          }
        />
      </Grid>
      <Grid item xs={12} md={7}>
        {workspace.type === 'tuning' ? (
          <TuningProgressCard workspace={workspace} />
        ) : (
          <InferenceCard workspace={workspace} />
        )}
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Conditions">
          <ConditionTimeline entries={workspace.timeline} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Events">
          <EventsTable events={workspace.events} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Pods">
          <PodsTable pods={workspace.pods} />
        </InfoCard>
      </Grid>
      {workspace.nodeClaims.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="GPU nodes (NodeClaims)">
            <Table size="small" aria-label="NodeClaims">
              <TableHead>
                <TableRow sx={{ '& th': { whiteSpace: 'nowrap' } }}>
                  <TableCell>NodeClaim</TableCell>
                  <TableCell>Instance type</TableCell>
                  <TableCell>Node</TableCell>
                  <TableCell>Ready</TableCell>
                  <TableCell>Reason</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {workspace.nodeClaims.map(c => (
                  <TableRow key={c.name} sx={{ verticalAlign: 'top' }}>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      {c.name}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      {c.instanceType ?? '–'}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      {c.nodeName ?? '–'}
                    </TableCell>
                    <TableCell>{c.ready ?? '–'}</TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere', minWidth: 240 }}>
                      {[c.reason, c.message].filter(Boolean).join(': ') || '–'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
