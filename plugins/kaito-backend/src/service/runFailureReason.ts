import {
  KAITO_LABEL_WORKSPACE,
  Workspace,
} from '@kaito-backstage/plugin-kaito-common';
import { KubeConfig } from '@kubernetes/client-node';
import { mainContainer, readPodLog } from './podLogs';
import { trainerException } from './trainerLogs';
import { ClusterWatchCache } from './WatchCache';
import { RawObject } from './rawObjects';

/** Log lines read to find what a failed trainer died of. */
const TAIL_LINES = 60;

interface Terminated {
  exitCode?: number;
  reason?: string;
}

/**
 * Why a failed run failed, in the words of those who report it: KAITO's
 * condition message ("tuning job failed"), the exception the trainer died
 * of (the end of its log, e.g. `torch.OutOfMemoryError: CUDA out of
 * memory...`) and how its container ended (`OOMKilled, exit code 137`).
 * Kept in the run history, so the reason outlives the workspace and its
 * pods. Pods come from the watch cache; only the log tail is read from the
 * API server, once per failed run.
 */
export async function describeRunFailure(options: {
  cache: ClusterWatchCache;
  kubeConfig?: KubeConfig;
  workspace: Workspace;
  kaitoMessage?: string;
}): Promise<string | undefined> {
  const { cache, kubeConfig, workspace: ws } = options;
  const name = ws.metadata.name ?? '';
  const namespace = ws.metadata.namespace ?? '';
  const pods = cache
    .list<RawObject>('pods', namespace)
    .filter(p => p.metadata.labels?.[KAITO_LABEL_WORKSPACE] === name)
    .sort((a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(
        a.metadata.creationTimestamp ?? '',
      ),
    );
  let container: string | undefined;
  let ended: Terminated | undefined;
  let pod: RawObject | undefined;
  for (const candidate of pods) {
    const main = mainContainer(candidate, name);
    const status = (candidate.status?.containerStatuses ?? []).find(
      (c: { name: string }) => c.name === main,
    );
    const terminated: Terminated | undefined =
      status?.state?.terminated ?? status?.lastState?.terminated;
    if (terminated && terminated.exitCode !== 0) {
      pod = candidate;
      container = main;
      ended = terminated;
      break;
    }
  }
  let exception: string | undefined;
  if (pod && kubeConfig) {
    try {
      exception = trainerException(
        await readPodLog(kubeConfig, namespace, pod.metadata.name, {
          container,
          tailLines: TAIL_LINES,
        }),
      );
    } catch {
      // The pod may be gone already: the container's end still says why.
    }
  }
  const ending = ended
    ? `container ${container}: ${ended.reason ?? 'terminated'}, exit code ${
        ended.exitCode ?? '?'
      }`
    : undefined;
  const said = [options.kaitoMessage, exception].filter(Boolean).join(': ');
  return [said, ending && `(${ending})`].filter(Boolean).join(' ') || undefined;
}
