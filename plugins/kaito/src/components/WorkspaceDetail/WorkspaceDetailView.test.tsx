import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entity,
  entityRef,
  quotaFailureDetail,
  readyInferenceDetail,
  runningTuningDetail,
  succeededTuningDetail,
} from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import { KaitoEntityContent } from '../EntityContent/KaitoEntityContent';
import { WorkspaceDetail } from '@kaito-backstage/plugin-kaito-common';

const server = setupServer();
registerMswTestHooks(server);

function serve(detail: WorkspaceDetail) {
  server.use(
    http.get(
      `${API}/clusters/${detail.cluster}/namespaces/${detail.namespace}/workspaces/${detail.name}`,
      () => HttpResponse.json(detail),
    ),
  );
}

function route(detail: WorkspaceDetail, view?: string) {
  return `/?workspace=${encodeURIComponent(
    `${detail.cluster}/${detail.namespace}/${detail.name}`,
  )}${view ? `&view=${view}` : ''}`;
}

describe('workspace detail', () => {
  it('shows the condition timeline with reasons and messages', async () => {
    const detail = runningTuningDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    const timeline = await screen.findByRole('list', {
      name: 'Condition timeline',
    });
    const job = within(timeline).getByTestId('condition-JobStarted');
    expect(job).toHaveTextContent('WorkspaceTuningJobStatusStarted');
    expect(job).toHaveTextContent('tuning job has started');
    expect(
      within(timeline).getByTestId('condition-ResourceReady'),
    ).toHaveTextContent('workspace resource is ready');
    expect(screen.getByRole('table', { name: 'Events' })).toHaveTextContent(
      'Created pod: tune-phi3-x7k2p',
    );
    expect(screen.getByRole('table', { name: 'Pods' })).toHaveTextContent(
      'aks-ws1-vmss000000',
    );
    expect(screen.queryByTestId('workspace-problem')).not.toBeInTheDocument();
  });

  it('says when the workspace is shown as its cluster’s last known state', async () => {
    const detail = runningTuningDetail();
    serve({
      ...detail,
      freshness: {
        cluster: detail.cluster,
        stale: true,
        lastSyncedAt: '2026-12-06T10:00:00.000Z',
        staleSince: '2026-12-06T10:05:00.000Z',
        message: `Cluster "${detail.cluster}" is unavailable: read ECONNRESET`,
      },
    });
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    const alert = await screen.findByLabelText(
      `Cluster ${detail.cluster} is stale`,
    );
    expect(alert).toHaveTextContent(
      `Cluster ${detail.cluster} is unreachable: showing its last known state`,
    );
    expect(alert).toHaveTextContent('read ECONNRESET');
    // The rest of the detail is there as last seen.
    expect(
      await screen.findByRole('list', { name: 'Condition timeline' }),
    ).toBeInTheDocument();
  });

  it('shows no stale marker for a fresh cluster', async () => {
    const detail = runningTuningDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    await screen.findByRole('list', { name: 'Condition timeline' });
    expect(
      screen.queryByLabelText(`Cluster ${detail.cluster} is stale`),
    ).not.toBeInTheDocument();
  });

  it('explains a quota failure and what to do about it', async () => {
    const detail = quotaFailureDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    const problem = await screen.findByTestId('workspace-problem');
    expect(problem).toHaveTextContent(
      'Azure has no GPU quota left for this workspace',
    );
    expect(problem).toHaveTextContent(
      'Ask the platform team to request more vCPU quota for the standardNCADSA100v4Family family in eastus',
    );
    expect(problem).toHaveTextContent('pick another GPU SKU');
    expect(problem).toHaveTextContent('Insufficient vcpu quota requested 24');
    expect(screen.getByText('Provisioning (blocked)')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'NodeClaims' })).toHaveTextContent(
      'ws1a2b3c4d5',
    );
  });

  it('shows training progress and the loss curve', async () => {
    const detail = runningTuningDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    const bar = await screen.findByRole('progressbar', {
      name: 'Training progress',
    });
    expect(bar).toHaveAttribute('aria-valuenow', '30');
    expect(
      screen.getByText(/30% · step 120 \/ 400 · epoch 0.90 \/ 3/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('loss-chart')).toBeInTheDocument();
    expect(
      screen.getByText('acr.io/support/phi3-adapter:v1'),
    ).toBeInTheDocument();
  });

  it('disables "Serve this model" until the run has succeeded', async () => {
    const detail = runningTuningDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    expect(
      await screen.findByRole('button', { name: /Serve this model/ }),
    ).toBeDisabled();
  });

  it('opens deploy-inference prefilled with the adapter', async () => {
    const detail = succeededTuningDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    const link = await screen.findByRole('link', { name: /Serve this model/ });
    const href = link.getAttribute('href')!;
    expect(href).toMatch(
      /^\/create\/templates\/default\/deploy-inference\?formData=/,
    );
    expect(
      JSON.parse(new URL(href, 'http://x').searchParams.get('formData')!),
    ).toEqual({
      entityRef,
      cluster: 'dev',
      namespace: 'ml-team',
      preset: 'phi-3-mini-128k-instruct',
      adapterImage: 'acr.io/support/phi3-adapter:v1',
      adapterName: 'tune-phi3',
      sourceWorkspace: 'tune-phi3',
    });
    expect(
      screen.getByRole('progressbar', { name: 'Training progress' }),
    ).toHaveAttribute('aria-valuenow', '100');
  });

  it('shows an inference workspace’s endpoint and adapters, with a chat tab', async () => {
    const detail = readyInferenceDetail();
    serve(detail);
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    expect(
      await screen.findByText('http://serve-phi3.ml-team.svc.cluster.local:80'),
    ).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Adapters' })).toHaveTextContent(
      'acr.io/support/phi3-adapter:v1',
    );
    expect(screen.getByRole('tab', { name: 'Chat' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Serve this model/ }),
    ).not.toBeInTheDocument();
  });

  it('goes back to the list', async () => {
    const detail = readyInferenceDetail();
    serve(detail);
    server.use(
      http.get(`${API}/workspaces`, () =>
        HttpResponse.json({ items: [], errors: [] }),
      ),
      http.get(`${API}/runs`, () => HttpResponse.json({ items: [] })),
    );
    await renderKaito(<KaitoEntityContent />, { entity, route: route(detail) });
    await userEvent.click(
      await screen.findByRole('link', { name: /All workspaces/ }),
    );
    expect(await screen.findByText('No AI workspaces yet')).toBeInTheDocument();
  });

  it('shows a missing workspace’s error', async () => {
    server.use(
      http.get(`${API}/clusters/dev/namespaces/ml-team/workspaces/gone`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'Workspace ml-team/gone not found on cluster "dev"',
            },
            request: { method: 'GET', url: '/x' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await renderKaito(<KaitoEntityContent />, {
      entity,
      route: '/?workspace=dev%2Fml-team%2Fgone',
    });
    expect(
      (await screen.findAllByText(/Workspace ml-team\/gone not found/)).length,
    ).toBeGreaterThan(0);
  });
});
