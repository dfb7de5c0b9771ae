import { DEMO_NAMESPACE } from './seed/demo';
import {
  startTestSimulator,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(90_000);

const columns = (line: string) => line.trim().split(/\s{2,}/);

/**
 * `kubectl` against the seeded demo cluster: the Workspace printer columns
 * (v1beta1 and v1alpha1), NodeClaims, nodes, logs and the demo's states.
 */
describe('kubectl against the demo cluster', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 20, seed: 'demo' });
  });

  afterAll(() => sim?.close());

  it('lists workspaces with KAITO v0.12 columns', async () => {
    const { code, stdout, stderr } = await sim.kubectl(
      'get',
      'workspaces',
      '-A',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(columns(header)).toEqual([
      'NAMESPACE',
      'NAME',
      'INSTANCE',
      'RESOURCEREADY',
      'INFERENCEREADY',
      'JOBSTARTED',
      'WORKSPACESUCCEEDED',
      'TARGETNODECOUNT',
      'STATE',
      'AGE',
    ]);
    const byName = Object.fromEntries(
      rows.map(row => {
        const cells = row.trim().split(/\s+/);
        return [cells[1], cells];
      }),
    );
    // Blank cells (a condition a workspace does not have) collapse in the split.
    expect(byName['support-chatbot-tuning'].slice(0, 8)).toEqual([
      DEMO_NAMESPACE,
      'support-chatbot-tuning',
      'Standard_NC24ads_A100_v4',
      'True',
      'True',
      'True',
      '1',
      'Succeeded',
    ]);
    expect(byName['support-chatbot'].slice(0, 8)).toEqual([
      DEMO_NAMESPACE,
      'support-chatbot',
      'Standard_NC24ads_A100_v4',
      'True',
      'True',
      'True',
      '1',
      'Ready',
    ]);
    expect(byName['code-assistant'].slice(0, 8)).toEqual([
      DEMO_NAMESPACE,
      'code-assistant',
      'Standard_NC40ads_H100_v5',
      'False',
      'False',
      'False',
      '1',
      'Pending',
    ]);
    const jobStartedColumn = header.indexOf('JOBSTARTED');
    const chatbotRow = rows.find(r => r.includes(' support-chatbot '))!;
    expect(
      chatbotRow.slice(jobStartedColumn, jobStartedColumn + 10).trim(),
    ).toBe('');
  });

  it('shows the v1alpha1 columns (no TargetNodeCount, no State)', async () => {
    const { stdout } = await sim.kubectl(
      'get',
      'workspaces.v1alpha1.kaito.sh',
      '-n',
      DEMO_NAMESPACE,
    );
    expect(columns(stdout.split('\n')[0])).toEqual([
      'NAME',
      'INSTANCE',
      'RESOURCEREADY',
      'INFERENCEREADY',
      'JOBSTARTED',
      'WORKSPACESUCCEEDED',
      'AGE',
    ]);
  });

  it('labels the demo workspaces for their catalog entities', async () => {
    const { stdout } = await sim.kubectl(
      'get',
      'workspaces',
      '-n',
      DEMO_NAMESPACE,
      '-l',
      'backstage.io/kubernetes-id=support-chatbot',
      '-o',
      'name',
    );
    expect(stdout.trim().split('\n').sort()).toEqual([
      'workspace.kaito.sh/support-chatbot',
      'workspace.kaito.sh/support-chatbot-tuning',
    ]);
    const { stdout: ref } = await sim.kubectl(
      'get',
      'workspace',
      'code-assistant',
      '-n',
      DEMO_NAMESPACE,
      '-o',
      'jsonpath={.metadata.annotations.kaito\\.backstage\\.io/entity-ref}',
    );
    expect(ref).toBe('component:default/code-assistant');
  });

  it('explains the stuck workspace with the quota error in its conditions', async () => {
    const { stdout } = await sim.kubectl(
      'get',
      'workspace',
      'code-assistant',
      '-n',
      DEMO_NAMESPACE,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="ResourceReady")].reason}',
    );
    expect(stdout).toBe('QuotaExceeded');
    const { stdout: claims } = await sim.kubectl('get', 'nodeclaims');
    expect(columns(claims.split('\n')[0])).toEqual([
      'NAME',
      'TYPE',
      'CAPACITY',
      'ZONE',
      'NODE',
      'READY',
      'AGE',
    ]);
    // Launched claims show what Karpenter resolved; the one that never launched shows nothing yet.
    expect(claims).toMatch(
      /^ws[0-9a-f]{9}\s+Standard_NC24ads_A100_v4\s+on-demand\s+0\s+aks-ws\S+\s+True/m,
    );
    expect(claims).toMatch(/^ws[0-9a-f]{9}\s+False\s+\S+$/m);
  });

  it('reads the tuning logs of the finished run and the GPU nodes', async () => {
    const { stdout } = await sim.kubectl(
      'logs',
      '-n',
      DEMO_NAMESPACE,
      'job/support-chatbot-tuning',
      '-c',
      'support-chatbot-tuning',
      '--tail=6',
    );
    expect(stdout).toMatch(
      /\{'train_runtime': [\d.]+, .*'train_loss': [\d.]+, 'epoch': 3\.0\}/,
    );
    const { stdout: nodes } = await sim.kubectl(
      'get',
      'nodes',
      '-L',
      'nvidia.com/gpu.product',
    );
    expect(nodes).toMatch(
      /aks-gpua10-\d{8}-vmss000000\s+Ready\s+agent\s+\S+\s+\S+\s+NVIDIA-A10/,
    );
    expect(nodes).toMatch(/aks-nodepool1-\d{8}-vmss000000\s+Ready/);
  });
});
