import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';

/** The group whose members manage GPU node pools in the dev catalog. */
export const PLATFORM_GROUP = 'group:default/platform-team';

/** Permissions an entity's owners hold on that entity's KAITO workspaces. */
const OWNER_ONLY = new Set([
  'kaito.workspace.create',
  'kaito.workspace.delete',
  'kaito.chat',
]);

/**
 * The demo's permission model for the KAITO suite: everyone may read, the
 * owners of an entity may create and delete its workspaces and chat with
 * them, and the platform team manages GPU pools. Everything outside the suite
 * stays allowed, as in the app's default allow-all policy.
 */
export class KaitoDemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;

    if (OWNER_ONLY.has(permission.name)) {
      if (!isResourcePermission(permission, 'catalog-entity')) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }

    if (permission.name === 'kaito.gpupool.manage') {
      const claims = user?.info.ownershipEntityRefs ?? [];
      return {
        result: claims.includes(PLATFORM_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }

    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kaito-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new KaitoDemoPermissionPolicy());
      },
    });
  },
});
