import { AccessToken, TokenCredential } from '@azure/core-auth';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { RunningSimulator, startSimulator } from '@kaito-backstage/simulator';
import { simulatorConfig } from '../__testUtils__/simulatorBackend';
import { CachedTokenProvider, ClusterRegistry } from './ClusterRegistry';
import {
  AKS_AAD_SCOPE,
  DEFAULT_WATCH_SETTINGS,
  readClusterConfigs,
} from './config';
import { ClusterWatchCache } from './WatchCache';

jest.setTimeout(60_000);

/** A TokenCredential that hands out the simulator's token and counts calls. */
class CountingCredential implements TokenCredential {
  scopes: string[] = [];
  constructor(private readonly token: string, private readonly ttlMs = 3600_000) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...[scopes].flat());
    return { token: this.token, expiresOnTimestamp: Date.now() + this.ttlMs };
  }
}

describe('ClusterRegistry', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 10, seed: 'none' });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('authenticates azure clusters with a TokenCredential token for the AKS scope', async () => {
    const config: any = simulatorConfig(sim);
    const cluster = config.kubernetes.clusterLocatorMethods[0].clusters[0];
    cluster.authProvider = 'azure';
    delete cluster.serviceAccountToken;
    const credential = new CountingCredential(sim.token);
    const registry = ClusterRegistry.fromConfig(
      readClusterConfigs(new ConfigReader(config)),
      { azureCredential: () => credential },
    );
    const [handle] = registry.list();
    expect(handle.authProvider).toBe('azure');
    const cache = new ClusterWatchCache(
      handle as any,
      {
        ...DEFAULT_WATCH_SETTINGS,
        initialBackoffMs: 50,
        maxBackoffMs: 200,
        // Every node: the simulator's system pool has no GPU nodes.
        nodeLabelSelector: '',
      },
      mockServices.logger.mock(),
    );
    cache.start();
    try {
      await cache.ready();
      expect(cache.list('nodes').length).toBeGreaterThan(0);
      // One token, cached across every list and watch.
      expect(credential.scopes).toEqual([AKS_AAD_SCOPE]);
    } finally {
      await cache.stop();
    }
  });

  it('reaches ARM over https trusting only the configured CA', async () => {
    const registry = ClusterRegistry.fromConfig(
      readClusterConfigs(new ConfigReader(simulatorConfig(sim))),
    );
    const { azure } = registry.get('sim');
    const cluster = await azure!.containerService.managedClusters.get(
      sim.resourceGroup,
      sim.clusterName,
    );
    expect(cluster.location).toBe(sim.location);

    // Without the CA, the service principal cannot even sign in: MSAL
    // cannot read the authority's metadata over untrusted TLS.
    const untrusted: any = simulatorConfig(sim);
    delete untrusted.kaito.clusters.sim.azure.caData;
    await expect(
      ClusterRegistry.fromConfig(readClusterConfigs(new ConfigReader(untrusted)))
        .get('sim')
        .azure!.containerService.managedClusters.get(sim.resourceGroup, sim.clusterName),
    ).rejects.toThrow(/endpoints_resolution_error/);

    // ARM itself is not trusted either (a credential that needs no TLS).
    for (const key of ['tenantId', 'clientId', 'clientSecret', 'authorityHost']) {
      delete untrusted.kaito.clusters.sim.azure[key];
    }
    const app = sim.entra.directory.application(sim.clientId)!;
    const plain = ClusterRegistry.fromConfig(
      readClusterConfigs(new ConfigReader(untrusted)),
      { azureCredential: () => sim.entra.directory.credential(app) },
    );
    await expect(
      plain
        .get('sim')
        .azure!.containerService.managedClusters.get(sim.resourceGroup, sim.clusterName),
    ).rejects.toThrow(/certificate/i);
  });

  it('names the cluster when it is unknown', () => {
    const registry = ClusterRegistry.fromConfig([]);
    expect(() => registry.get('nope')).toThrow('Unknown cluster "nope"; known clusters: none');
  });
});

describe('CachedTokenProvider', () => {
  it('renews a token 15 minutes before it expires', async () => {
    const shortLived = new CountingCredential('t', 10 * 60_000);
    const provider = new CachedTokenProvider(shortLived, AKS_AAD_SCOPE);
    await provider.getToken();
    await provider.getToken();
    expect(shortLived.scopes).toHaveLength(2);

    const longLived = new CountingCredential('t');
    const cached = new CachedTokenProvider(longLived, AKS_AAD_SCOPE);
    await Promise.all([cached.getToken(), cached.getToken()]);
    await cached.getToken();
    expect(longLived.scopes).toHaveLength(1);
  });
});

describe('azure auth without a token', () => {
  it('reports why no token could be had instead of crashing the watch', async () => {
    const sim = await startSimulator({ timeScale: 10, seed: 'none' });
    try {
      const config: any = simulatorConfig(sim);
      const cluster = config.kubernetes.clusterLocatorMethods[0].clusters[0];
      cluster.authProvider = 'azure';
      delete cluster.serviceAccountToken;
      const failing: TokenCredential = {
        getToken: async () => {
          throw new Error('EnvironmentCredential is unavailable');
        },
      };
      const [handle] = ClusterRegistry.fromConfig(
        readClusterConfigs(new ConfigReader(config)),
        { azureCredential: () => failing },
      ).list();
      const cache = new ClusterWatchCache(
        handle as any,
        { ...DEFAULT_WATCH_SETTINGS, initialBackoffMs: 50, maxBackoffMs: 200 },
        mockServices.logger.mock(),
      );
      cache.start();
      try {
        await expect(cache.ready()).rejects.toThrow(
          /401|Unauthorized/,
        );
        expect(cache.health().error).toContain(
          'no token for the API server: EnvironmentCredential is unavailable',
        );
      } finally {
        await cache.stop();
      }
    } finally {
      await sim.stop();
    }
  });
});
