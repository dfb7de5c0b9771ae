import { registerMswTestHooks } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { entity, entityRef, runs, tuningSummary } from '../../__fixtures__';
import { API, TestSignalApi, renderKaito } from '../../__testUtils__';
import { KaitoEntityContent } from './KaitoEntityContent';

const server = setupServer();
registerMswTestHooks(server);

const CHANNEL = `kaito:entity:${entityRef}`;

/** Serves a workspace whose phase the test sets, counting the reads. */
function serve() {
  const state = {
    phase: 'Running' as 'Running' | 'Succeeded',
    lists: 0,
    runReads: 0,
  };
  server.use(
    http.get(`${API}/workspaces`, () => {
      state.lists += 1;
      const base = tuningSummary();
      return HttpResponse.json({
        items: [
          tuningSummary({
            state: state.phase,
            status: {
              ...base.status,
              phase: state.phase,
              terminal: state.phase === 'Succeeded',
            },
          }),
        ],
        errors: [],
      });
    }),
    http.get(`${API}/runs`, () => {
      state.runReads += 1;
      return HttpResponse.json({ items: runs() });
    }),
  );
  return state;
}

const wait = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('KaitoEntityContent with Backstage signals', () => {
  it('re-reads when the entity changes and does not poll', async () => {
    const state = serve();
    const signals = new TestSignalApi();
    await renderKaito(<KaitoEntityContent pollIntervalMs={50} />, {
      entity,
      signals,
    });
    await screen.findByText('Running');
    expect(signals.channels()).toContain(CHANNEL);
    // Many poll intervals pass: no read.
    await wait(400);
    expect(state.lists).toBe(1);
    expect(state.runReads).toBe(1);

    state.phase = 'Succeeded';
    act(() => signals.publish(CHANNEL, { topics: ['workspaces'] }));
    await screen.findByText('Succeeded');
    expect(state.lists).toBe(2);
    // The run history listens for its own topic only.
    expect(state.runReads).toBe(1);
    act(() => signals.publish(CHANNEL, { topics: ['runs'] }));
    await waitFor(() => expect(state.runReads).toBe(2));
    expect(state.lists).toBe(2);
    expect(screen.getByTestId('live-caption')).toHaveAttribute(
      'title',
      expect.stringContaining('signals'),
    );
  });

  it('polls where the app has no signals', async () => {
    const state = serve();
    await renderKaito(<KaitoEntityContent pollIntervalMs={50} />, { entity });
    await screen.findByText('Running');
    await waitFor(() => expect(state.lists).toBeGreaterThan(3));
    const table = within(screen.getByRole('table', { name: 'AI workspaces' }));
    expect(table.getByText('Running')).toBeInTheDocument();
  });

  it('reads once more when a change is announced during a read', async () => {
    const state = serve();
    const signals = new TestSignalApi();
    let release: () => void = () => {};
    await renderKaito(<KaitoEntityContent />, { entity, signals });
    await screen.findByText('Running');
    server.use(
      http.get(`${API}/workspaces`, async () => {
        state.lists += 1;
        const phase = state.phase;
        await new Promise<void>(r => {
          release = r;
        });
        const base = tuningSummary();
        return HttpResponse.json({
          items: [
            tuningSummary({
              state: phase,
              status: {
                ...base.status,
                phase,
                terminal: phase === 'Succeeded',
              },
            }),
          ],
          errors: [],
        });
      }),
    );
    act(() => signals.publish(CHANNEL, { topics: ['workspaces'] }));
    await waitFor(() => expect(state.lists).toBe(2));
    // The workspace finishes while that read is under way.
    state.phase = 'Succeeded';
    act(() => signals.publish(CHANNEL, { topics: ['workspaces'] }));
    act(() => release());
    await waitFor(() => expect(state.lists).toBe(3));
    act(() => release());
    await screen.findByText('Succeeded');
  });
});
