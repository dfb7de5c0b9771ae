import {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import catalogModuleKaito from '@kaito-backstage/plugin-catalog-backend-module-kaito';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the tests run the real KAITO backend
import kaitoBackend from '@kaito-backstage/plugin-kaito-backend';
import { RunningSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import scaffolderModuleKaito from '..';
import {
  Entity,
  eventually,
  exampleEntities,
  simulatorConfig,
} from './harness';

/** Runs scheduled tasks only when a test triggers them. */
export class ManualScheduler implements SchedulerService {
  readonly tasks = new Map<string, SchedulerServiceTaskInvocationDefinition>();
  async triggerTask(id: string) {
    const task = this.tasks.get(id);
    if (!task) throw new Error(`no scheduled task ${id}`);
    await task.fn(new AbortController().signal);
  }
  async cancelTask() {}
  async scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition,
  ) {
    this.tasks.set(task.id, task);
  }
  createScheduledTaskRunner(schedule: SchedulerServiceTaskScheduleDefinition) {
    return {
      run: (task: SchedulerServiceTaskInvocationDefinition) =>
        this.scheduleTask({ ...schedule, ...task }),
    };
  }
  async getScheduledTasks() {
    return [];
  }
}

/**
 * The golden path's backend: the real scaffolder with this module, the
 * KAITO backend and the catalog (with the KAITO entity provider) against
 * the simulator, serving the dev catalog and the given templates.
 */
export async function startGoldenPathBackend(
  sim: RunningSimulator,
  templates: Entity[],
) {
  const scheduler = new ManualScheduler();
  const backend = await startTestBackend({
    features: [
      scaffolderBackend,
      scaffolderModuleKaito,
      kaitoBackend,
      // The real catalog, with the KAITO entity provider publishing into it.
      catalogBackend,
      catalogModuleKaito,
      // What other plugins read through catalogServiceRef: the dev catalog
      // (examples/*.yaml) and the templates.
      catalogServiceMock.factory({
        entities: [...exampleEntities(), ...templates],
      }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          ...simulatorConfig(sim),
          app: { baseUrl: 'http://localhost:3000' },
          catalog: {
            rules: [
              { allow: ['Resource', 'Component', 'Group', 'User', 'System'] },
            ],
          },
        },
      }),
    ],
  });

  /** Runs a template as a scaffolder task and returns how it ended, with its log. */
  async function runTask(templateRef: string, values: Record<string, unknown>) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .send({ templateRef, values });
    if (created.status !== 201) {
      throw new Error(
        `task not created (${created.status}): ${JSON.stringify(created.body)}`,
      );
    }
    const id: string = created.body.id;
    const task = await eventually(
      async () => {
        const res = await request(backend.server).get(
          `/api/scaffolder/v2/tasks/${id}`,
        );
        return ['completed', 'failed', 'cancelled'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      { timeoutMs: 120_000, what: `task ${id} to finish` },
    );
    const events = await request(backend.server).get(
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
    const log = (events.body as any[])
      .filter(e => e.type === 'log')
      .map(e => `${e.body.stepId ?? ''}: ${e.body.message}`);
    return { id, task, log, events: events.body as any[] };
  }

  return { backend, scheduler, runTask };
}
