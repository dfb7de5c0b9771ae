import { KubeConfig } from '@kubernetes/client-node';
import { IncomingMessage } from 'node:http';
import { kubeRequest, kubeStatusError } from './kubeHttp';
import { RawObject } from './rawObjects';

export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  limitBytes?: number;
  signal?: AbortSignal;
}

/** The container whose log shows a workspace's work: the one named after it. */
export function mainContainer(pod: RawObject, workspaceName: string): string | undefined {
  const containers: Array<{ name: string }> = pod.spec?.containers ?? [];
  return (
    containers.find(c => c.name === workspaceName)?.name ?? containers[0]?.name
  );
}

/**
 * Opens a pod's log (`GET .../pods/<pod>/log`) and returns the response
 * stream; throws KubeApiError on a non-2xx answer.
 */
export async function openPodLog(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  options: PodLogOptions,
): Promise<IncomingMessage> {
  const res = await kubeRequest(kc, {
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
    query: {
      container: options.container,
      follow: options.follow ? 'true' : undefined,
      tailLines: options.tailLines,
      limitBytes: options.limitBytes,
    },
    headers: { Accept: 'text/plain, */*' },
    signal: options.signal,
  });
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(Buffer.from(chunk));
    throw kubeStatusError(status, Buffer.concat(chunks).toString('utf8'));
  }
  return res;
}

/** Reads a whole (bounded) pod log as text. */
export async function readPodLog(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  options: Omit<PodLogOptions, 'follow'>,
): Promise<string> {
  const res = await openPodLog(kc, namespace, pod, options);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
