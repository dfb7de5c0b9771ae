import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { runningTuningDetail, succeededTuningDetail } from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import { WorkspaceLogs } from './WorkspaceLogs';

const server = setupServer();
registerMswTestHooks(server);

const LOGS = `${API}/clusters/dev/namespaces/ml-team/workspaces/tune-phi3/logs`;

function textStream(parts: string[], gate?: Promise<void>) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(parts[0]));
      if (gate) await gate;
      for (const p of parts.slice(1)) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
}

describe('WorkspaceLogs', () => {
  it('follows a running workspace’s log as lines arrive', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(LOGS, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return new HttpResponse(
          textStream(
            ['{"loss": 2.1, "epoch": 0.1}\n', ' 12/400 [00:24<06:16]\n'],
            gate,
          ),
          {
            headers: {
              'Content-Type': 'text/plain',
              'X-Kaito-Pod': 'tune-phi3-x7k2p',
              'X-Kaito-Container': 'tune-phi3',
            },
          },
        );
      }),
    );
    await renderKaito(<WorkspaceLogs workspace={runningTuningDetail()} />);
    const log = await screen.findByTestId('workspace-log');
    await waitFor(() => expect(log).toHaveTextContent('{"loss": 2.1'));
    expect(log).not.toHaveTextContent('12/400');
    expect(
      screen.getByText(/tune-phi3-x7k2p \/ tune-phi3 · following/),
    ).toBeInTheDocument();
    expect(queries[0].get('follow')).toBe('true');
    expect(queries[0].get('tailLines')).toBe('500');
    release();
    await waitFor(() => expect(log).toHaveTextContent('12/400'));
    expect(await screen.findByText(/stream ended/)).toBeInTheDocument();
  });

  it('does not follow a finished run, and can be switched to follow', async () => {
    const follows: Array<string | null> = [];
    server.use(
      http.get(LOGS, ({ request }) => {
        follows.push(new URL(request.url).searchParams.get('follow'));
        return new HttpResponse('done\n', {
          headers: { 'Content-Type': 'text/plain' },
        });
      }),
    );
    await renderKaito(<WorkspaceLogs workspace={succeededTuningDetail()} />);
    await waitFor(() =>
      expect(screen.getByTestId('workspace-log')).toHaveTextContent('done'),
    );
    expect(follows).toEqual(['false']);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Follow' }));
    await waitFor(() => expect(follows).toEqual(['false', 'true']));
  });

  it('says when there is no pod yet', async () => {
    server.use(
      http.get(LOGS, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message:
                'Workspace ml-team/tune-phi3 on cluster "dev" has no pod yet',
            },
            request: { method: 'GET', url: '/x' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await renderKaito(<WorkspaceLogs workspace={runningTuningDetail()} />);
    expect(await screen.findByText(/has no pod yet/)).toBeInTheDocument();
  });
});
