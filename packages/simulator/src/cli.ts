import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { createSimulatorTls, type SimulatorTls } from './arm/tls';
import { createSigningKey, type SigningKey } from './entra/jwt';
import type { FaultsPatch } from './faults';
import {
  parseFeatureGatesFlag,
  resolveFeatureGates,
} from './kaito/featureGates';
import type { NodeProvisioner } from './kaito/constants';
import {
  DEFAULT_COORDINATES,
  DEMO_TIME_SCALE,
  startSimulator,
  type RunningSimulator,
} from './simulator';

/**
 * `kaito-sim` (`yarn sim`): runs the simulator in the foreground until
 * SIGINT/SIGTERM. The certificate and the Entra signing key are kept in
 * `--tls-dir` so that a kubeconfig, an app-config and the tokens a client
 * holds keep working across restarts.
 */
const USAGE = `Usage: kaito-sim [options]

  --port <n>               Kubernetes API port (default 6443)
  --arm-port <n>           Azure Resource Manager port (default 6444)
  --admin-port <n>         admin endpoint port, /_sim/* (default 6445)
  --entra-port <n>         Microsoft Entra (authorityHost) port (default 6446)
  --host <addr>            listen address (default 127.0.0.1)
  --kubeconfig <path>      write a kubeconfig for kubectl and the backend
  --time-scale <n>         nominal seconds per real second (default ${DEMO_TIME_SCALE})
  --seed demo|none         demo workspaces and pools (default demo)
  --demo-history now|on-watch
                           play the demo's quarter of past runs at once (default), or when a
                           client (the Backstage backend) first watches workspaces, so it records them
  --token <token>          bearer token of the Kubernetes API and admin endpoint, and client
                           secret of the Entra app registration (default kaito-sim)
  --faults <json>          initial faults, e.g. '{"quotaExhaustedFamilies":["StandardNVADSA10v5Family"]}'
  --node-provisioner <p>   azure-gpu-provisioner (default) or byo
  --feature-gates <gates>  KAITO's --feature-gates, e.g. enableMIG=true,enableAccelerator=true
  --subscription-id <id>, --resource-group <rg>, --cluster-name <name>, --location <region>
  --tls-dir <dir>          where the generated CA, certificate and token-signing key are kept
                           (default ~/.cache/kaito-sim)
  --print-config           print the Backstage app-config snippet for this simulator
  --help
`;

export const DEFAULT_TOKEN = 'kaito-sim';

export interface CliOptions {
  port: number;
  armPort: number;
  adminPort: number;
  entraPort: number;
  host: string;
  kubeconfigPath?: string;
  timeScale: number;
  seed: 'demo' | 'none';
  demoHistory: 'now' | 'on-watch';
  token: string;
  faults?: FaultsPatch;
  nodeProvisioner: NodeProvisioner;
  featureGates?: Partial<Record<string, boolean>>;
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  location: string;
  tlsDir: string;
  printConfig: boolean;
  help: boolean;
}

function positiveNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${flag} must be a non-negative number, got "${value}"`);
  return n;
}

export function parseCliArgs(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      'arm-port': { type: 'string' },
      'admin-port': { type: 'string' },
      'entra-port': { type: 'string' },
      host: { type: 'string' },
      kubeconfig: { type: 'string' },
      'time-scale': { type: 'string' },
      seed: { type: 'string' },
      'demo-history': { type: 'string' },
      token: { type: 'string' },
      faults: { type: 'string' },
      'node-provisioner': { type: 'string' },
      'feature-gates': { type: 'string' },
      'subscription-id': { type: 'string' },
      'resource-group': { type: 'string' },
      'cluster-name': { type: 'string' },
      location: { type: 'string' },
      'tls-dir': { type: 'string' },
      'print-config': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const seed = values.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'none')
    throw new Error(`--seed must be demo or none, got "${seed}"`);
  const demoHistory = values['demo-history'] ?? 'now';
  if (demoHistory !== 'now' && demoHistory !== 'on-watch')
    throw new Error(
      `--demo-history must be now or on-watch, got "${demoHistory}"`,
    );
  const provisioner = values['node-provisioner'] ?? 'azure-gpu-provisioner';
  if (provisioner !== 'azure-gpu-provisioner' && provisioner !== 'byo') {
    throw new Error(
      `--node-provisioner must be azure-gpu-provisioner or byo, got "${provisioner}"`,
    );
  }
  let featureGates: Partial<Record<string, boolean>> | undefined;
  if (values['feature-gates'] !== undefined) {
    try {
      featureGates = parseFeatureGatesFlag(values['feature-gates']);
      resolveFeatureGates(featureGates);
    } catch (e) {
      throw new Error(`--feature-gates: ${(e as Error).message}`);
    }
  }
  let faults: FaultsPatch | undefined;
  if (values.faults) {
    try {
      faults = JSON.parse(values.faults);
    } catch (e) {
      throw new Error(`--faults is not valid JSON: ${(e as Error).message}`);
    }
  }
  const timeScale = positiveNumber(
    '--time-scale',
    values['time-scale'],
    DEMO_TIME_SCALE,
  );
  if (timeScale === 0) throw new Error('--time-scale must be greater than 0');
  return {
    port: positiveNumber('--port', values.port, 6443),
    armPort: positiveNumber('--arm-port', values['arm-port'], 6444),
    adminPort: positiveNumber('--admin-port', values['admin-port'], 6445),
    entraPort: positiveNumber('--entra-port', values['entra-port'], 6446),
    host: values.host ?? '127.0.0.1',
    kubeconfigPath: values.kubeconfig,
    timeScale,
    seed,
    demoHistory,
    token: values.token ?? DEFAULT_TOKEN,
    faults,
    nodeProvisioner: provisioner,
    ...(featureGates ? { featureGates } : {}),
    subscriptionId:
      values['subscription-id'] ?? DEFAULT_COORDINATES.subscriptionId,
    resourceGroup:
      values['resource-group'] ?? DEFAULT_COORDINATES.resourceGroup,
    clusterName: values['cluster-name'] ?? DEFAULT_COORDINATES.clusterName,
    location: values.location ?? DEFAULT_COORDINATES.location,
    tlsDir: values['tls-dir'] ?? join(homedir(), '.cache', 'kaito-sim'),
    printConfig: values['print-config'] ?? false,
    help: values.help ?? false,
  };
}

/**
 * The app-config the KAITO backend needs to use the simulator as a cluster
 * named `clusterName` (the simulator's own cluster name by default).
 */
export function simulatorAppConfig(
  sim: RunningSimulator,
  clusterName = sim.clusterName,
) {
  const caData = Buffer.from(sim.armCaCertPem).toString('base64');
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: clusterName,
              url: sim.kubeUrl,
              authProvider: 'serviceAccount',
              serviceAccountToken: sim.token,
              caData,
            },
          ],
        },
      ],
    },
    kaito: {
      clusters: {
        [clusterName]: {
          nodeProvisioning: sim.nodeProvisioner === 'byo' ? 'byo' : 'auto',
          azure: {
            subscriptionId: sim.subscriptionId,
            resourceGroup: sim.resourceGroup,
            clusterName: sim.clusterName,
            location: sim.location,
            endpoint: sim.armUrl,
            caData,
            // A service principal, signed in through the simulator's Entra.
            tenantId: sim.tenantId,
            clientId: sim.clientId,
            clientSecret: sim.clientSecret,
            authorityHost: sim.entraUrl,
          },
        },
      },
    },
  };
}

/**
 * The app-config snippet the CLI prints: {@link simulatorAppConfig}, plus
 * what Backstage's Kubernetes plugin needs to show the same cluster.
 */
export function backstageConfig(sim: RunningSimulator): string {
  const config = simulatorAppConfig(sim);
  const [locator] = config.kubernetes.clusterLocatorMethods;
  return YAML.stringify({
    ...config,
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          ...locator,
          clusters: locator.clusters.map(({ name, ...cluster }) => ({
            name,
            title: 'KAITO simulator',
            ...cluster,
          })),
        },
      ],
    },
  });
}

/** What `--tls-dir` keeps: the CA and server certificate, and the Entra token-signing key. */
interface SavedTls extends SimulatorTls {
  hosts?: string[];
  signingKeyPem?: string;
}

async function loadOrCreateTls(
  dir: string,
  host: string,
): Promise<{ tls: SimulatorTls; signingKey: SigningKey }> {
  const file = join(dir, 'tls.json');
  let saved: SavedTls | undefined;
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as SavedTls;
  } catch {
    // First run, or an unreadable file: make a new one.
  }
  const tlsValid =
    saved?.certPem &&
    saved.keyPem &&
    saved.caCertPem &&
    (saved.hosts ?? []).includes(host);
  if (tlsValid && saved?.signingKeyPem) {
    return { tls: saved, signingKey: { privateKeyPem: saved.signingKeyPem } };
  }
  const tls = tlsValid ? saved! : await createSimulatorTls({ hosts: [host] });
  const signingKey = saved?.signingKeyPem
    ? { privateKeyPem: saved.signingKeyPem }
    : createSigningKey();
  await mkdir(dir, { recursive: true });
  await writeFile(
    file,
    JSON.stringify({
      caCertPem: tls.caCertPem,
      certPem: tls.certPem,
      keyPem: tls.keyPem,
      hosts: [host],
      signingKeyPem: signingKey.privateKeyPem,
    }),
    { mode: 0o600 },
  );
  return { tls, signingKey };
}

export async function main(argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`kaito-sim: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { tls, signingKey } = await loadOrCreateTls(
    options.tlsDir,
    options.host,
  );
  const sim = await startSimulator({ ...options, tls, signingKey });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `KAITO simulator (${sim.nodeProvisioner}, time scale ${options.timeScale}x, seed ${options.seed})`,
  );
  log(`  Kubernetes API  ${sim.kubeUrl}`);
  log(
    `  Azure ARM       ${sim.armUrl}   subscription ${sim.subscriptionId}, resource group ${sim.resourceGroup}, cluster ${sim.clusterName}`,
  );
  log(
    `  Microsoft Entra ${sim.entraUrl}   tenant ${sim.tenantId}, client ${sim.clientId} (secret: the token)`,
  );
  log(
    `  Admin           ${sim.adminUrl}/_sim/state   (Authorization: Bearer <token>)`,
  );
  log(`  CA certificate  ${join(options.tlsDir, 'tls.json')} (caCertPem)`);
  if (options.kubeconfigPath)
    log(
      `  kubeconfig      ${options.kubeconfigPath}   kubectl --kubeconfig ${options.kubeconfigPath} get workspaces -A`,
    );
  if (options.seed === 'demo' && options.demoHistory === 'on-watch')
    log(
      '  Demo history    plays out when a client first watches workspaces (the Backstage backend)',
    );
  // The app-config block comes last: scripts copy it from here to 'Press Ctrl+C'.
  if (options.printConfig)
    log(`\n# app-config.local.yaml\n${backstageConfig(sim)}`);
  sim.seeded.then(
    () => {
      if (options.seed === 'demo') log('Demo seed complete.');
    },
    error => log(`Demo seed failed: ${(error as Error).message}`),
  );
  log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping the simulator...`);
    sim.stop().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`kaito-sim: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(error => {
    process.stderr.write(`kaito-sim: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
