import Typography from '@mui/material/Typography';

/** Props of {@link LiveCaption}. */
export interface LiveCaptionProps {
  updatedAt?: Date;
  /** Kept fresh by change signals (else by polling). */
  pushed: boolean;
  /** A cluster of the view is served from a stale cache. */
  stale?: boolean;
}

/** "live · updated 7:30:20 PM", and how it stays live, beside a title. */
export function LiveCaption({ updatedAt, pushed, stale }: LiveCaptionProps) {
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
      {stale ? 'stale' : 'live'} · updated {updatedAt.toLocaleTimeString()}
    </Typography>
  );
}
