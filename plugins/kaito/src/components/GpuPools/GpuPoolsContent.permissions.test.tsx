import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { pools } from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import { GpuPoolsContent } from './GpuPoolsContent';

// A file of its own: usePermission caches answers per permission (SWR), and
// kaito.gpupool.manage has no resource to tell tests apart.
const server = setupServer();
registerMswTestHooks(server);

describe('GpuPoolsContent without kaito.gpupool.manage', () => {
  it('disables scale and delete with the reason', async () => {
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
    await renderKaito(<GpuPoolsContent />, { deny: ['kaito.gpupool.manage'] });
    const row = within((await screen.findByText('gpua10')).closest('tr')!);
    await waitFor(() =>
      expect(
        screen.getByText(
          /not allowed to scale or delete GPU pools \(permission kaito\.gpupool\.manage\)/,
        ),
      ).toBeInTheDocument(),
    );
    expect(row.getByRole('button', { name: 'Scale' })).toBeDisabled();
    expect(row.getByRole('button', { name: 'Delete' })).toBeDisabled();
  });
});
