import { usePermission } from '@backstage/plugin-permission-react';

type PermissionInput = Parameters<typeof usePermission>[0];
type AnyPermission = PermissionInput['permission'];

/** Result of a permission check for gating an action. */
export interface ActionPermission {
  loading: boolean;
  allowed: boolean;
  /** Why the action is not available, to show next to the disabled control. */
  reason?: string;
}

/**
 * Checks a KAITO permission for an action; entity permissions take the
 * entity ref as the resource.
 */
export function useActionPermission(
  permission: AnyPermission,
  what: string,
  resourceRef?: string,
): ActionPermission {
  const result = usePermission(
    (permission.type === 'resource'
      ? { permission, resourceRef }
      : { permission }) as PermissionInput,
  );
  if (result.loading) {
    return { loading: true, allowed: false, reason: 'Checking permissions…' };
  }
  if (result.error) {
    return {
      loading: false,
      allowed: false,
      reason: `Could not check whether you may ${what} (permission ${permission.name}): ${result.error.message}`,
    };
  }
  if (!result.allowed) {
    return {
      loading: false,
      allowed: false,
      reason: `You are not allowed to ${what} (permission ${permission.name}).`,
    };
  }
  return { loading: false, allowed: true };
}
