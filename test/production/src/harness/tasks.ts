import type { BackendReplica } from './BackendReplica';
import { eventually } from './eventually';
import type { ProductionSite } from './ProductionSite';

/** The running replica whose scaffolder runs the task now (both poll the shared task queue). */
export async function runnerOf(
  site: ProductionSite,
  taskId: string,
): Promise<BackendReplica> {
  return eventually(
    () =>
      site.replicas.find(
        r =>
          r.running &&
          r
            .auditEvents({ plugin: 'scaffolder', eventId: 'task' })
            .some(
              e =>
                e.meta?.actionType === 'execution' &&
                e.meta?.taskId === taskId &&
                e.incarnation === r.incarnationNow,
            ),
      ),
    { timeoutMs: 60_000, what: `a replica to claim task ${taskId}` },
  );
}
