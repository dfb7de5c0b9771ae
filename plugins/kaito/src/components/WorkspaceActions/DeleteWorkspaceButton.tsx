import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  WorkspaceRef,
  kaitoWorkspaceDeletePermission,
} from '@kaito-backstage/plugin-kaito-common';
import DeleteIcon from '@mui/icons-material/Delete';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useState } from 'react';
import { kaitoApiRef } from '../../api';
import { useActionPermission } from '../../hooks/useKaitoPermission';

/** Props of {@link DeleteWorkspaceButton}. */
export interface DeleteWorkspaceButtonProps {
  workspace: WorkspaceRef & { type?: string };
  /** Ref of the owning entity (the permission's resource). */
  entityRef: string;
  /** Called after the backend accepted the deletion. */
  onDeleted?: () => void;
  /** Icon only (in tables) or a labelled button. */
  variant?: 'icon' | 'button';
}

/**
 * Deletes a workspace after confirmation; disabled, with the reason, when
 * `kaito.workspace.delete` is not allowed.
 */
export function DeleteWorkspaceButton(props: DeleteWorkspaceButtonProps) {
  const { workspace, entityRef, onDeleted, variant = 'icon' } = props;
  const kaitoApi = useApi(kaitoApiRef);
  const alertApi = useApi(alertApiRef);
  const permission = useActionPermission(
    kaitoWorkspaceDeletePermission,
    'delete workspaces of this entity',
    entityRef,
  );
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const label = `Delete workspace ${workspace.name}`;

  const confirm = async () => {
    setBusy(true);
    try {
      await kaitoApi.deleteWorkspace(workspace);
      alertApi.post({
        message: `Workspace ${workspace.namespace}/${workspace.name} is being deleted`,
        severity: 'success',
        display: 'transient',
      });
      setOpen(false);
      onDeleted?.();
    } catch (error) {
      alertApi.post({
        message: `Could not delete workspace ${workspace.name}: ${
          (error as Error).message
        }`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  const trigger =
    variant === 'icon' ? (
      <IconButton
        aria-label={label}
        size="small"
        disabled={!permission.allowed}
        onClick={() => setOpen(true)}
      >
        <DeleteIcon fontSize="small" />
      </IconButton>
    ) : (
      <Button
        color="error"
        variant="outlined"
        startIcon={<DeleteIcon />}
        disabled={!permission.allowed}
        onClick={() => setOpen(true)}
      >
        Delete
      </Button>
    );

  return (
    <>
      <Tooltip title={permission.reason ?? label}>
        <span>{trigger}</span>
      </Tooltip>
      <Dialog open={open} onClose={() => !busy && setOpen(false)}>
        <DialogTitle>Delete workspace {workspace.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            KAITO removes the workspace
            {workspace.type === 'tuning'
              ? ', its tuning job and pods'
              : ', its model server and endpoint'}{' '}
            from {workspace.namespace} on cluster {workspace.cluster}, and
            releases the GPU nodes it provisioned. The run stays in the run
            history.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            Cancel
          </Button>
          <Button color="error" onClick={confirm} disabled={busy}>
            Delete
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
