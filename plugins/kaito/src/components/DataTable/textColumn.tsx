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
  /**
   * Longer values keep their start and end around an ellipsis, cut to this
   * many characters: for names that differ only at the end (runs named
   * after their entity, then a suffix).
   */
  middleCutAt?: number;
}

/** The kept end of a value cut in the middle. */
const KEPT_END = 6;

/** "support-chat…-q7m2x": `text` cut to `length` characters in the middle. */
export function cutInTheMiddle(text: string, length: number): string {
  if (text.length <= length) return text;
  const start = Math.max(1, length - KEPT_END - 1);
  return `${text.slice(0, start)}…${text.slice(-KEPT_END)}`;
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
    middleCutAt,
  } = options;
  return {
    id,
    title,
    sortValue: text,
    render: row => {
      const full = text(row);
      const shown = middleCutAt ? cutInTheMiddle(full, middleCutAt) : full;
      return (
        <TwoLineCell
          strong={strong}
          maxWidth={maxWidth}
          primary={href ? <Link to={href(row)}>{shown}</Link> : shown}
          primaryText={full}
          shortened={shown !== full}
          secondary={caption?.(row)}
        />
      );
    },
  };
}
