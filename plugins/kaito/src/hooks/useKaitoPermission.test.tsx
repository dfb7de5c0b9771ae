import { permissionApiRef } from '@backstage/plugin-permission-react';
import { TestApiProvider } from '@backstage/test-utils';
import { kaitoWorkspaceCreatePermission } from '@kaito-backstage/plugin-kaito-common';
import { renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { permissionApi } from '../__testUtils__';
import { useActionPermission } from './useKaitoPermission';

// usePermission caches answers by permission and resource (SWR) for the
// whole test file, so every test asks about an entity of its own.
function check(api: any, resourceRef: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[permissionApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  return renderHook(
    () =>
      useActionPermission(
        kaitoWorkspaceCreatePermission,
        'create workspaces',
        resourceRef,
      ),
    { wrapper },
  );
}

describe('useActionPermission', () => {
  it('allows what the permission API allows', async () => {
    const { result } = check(permissionApi(), 'component:default/allowed');
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current).toEqual({ loading: false, allowed: true });
  });

  it('names the permission that was denied', async () => {
    const { result } = check(
      permissionApi(['kaito.workspace.create']),
      'component:default/denied',
    );
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.allowed).toBe(false);
    expect(result.current.reason).toBe(
      'You are not allowed to create workspaces (permission kaito.workspace.create).',
    );
  });

  it('says the check failed, not that it was denied, when the permission API errs', async () => {
    const failing = {
      authorize: async () => {
        throw new Error('permission backend unreachable');
      },
      authorizeConditional: async () => {
        throw new Error('permission backend unreachable');
      },
    };
    const { result } = check(failing, 'component:default/failing');
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.allowed).toBe(false);
    expect(result.current.reason).toBe(
      'Could not check whether you may create workspaces (permission kaito.workspace.create): permission backend unreachable',
    );
  });
});
