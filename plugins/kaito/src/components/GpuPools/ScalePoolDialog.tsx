import { useApi } from '@backstage/core-plugin-api';
import {
  GpuPoolView,
  UpdateGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { kaitoApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';
import { formatUsdPerHour } from '../../lib/format';

/** Props of {@link ScalePoolDialog}. */
export interface ScalePoolDialogProps {
  pool: GpuPoolView;
  open: boolean;
  onClose: () => void;
  onScaled: (pool: GpuPoolView) => void;
}

/** A number field's value as the request takes it (empty is absent). */
function numberOf(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/** Changes a pool's node count, or its autoscaler bounds. */
export function ScalePoolDialog({
  pool,
  open,
  onClose,
  onScaled,
}: ScalePoolDialogProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const [count, setCount] = useState(String(pool.count));
  const [minCount, setMinCount] = useState(String(pool.minCount ?? 0));
  const [maxCount, setMaxCount] = useState(String(pool.maxCount ?? pool.count));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  // Checked with the API's own rules (kaito-common), so the dialog says
  // what the backend would.
  const asked: UpdateGpuPoolRequest = pool.autoscaling
    ? { minCount: numberOf(minCount), maxCount: numberOf(maxCount) }
    : { count: numberOf(count) };
  const issues = validateUpdateGpuPoolRequest(asked);
  const request = issues.length === 0 ? asked : undefined;
  const invalid = issues.length
    ? issues.map(issue => issue.message).join('; ')
    : undefined;
  const perNode =
    pool.usdPerHour !== undefined && pool.count > 0
      ? pool.usdPerHour / pool.count
      : undefined;
  const nodesAfter = request?.count ?? request?.maxCount;

  const submit = async () => {
    if (!request) return;
    setBusy(true);
    setError(undefined);
    try {
      const updated = await kaitoApi.updateGpuPool(
        pool.cluster,
        pool.name,
        request,
      );
      onScaled(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={() => !busy && onClose()}>
      <DialogTitle>Scale GPU pool {pool.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {pool.autoscaling ? (
            <Stack direction="row" spacing={2}>
              <TextField
                label="Minimum nodes"
                type="number"
                value={minCount}
                onChange={e => setMinCount(e.target.value)}
                inputProps={{ min: 0 }}
              />
              <TextField
                label="Maximum nodes"
                type="number"
                value={maxCount}
                onChange={e => setMaxCount(e.target.value)}
                inputProps={{ min: 0 }}
              />
            </Stack>
          ) : (
            <TextField
              label="Nodes"
              type="number"
              value={count}
              onChange={e => setCount(e.target.value)}
              inputProps={{ min: 0 }}
            />
          )}
          {perNode !== undefined && nodesAfter !== undefined && (
            <Typography variant="body2" color="textSecondary">
              {nodesAfter} × {pool.sku ?? pool.vmSize} costs up to{' '}
              {formatUsdPerHour(perNode * nodesAfter)} at list price. Growing
              the pool needs vCPU quota for its family.
            </Typography>
          )}
          {invalid && <Alert severity="info">{invalid}</Alert>}
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={submit}
          disabled={busy || !request}
        >
          Scale
        </Button>
      </DialogActions>
    </Dialog>
  );
}
