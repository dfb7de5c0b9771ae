import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/*
 * Permissions of the KAITO plugin suite. The workspace and chat permissions
 * are resource permissions on the owning catalog entity, so policies can
 * reuse the catalog's rules (e.g. isEntityOwner) with the entity ref as
 * resourceRef.
 */

/**
 * Read an entity's workspaces, their status, logs and run history.
 *
 * @public
 */
export const kaitoWorkspaceReadPermission = createPermission({
  name: 'kaito.workspace.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Create a workspace for an entity.
 *
 * @public
 */
export const kaitoWorkspaceCreatePermission = createPermission({
  name: 'kaito.workspace.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete one of an entity's workspaces.
 *
 * @public
 */
export const kaitoWorkspaceDeletePermission = createPermission({
  name: 'kaito.workspace.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Send chat completions to an entity's inference workspace.
 *
 * @public
 */
export const kaitoChatPermission = createPermission({
  name: 'kaito.chat',
  attributes: {},
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * List GPU node pools and their quota.
 *
 * @public
 */
export const kaitoGpuPoolReadPermission = createPermission({
  name: 'kaito.gpupool.read',
  attributes: { action: 'read' },
});

/**
 * Create, scale and delete GPU node pools.
 *
 * @public
 */
export const kaitoGpuPoolManagePermission = createPermission({
  name: 'kaito.gpupool.manage',
  attributes: { action: 'update' },
});

/**
 * All permissions of the KAITO suite, for `permissionsRegistry.addPermissions`.
 *
 * @public
 */
export const kaitoPermissions = [
  kaitoWorkspaceReadPermission,
  kaitoWorkspaceCreatePermission,
  kaitoWorkspaceDeletePermission,
  kaitoChatPermission,
  kaitoGpuPoolReadPermission,
  kaitoGpuPoolManagePermission,
];
