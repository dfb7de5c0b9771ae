import { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { KaitoClient, kaitoApiRef } from '../api';

/** Base URL of the backend in tests (msw handlers listen here). */
export const API = 'http://example.com/api/kaito';

/** A permission API that denies the named permissions and allows the rest. */
export function permissionApi(denied: string[] = []) {
  return mockApis.permission({
    authorize: request =>
      (denied.includes(request.permission.name) ? 'DENY' : 'ALLOW') as any,
  });
}

/** An alert API that records what was posted. */
export function alertApi() {
  return { post: jest.fn(), alert$: jest.fn() } as any;
}

export interface RenderOptions {
  entity?: Entity;
  deny?: string[];
  route?: string;
  alerts?: ReturnType<typeof alertApi>;
}

/** Renders with the real KaitoClient (over msw), permissions and an entity. */
export function renderKaito(
  element: ReactElement,
  options: RenderOptions = {},
) {
  const client = new KaitoClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });
  const tree = (
    <TestApiProvider
      apis={[
        [kaitoApiRef, client],
        [permissionApiRef, permissionApi(options.deny)],
        [alertApiRef, options.alerts ?? alertApi()],
      ]}
    >
      {options.entity ? (
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>
  );
  return renderInTestApp(tree, {
    routeEntries: [options.route ?? '/'],
  });
}
