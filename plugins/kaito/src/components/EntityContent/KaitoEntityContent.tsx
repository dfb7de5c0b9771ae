import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, WarningPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  isKaitoAvailable,
  kaitoWorkspaceReadPermission,
  parseWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-common';
import Stack from '@mui/material/Stack';
import { useSearchParams } from 'react-router-dom';
import { useActionPermission } from '../../hooks/useKaitoPermission';
import { RunHistory } from '../RunHistory/RunHistory';
import { EntityTemplateActions } from '../WorkspaceActions/EntityTemplateActions';
import { WorkspaceDetailView } from '../WorkspaceDetail/WorkspaceDetailView';
import { EntityWorkspaces } from './EntityWorkspaces';

/**
 * Props of {@link KaitoEntityContent}.
 *
 * @public
 */
export interface KaitoEntityContentProps {
  /** Refresh interval of the live views; 5 s by default. */
  pollIntervalMs?: number;
}

/**
 * The "AI Workspaces" entity tab: the entity's KAITO workspaces with live
 * state, a detail view per workspace (conditions, events, pods, progress,
 * logs, chat) and the run history.
 *
 * @public
 */
export function KaitoEntityContent(props: KaitoEntityContentProps = {}) {
  const { entity } = useEntity();
  const [params] = useSearchParams();
  const entityRef = stringifyEntityRef(entity);
  const read = useActionPermission(
    kaitoWorkspaceReadPermission,
    'see the AI workspaces of this entity',
    entityRef,
  );

  if (!isKaitoAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_KUBERNETES_ID} />
    );
  }
  if (read.loading) {
    return <Progress />;
  }
  if (!read.allowed) {
    return <WarningPanel title="Permission required" message={read.reason} />;
  }

  const selected = parseWorkspaceRef(params.get('workspace'));
  if (selected) {
    return (
      <WorkspaceDetailView
        workspaceRef={selected}
        entityRef={entityRef}
        pollIntervalMs={props.pollIntervalMs}
      />
    );
  }
  return (
    <Stack spacing={3}>
      <EntityTemplateActions entity={entity} />
      <EntityWorkspaces
        entityRef={entityRef}
        pollIntervalMs={props.pollIntervalMs}
      />
      <RunHistory entityRef={entityRef} />
    </Stack>
  );
}
