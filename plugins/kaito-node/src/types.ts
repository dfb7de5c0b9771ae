import type { WorkspaceRef } from '@kaito-backstage/plugin-kaito-common';

/**
 * Identifies a workspace.
 *
 * @public
 */
export interface KaitoWorkspaceRef extends WorkspaceRef {
  /**
   * The entity the workspace belongs to (query parameter `entityRef` of the
   * workspace routes); only needed for workspaces the suite did not create
   * (without the entity-ref annotation).
   */
  entityRef?: string;
}
