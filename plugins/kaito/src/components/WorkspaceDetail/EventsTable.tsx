import { EventView } from '@kaito-backstage/plugin-kaito-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatTime } from '../../lib/format';

/** Props of {@link EventsTable}. */
export interface EventsTableProps {
  events: EventView[];
}

/** Kubernetes events of a workspace and its objects, newest first. */
export function EventsTable({ events }: EventsTableProps) {
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events.
      </Typography>
    );
  }
  const newestFirst = [...events].reverse();
  return (
    <Table size="small" aria-label="Events">
      <TableHead>
        <TableRow>
          <TableCell>Last seen</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Object</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {newestFirst.map((e, i) => (
          <TableRow key={`${e.lastTimestamp}-${e.reason}-${i}`}>
            <TableCell>{formatTime(e.lastTimestamp)}</TableCell>
            <TableCell>
              <Typography
                variant="body2"
                color={e.type === 'Warning' ? 'error' : 'textPrimary'}
              >
                {e.type ?? '–'}
              </Typography>
            </TableCell>
            <TableCell>
              {e.reason}
              {e.count && e.count > 1 ? ` (×${e.count})` : ''}
            </TableCell>
            <TableCell>
              {e.object.kind}/{e.object.name}
            </TableCell>
            <TableCell>{e.message}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
