import { InputError, NotFoundError } from '@backstage/errors';
import { Response } from 'express';
import { KAITO_LABEL_WORKSPACE } from '@kaito-backstage/plugin-kaito-common';
import { ClusterSet } from './ClusterSet';
import { toClusterError } from './kubeHttp';
import { mainContainer, openPodLog } from './podLogs';
import { RawObject } from './rawObjects';
import { FoundWorkspace } from './WorkspaceService';

export interface LogQuery {
  follow?: string;
  tailLines?: string;
  pod?: string;
  container?: string;
}

function parseBool(field: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') {
    return false;
  }
  if (value === 'true' || value === '1') return true;
  throw new InputError(`${field}: "${value}" must be true or false [query.boolean]`);
}

function parseTailLines(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 100_000) {
    throw new InputError(
      `tailLines: "${value}" must be a whole number from 0 to 100000 [query.tail-lines]`,
    );
  }
  return Number(value);
}

/** Streams the log of a workspace's pod (the tuning Job's or the model server's). */
export class LogStreamer {
  constructor(private readonly clusters: ClusterSet) {}

  /** Streams the log of a pod of a workspace found with `WorkspaceService.getWorkspace`. */
  async stream(
    found: FoundWorkspace,
    query: LogQuery,
    res: Response,
  ): Promise<void> {
    const follow = parseBool('follow', query.follow);
    const tailLines = parseTailLines(query.tailLines);
    const { cache, workspace } = found;
    const target = {
      cluster: found.cluster,
      namespace: workspace.metadata.namespace!,
      name: workspace.metadata.name!,
    };
    const pods = cache
      .list<RawObject>('pods', target.namespace)
      .filter(p => p.metadata.labels?.[KAITO_LABEL_WORKSPACE] === target.name)
      .sort((a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(
          a.metadata.creationTimestamp ?? '',
        ),
      );
    let pod: RawObject | undefined;
    if (query.pod) {
      pod = pods.find(p => p.metadata.name === query.pod);
      if (!pod) {
        throw new NotFoundError(
          `Pod ${query.pod} does not belong to workspace ${target.namespace}/${target.name}`,
        );
      }
    } else {
      // The model server's leader (<ws>-0), else the newest pod (tuning).
      pod = pods.find(p => p.metadata.name === `${target.name}-0`) ?? pods[0];
    }
    if (!pod) {
      throw new NotFoundError(
        `Workspace ${target.namespace}/${target.name} on cluster "${target.cluster}" has no pod yet`,
      );
    }
    const containers: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
    const container = query.container ?? mainContainer(pod, target.name);
    if (query.container && !containers.includes(query.container)) {
      throw new InputError(
        `container: pod ${pod.metadata.name} has no container "${query.container}"; it has ${containers.join(', ')}`,
      );
    }
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    let log;
    try {
      log = await openPodLog(
        this.clusters.cluster(target.cluster).kubeConfig!,
        target.namespace,
        pod.metadata.name,
        { container, follow, tailLines, signal: controller.signal },
      );
    } catch (error) {
      throw toClusterError(target.cluster, error);
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('X-Kaito-Pod', pod.metadata.name);
    if (container) res.setHeader('X-Kaito-Container', container);
    res.flushHeaders();
    log.on('error', () => res.end());
    log.pipe(res);
    await new Promise<void>(resolve => res.on('close', () => resolve()));
  }
}
