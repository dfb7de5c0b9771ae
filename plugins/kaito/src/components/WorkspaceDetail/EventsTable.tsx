import { EventView } from '@kaito-backstage/plugin-kaito-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatShortTime } from '../../lib/format';
import { EllipsisText } from '../DataTable/EllipsisText';

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
  // Three columns, so the message keeps its room: Azure's quota messages
  // carry long URLs without spaces, which may break anywhere.
  return (
    <Table size="small" aria-label="Events">
      <TableHead>
        <TableRow>
          <TableCell sx={{ whiteSpace: 'nowrap' }}>Last seen</TableCell>
          <TableCell>Event</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {newestFirst.map((e, i) => (
          <TableRow
            key={`${e.lastTimestamp}-${e.reason}-${i}`}
            sx={{ verticalAlign: 'top' }}
          >
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {formatShortTime(e.lastTimestamp)}
            </TableCell>
            <TableCell sx={{ minWidth: 160 }}>
              <Typography
                variant="body2"
                color={e.type === 'Warning' ? 'error' : 'textPrimary'}
                title={e.type}
              >
                {e.type === 'Warning' ? '⚠ ' : ''}
                {e.reason ?? '–'}
                {e.count && e.count > 1 ? ` (×${e.count})` : ''}
              </Typography>
              <EllipsisText
                variant="caption"
                color="textSecondary"
                maxWidth={{ xs: 160, xl: 260 }}
                full={`${e.object.kind}/${e.object.name}`}
              >
                {e.object.kind}/{e.object.name}
              </EllipsisText>
            </TableCell>
            <TableCell sx={{ overflowWrap: 'anywhere', minWidth: 200 }}>
              {e.message}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
