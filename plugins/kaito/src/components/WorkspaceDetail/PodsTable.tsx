import { PodView } from '@kaito-backstage/plugin-kaito-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatShortTime } from '../../lib/format';
import { EllipsisText } from '../DataTable/EllipsisText';

/** Props of {@link PodsTable}. */
export interface PodsTableProps {
  pods: PodView[];
}

/** "pusher: terminated Completed, exit 0". */
function containerText(c: PodView['containers'][number]): string {
  const state = [c.state, c.reason].filter(Boolean).join(' ');
  return `${c.name}: ${state || 'unknown'}${
    c.exitCode !== undefined ? `, exit ${c.exitCode}` : ''
  }`;
}

/** The pods of a workspace with their containers' states. */
export function PodsTable({ pods }: PodsTableProps) {
  if (pods.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No pods yet.
      </Typography>
    );
  }
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Pods">
        <TableHead>
          <TableRow sx={{ '& th': { whiteSpace: 'nowrap' } }}>
            <TableCell>Pod</TableCell>
            <TableCell>Phase</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell>Restarts</TableCell>
            <TableCell>Node</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Containers</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {pods.map(pod => (
            <TableRow
              key={pod.name}
              sx={{
                verticalAlign: 'top',
                '& td': { whiteSpace: 'nowrap' },
              }}
            >
              <TableCell>{pod.name}</TableCell>
              <TableCell>{pod.phase ?? '–'}</TableCell>
              <TableCell>{pod.ready ? 'yes' : 'no'}</TableCell>
              <TableCell>{pod.restarts}</TableCell>
              <TableCell>{pod.nodeName ?? '–'}</TableCell>
              <TableCell>{formatShortTime(pod.startTime)}</TableCell>
              <TableCell>
                {pod.containers.map(c => (
                  <EllipsisText
                    key={c.name}
                    full={containerText(c)}
                    maxWidth={{ xs: 240, xl: 480 }}
                  >
                    {containerText(c)}
                  </EllipsisText>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
