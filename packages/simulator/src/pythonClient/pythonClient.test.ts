/**
 * The official Python Kubernetes client (Debian's python3-kubernetes, which
 * scripts/lib/system-packages.sh installs) against the simulator: a script
 * lists, creates, watches with resume from a resourceVersion and deletes
 * Workspaces (workspaces.py). The client sends `watch=True`; an API server
 * that answered that with a list instead of a stream made it crash.
 * Skipped, with a message, where /usr/bin/python3 cannot import kubernetes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../simulator';

const PYTHON = '/usr/bin/python3';
const hasClient =
  spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8' })
    .status === 0;
if (!hasClient) {
  // eslint-disable-next-line no-console
  console.warn(
    `${PYTHON} cannot import kubernetes (Debian package python3-kubernetes): skipping the Python client test`,
  );
}
const describeWithClient = hasClient ? describe : describe.skip;

function runPython(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(PYTHON, args, {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('close', code => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describeWithClient('the official Python client (python3-kubernetes)', () => {
  jest.setTimeout(90_000);
  let sim: RunningSimulator;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 200, seed: 'none' });
    await sim.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'data-science' },
    });
    dir = mkdtempSync(join(tmpdir(), 'kaito-sim-python-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfig);
  });

  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists, creates, watches (resuming from a resourceVersion) and deletes Workspaces', async () => {
    const result = await runPython([
      join(__dirname, 'workspaces.py'),
      kubeconfig,
      'data-science',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);

    expect(out.client).toMatch(/^OpenAPI-Generator\/22\./);
    expect(out.initialItems).toEqual([]);
    // The watch from the list's resourceVersion starts with the creation.
    expect(out.firstWatch[0]).toEqual(['ADDED', 'py-phi']);
    expect(
      out.firstWatch.slice(1).every((e: string[]) => e[0] === 'MODIFIED'),
    ).toBe(true);
    expect(out.firstWatch.length).toBeGreaterThan(1);

    // The resumed watch sees only later events, ending with the deletion.
    const resumed: [string, string, number][] = out.resumedWatch;
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every(e => e[2] > Number(out.resumeFrom))).toBe(true);
    expect(resumed.map(e => e[0])).not.toContain('ADDED');
    expect(resumed[resumed.length - 1].slice(0, 2)).toEqual([
      'DELETED',
      'py-phi',
    ]);

    expect(out.getAfterDelete).toEqual({
      status: 404,
      body: expect.objectContaining({
        kind: 'Status',
        reason: 'NotFound',
        message: 'workspaces.kaito.sh "py-phi" not found',
      }),
    });
    expect(out.podsLeft).toEqual([]);
    expect(
      sim.store.get({
        group: 'kaito.sh',
        plural: 'workspaces',
        namespace: 'data-science',
        name: 'py-phi',
      }),
    ).toBeUndefined();
  });
});
