import { ServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the tests run the real KAITO backend
import {
  eventually,
  serviceProbe,
  startKaitoTestBackend,
  teamNamespaceManifests,
  withQuickWatchRetries,
} from '@kaito-backstage/plugin-kaito-backend/testUtils';
import { kaitoServiceRef } from '@kaito-backstage/plugin-kaito-node';
import {
  RunningSimulator,
  simulatorAppConfig,
  startSimulator,
} from '@kaito-backstage/simulator';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The dev cluster's name; the simulator plays it. */
export const CLUSTER = 'aks-kaito-dev';
export const NAMESPACE = 'ml-team';
export const PUSH_SECRET = 'acr-push-secret';
export const ENTITY_REF = 'component:default/support-chatbot';

const repoRoot = path.resolve(__dirname, '../../../..');

/** A catalog entity (the catalog-model type, without depending on it). */
export type Entity = NonNullable<
  NonNullable<Parameters<typeof catalogServiceMock>[0]>['entities']
>[number];

/** The dev catalog: `examples/*.yaml` (components, groups, users). */
export function exampleEntities(): Entity[] {
  const dir = path.join(repoRoot, 'examples');
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .flatMap(f =>
      YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
        d => d.toJS() as Entity,
      ),
    )
    .filter(e => e && e.kind && e.metadata)
    .map(e => ({
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
    }));
}

/** A template of `templates/<name>/template.yaml` as a catalog entity. */
export function templateEntity(name: string): Entity {
  const file = path.join(repoRoot, 'templates', name, 'template.yaml');
  const entity = YAML.parse(fs.readFileSync(file, 'utf8')) as Entity;
  return { ...entity, metadata: { namespace: 'default', ...entity.metadata } };
}

/** Starts the simulator as the dev cluster, with the ml-team namespace and its push secret. */
export async function startDevSimulator(
  options: { timeScale?: number } = {},
): Promise<RunningSimulator> {
  const sim = await startSimulator({
    port: 0,
    armPort: 0,
    adminPort: 0,
    timeScale: options.timeScale ?? 1000,
    seed: 'none',
    clusterName: CLUSTER,
  });
  for (const manifest of teamNamespaceManifests({
    namespace: NAMESPACE,
    pushSecret: PUSH_SECRET,
  })) {
    await sim.store.create(manifest);
  }
  return sim;
}

/**
 * Records the agent pool writes (anything but GET) the simulated ARM
 * receives from now on, as `METHOD path`.
 */
export function recordArmPoolWrites(sim: RunningSimulator): string[] {
  const writes: string[] = [];
  sim.arm.on('request', entry => {
    if (entry.method !== 'GET' && /\/agentPools\//i.test(entry.path)) {
      writes.push(`${entry.method} ${entry.path}`);
    }
  });
  return writes;
}

/** Backstage config pointing the KAITO backend at the simulator. */
export function simulatorConfig(sim: RunningSimulator) {
  return withQuickWatchRetries(simulatorAppConfig(sim));
}

/**
 * The real KAITO backend against the simulator, over HTTP, plus the real
 * KaitoClient that other plugins get from kaitoServiceRef.
 */
export async function startKaito(
  sim: RunningSimulator,
  options: { permissions?: ServiceFactory } = {},
) {
  const probe = serviceProbe(kaitoServiceRef);
  const backend = await startKaitoTestBackend({
    config: simulatorAppConfig(sim),
    entities: exampleEntities(),
    permissions: options.permissions,
    features: [probe.feature],
  });
  return { backend, client: probe.get() };
}

export { eventually };
