/**
 * Watches over HTTP as @kubernetes/client-node consumes them: `Watch`,
 * `makeInformer`/`ListWatch`, resume and expiry, bookmarks, timeouts and
 * dropped streams (faults.watchDrop).
 */
import { request as httpRequest } from 'node:http';
import {
  CoreV1Api,
  KubeConfig,
  Watch,
  makeInformer,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import type { KubeObject } from './api';
import {
  TEST_TOKEN,
  eventually,
  startTestCluster,
  type TestCluster,
} from './testSupport';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

interface Received {
  type: string;
  object: any;
}

/** Collects the events of one client-node Watch until it ends. */
async function openWatch(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
) {
  const events: Received[] = [];
  let ended: ((err: unknown) => void) | undefined;
  const done = new Promise<unknown>(resolve => {
    ended = resolve;
  });
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => events.push({ type, object }),
    err => ended!(err),
  );
  return { events, done, stop: () => controller.abort() };
}

const configMap = (
  name: string,
  labels?: Record<string, string>,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
  data: { v: '1' },
});

describe('watch', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;

  beforeEach(async () => {
    cluster = await startTestCluster({
      bookmarkIntervalMs: 100,
      store: { historyLimit: 50 },
    });
    kc = new KubeConfig();
    kc.loadFromOptions(cluster.kubeConfigOptions());
  });

  afterEach(() => cluster.close());

  it('streams ADDED, MODIFIED and DELETED in order', async () => {
    const list = cluster.store.list({ group: '', plural: 'configmaps' });
    const watch = await openWatch(kc, CONFIGMAPS, {
      resourceVersion: list.resourceVersion,
    });
    const created = await cluster.store.create(configMap('a'));
    await cluster.store.update({ ...created, data: { v: '2' } });
    await cluster.store.delete({
      group: '',
      plural: 'configmaps',
      namespace: 'default',
      name: 'a',
    });
    await eventually(() => watch.events.length === 3);
    expect(
      watch.events.map(e => [e.type, e.object.metadata.name, e.object.data?.v]),
    ).toEqual([
      ['ADDED', 'a', '1'],
      ['MODIFIED', 'a', '2'],
      ['DELETED', 'a', '2'],
    ]);
    const versions = watch.events.map(e =>
      Number(e.object.metadata.resourceVersion),
    );
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    expect(watch.events[0].object.kind).toBe('ConfigMap');
    watch.stop();
  });

  it('starts with the current state when no resourceVersion is given', async () => {
    await cluster.store.create(configMap('existing'));
    const watch = await openWatch(kc, CONFIGMAPS);
    await eventually(() => watch.events.length === 1);
    expect(watch.events[0]).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'existing' } },
    });
    watch.stop();
  });

  it('resumes from a resourceVersion', async () => {
    const a = await cluster.store.create(configMap('a'));
    await cluster.store.create(configMap('b'));
    await cluster.store.create(configMap('c'));
    const watch = await openWatch(kc, CONFIGMAPS, {
      resourceVersion: a.metadata.resourceVersion,
    });
    await eventually(() => watch.events.length === 2);
    expect(watch.events.map(e => e.object.metadata.name)).toEqual(['b', 'c']);
    watch.stop();
  });

  it('filters by label selector, turning label changes into ADDED/DELETED', async () => {
    const watch = await openWatch(kc, CONFIGMAPS, {
      labelSelector: 'tier=gpu',
    });
    const cm = await cluster.store.create(configMap('x'));
    const labelled = await cluster.store.update({
      ...cm,
      metadata: { ...cm.metadata, labels: { tier: 'gpu' } },
    });
    await cluster.store.update({
      ...labelled,
      metadata: { ...labelled.metadata, labels: { tier: 'cpu' } },
    });
    await eventually(() => watch.events.length === 2);
    expect(watch.events.map(e => e.type)).toEqual(['ADDED', 'DELETED']);
    watch.stop();
  });

  it('watches a single object by name on the watch path (/api/v1/watch/.../configmaps/<name>)', async () => {
    const watch = await openWatch(
      kc,
      '/api/v1/watch/namespaces/default/configmaps/wanted',
      {
        resourceVersion: cluster.store.currentResourceVersion(),
      },
    );
    await cluster.store.create(configMap('other'));
    await cluster.store.create(configMap('wanted'));
    await eventually(() => watch.events.length === 1);
    expect(watch.events.map(e => e.object.metadata.name)).toEqual(['wanted']);
    watch.stop();
  });

  it('reads the object for GET .../configmaps/<name>?watch=true (GetOptions has no watch)', async () => {
    await cluster.store.create(configMap('plain'));
    const response = await fetch(
      `${cluster.server.url}${CONFIGMAPS}/plain?watch=true`,
      {
        headers: { Authorization: `Bearer ${TEST_TOKEN}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).not.toBeNull();
    expect(await response.json()).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'plain' },
    });
  });

  it('sends an ERROR event with a 410 Expired Status for a too-old resourceVersion', async () => {
    const first = await cluster.store.create(configMap('first'));
    for (let i = 0; i < 80; i++) {
      await cluster.store.create(configMap(`filler-${i}`));
    }
    const watch = await openWatch(kc, CONFIGMAPS, {
      resourceVersion: first.metadata.resourceVersion,
    });
    expect(await watch.done).toBeFalsy();
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0].type).toBe('ERROR');
    expect(watch.events[0].object).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(watch.events[0].object.message).toMatch(
      /^too old resource version: \d+ \(\d+\)$/,
    );
  });

  it('sends BOOKMARK events when asked, carrying the current resourceVersion', async () => {
    const watch = await openWatch(kc, CONFIGMAPS, {
      allowWatchBookmarks: true,
      resourceVersion: cluster.store.currentResourceVersion(),
    });
    const cm = await cluster.store.create(configMap('bm'));
    await eventually(
      () =>
        watch.events.some(
          e =>
            e.type === 'BOOKMARK' &&
            e.object.metadata.resourceVersion === cm.metadata.resourceVersion,
        ),
      2000,
    );
    const bookmark = watch.events.find(e => e.type === 'BOOKMARK')!;
    expect(bookmark.object).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
    });
    watch.stop();
  });

  it('refuses sendInitialEvents while the WatchList gate is off, as Kubernetes 1.33 does by default', async () => {
    const response = await fetch(
      `${cluster.server.url}${CONFIGMAPS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
      { headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
      reason: 'Invalid',
      details: {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [
          {
            reason: 'FieldValueForbidden',
            message:
              'Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
            field: 'sendInitialEvents',
          },
        ],
      },
      code: 422,
    });
  });

  describe('with the WatchList feature gate on', () => {
    let gated: TestCluster;
    let gatedKc: KubeConfig;

    beforeEach(async () => {
      gated = await startTestCluster({ watchList: true });
      gatedKc = new KubeConfig();
      gatedKc.loadFromOptions(gated.kubeConfigOptions());
    });

    afterEach(() => gated.close());

    it('marks the end of initial events for sendInitialEvents watches', async () => {
      await gated.store.create(configMap('one'));
      const watch = await openWatch(gatedKc, CONFIGMAPS, {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      });
      await eventually(() => watch.events.length >= 2);
      expect(watch.events[0]).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'one' } },
      });
      expect(watch.events[1]).toMatchObject({
        type: 'BOOKMARK',
        object: {
          metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } },
        },
      });
      watch.stop();
    });

    it('defaults a legacy watch (no resourceVersion) to sendInitialEvents (SetListOptionsDefaults)', async () => {
      await gated.store.create(configMap('two'));
      const watch = await openWatch(gatedKc, CONFIGMAPS, {
        allowWatchBookmarks: true,
      });
      await eventually(() => watch.events.length >= 2);
      expect(watch.events.map(e => e.type)).toEqual(['ADDED', 'BOOKMARK']);
      watch.stop();
    });
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const started = Date.now();
    const watch = await openWatch(kc, CONFIGMAPS, {
      timeoutSeconds: 1,
      resourceVersion: cluster.store.currentResourceVersion(),
    });
    expect(await watch.done).toBeFalsy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(cluster.server.openWatches()).toBe(0);
  });

  it('drops open streams every faults.watchDrop.everyMs, as a broken connection', async () => {
    cluster.faults.patch({ watchDrop: { everyMs: 150 } });
    const watch = await openWatch(kc, CONFIGMAPS, {
      resourceVersion: cluster.store.currentResourceVersion(),
    });
    const err = await watch.done;
    expect(err).toBeTruthy();
    await eventually(() => cluster.server.openWatches() === 0);
  });

  it('cuts open watches and refuses requests while faults.kubeApiDown, and serves again after', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const watch = await openWatch(kc, CONFIGMAPS, {
      resourceVersion: cluster.store.currentResourceVersion(),
    });
    cluster.faults.patch({ kubeApiDown: true });
    expect(await watch.done).toBeTruthy();
    expect(cluster.server.openWatches()).toBe(0);
    await expect(
      core.listNamespacedConfigMap({ namespace: 'default' }),
    ).rejects.toThrow(/socket hang up|ECONNRESET|disconnected/);

    cluster.faults.patch({ kubeApiDown: false });
    await cluster.store.create(configMap('after-outage'));
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map(c => c.metadata?.name)).toContain('after-outage');
  });

  it('streams server-side Table rows with column definitions only on the first event', async () => {
    const events: any[] = [];
    await new Promise<void>((resolve, reject) => {
      const url = new URL(
        `${CONFIGMAPS}?watch=1&resourceVersion=${cluster.store.currentResourceVersion()}`,
        cluster.server.url,
      );
      const req = httpRequest(
        url,
        {
          headers: {
            Authorization: `Bearer ${TEST_TOKEN}`,
            Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
          },
        },
        res => {
          expect(res.headers['content-type']).toBe(
            'application/json;as=Table;v=v1;g=meta.k8s.io',
          );
          let buffer = '';
          res.on('data', chunk => {
            buffer += chunk;
            const lines = buffer.split('\n');
            buffer = lines.pop()!;
            events.push(...lines.map(line => JSON.parse(line)));
            if (events.length === 2) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.on('error', error =>
        events.length === 2 ? resolve() : reject(error),
      );
      req.end();
      setTimeout(async () => {
        await cluster.store.create(configMap('t1'));
        await cluster.store.create(configMap('t2'));
      }, 50);
    });
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Data',
      'Age',
    ]);
    expect(events[0].object.rows[0].cells.slice(0, 2)).toEqual(['t1', 1]);
    expect(events[1].object.columnDefinitions).toBeNull();
    expect(events[1].object.rows[0].cells[0]).toBe('t2');
  });
});

