/*
 * Every example of the kaito:* actions (their `*.examples.ts`), run as a
 * template by the real scaffolder against the KAITO backend and the
 * simulator: what the docs show works as shown.
 */
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { RunningSimulator } from '@kaito-backstage/simulator';
import YAML from 'yaml';
import {
  Entity,
  NAMESPACE,
  eventually,
  startDevSimulator,
} from '../__testUtils__/harness';
import { startGoldenPathBackend } from '../__testUtils__/scaffolder';
import { examples as ensureExamples } from './gpuPoolEnsure.examples';
import { examples as createExamples } from './workspaceCreate.examples';
import { examples as deleteExamples } from './workspaceDelete.examples';
import { examples as waitExamples } from './workspaceWait.examples';
import { supportChatbotWorkspace } from './exampleSteps';

jest.setTimeout(300_000);

const WORKSPACES = {
  group: 'kaito.sh',
  plural: 'workspaces',
  namespace: NAMESPACE,
};

const cases = (
  [
    ['gpu-pool-ensure', ensureExamples],
    ['workspace-create', createExamples],
    ['workspace-wait', waitExamples],
    ['workspace-delete', deleteExamples],
  ] as Array<[string, TemplateExample[]]>
).flatMap(([action, list]) =>
  list.map((example, i) => ({
    name: `example-${action}-${i + 1}`,
    description: example.description,
    steps: YAML.parse(example.example).steps as unknown[],
  })),
);

function templateOf(example: (typeof cases)[number]): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: example.name, namespace: 'default' },
    spec: {
      owner: 'group:default/ml-team',
      type: 'service',
      parameters: [],
      steps: example.steps,
    },
  } as Entity;
}

/** A step with a typo of an input: the scaffolder must refuse it before the action runs. */
const typoTemplate: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'typo-dryrun', namespace: 'default' },
  spec: {
    owner: 'group:default/ml-team',
    type: 'service',
    parameters: [],
    steps: YAML.parse(`
- id: create
  name: Inference workspace
  action: kaito:workspace:create
  input:
${supportChatbotWorkspace.replace(/^ {6}/gm, '    ')}
    name: typo-dryrun
    inference:
      preset: phi-4-mini-instruct
    dryrun: true
`),
  },
} as Entity;

describe('the examples of the kaito:* actions', () => {
  let sim: RunningSimulator;
  let stack: Awaited<ReturnType<typeof startGoldenPathBackend>>;

  beforeAll(async () => {
    sim = await startDevSimulator({ timeScale: 1000 });
    stack = await startGoldenPathBackend(sim, [
      ...cases.map(templateOf),
      typoTemplate,
    ]);
  });

  afterAll(async () => {
    await stack?.backend.stop();
    await sim?.stop();
  });

  afterEach(async () => {
    // Each example starts from an empty namespace, so GPU quota and names
    // are free for the next.
    for (const ws of sim.store.list(WORKSPACES).items) {
      await sim.store.delete({ ...WORKSPACES, name: ws.metadata.name! });
    }
    await eventually(() => sim.store.list(WORKSPACES).items.length === 0, {
      what: 'the workspaces to go',
    });
  });

  it.each(cases.map(c => [c.name, c.description, c] as const))(
    '%s: %s',
    async (_name, _description, example) => {
      const { task, log } = await stack.runTask(
        `template:default/${example.name}`,
        {},
      );
      if (task.status !== 'completed') {
        throw new Error(`task ${task.status}:\n${log.join('\n')}`);
      }
      for (const step of example.steps as Array<{ id: string; name: string }>) {
        expect(log).toContain(`${step.id}: Finished step ${step.name}`);
      }
    },
  );

  it('a step with a typo of dryRun fails before anything is created (issue 11)', async () => {
    const { task, log } = await stack.runTask(
      'template:default/typo-dryrun',
      {},
    );
    expect(task.status).toBe('failed');
    // The scaffolder checks the step against the action's JSON Schema
    // (additionalProperties: false) before the action runs, in its words.
    expect(log.join('\n')).toMatch(
      /Invalid input passed to action kaito:workspace:create.*additional property "dryrun"/,
    );
    expect(
      sim.store.list(WORKSPACES).items.map(w => w.metadata.name),
    ).not.toContain('typo-dryrun');
  });
});
