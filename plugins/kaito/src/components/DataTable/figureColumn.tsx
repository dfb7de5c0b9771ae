import Typography from '@mui/material/Typography';
import { DataColumn } from './DataTable';

/** Options of {@link figureColumn}. */
export interface FigureColumnOptions<T> {
  id: string;
  title: string;
  /** The figure, formatted. */
  figure: (row: T) => string;
  /** A second figure under it (e.g. the GPU-hours under a cost). */
  caption?: (row: T) => string | undefined;
  sortValue: (row: T) => number | undefined;
}

/** A right-aligned, sortable column of figures, with an optional second line. */
export function figureColumn<T>(
  options: FigureColumnOptions<T>,
): DataColumn<T> {
  const { id, title, figure, caption, sortValue } = options;
  return {
    id,
    title,
    numeric: true,
    sortValue,
    render: row => {
      const second = caption?.(row);
      return (
        <>
          {figure(row)}
          {second && (
            <Typography
              variant="caption"
              color="textSecondary"
              component="div"
              noWrap
            >
              {second}
            </Typography>
          )}
        </>
      );
    },
  };
}
