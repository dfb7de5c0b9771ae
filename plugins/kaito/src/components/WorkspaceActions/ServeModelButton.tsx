import {
  WorkspaceDetail,
  kaitoWorkspaceCreatePermission,
} from '@kaito-backstage/plugin-kaito-common';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import { useActionPermission } from '../../hooks/useKaitoPermission';
import {
  DEPLOY_INFERENCE_TEMPLATE,
  serveModelFormData,
  templateUrl,
} from '../../lib/templates';
import { TemplateLinkButton } from './TemplateLinkButton';

/** Props of {@link ServeModelButton}. */
export interface ServeModelButtonProps {
  workspace: WorkspaceDetail;
  entityRef: string;
}

/**
 * "Serve this model": opens the deploy-inference template prefilled with a
 * finished tuning run's base model and adapter image.
 */
export function ServeModelButton({
  workspace,
  entityRef,
}: ServeModelButtonProps) {
  const permission = useActionPermission(
    kaitoWorkspaceCreatePermission,
    'create workspaces for this entity',
    entityRef,
  );
  const formData = serveModelFormData(workspace, entityRef);
  if (!formData) {
    return null;
  }
  const succeeded = workspace.state === 'Succeeded';
  const gate = !succeeded
    ? {
        loading: false,
        allowed: false,
        reason: 'The adapter can be served once the tuning run has succeeded.',
      }
    : permission;
  return (
    <TemplateLinkButton
      to={templateUrl(DEPLOY_INFERENCE_TEMPLATE, formData)}
      permission={gate}
      startIcon={<RocketLaunchIcon />}
      variant="contained"
    >
      Serve this model
    </TemplateLinkButton>
  );
}