describe('informers', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;

  beforeEach(async () => {
    cluster = await startTestCluster();
    kc = new KubeConfig();
    kc.loadFromOptions(cluster.kubeConfigOptions());
  });

  afterEach(() => cluster.close());

  it('keeps a makeInformer cache in sync', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'before' } },
    });
    const informer = makeInformer<V1ConfigMap>(kc, CONFIGMAPS, () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('add', o => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', o => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', o => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'after' } },
      });
      await core.patchNamespacedConfigMap({
        name: 'after',
        namespace: 'default',
        body: [{ op: 'add', path: '/data', value: { a: 'b' } }],
      });
      await core.deleteNamespacedConfigMap({
        name: 'before',
        namespace: 'default',
      });
      await eventually(() => seen.length === 4);
      expect(seen).toEqual([
        'add:before',
        'add:after',
        'update:after',
        'delete:before',
      ]);
      expect(informer.list('default').map(o => o.metadata?.name)).toEqual([
        'after',
      ]);
    } finally {
      await informer.stop();
    }
  });

  it('survives dropped watch streams (restart on error, resume from the last resourceVersion)', async () => {
    cluster.faults.patch({ watchDrop: { everyMs: 250 } });
    const core = kc.makeApiClient(CoreV1Api);
    const listCalls: number[] = [];
    const informer = makeInformer<V1ConfigMap>(kc, CONFIGMAPS, () => {
      listCalls.push(Date.now());
      return core.listNamespacedConfigMap({ namespace: 'default' });
    });
    const added: string[] = [];
    let errors = 0;
    informer.on('add', o => added.push(o.metadata!.name!));
    // client-node's documented pattern: an informer stops on a watch error; restart it.
    informer.on('error', () => {
      errors += 1;
      setTimeout(() => void informer.start(), 20);
    });
    await informer.start();
    try {
      for (let i = 0; i < 8; i++) {
        await cluster.store.create(configMap(`cm-${i}`));
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      await eventually(() => added.length === 8, 3000);
      expect(added).toEqual([
        'cm-0',
        'cm-1',
        'cm-2',
        'cm-3',
        'cm-4',
        'cm-5',
        'cm-6',
        'cm-7',
      ]);
      expect(errors).toBeGreaterThan(0);
      // Restarts resumed the watch from the informer's resourceVersion instead of listing again.
      expect(listCalls).toHaveLength(1);
      expect(informer.list('default')).toHaveLength(8);
    } finally {
      await informer.stop();
    }
  });
});
