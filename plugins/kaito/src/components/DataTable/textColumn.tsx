import { Link } from '@backstage/core-components';
import { DataColumn } from './DataTable';
import { CellWidth } from './EllipsisText';
import { TwoLineCell } from './TwoLineCell';

/** Options of {@link textColumn}. */
export interface TextColumnOptions<T> {
  id: string;
  title: string;
  /** The value, also what the column sorts by. */
  text: (row: T) => string;
  /** A quieter line under it. */
  caption?: (row: T) => string | undefined;
  /** Makes the value a link. */
  href?: (row: T) => string;
  strong?: boolean;
  maxWidth?: CellWidth;
}

/** Room for a name: most of one at 1280 px, all of it from 1920 px. */
export const NAME_WIDTH: CellWidth = { xs: 160, lg: 190, xl: 320 };

/**
 * A sortable column of one text value per row (cut at `maxWidth`, in full
 * on hover), with an optional caption line and link.
 */
export function textColumn<T>(options: TextColumnOptions<T>): DataColumn<T> {
  const {
    id,
    title,
    text,
    caption,
    href,
    strong,
    maxWidth = NAME_WIDTH,
  } = options;
  return {
    id,
    title,
    sortValue: text,
    render: row => (
      <TwoLineCell
        strong={strong}
        maxWidth={maxWidth}
        primary={href ? <Link to={href(row)}>{text(row)}</Link> : text(row)}
        primaryText={text(row)}
        secondary={caption?.(row)}
      />
    ),
  };
}
