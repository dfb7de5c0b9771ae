import { registerMswTestHooks } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ClusterInfo } from '@kaito-backstage/plugin-kaito-common';
import { pools } from '../../__fixtures__';
import { API, TestSignalApi, renderKaito } from '../../__testUtils__';
import { GpuPoolsContent } from './GpuPoolsContent';

const server = setupServer();
registerMswTestHooks(server);

const clusters: ClusterInfo[] = [
  {
    name: 'dev',
    authProvider: 'serviceAccount',
    health: { state: 'healthy', since: '2026-11-23T10:00:00Z' },
    azure: { subscriptionId: 's', resourceGroup: 'rg', clusterName: 'aks-dev' },
  },
  {
    name: 'onprem',
    authProvider: 'serviceAccount',
    health: { state: 'healthy', since: '2026-11-23T10:00:00Z' },
  },
];

function serveClusters() {
  server.use(
    http.get(`${API}/clusters`, () => HttpResponse.json({ items: clusters })),
    http.get(`${API}/clusters/dev/gpu-pools`, () =>
      HttpResponse.json({
        items: pools(),
        idle: { count: 1, usdPerHour: 6.4 },
      }),
    ),
  );
}

function rowOf(name: string) {
  return within(screen.getByText(name).closest('tr')!);
}

describe('GpuPoolsContent', () => {
  it('lists pools with SKU, nodes, spot, state and users, and flags idle ones', async () => {
    serveClusters();
    await renderKaito(<GpuPoolsContent />);
    await screen.findByText('gpua100');

    const used = rowOf('gpua100');
    expect(used.getByText('Standard_NC24ads_A100_v4')).toBeInTheDocument();
    expect(used.getByText('1 × A100, 80 GiB')).toBeInTheDocument();
    expect(used.getByText('ml-team/tune-phi3')).toBeInTheDocument();
    expect(used.getByText('Succeeded')).toBeInTheDocument();
    expect(used.queryByText(/Idle/)).not.toBeInTheDocument();

    const idle = rowOf('gpua10');
    expect(idle.getByText('autoscale 0–3 · spot')).toBeInTheDocument();
    expect(idle.getByTestId('idle-dev-gpua10')).toHaveTextContent(
      'Idle · $6.40/h',
    );

    expect(screen.getByTestId('idle-summary')).toHaveTextContent(
      '1 idle GPU pool (no workspace uses it) cost $6.40/h',
    );
    expect(
      screen.getByText(/No Azure coordinates are configured for onprem/),
    ).toBeInTheDocument();
  });

  it('scales a pool within its autoscaler bounds', async () => {
    serveClusters();
    let patch: unknown;
    server.use(
      http.patch(
        `${API}/clusters/dev/gpu-pools/gpua10`,
        async ({ request }) => {
          patch = await request.json();
          return HttpResponse.json(
            { ...pools()[1], provisioningState: 'Updating' },
            { status: 202 },
          );
        },
      ),
    );
    await renderKaito(<GpuPoolsContent />);
    await screen.findByText('gpua10');
    const scale = rowOf('gpua10').getByRole('button', { name: 'Scale' });
    await waitFor(() => expect(scale).toBeEnabled());
    await userEvent.click(scale);
    const dialog = await screen.findByRole('dialog');
    const max = within(dialog).getByLabelText('Maximum nodes');
    await userEvent.clear(max);
    await userEvent.type(max, '1');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Scale' }),
    );
    await waitFor(() => expect(patch).toEqual({ minCount: 0, maxCount: 1 }));
  });

  it('checks a scale with the API’s own rules before sending it', async () => {
    serveClusters();
    let patches = 0;
    server.use(
      http.patch(`${API}/clusters/dev/gpu-pools/gpua10`, () => {
        patches++;
        return HttpResponse.json(pools()[1], { status: 202 });
      }),
    );
    await renderKaito(<GpuPoolsContent />);
    await screen.findByText('gpua10');
    const scale = rowOf('gpua10').getByRole('button', { name: 'Scale' });
    await waitFor(() => expect(scale).toBeEnabled());
    await userEvent.click(scale);
    const dialog = await screen.findByRole('dialog');
    const min = within(dialog).getByLabelText('Minimum nodes');
    await userEvent.clear(min);
    await userEvent.type(min, '5');
    const max = within(dialog).getByLabelText('Maximum nodes');
    await userEvent.clear(max);
    await userEvent.type(max, '2');
    // kaito-common's validateUpdateGpuPoolRequest, as the backend answers it.
    expect(
      await within(dialog).findByText(
        'minCount: 5 is greater than maxCount 2 [gpupool.autoscale.min-max]',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Scale' }),
    ).toBeDisabled();
    expect(patches).toBe(0);
  });

  it('deletes an idle pool after confirmation, and needs force for one in use', async () => {
    serveClusters();
    const deletes: string[] = [];
    server.use(
      http.delete(
        `${API}/clusters/dev/gpu-pools/:pool`,
        ({ params, request }) => {
          deletes.push(
            `${params.pool}?force=${new URL(request.url).searchParams.get(
              'force',
            )}`,
          );
          return HttpResponse.json(
            {
              cluster: 'dev',
              name: params.pool,
              provisioningState: 'Deleting',
            },
            { status: 202 },
          );
        },
      ),
    );
    await renderKaito(<GpuPoolsContent />);
    await screen.findByText('gpua10');

    await userEvent.click(
      rowOf('gpua10').getByRole('button', { name: 'Delete' }),
    );
    let dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() => expect(deletes).toEqual(['gpua10?force=null']));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await userEvent.click(
      rowOf('gpua100').getByRole('button', { name: 'Delete' }),
    );
    dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Workspaces use this pool: ml-team/tune-phi3',
    );
    const confirm = within(dialog).getByRole('button', { name: 'Delete' });
    expect(confirm).toBeDisabled();
    await userEvent.click(within(dialog).getByRole('checkbox'));
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(deletes).toEqual(['gpua10?force=null', 'gpua100?force=true']),
    );
  });

  it('reports a cluster whose pools cannot be listed', async () => {
    server.use(
      http.get(`${API}/clusters`, () => HttpResponse.json({ items: clusters })),
      http.get(`${API}/clusters/dev/gpu-pools`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Azure refused the identity',
            },
            request: { method: 'GET', url: '/x' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderKaito(<GpuPoolsContent />);
    expect(
      await screen.findByText(
        /GPU pools of cluster dev could not be listed: Azure refused the identity/,
      ),
    ).toBeInTheDocument();
  });

  it('re-reads the pools when the backend signals a change, and does not poll', async () => {
    let reads = 0;
    let count = 1;
    server.use(
      http.get(`${API}/clusters`, () => HttpResponse.json({ items: clusters })),
      http.get(`${API}/clusters/dev/gpu-pools`, () => {
        reads += 1;
        const items = pools().map(p =>
          p.name === 'gpua100' ? { ...p, count } : p,
        );
        return HttpResponse.json({
          items,
          idle: { count: 1, usdPerHour: 6.4 },
        });
      }),
    );
    const signals = new TestSignalApi();
    await renderKaito(<GpuPoolsContent pollIntervalMs={50} />, { signals });
    await screen.findByText('gpua100');
    await new Promise(r => setTimeout(r, 300));
    expect(reads).toBe(1);
    count = 3;
    act(() =>
      signals.publish('kaito:gpu-pools', {
        topics: ['gpu-pools'],
        cluster: 'dev',
      }),
    );
    await waitFor(() =>
      expect(rowOf('gpua100').getByText('3')).toBeInTheDocument(),
    );
    expect(reads).toBe(2);
  });
});
