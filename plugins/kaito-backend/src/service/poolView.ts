import type { AgentPool } from '@azure/arm-containerservice';
import {
  GPU_POOL_TAGS,
  GpuPoolView,
  Workspace,
  findGpuSkuByVmSize,
} from '@kaito-backstage/plugin-kaito-common';
import { RawObject } from './rawObjects';

/*
 * The REST view of an AKS agent pool (`GpuPoolView`): its SKU, scale,
 * state, the suite's tags, and the workspaces the watch cache sees on it.
 */

const AGENTPOOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool'];

export function roundUsd(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** What the watch cache knows of a cluster's workspaces and nodes. */
export interface PoolContext {
  workspaces: Workspace[];
  nodes: RawObject[];
}

export function gpuPoolView(
  cluster: string,
  pool: AgentPool,
  context: PoolContext,
): GpuPoolView {
  const name = pool.name ?? '';
  const sku = pool.vmSize ? findGpuSkuByVmSize(pool.vmSize) : undefined;
  const tags = pool.tags ?? {};
  const nodeLabels = pool.nodeLabels ?? {};
  const workspaceTag = tags[GPU_POOL_TAGS.workspace];
  const [tagNs, tagName] = workspaceTag?.includes('/')
    ? workspaceTag.split('/', 2)
    : [];

  const poolNodes = new Set(
    context.nodes
      .filter(n =>
        AGENTPOOL_LABELS.some(l => n.metadata.labels?.[l] === name),
      )
      .map(n => n.metadata.name),
  );
  const usedBy = context.workspaces
    .filter(ws => {
      if (ws.status?.workerNodes?.some(n => poolNodes.has(n))) return true;
      if (
        tagNs &&
        ws.metadata.namespace === tagNs &&
        ws.metadata.name === tagName
      ) {
        return true;
      }
      const match = ws.resource?.labelSelector?.matchLabels ?? {};
      const keys = Object.keys(match);
      return (
        keys.length > 0 && keys.every(k => nodeLabels[k] === match[k])
      );
    })
    .map(ws => ({
      namespace: ws.metadata.namespace ?? '',
      name: ws.metadata.name ?? '',
    }));
  const count = pool.count ?? 0;
  const usdPerHour = sku?.price ? roundUsd(count * sku.price.usdPerHour) : undefined;
  const spot = pool.scaleSetPriority === 'Spot';
  return {
    cluster,
    name,
    ...(pool.vmSize ? { vmSize: pool.vmSize } : {}),
    ...(sku
      ? {
          sku: sku.name,
          gpu: {
            model: sku.gpuModel,
            count: sku.gpuCount,
            memoryGiB: sku.gpuMemoryGiB,
          },
        }
      : {}),
    count,
    autoscaling: Boolean(pool.enableAutoScaling),
    ...(pool.minCount !== undefined ? { minCount: pool.minCount } : {}),
    ...(pool.maxCount !== undefined ? { maxCount: pool.maxCount } : {}),
    ...(pool.mode ? { mode: pool.mode } : {}),
    spot,
    ...(pool.provisioningState
      ? { provisioningState: pool.provisioningState }
      : {}),
    ...(pool.powerState?.code ? { powerState: pool.powerState.code } : {}),
    ...((pool as any).status?.provisioningError
      ? {
          provisioningError: {
            code: (pool as any).status.provisioningError.code,
            message: (pool as any).status.provisioningError.message,
          },
        }
      : {}),
    nodeLabels,
    nodeTaints: pool.nodeTaints ?? [],
    tags,
    managed: tags[GPU_POOL_TAGS.managed] === 'true',
    ...(tags[GPU_POOL_TAGS.entity] ? { entityRef: tags[GPU_POOL_TAGS.entity] } : {}),
    ...(tagNs ? { workspace: { namespace: tagNs, name: tagName } } : {}),
    ...(tags[GPU_POOL_TAGS.createdBy]
      ? { createdBy: tags[GPU_POOL_TAGS.createdBy] }
      : {}),
    usedBy,
    idle: Boolean(sku) && usedBy.length === 0,
    ...(usdPerHour !== undefined ? { usdPerHour } : {}),
  };
}
