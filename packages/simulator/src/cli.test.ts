import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { DEFAULT_TOKEN, parseCliArgs } from './cli';

jest.setTimeout(90_000);

describe('kaito-sim command line', () => {
  it('parses the documented flags with their defaults', () => {
    const defaults = parseCliArgs([]);
    expect(defaults).toMatchObject({
      port: 6443,
      armPort: 6444,
      adminPort: 6445,
      timeScale: 20,
      seed: 'demo',
      token: DEFAULT_TOKEN,
      nodeProvisioner: 'azure-gpu-provisioner',
      printConfig: false,
    });
    const given = parseCliArgs([
      '--port',
      '7443',
      '--arm-port',
      '7444',
      '--admin-port',
      '7445',
      '--kubeconfig',
      '/tmp/kc',
      '--time-scale',
      '600',
      '--seed',
      'none',
      '--token',
      't',
      '--faults',
      '{"oomOnSmallGpu":false}',
      '--node-provisioner',
      'byo',
      '--print-config',
    ]);
    expect(given).toMatchObject({
      port: 7443,
      armPort: 7444,
      adminPort: 7445,
      kubeconfigPath: '/tmp/kc',
      timeScale: 600,
      seed: 'none',
      token: 't',
      faults: { oomOnSmallGpu: false },
      nodeProvisioner: 'byo',
      printConfig: true,
    });
    expect(() => parseCliArgs(['--seed', 'everything'])).toThrow(
      '--seed must be demo or none',
    );
    expect(() => parseCliArgs(['--faults', '{nope'])).toThrow(
      /--faults is not valid JSON/,
    );
    expect(() => parseCliArgs(['--time-scale', '0'])).toThrow(
      '--time-scale must be greater than 0',
    );
    expect(() => parseCliArgs(['--bogus'])).toThrow();
  });

  it("parses KAITO's --feature-gates and refuses unknown or unmodelled gates", () => {
    expect(
      parseCliArgs(['--feature-gates', 'enableMIG=true,enableAccelerator=True'])
        .featureGates,
    ).toEqual({ enableMIG: true, enableAccelerator: true });
    expect(() => parseCliArgs(['--feature-gates', 'bogus=true'])).toThrow(
      '--feature-gates: invalid feature gate(s) , bogus',
    );
    expect(() => parseCliArgs(['--feature-gates', 'enableMIG=maybe'])).toThrow(
      '--feature-gates: invalid value of enableMIG: maybe, err: invalid syntax',
    );
    expect(() => parseCliArgs(['--feature-gates', 'ModelStreaming=true'])).toThrow(
      '--feature-gates: feature gate ModelStreaming: the simulator does not model model streaming',
    );
    expect(() =>
      parseCliArgs(['--feature-gates', 'disableNodeAutoProvisioning=true']),
    ).toThrow(/use --node-provisioner byo/);
  });

  it('runs in the foreground, writes a kubeconfig, prints the app-config and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaito-sim-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const child = spawn(
      process.execPath,
      [
        resolve(__dirname, '../bin/kaito-sim'),
        '--port',
        '0',
        '--arm-port',
        '0',
        '--admin-port',
        '0',
        '--seed',
        'none',
        '--time-scale',
        '1000',
        '--kubeconfig',
        kubeconfig,
        '--tls-dir',
        dir,
        '--print-config',
      ],
      { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const exited = new Promise<number | null>(done =>
      child.on('exit', code => done(code)),
    );
    try {
      await new Promise<void>((ready, fail) => {
        const timer = setInterval(() => {
          if (stdout.includes('Press Ctrl+C to stop.')) {
            clearInterval(timer);
            ready();
          }
        }, 50);
        child.on('exit', () => {
          clearInterval(timer);
          fail(new Error(`kaito-sim exited early: ${stderr}`));
        });
      });
      const config = YAML.parse(
        stdout.split('# app-config.local.yaml\n')[1].split('Press Ctrl+C')[0],
      );
      const cluster = config.kubernetes.clusterLocatorMethods[0].clusters[0];
      expect(cluster).toMatchObject({
        name: 'kaito-sim',
        authProvider: 'serviceAccount',
        serviceAccountToken: DEFAULT_TOKEN,
      });
      expect(config.kaito.clusters['kaito-sim'].azure).toMatchObject({
        resourceGroup: 'rg-kaito-sim',
        clusterName: 'kaito-sim',
        endpoint: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
      });
      expect(readFileSync(kubeconfig, 'utf8')).toContain(cluster.url);
      const { stdout: namespaces } = await promisify(execFile)('kubectl', [
        '--kubeconfig',
        kubeconfig,
        'get',
        'namespaces',
        '-o',
        'name',
      ]);
      expect(namespaces).toContain('namespace/kube-system');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('SIGTERM: stopping the simulator...');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
