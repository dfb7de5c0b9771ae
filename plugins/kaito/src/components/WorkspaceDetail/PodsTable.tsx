import { PodView } from '@kaito-backstage/plugin-kaito-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatShortTime } from '../../lib/format';

/** Props of {@link PodsTable}. */
export interface PodsTableProps {
  pods: PodView[];
}

function containerText(pod: PodView): string {
  return pod.containers
    .map(c =>
      [
        c.name,
        c.state,
        c.reason,
        c.exitCode !== undefined ? `exit ${c.exitCode}` : undefined,
      ]
        .filter(Boolean)
        .join(' '),
    )
    .join('; ');
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
              // One line each, but for the containers' states.
              '& td:not(:last-child)': { whiteSpace: 'nowrap' },
            }}
          >
            <TableCell>{pod.name}</TableCell>
            <TableCell>{pod.phase ?? '–'}</TableCell>
            <TableCell>{pod.ready ? 'yes' : 'no'}</TableCell>
            <TableCell>{pod.restarts}</TableCell>
            <TableCell>{pod.nodeName ?? '–'}</TableCell>
            <TableCell>{formatShortTime(pod.startTime)}</TableCell>
            <TableCell>{containerText(pod)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
