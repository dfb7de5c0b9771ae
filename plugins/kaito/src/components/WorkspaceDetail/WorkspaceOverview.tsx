import { InfoCard } from '@backstage/core-components';
import {
  WorkspaceDetail,
  explainProblem,
} from '@kaito-backstage/plugin-kaito-common';
import Box from '@mui/material/Box';
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
  /** When `workspace` was read (its age and running cost move on from there). */
  readAt?: number;
}

/** The overview of one workspace: problem, facts, progress, timeline, events, pods. */
export function WorkspaceOverview({
  workspace,
  entityRef,
  readAt,
}: WorkspaceOverviewProps) {
  const problem = explainProblem(workspace);
  return (
    // A CSS grid: no negative margins, so the page never scrolls sideways.
    <Box
      sx={{
        display: 'grid',
        gap: 3,
        gridTemplateColumns: {
          xs: 'minmax(0, 1fr)',
          md: 'minmax(0, 5fr) minmax(0, 7fr)',
        },
        alignItems: 'start',
      }}
    >
      {problem && (
        <Box sx={{ gridColumn: '1 / -1' }}>
          <ProblemPanel problem={problem} />
        </Box>
      )}
      <Box>
        <WorkspaceSummaryCard
          workspace={workspace}
          readAt={readAt}
          action={
            workspace.type === 'tuning' ? (
              <ServeModelButton workspace={workspace} entityRef={entityRef} />
            ) : undefined
          }
        />
      </Box>
      <Box>
        {workspace.type === 'tuning' ? (
          <TuningProgressCard workspace={workspace} />
        ) : (
          <InferenceCard workspace={workspace} />
        )}
      </Box>
      <Box>
        <InfoCard title="Conditions">
          <ConditionTimeline entries={workspace.timeline} />
        </InfoCard>
      </Box>
      <Box>
        <InfoCard title="Events">
          <EventsTable events={workspace.events} />
        </InfoCard>
      </Box>
      <Box sx={{ gridColumn: '1 / -1' }}>
        <InfoCard title="Pods">
          <PodsTable pods={workspace.pods} />
        </InfoCard>
      </Box>
      {workspace.nodeClaims.length > 0 && (
        <Box sx={{ gridColumn: '1 / -1' }}>
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
        </Box>
      )}
    </Box>
  );
}
