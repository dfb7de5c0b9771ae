import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entity,
  entityRef,
  entityWithoutAnnotations,
  inferenceSummary,
  runs,
  tuningSummary,
  uniqueEntity,
} from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import { KaitoEntityContent } from './KaitoEntityContent';

const server = setupServer();
registerMswTestHooks(server);

function withRuns() {
  server.use(
    http.get(`${API}/runs`, () => HttpResponse.json({ items: runs() })),
  );
}

describe('KaitoEntityContent', () => {
  it('lists the entity’s workspaces', async () => {
    withRuns();
    let asked: string | null = null;
    server.use(
      http.get(`${API}/workspaces`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json({
          items: [tuningSummary(), inferenceSummary()],
          errors: [],
        });
      }),
    );
    await renderKaito(<KaitoEntityContent />, { entity });

    const row = (
      await screen.findByRole('link', { name: 'tune-phi3' })
    ).closest('tr')!;
    expect(asked).toBe(entityRef);
    const cells = within(row);
    expect(cells.getByText('tuning')).toBeInTheDocument();
    expect(cells.getByText('phi-3-mini-128k-instruct')).toBeInTheDocument();
    expect(cells.getByText('qlora')).toBeInTheDocument();
    expect(
      cells.getByText('Standard_NC24ads_A100_v4 × 1/1'),
    ).toBeInTheDocument();
    expect(cells.getByText('Running')).toBeInTheDocument();
    expect(cells.getByText('1h 30m')).toBeInTheDocument();
    expect(cells.getByText('1.50 GPU-h')).toBeInTheDocument();
    expect(cells.getByText('$5.51')).toBeInTheDocument();
    expect(cells.getByRole('link', { name: 'tune-phi3' })).toHaveAttribute(
      'href',
      expect.stringContaining('?workspace=dev%2Fml-team%2Ftune-phi3'),
    );

    const serving = within(
      screen.getByRole('link', { name: 'serve-phi3' }).closest('tr')!,
    );
    expect(serving.getByText('inference')).toBeInTheDocument();
    expect(serving.getByText('Ready')).toBeInTheDocument();
    expect(serving.getByText('$80.00')).toBeInTheDocument();
  });

  it('updates the state in place by polling', async () => {
    withRuns();
    let phase: 'Running' | 'Succeeded' = 'Running';
    server.use(
      http.get(`${API}/workspaces`, () => {
        const base = tuningSummary();
        const ws = tuningSummary({
          state: phase,
          status: { ...base.status, phase, terminal: phase === 'Succeeded' },
        });
        return HttpResponse.json({ items: [ws], errors: [] });
      }),
    );
    await renderKaito(<KaitoEntityContent pollIntervalMs={100} />, { entity });
    // Rows are re-rendered on every refresh: query afresh each time.
    await waitFor(() =>
      expect(screen.getByText('Running')).toBeInTheDocument(),
    );
    phase = 'Succeeded';
    await waitFor(() => {
      expect(screen.getByText('Succeeded')).toBeInTheDocument();
      expect(screen.queryByText('Running')).not.toBeInTheDocument();
    });
    expect(screen.getByRole('link', { name: 'tune-phi3' })).toBeInTheDocument();
  });

  it('shows an empty state with the golden paths when there is no workspace', async () => {
    server.use(
      http.get(`${API}/workspaces`, () =>
        HttpResponse.json({ items: [], errors: [] }),
      ),
      http.get(`${API}/runs`, () => HttpResponse.json({ items: [] })),
    );
    await renderKaito(<KaitoEntityContent />, { entity });
    expect(await screen.findByText('No AI workspaces yet')).toBeInTheDocument();
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();
  });

  it('names the missing annotation', async () => {
    await renderKaito(<KaitoEntityContent />, {
      entity: entityWithoutAnnotations,
    });
    expect(
      (await screen.findAllByText(/backstage\.io\/kubernetes-id/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows the backend’s error', async () => {
    withRuns();
    server.use(
      http.get(`${API}/workspaces`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'Cluster "dev" is unavailable',
            },
            request: { method: 'GET', url: '/api/kaito/workspaces' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    await renderKaito(<KaitoEntityContent />, { entity });
    expect(
      await screen.findByText(/Cluster "dev" is unavailable/),
    ).toBeInTheDocument();
  });

  it('reports clusters that could not be read', async () => {
    withRuns();
    server.use(
      http.get(`${API}/workspaces`, () =>
        HttpResponse.json({
          items: [tuningSummary()],
          errors: [{ cluster: 'prod', message: 'watch failed' }],
        }),
      ),
    );
    await renderKaito(<KaitoEntityContent />, { entity });
    expect(
      await screen.findByText(/Cluster prod could not be read/),
    ).toBeInTheDocument();
  });

  it('marks a cluster’s workspaces as its last known state while the cluster is unreachable', async () => {
    withRuns();
    const message =
      'Cluster "dev" is unavailable: /apis/kaito.sh/v1beta1/workspaces: read ECONNRESET';
    let stale = true;
    server.use(
      http.get(`${API}/workspaces`, () =>
        HttpResponse.json({
          items: [tuningSummary()],
          errors: [],
          clusters: [
            stale
              ? {
                  cluster: 'dev',
                  stale: true,
                  lastSyncedAt: '2026-12-06T10:00:00.000Z',
                  staleSince: '2026-12-06T10:05:00.000Z',
                  message,
                }
              : { cluster: 'dev', stale: false },
          ],
        }),
      ),
    );
    await renderKaito(<KaitoEntityContent pollIntervalMs={100} />, { entity });
    const alert = await screen.findByLabelText('Cluster dev is stale');
    expect(alert).toHaveTextContent(
      /Cluster dev is unreachable: showing its last known state \(from .+\)/,
    );
    expect(alert).toHaveTextContent(message);
    expect(alert).toHaveTextContent('It refreshes by itself');
    // The last known workspaces are still listed.
    expect(screen.getByRole('link', { name: 'tune-phi3' })).toBeInTheDocument();
    expect(screen.getByText(/^stale · updated/)).toBeInTheDocument();

    stale = false;
    await waitFor(() =>
      expect(
        screen.queryByLabelText('Cluster dev is stale'),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByText(/^live · updated/)).toBeInTheDocument();
  });

  it('shows the run history with totals', async () => {
    withRuns();
    server.use(
      http.get(`${API}/workspaces`, () =>
        HttpResponse.json({ items: [], errors: [] }),
      ),
    );
    await renderKaito(<KaitoEntityContent />, { entity });
    const totals = await screen.findByTestId('run-totals');
    expect(totals).toHaveTextContent('2 runs');
    expect(totals).toHaveTextContent('27.0 GPU-h');
    expect(totals).toHaveTextContent('$87.35');
    expect(screen.getByText('tune-old')).toBeInTheDocument();
  });

  describe('permissions', () => {
    beforeEach(() => {
      withRuns();
      server.use(
        http.get(`${API}/workspaces`, () =>
          HttpResponse.json({ items: [tuningSummary()], errors: [] }),
        ),
      );
    });

    it('links the golden-path templates prefilled with the entity', async () => {
      await renderKaito(<KaitoEntityContent />, { entity });
      const fineTune = await screen.findByRole('link', {
        name: /Fine-tune a model/,
      });
      const href = fineTune.getAttribute('href')!;
      expect(href).toMatch(
        /^\/create\/templates\/default\/fine-tune-model\?formData=/,
      );
      expect(
        JSON.parse(new URL(href, 'http://x').searchParams.get('formData')!),
      ).toEqual({
        entityRef,
        namespace: 'ml-team',
      });
      expect(
        screen.getByRole('link', { name: /Deploy a model/ }),
      ).toHaveAttribute(
        'href',
        expect.stringMatching(
          /^\/create\/templates\/default\/deploy-inference\?formData=/,
        ),
      );
      expect(
        await screen.findByRole('button', {
          name: 'Delete workspace tune-phi3',
        }),
      ).toBeEnabled();
    });

    it('disables create and delete with the reason when not allowed', async () => {
      await renderKaito(<KaitoEntityContent />, {
        entity: uniqueEntity(),
        deny: ['kaito.workspace.create', 'kaito.workspace.delete'],
      });
      await screen.findByRole('link', { name: 'tune-phi3' });
      await waitFor(() =>
        expect(
          screen.getByRole('button', { name: /Fine-tune a model/ }),
        ).toBeDisabled(),
      );
      expect(
        screen.queryByRole('link', { name: /Fine-tune a model/ }),
      ).not.toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: /Deploy a model/ }),
      ).toBeDisabled();
      expect(
        screen.getByRole('button', { name: 'Delete workspace tune-phi3' }),
      ).toBeDisabled();
    });

    it('deletes a workspace after confirmation', async () => {
      let deleted = false;
      server.use(
        http.delete(
          `${API}/clusters/dev/namespaces/ml-team/workspaces/tune-phi3`,
          () => {
            deleted = true;
            return HttpResponse.json(tuningSummary({ state: 'Deleting' }));
          },
        ),
      );
      await renderKaito(<KaitoEntityContent />, { entity });
      const button = await screen.findByRole('button', {
        name: 'Delete workspace tune-phi3',
      });
      await waitFor(() => expect(button).toBeEnabled());
      await userEvent.click(button);
      const dialog = await screen.findByRole('dialog');
      expect(deleted).toBe(false);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Delete' }),
      );
      await waitFor(() => expect(deleted).toBe(true));
    });

    it('hides the tab’s content without read permission', async () => {
      await renderKaito(<KaitoEntityContent />, {
        entity: uniqueEntity(),
        deny: ['kaito.workspace.read'],
      });
      expect(
        await screen.findByText(/Permission required/),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('link', { name: /Fine-tune/ }),
      ).not.toBeInTheDocument();
    });
  });
});
