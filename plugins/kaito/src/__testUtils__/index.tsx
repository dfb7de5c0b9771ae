import { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
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

/**
 * Backstage's signal API as the app would provide it, with a way for the
 * test to play the backend: `publish` delivers a message to the channel's
 * subscribers.
 */
type Message = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

export class TestSignalApi implements SignalApi {
  private readonly subscribers = new Map<string, Set<(m: Message) => void>>();

  subscribe<T extends Message>(channel: string, onMessage: (m: T) => void) {
    const set = this.subscribers.get(channel) ?? new Set();
    this.subscribers.set(channel, set);
    const callback = onMessage as (m: Message) => void;
    set.add(callback);
    return { unsubscribe: () => set.delete(callback) };
  }

  /** Channels someone listens to. */
  channels(): string[] {
    return [...this.subscribers]
      .filter(([, set]) => set.size > 0)
      .map(([channel]) => channel);
  }

  publish(channel: string, message: Message): void {
    // A message is parsed afresh for each delivery, as off the WebSocket.
    for (const callback of this.subscribers.get(channel) ?? []) {
      callback(JSON.parse(JSON.stringify(message)));
    }
  }
}

export interface RenderOptions {
  entity?: Entity;
  deny?: string[];
  route?: string;
  alerts?: ReturnType<typeof alertApi>;
  /** The app's signal API; without it the views poll. */
  signals?: TestSignalApi;
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
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
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
