import YAML from 'yaml';
import type { SimClock } from '../clock';
import type { KubeObject, ObjectStore, SubresourceHandler } from '../kube/api';
import { StatusError } from '../kube/errors';
import { resolvePreset, servedModelName } from '../kaito/catalog';
import { LABEL_WORKSPACE, WORKSPACE_KEY } from '../kaito/constants';
import type { Workspace } from '../kaito/workspace';
import { inferenceConfigMapName } from '../kaito/workloads/inferenceWorkload';
import type { SimKubelet } from '../wiring/kubelet';
import { sendStatus } from '../wiring/podLogs';
import { isPodReady } from '../wiring/podOwnership';
import { handleOpenAiRequest, type ServedModel } from './openAiServer';

/**
 * `/api/v1/namespaces/{ns}/services/{name}[:port]/proxy/...`: the API
 * server's service proxy. It picks an endpoint pod from the Service's
 * selector and forwards to the process listening on the target port; for a
 * KAITO inference pod that is the simulated vLLM server, which only listens
 * once the pod is Ready. Errors are the API server's 503s.
 */
const serviceUnavailable = (message: string) =>
  new StatusError(503, 'ServiceUnavailable', message);

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

function targetPortOf(
  service: KubeObject,
  portSpec: string | undefined,
): number | undefined {
  const ports = ((service.spec as { ports?: ServicePort[] }).ports ??
    []) as ServicePort[];
  const port = portSpec
    ? ports.find(p => String(p.port) === portSpec || p.name === portSpec)
    : ports[0];
  if (!port) return undefined;
  return typeof port.targetPort === 'number'
    ? port.targetPort
    : Number(port.targetPort ?? port.port);
}

function servedModelOf(
  store: ObjectStore,
  ws: Workspace,
  startedAtMs: number,
): ServedModel | undefined {
  const preset = resolvePreset(ws.inference?.preset?.name);
  if (!preset) return undefined;
  let maxModelLen = preset.contextLength;
  const config = store.get({
    group: '',
    plural: 'configmaps',
    namespace: ws.metadata.namespace,
    name: inferenceConfigMapName(ws),
  });
  try {
    const parsed = YAML.parse(
      String(
        (config?.data as Record<string, string> | undefined)?.[
          'inference_config.yaml'
        ] ?? '',
      ),
    );
    const configured = Number(parsed?.vllm?.['max-model-len']);
    if (configured > 0) maxModelLen = configured;
  } catch {
    // An unparsable config was rejected by the webhook; keep the model's limit.
  }
  return {
    name: servedModelName(preset),
    root: preset.huggingFaceId,
    adapters: (ws.inference?.adapters ?? [])
      .map(a => a.source?.name ?? '')
      .filter(Boolean),
    maxModelLen,
    createdSeconds: Math.floor(startedAtMs / 1000),
  };
}

export function serviceProxyHandler(deps: {
  store: ObjectStore;
  kubelet: SimKubelet;
  clock: SimClock;
}): SubresourceHandler {
  return async ({ object: service, path, port, req, res }) => {
    const name = service.metadata.name;
    const namespace = service.metadata.namespace ?? 'default';
    const selector =
      (service.spec as { selector?: Record<string, string> }).selector ?? {};
    const targetPort = targetPortOf(service, port);
    const pods = deps.store
      .list({ group: '', plural: 'pods', namespace })
      .items.filter(pod =>
        Object.entries(selector).every(
          ([k, v]) => pod.metadata.labels?.[k] === v,
        ),
      )
      .filter(pod => (pod.status as { podIP?: string } | undefined)?.podIP);
    const pod = pods.find(isPodReady) ?? pods[0];
    if (!pod || targetPort === undefined) {
      sendStatus(
        res,
        serviceUnavailable(`no endpoints available for service "${name}"`),
      );
      return;
    }
    const podIP = (pod.status as { podIP: string }).podIP;
    const refused = () =>
      sendStatus(
        res,
        serviceUnavailable(
          `error trying to reach service: dial tcp ${podIP}:${targetPort}: connect: connection refused`,
        ),
      );
    const wsName = pod.metadata.labels?.[LABEL_WORKSPACE];
    const ws = wsName
      ? (deps.store.get({ ...WORKSPACE_KEY, namespace, name: wsName }) as
          | Workspace
          | undefined)
      : undefined;
    const run = deps.kubelet.runOf(namespace, pod.metadata.name);
    const server = run?.containers.find(c => c.name === wsName)?.current;
    if (
      !ws ||
      !isPodReady(pod) ||
      !server ||
      server.exit ||
      targetPort !== 5000
    ) {
      refused();
      return;
    }
    const model = servedModelOf(deps.store, ws, server.startedAtMs);
    if (!model) {
      refused();
      return;
    }
    await handleOpenAiRequest(
      model,
      {
        chunkDelayMs: Math.max(5, deps.clock.scaled(20)),
        accessLog: line =>
          deps.kubelet.appendLog(namespace, pod.metadata.name, wsName!, line),
      },
      req,
      res,
      path || '/',
    );
  };
}
