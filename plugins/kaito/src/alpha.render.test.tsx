import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import kaitoPlugin from './alpha';
import { KaitoClient, kaitoApiRef } from './api';
import { pools } from './__fixtures__';
import { API, permissionApi } from './__testUtils__';

const server = setupServer();
registerMswTestHooks(server);

describe('GPU pools page (new frontend system)', () => {
  it('renders the page extension against the API', async () => {
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json({
          items: [
            {
              name: 'dev',
              authProvider: 'serviceAccount',
              health: { state: 'healthy', since: '2026-11-23T10:00:00Z' },
              azure: {
                subscriptionId: 's',
                resourceGroup: 'rg',
                clusterName: 'aks',
              },
            },
          ],
        }),
      ),
      http.get(`${API}/clusters/dev/gpu-pools`, () =>
        HttpResponse.json({
          items: pools(),
          idle: { count: 1, usdPerHour: 6.4 },
        }),
      ),
    );
    const page = kaitoPlugin.getExtension('page:kaito/gpu-pools');
    const client = new KaitoClient({
      discoveryApi: mockApis.discovery(),
      fetchApi: new MockFetchApi(),
    });
    renderInTestApp(createExtensionTester(page).reactElement(), {
      apis: [
        [kaitoApiRef, client],
        [permissionApiRef, permissionApi()],
      ],
    });
    expect(await screen.findByText('gpua10')).toBeInTheDocument();
    expect(screen.getByTestId('idle-summary')).toHaveTextContent('$6.40/h');
  });
});
