import Tooltip from '@mui/material/Tooltip';
import Typography, { TypographyProps } from '@mui/material/Typography';
import { ReactNode, useCallback, useState } from 'react';

/** A width, or one per breakpoint (`{ xs: 180, xl: 320 }`). */
export type CellWidth =
  | number
  | string
  | Partial<Record<'xs' | 'sm' | 'md' | 'lg' | 'xl', number | string>>;

/** Props of {@link EllipsisText}. */
export interface EllipsisTextProps {
  children: ReactNode;
  /** The full value, shown on hover when the text is cut. */
  full: string;
  maxWidth?: CellWidth;
  variant?: TypographyProps['variant'];
  color?: TypographyProps['color'];
  fontWeight?: TypographyProps['fontWeight'];
  /** The children are already shortened: always offer the full value. */
  shortened?: boolean;
}

/**
 * One line that never wraps: cut with an ellipsis at `maxWidth`, and then
 * shown in full in a tooltip on hover (only then, so short values do not
 * pop up tooltips).
 */
export function EllipsisText(props: EllipsisTextProps) {
  const {
    children,
    full,
    maxWidth,
    variant = 'body2',
    color,
    fontWeight,
    shortened,
  } = props;
  const [cut, setCut] = useState(false);
  const measure = useCallback((event: { currentTarget: HTMLElement }) => {
    const el = event.currentTarget;
    setCut(el.scrollWidth > el.clientWidth);
  }, []);
  return (
    <Tooltip title={cut || shortened ? full : ''} placement="bottom-start">
      <Typography
        variant={variant}
        color={color}
        fontWeight={fontWeight}
        noWrap
        component="div"
        sx={{ maxWidth }}
        onMouseEnter={measure}
        onFocus={measure}
        data-full-value={full}
      >
        {children}
      </Typography>
    </Tooltip>
  );
}
