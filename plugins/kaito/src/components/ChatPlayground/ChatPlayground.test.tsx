import { registerMswTestHooks } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entityRef,
  readyInferenceDetail,
  uniqueEntity,
} from '../../__fixtures__';
import { API, renderKaito } from '../../__testUtils__';
import { ChatPlayground, chatStorageKey } from './ChatPlayground';
import { stringifyEntityRef } from '@backstage/catalog-model';

const server = setupServer();
registerMswTestHooks(server);

const CHAT = `${API}/clusters/dev/namespaces/ml-team/workspaces/serve-phi3/chat/completions`;

function chunk(content: string) {
  return `data: ${JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'phi-3-mini-128k-instruct',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })}\n\n`;
}

function sse(first: string[], gate: Promise<void>, rest: string[]) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      first.forEach(e => controller.enqueue(encoder.encode(e)));
      await gate;
      rest.forEach(e => controller.enqueue(encoder.encode(e)));
      controller.close();
    },
  });
}

describe('ChatPlayground', () => {
  beforeEach(() => window.sessionStorage.clear());

  it('streams the answer in as it is written, with the chosen parameters', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    let body: any;
    server.use(
      http.post(CHAT, async ({ request }) => {
        body = await request.json();
        return new HttpResponse(
          sse([chunk('Restart'), chunk(' the router')], gate, [
            chunk(', then wait a minute.'),
            'data: [DONE]\n\n',
          ]),
          { headers: { 'Content-Type': 'text/event-stream' } },
        );
      }),
    );
    const detail = readyInferenceDetail();
    await renderKaito(
      <ChatPlayground workspace={detail} entityRef={entityRef} />,
    );

    const maxTokens = screen.getByLabelText('Max tokens');
    fireEvent.change(maxTokens, { target: { value: '100' } });
    const slider = screen.getByRole('slider', { name: /Temperature/ });
    fireEvent.change(slider, { target: { value: 0.2 } });

    const input = screen.getByLabelText('Message');
    await userEvent.type(input, 'The VPN is down');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    const streaming = await screen.findByText('Restart the router');
    expect(streaming.closest('[aria-busy="true"]')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(body).toMatchObject({
      stream: true,
      temperature: 0.2,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'The VPN is down' }],
    });

    release();
    expect(
      await screen.findByText('Restart the router, then wait a minute.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Stop' }),
      ).not.toBeInTheDocument(),
    );
    const stored = JSON.parse(
      window.sessionStorage.getItem(chatStorageKey(detail))!,
    );
    expect(stored).toEqual([
      { role: 'user', content: 'The VPN is down' },
      { role: 'assistant', content: 'Restart the router, then wait a minute.' },
    ]);
  });

  it('keeps the conversation for the session and sends it as history', async () => {
    const detail = readyInferenceDetail();
    window.sessionStorage.setItem(
      chatStorageKey(detail),
      JSON.stringify([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
      ]),
    );
    let body: any;
    server.use(
      http.post(CHAT, async ({ request }) => {
        body = await request.json();
        return new HttpResponse(`${chunk('Sure.')}data: [DONE]\n\n`, {
          headers: { 'Content-Type': 'text/event-stream' },
        });
      }),
    );
    await renderKaito(
      <ChatPlayground workspace={detail} entityRef={entityRef} />,
    );
    expect(screen.getByText('Hello! How can I help?')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Message'), 'Thanks{Enter}');
    expect(await screen.findByText('Sure.')).toBeInTheDocument();
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('shows the model server’s error', async () => {
    server.use(
      http.post(CHAT, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'The model server is not serving',
            },
            request: { method: 'POST', url: '/x' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    await renderKaito(
      <ChatPlayground
        workspace={readyInferenceDetail()}
        entityRef={entityRef}
      />,
    );
    await userEvent.type(screen.getByLabelText('Message'), 'Hi{Enter}');
    expect(
      await screen.findByText(/The model server is not serving/),
    ).toBeInTheDocument();
  });

  it('is disabled without the chat permission', async () => {
    const ref = stringifyEntityRef(uniqueEntity());
    await renderKaito(
      <ChatPlayground workspace={readyInferenceDetail()} entityRef={ref} />,
      { deny: ['kaito.chat'] },
    );
    expect(await screen.findByText(/not allowed to chat/)).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toBeDisabled();
  });

  it('waits for the model to be ready', async () => {
    const detail = {
      ...readyInferenceDetail(),
      state: 'Provisioning' as const,
    };
    await renderKaito(
      <ChatPlayground workspace={detail} entityRef={entityRef} />,
    );
    expect(await screen.findByText(/not serving yet/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });
});
