import { ReactNode } from 'react';
import { CellWidth, EllipsisText } from './EllipsisText';

/** Props of {@link TwoLineCell}. */
export interface TwoLineCellProps {
  /** The value (text or a link to it). */
  primary: ReactNode;
  /** The value as text, for the tooltip when it is cut. */
  primaryText: string;
  /** A quieter second line (where it is, how it runs). */
  secondary?: string;
  maxWidth?: CellWidth;
  strong?: boolean;
  /** `primary` is a shortened `primaryText`. */
  shortened?: boolean;
}

/** A cell of a value and a caption under it, each on one line. */
export function TwoLineCell(props: TwoLineCellProps) {
  const { primary, primaryText, secondary, maxWidth, strong, shortened } =
    props;
  return (
    <>
      <EllipsisText
        full={primaryText}
        maxWidth={maxWidth}
        fontWeight={strong ? 'bold' : undefined}
        shortened={shortened}
      >
        {primary}
      </EllipsisText>
      {secondary && (
        <EllipsisText
          full={secondary}
          maxWidth={maxWidth}
          variant="caption"
          color="textSecondary"
        >
          {secondary}
        </EllipsisText>
      )}
    </>
  );
}
