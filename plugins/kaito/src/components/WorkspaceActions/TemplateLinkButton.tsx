import Button, { ButtonProps } from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { ActionPermission } from '../../hooks/useKaitoPermission';

/** Props of {@link TemplateLinkButton}. */
export interface TemplateLinkButtonProps {
  to: string;
  permission: ActionPermission;
  children: ReactNode;
  startIcon?: ReactNode;
  variant?: ButtonProps['variant'];
}

/**
 * A button that opens a software template; disabled, with the reason in a
 * tooltip, when the user may not create workspaces.
 */
export function TemplateLinkButton(props: TemplateLinkButtonProps) {
  const { to, permission, children, startIcon, variant = 'outlined' } = props;
  if (!permission.allowed) {
    return (
      <Tooltip title={permission.reason ?? ''}>
        <span>
          <Button variant={variant} startIcon={startIcon} disabled>
            {children}
          </Button>
        </span>
      </Tooltip>
    );
  }
  return (
    <Button
      variant={variant}
      startIcon={startIcon}
      component={RouterLink}
      to={to}
    >
      {children}
    </Button>
  );
}
