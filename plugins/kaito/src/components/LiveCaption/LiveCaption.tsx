import Typography from '@mui/material/Typography';

/** Props of {@link LiveCaption}. */
export interface LiveCaptionProps {
  updatedAt?: Date;
  /** Kept fresh by change signals (else by polling). */
  pushed: boolean;
}

/** "live · updated 7:30:20 PM", and how it stays live, beside a title. */
export function LiveCaption({ updatedAt, pushed }: LiveCaptionProps) {
  if (!updatedAt) return null;
  return (
    <Typography
      component="span"
      variant="caption"
      color="textSecondary"
      title={
        pushed
          ? 'Updated as soon as the cluster changes (Backstage signals)'
          : 'Refreshed every few seconds (the app has no Backstage signals)'
      }
      data-testid="live-caption"
    >
      live · updated {updatedAt.toLocaleTimeString()}
    </Typography>
  );
}
