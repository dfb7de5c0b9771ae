import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardHeader from '@mui/material/CardHeader';
import InputAdornment from '@mui/material/InputAdornment';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import SearchIcon from '@mui/icons-material/Search';
import { ReactNode, useMemo, useState } from 'react';

/** A column of a {@link DataTable}. */
export interface DataColumn<T> {
  id: string;
  title: string;
  render: (row: T) => ReactNode;
  /** Numbers: right-aligned, figures of equal width. */
  numeric?: boolean;
  /** Sortable by this value. */
  sortValue?: (row: T) => string | number | undefined;
  /** Width hint, e.g. for a column of buttons. */
  width?: number | string;
}

/** Props of {@link DataTable}. */
export interface DataTableProps<T> {
  title: string;
  /** Beside the title (e.g. "live"). */
  titleExtra?: ReactNode;
  subtitle?: ReactNode;
  columns: DataColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  emptyContent?: ReactNode;
  /** The column sorted by first, and its direction. */
  initialSort?: { column: string; direction: 'asc' | 'desc' };
  /** Rows per page; all rows on one page when absent. */
  pageSize?: number;
  /** Rows matching a filter text; shows a filter field when given. */
  filter?: (row: T, text: string) => boolean;
  /** Under the table, inside the card (totals, notes). */
  footer?: ReactNode;
}

/** Tighter cells where room is short. */
const CELL_PADDING = { xs: 1, xl: 1.5 };

function compare(
  a: string | number | undefined,
  b: string | number | undefined,
) {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * A table in a card, laid out to be read at a glance: headers and cells do
 * not wrap (cells cut long values with {@link EllipsisText}), numbers are
 * right-aligned, and a table wider than its card scrolls inside the card,
 * never past it. MUI's table inside Backstage's theme.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { title, titleExtra, subtitle, columns, rows, rowKey } = props;
  const [sort, setSort] = useState(props.initialSort);
  const [page, setPage] = useState(0);
  const [filterText, setFilterText] = useState('');

  const shown = useMemo(() => {
    const text = filterText.trim().toLocaleLowerCase();
    const filtered =
      props.filter && text ? rows.filter(r => props.filter!(r, text)) : rows;
    const column = columns.find(c => c.id === sort?.column);
    if (!column?.sortValue || !sort) return filtered;
    const sign = sort.direction === 'asc' ? 1 : -1;
    return [...filtered].sort(
      (a, b) => sign * compare(column.sortValue!(a), column.sortValue!(b)),
    );
  }, [rows, columns, sort, filterText, props.filter]);

  const pageSize = props.pageSize;
  const paged =
    pageSize && shown.length > pageSize
      ? shown.slice(page * pageSize, (page + 1) * pageSize)
      : shown;

  return (
    <Card>
      <CardHeader
        title={
          <Box
            component="span"
            sx={{ display: 'flex', alignItems: 'baseline', gap: 2 }}
          >
            <span>{title}</span>
            {titleExtra}
          </Box>
        }
        titleTypographyProps={{ variant: 'h5', component: 'h2' }}
        subheader={subtitle}
        action={
          props.filter ? (
            <TextField
              size="small"
              variant="standard"
              placeholder="Filter"
              value={filterText}
              onChange={e => {
                setFilterText(e.target.value);
                setPage(0);
              }}
              inputProps={{ 'aria-label': `Filter ${title}` }}
              InputProps={{
                startAdornment: (
                  <InputAdornment position="start">
                    <SearchIcon fontSize="small" />
                  </InputAdornment>
                ),
              }}
            />
          ) : undefined
        }
      />
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              {columns.map(c => (
                <TableCell
                  key={c.id}
                  align={c.numeric ? 'right' : 'left'}
                  sortDirection={sort?.column === c.id ? sort.direction : false}
                  sx={{
                    whiteSpace: 'nowrap',
                    fontWeight: 'bold',
                    textTransform: 'uppercase',
                    fontSize: '0.75rem',
                    letterSpacing: '0.03em',
                    color: 'text.secondary',
                    px: CELL_PADDING,
                    width: c.width,
                  }}
                >
                  {c.sortValue ? (
                    <TableSortLabel
                      active={sort?.column === c.id}
                      direction={sort?.column === c.id ? sort.direction : 'asc'}
                      onClick={() =>
                        setSort(previous => ({
                          column: c.id,
                          direction:
                            previous?.column === c.id &&
                            previous.direction === 'asc'
                              ? 'desc'
                              : 'asc',
                        }))
                      }
                    >
                      {c.title}
                    </TableSortLabel>
                  ) : (
                    c.title
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {paged.length === 0 ? (
              <TableRow>
                <TableCell colSpan={columns.length}>
                  {props.emptyContent ?? 'Nothing to show.'}
                </TableCell>
              </TableRow>
            ) : (
              paged.map(row => (
                <TableRow key={rowKey(row)} hover>
                  {columns.map(c => (
                    <TableCell
                      key={c.id}
                      align={c.numeric ? 'right' : 'left'}
                      sx={{
                        px: CELL_PADDING,
                        ...(c.numeric
                          ? {
                              whiteSpace: 'nowrap',
                              fontVariantNumeric: 'tabular-nums',
                            }
                          : {}),
                      }}
                    >
                      {c.render(row)}
                    </TableCell>
                  ))}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {pageSize && shown.length > pageSize && (
        <TablePagination
          component="div"
          count={shown.length}
          page={page}
          onPageChange={(_e, next) => setPage(next)}
          rowsPerPage={pageSize}
          rowsPerPageOptions={[pageSize]}
        />
      )}
      {props.footer}
    </Card>
  );
}
