import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { readClusterConfigs, readWatchSettings } from './config';

const SUB = '00000000-0000-0000-0000-000000000001';
const TENANT = '00000000-0000-0000-0000-0000000000aa';
const CLIENT = '00000000-0000-0000-0000-0000000000cc';
const AZURE = { subscriptionId: SUB, resourceGroup: 'r', clusterName: 'c' };
const withAzure = (azure: Record<string, string>) => ({
  clusters: { a: { azure: { ...AZURE, ...azure } } },
});
const PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----';

function clusters(list: JsonValue[], kaito?: JsonValue) {
  return new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [
        { type: 'catalog' },
        { type: 'config', clusters: list },
      ],
    },
    ...(kaito ? { kaito } : {}),
  });
}

describe('readClusterConfigs', () => {
  it('reads clusters from kubernetes config and joins kaito.clusters', () => {
    const result = readClusterConfigs(
      clusters(
        [
          {
            name: 'sim',
            url: 'http://127.0.0.1:1234/',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'tok',
            title: 'Simulator',
            skipTLSVerify: true,
          },
          { name: 'aks', url: 'https://aks.example', authProvider: 'azure' },
          { name: 'browser', url: 'https://x.example', authProvider: 'aks' },
        ],
        {
          clusters: {
            sim: {
              namespaces: ['ml'],
              azure: {
                subscriptionId: SUB,
                resourceGroup: 'rg',
                clusterName: 'c',
                endpoint: 'https://127.0.0.1:9443/',
                caData: Buffer.from(PEM).toString('base64'),
                tenantId: TENANT,
                clientId: CLIENT,
                clientSecret: 'sec',
                authorityHost: 'https://127.0.0.1:9446/',
              },
            },
          },
        },
      ),
    );
    expect(result).toHaveLength(3);
    expect(result[0]).toEqual({
      name: 'sim',
      title: 'Simulator',
      url: 'http://127.0.0.1:1234',
      auth: { type: 'serviceAccount', token: 'tok' },
      caPem: undefined,
      skipTLSVerify: true,
      configKey: 'kubernetes.clusterLocatorMethods[1].clusters[0]',
      namespaces: ['ml'],
      azure: {
        subscriptionId: SUB,
        resourceGroup: 'rg',
        clusterName: 'c',
        location: undefined,
        endpoint: 'https://127.0.0.1:9443',
        caPem: PEM,
        credential: {
          tenantId: TENANT,
          clientId: CLIENT,
          clientSecret: 'sec',
          authorityHost: 'https://127.0.0.1:9446',
        },
      },
    });
    expect(result[1].auth).toEqual({ type: 'azure' });
    expect(result[1].azure).toBeUndefined();
    expect(result[2].auth).toEqual({ type: 'unsupported', provider: 'aks' });
  });

  it('accepts a tenant named by its domain', () => {
    const [c] = readClusterConfigs(
      clusters(
        [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
        withAzure({ tenantId: 'contoso.onmicrosoft.com', clientId: CLIENT, clientSecret: 's' }),
      ),
    );
    expect(c.azure?.credential).toEqual({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: CLIENT,
      clientSecret: 's',
    });
  });

  it('accepts a PEM given as is', () => {
    const [c] = readClusterConfigs(
      clusters([
        {
          name: 'a',
          url: 'https://a',
          authProvider: 'azure',
          caData: PEM,
        },
      ]),
    );
    expect(c.caPem).toBe(PEM);
  });

  it('returns no cluster when kubernetes is not configured', () => {
    expect(readClusterConfigs(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [
      'missing url',
      [{ name: 'a', authProvider: 'azure' }],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[0].url'",
    ],
    [
      'bad url',
      [{ name: 'a', url: 'ftp://x', authProvider: 'azure' }],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[0].url'",
    ],
    [
      'http without skipTLSVerify',
      [{ name: 'a', url: 'http://a', authProvider: 'azure' }],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[0].skipTLSVerify'",
    ],
    [
      'missing token',
      [{ name: 'a', url: 'https://a', authProvider: 'serviceAccount' }],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[0].serviceAccountToken'",
    ],
    [
      'duplicate name',
      [
        { name: 'a', url: 'https://a', authProvider: 'azure' },
        { name: 'a', url: 'https://b', authProvider: 'azure' },
      ],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[1].name'",
    ],
    [
      'bad caData',
      [{ name: 'a', url: 'https://a', authProvider: 'azure', caData: 'eHh4' }],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[0].caData'",
    ],
    [
      'unreadable caFile',
      [
        {
          name: 'a',
          url: 'https://a',
          authProvider: 'azure',
          caFile: '/nonexistent/ca.pem',
        },
      ],
      undefined,
      "'kubernetes.clusterLocatorMethods[1].clusters[0].caFile'",
    ],
    [
      'unknown kaito cluster',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      { clusters: { b: {} } },
      "'kaito.clusters.b'",
    ],
    [
      'subscription not a uuid',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      {
        clusters: {
          a: {
            azure: { subscriptionId: 'x', resourceGroup: 'r', clusterName: 'c' },
          },
        },
      },
      "'kaito.clusters.a.azure.subscriptionId'",
    ],
    [
      'missing resource group',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      { clusters: { a: { azure: { subscriptionId: SUB, clusterName: 'c' } } } },
      "'kaito.clusters.a.azure.resourceGroup'",
    ],
    [
      'http ARM endpoint',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      {
        clusters: {
          a: {
            azure: {
              subscriptionId: SUB,
              resourceGroup: 'r',
              clusterName: 'c',
              endpoint: 'http://127.0.0.1:1',
            },
          },
        },
      },
      "'kaito.clusters.a.azure.endpoint'",
    ],
    [
      'a static ARM token (no longer supported)',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      withAzure({ token: 'static' }),
      "'kaito.clusters.a.azure.token'",
    ],
    [
      'a client secret without its tenant',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      withAzure({ clientId: CLIENT, clientSecret: 's' }),
      "'kaito.clusters.a.azure.tenantId'",
    ],
    [
      'a client id that is not a UUID',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      withAzure({ tenantId: TENANT, clientId: 'backstage', clientSecret: 's' }),
      "'kaito.clusters.a.azure.clientId'",
    ],
    [
      'an authorityHost without a service principal',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      withAzure({ authorityHost: 'https://login.microsoftonline.us' }),
      "'kaito.clusters.a.azure.authorityHost'",
    ],
    [
      'an http authorityHost',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      withAzure({
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: 's',
        authorityHost: 'http://127.0.0.1:1',
      }),
      "'kaito.clusters.a.azure.authorityHost'",
    ],
    [
      'empty namespaces',
      [{ name: 'a', url: 'https://a', authProvider: 'azure' }],
      { clusters: { a: { namespaces: [] } } },
      "'kaito.clusters.a.namespaces'",
    ],
  ])('fails at startup on %s, naming the key', (_, list, kaito, key) => {
    expect(() => readClusterConfigs(clusters(list, kaito))).toThrow(key);
  });
});

describe('readWatchSettings', () => {
  it('has defaults and rejects non-positive values', () => {
    expect(readWatchSettings(new ConfigReader({}))).toEqual({
      initialBackoffMs: 500,
      maxBackoffMs: 30000,
      syncTimeoutMs: 5000,
      nodeLabelSelector: 'kubernetes.azure.com/accelerator',
      namespaceIdleMs: 600000,
    });
    expect(() =>
      readWatchSettings(
        new ConfigReader({ kaito: { watch: { maxBackoffMs: 0 } } }),
      ),
    ).toThrow("'kaito.watch.maxBackoffMs'");
  });

  it('takes a node label selector, empty for every node, and refuses one that is not', () => {
    const watch = (nodeLabelSelector: string) =>
      readWatchSettings(
        new ConfigReader({ kaito: { watch: { nodeLabelSelector } } }),
      ).nodeLabelSelector;
    expect(watch('agentpool in (gpu, a100)')).toBe('agentpool in (gpu, a100)');
    expect(watch('')).toBe('');
    expect(() => watch('agentpool in (')).toThrow(
      /'kaito\.watch\.nodeLabelSelector'.*is not a label selector/,
    );
  });
});
