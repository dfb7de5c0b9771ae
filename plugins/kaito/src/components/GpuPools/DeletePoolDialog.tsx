import { useApi } from '@backstage/core-plugin-api';
import { GpuPoolView } from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import { useState } from 'react';
import { kaitoApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';

/** Props of {@link DeletePoolDialog}. */
export interface DeletePoolDialogProps {
  pool: GpuPoolView;
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

/** Confirms deleting a GPU pool; one in use needs an explicit force. */
export function DeletePoolDialog({
  pool,
  open,
  onClose,
  onDeleted,
}: DeletePoolDialogProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const inUse = pool.usedBy.length > 0;
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await kaitoApi.deleteGpuPool(pool.cluster, pool.name, {
        ...(force ? { force: true } : {}),
      });
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={() => !busy && onClose()}>
      <DialogTitle>Delete GPU pool {pool.name}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          AKS removes the agent pool {pool.name} ({pool.count} ×{' '}
          {pool.sku ?? pool.vmSize}) from cluster {pool.cluster}. Its nodes and
          whatever runs on them go away.
        </DialogContentText>
        {inUse && (
          <>
            <Alert severity="warning" sx={{ mt: 2 }}>
              Workspaces use this pool:{' '}
              {pool.usedBy.map(w => `${w.namespace}/${w.name}`).join(', ')}.
              Delete them first, or delete the pool anyway.
            </Alert>
            <FormControlLabel
              control={
                <Checkbox
                  checked={force}
                  onChange={e => setForce(e.target.checked)}
                />
              }
              label="Delete although workspaces use it"
            />
          </>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="error"
          variant="contained"
          onClick={submit}
          disabled={busy || (inUse && !force)}
        >
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
