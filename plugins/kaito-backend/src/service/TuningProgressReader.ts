import { TuningProgress } from '@kaito-backstage/plugin-kaito-common';
import { ClusterSet } from './ClusterSet';
import { toClusterError } from './kubeHttp';
import { mainContainer, readPodLog } from './podLogs';
import { RawObject } from './rawObjects';
import { parseTrainerLog } from './trainerLogs';

/** Trainer logs read for progress are capped at this size. */
const PROGRESS_LOG_LIMIT_BYTES = 4 * 1024 * 1024;
/** Finished runs whose progress is kept (their logs no longer change). */
const FINISHED_RUNS_KEPT = 500;

/**
 * The progress and loss of a fine-tuning run, read from its trainer's log
 * (KAITO has no progress field); the only read of a workspace detail that
 * calls the API server. A finished run's progress is read once.
 */
export class TuningProgressReader {
  private readonly finished = new Map<string, TuningProgress>();

  constructor(private readonly clusters: ClusterSet) {}

  /** `progress`, or why it could not be read, for the workspace's newest started pod. */
  async read(
    cluster: string,
    workspaceName: string,
    pods: RawObject[],
  ): Promise<{ progress?: TuningProgress; progressError?: string }> {
    const pod = [...pods]
      .filter(p => p.status?.phase && p.status.phase !== 'Pending')
      .sort((a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(
          a.metadata.creationTimestamp ?? '',
        ),
      )[0];
    if (!pod) {
      return { progressError: 'the tuning pod has not started yet' };
    }
    try {
      return { progress: await this.ofPod(cluster, pod, workspaceName) };
    } catch (error) {
      return {
        progressError: `could not read the log of pod ${pod.metadata.name}: ${
          toClusterError(cluster, error).message
        }`,
      };
    }
  }

  private async ofPod(
    cluster: string,
    pod: RawObject,
    workspaceName: string,
  ): Promise<TuningProgress> {
    const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase);
    const key = `${cluster}/${pod.metadata.uid}`;
    const cached = this.finished.get(key);
    if (cached) {
      return cached;
    }
    const kc = this.clusters.cluster(cluster).kubeConfig!;
    const log = await readPodLog(kc, pod.metadata.namespace!, pod.metadata.name, {
      container: mainContainer(pod, workspaceName),
      limitBytes: PROGRESS_LOG_LIMIT_BYTES,
    });
    const progress = parseTrainerLog(log);
    if (finished) {
      if (this.finished.size > FINISHED_RUNS_KEPT) {
        this.finished.delete(this.finished.keys().next().value!);
      }
      this.finished.set(key, progress);
    }
    return progress;
  }
}
