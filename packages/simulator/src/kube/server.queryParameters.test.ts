/**
 * Query parameters over HTTP, spelled as clients other than client-node
 * spell them (the Python client's `watch=True`, curl's defaults), and the
 * resourceVersion semantics of reads: NotOlderThan, Exact, continue snapshots.
 */
import type { KubeObject } from './api';
import { TEST_TOKEN, startTestCluster, type TestCluster } from './testSupport';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

const configMap = (name: string, v = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { v },
});

describe('query parameters as the API server parses them', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ store: { historyLimit: 40 } });
  });

  afterAll(() => cluster.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${cluster.server.url}${path}`, {
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, ...headers },
    });

  /** Reads a watch stream until `count` events arrived, then closes it. */
  async function watchEvents(path: string, count: number) {
    const controller = new AbortController();
    const response = await fetch(`${cluster.server.url}${path}`, {
      headers: { Authorization: `Bearer ${TEST_TOKEN}` },
      signal: controller.signal,
    });
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (text.split('\n').filter(Boolean).length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    return text
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line));
  }

  let watched = 0;
  it.each(['True', 'TRUE', 't', '1', 'yes'])(
    'watch=%s streams events (any value but 0 and false is true)',
    async value => {
      watched += 1;
      await cluster.store.create(configMap(`watched-${watched}`));
      const events = await watchEvents(`${CONFIGMAPS}?watch=${value}`, 1);
      expect(events[0].type).toBe('ADDED');
    },
  );

  it.each(['False', 'false', '0'])('watch=%s lists', async value => {
    const response = await get(`${CONFIGMAPS}?watch=${value}`);
    expect(response.status).toBe(200);
    expect((await response.json()).kind).toBe('ConfigMapList');
  });

  it('a malformed resourceVersion is a 500 without a reason, as the storage layer reports it', async () => {
    const response = await get(`${CONFIGMAPS}?resourceVersion=cool`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'resourceVersion: Invalid value: "cool": strconv.ParseUint: parsing "cool": invalid syntax',
      code: 500,
    });
  });

  it('a malformed limit is a 400 with strconv.ParseInt wording', async () => {
    const response = await get(`${CONFIGMAPS}?limit=ten`);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(
      'strconv.ParseInt: parsing "ten": invalid syntax',
    );
  });

  it('pretty-prints for curl without asking, and for pretty=1; never for pretty=yes', async () => {
    const curl = await (
      await get(`${CONFIGMAPS}/missing`, { 'User-Agent': 'curl/8.5.0' })
    ).text();
    expect(curl).toContain('\n  "kind": "Status"');
    expect(await (await get(`/api/v1/namespaces?pretty=1`)).text()).toContain(
      '\n  "kind": "NamespaceList"',
    );
    expect(
      await (
        await get(`/api/v1/namespaces?pretty=yes`, { 'User-Agent': 'curl/8' })
      ).text(),
    ).toMatch(/^\{"kind":"NamespaceList"/);
  });

  it('includeObject is checked only when a Table is served', async () => {
    expect((await get(`${CONFIGMAPS}?includeObject=All`)).status).toBe(200);
    const table = await get(`${CONFIGMAPS}?includeObject=All`, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(table.status).toBe(400);
    expect((await table.json()).message).toBe(
      "includeObject: Invalid value: \"All\": must be 'Metadata', 'Object', 'None', or empty",
    );
  });

  it('a malformed timeout is refused before the request is served', async () => {
    const response = await get(`${CONFIGMAPS}?timeout=30`);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(
      'invalid timeout specified in the request URL - time: missing unit in duration "30"',
    );
  });

  it('dryRun=All&dryRun=Server on a create is a 422 naming CreateOptions', async () => {
    const response = await fetch(
      `${cluster.server.url}${CONFIGMAPS}?dryRun=All&dryRun=Server`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${TEST_TOKEN}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(configMap('never')),
      },
    );
    expect(response.status).toBe(422);
    const status = await response.json();
    expect(status.details).toMatchObject({
      group: 'meta.k8s.io',
      kind: 'CreateOptions',
    });
    expect(
      cluster.store.get({
        group: '',
        plural: 'configmaps',
        namespace: 'default',
        name: 'never',
      }),
    ).toBeUndefined();
  });

  it('DELETE ?resourceVersion= is a precondition (409 when stale)', async () => {
    const created = await cluster.store.create(configMap('precondition'));
    await cluster.store.update({ ...created, data: { v: '2' } });
    const stale = await fetch(
      `${cluster.server.url}${CONFIGMAPS}/precondition?resourceVersion=${created.metadata.resourceVersion}`,
      { method: 'DELETE', headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
    );
    expect(stale.status).toBe(409);
    expect(
      cluster.store.get({
        group: '',
        plural: 'configmaps',
        namespace: 'default',
        name: 'precondition',
      }),
    ).toBeDefined();
  });

  describe('resourceVersion semantics of lists', () => {
    it('Exact serves the list as it was; 410 once the history is compacted', async () => {
      const before = await cluster.store.create(configMap('exact-a'));
      await cluster.store.create(configMap('exact-b'));
      const then = before.metadata.resourceVersion!;
      const response = await get(
        `${CONFIGMAPS}?resourceVersion=${then}&resourceVersionMatch=Exact`,
      );
      const list = await response.json();
      expect(list.metadata.resourceVersion).toBe(then);
      const names = list.items.map((i: KubeObject) => i.metadata.name);
      expect(names).toContain('exact-a');
      expect(names).not.toContain('exact-b');

      for (let i = 0; i < 50; i++) {
        await cluster.store.create(configMap(`filler-${i}`));
      }
      const expired = await get(
        `${CONFIGMAPS}?resourceVersion=${then}&resourceVersionMatch=Exact`,
      );
      expect(expired.status).toBe(410);
      expect(await expired.json()).toMatchObject({
        reason: 'Expired',
        message: 'The resourceVersion for the provided list is too old.',
      });
    });

    it('continue pages come from the first page snapshot', async () => {
      for (const name of ['page-1', 'page-2', 'page-3']) {
        await cluster.store.create(configMap(name));
      }
      const first = await (
        await get(`${CONFIGMAPS}?limit=1&labelSelector=`)
      ).json();
      expect(first.metadata.continue).toBeTruthy();
      // Changes after the first page do not show up in the next ones.
      await cluster.store.create(configMap('zzz-late'));
      const rest = await (
        await get(
          `${CONFIGMAPS}?continue=${encodeURIComponent(
            first.metadata.continue,
          )}`,
        )
      ).json();
      expect(rest.metadata.resourceVersion).toBe(
        first.metadata.resourceVersion,
      );
      expect(rest.items.map((i: KubeObject) => i.metadata.name)).not.toContain(
        'zzz-late',
      );
    });

    it('a future resourceVersion waits for the store, then is a 504 the client may retry', async () => {
      const current = Number(cluster.store.currentResourceVersion());
      const started = Date.now();
      const response = await get(
        `${CONFIGMAPS}?resourceVersion=${current + 1000}`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({
        reason: 'Timeout',
        message: `Timeout: Too large resource version: ${
          current + 1000
        }, current: ${current}`,
        details: {
          causes: [{ reason: 'ResourceVersionTooLarge' }],
          retryAfterSeconds: 1,
        },
      });
    });

    it('a resourceVersion reached while waiting is served', async () => {
      const current = Number(cluster.store.currentResourceVersion());
      const pending = get(`${CONFIGMAPS}?resourceVersion=${current + 1}`);
      await new Promise(resolve => setTimeout(resolve, 200));
      await cluster.store.create(configMap('arrives'));
      const response = await pending;
      expect(response.status).toBe(200);
      const names = (await response.json()).items.map(
        (i: KubeObject) => i.metadata.name,
      );
      expect(names).toContain('arrives');
    });
  });
});
