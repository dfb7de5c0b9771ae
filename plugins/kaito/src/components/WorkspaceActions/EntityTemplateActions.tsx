import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { kaitoWorkspaceCreatePermission } from '@kaito-backstage/plugin-kaito-common';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import TuneIcon from '@mui/icons-material/Tune';
import Stack from '@mui/material/Stack';
import { useActionPermission } from '../../hooks/useKaitoPermission';
import {
  DEPLOY_INFERENCE_TEMPLATE,
  FINE_TUNE_TEMPLATE,
  entityFormData,
  templateUrl,
} from '../../lib/templates';
import { TemplateLinkButton } from './TemplateLinkButton';

/** Props of {@link EntityTemplateActions}. */
export interface EntityTemplateActionsProps {
  entity: Entity;
  /** Cluster to prefill, e.g. the one the entity's workspaces run on. */
  cluster?: string;
}

/**
 * "Fine-tune a model" and "Deploy a model": the golden-path templates,
 * prefilled with the entity.
 */
export function EntityTemplateActions({
  entity,
  cluster,
}: EntityTemplateActionsProps) {
  const permission = useActionPermission(
    kaitoWorkspaceCreatePermission,
    'create workspaces for this entity',
    stringifyEntityRef(entity),
  );
  const formData = entityFormData(entity, cluster);
  return (
    <Stack direction="row" spacing={1}>
      <TemplateLinkButton
        to={templateUrl(FINE_TUNE_TEMPLATE, formData)}
        permission={permission}
        startIcon={<TuneIcon />}
      >
        Fine-tune a model
      </TemplateLinkButton>
      <TemplateLinkButton
        to={templateUrl(DEPLOY_INFERENCE_TEMPLATE, formData)}
        permission={permission}
        startIcon={<RocketLaunchIcon />}
      >
        Deploy a model
      </TemplateLinkButton>
    </Stack>
  );
}
