import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/api';
import {
  ANNOTATION_DO_NOT_DISRUPT,
  GPU_TAINT,
  KAITO_NODEPOOL,
  LABEL_NODEPOOL,
  LABEL_WORKSPACE,
  LABEL_WORKSPACE_NAMESPACE,
} from './constants';
import { resolvePreset } from './catalog';
import type { Workspace } from './workspace';

/**
 * `nodeclaim.GenerateNodeClaimManifest` (`pkg/utils/nodeclaim/nodeclaim.go`)
 * for Azure: one NodeClaim per node, named `ws` + 9 hex characters (which
 * gpu-provisioner reuses as the agent pool name), labelled with the
 * workspace and its selector, tainted `sku=gpu:NoSchedule`.
 */
export function generateNodeClaimName(ws: Workspace, now: Date): string {
  const digest = createHash('sha256')
    .update(
      `${ws.metadata.namespace}${
        ws.metadata.name
      }${now.toISOString()}${Math.random()}`,
    )
    .digest('hex');
  return `ws${digest.slice(0, 9)}`;
}

/** `determineNodeOSDiskSize`: the preset's inference disk, else 1024Gi. */
export function nodeStorageRequest(ws: Workspace): string {
  const preset = ws.inference
    ? resolvePreset(ws.inference.preset?.name)
    : undefined;
  return preset ? `${preset.diskGiB}Gi` : '1024Gi';
}

export function nodeClaimManifest(ws: Workspace, name: string): KubeObject {
  const instanceType = ws.resource?.instanceType ?? '';
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: {
      name,
      labels: {
        [LABEL_NODEPOOL]: KAITO_NODEPOOL,
        [LABEL_WORKSPACE]: ws.metadata.name,
        [LABEL_WORKSPACE_NAMESPACE]: ws.metadata.namespace ?? 'default',
        ...(ws.resource?.labelSelector?.matchLabels ?? {}),
      },
      annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' },
    },
    spec: {
      nodeClassRef: {
        group: 'karpenter.azure.com',
        kind: 'AKSNodeClass',
        name: 'default',
      },
      taints: [{ ...GPU_TAINT }],
      requirements: [
        { key: LABEL_NODEPOOL, operator: 'In', values: [KAITO_NODEPOOL] },
        {
          key: 'node.kubernetes.io/instance-type',
          operator: 'In',
          values: [instanceType],
        },
        { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
        {
          key: 'karpenter.azure.com/sku-name',
          operator: 'In',
          values: [instanceType],
        },
      ],
      resources: { requests: { 'ephemeral-storage': nodeStorageRequest(ws) } },
    },
  };
}

export function instanceTypeOf(nodeClaim: KubeObject): string | undefined {
  const requirements = (
    nodeClaim.spec as { requirements?: { key: string; values?: string[] }[] }
  ).requirements;
  return requirements?.find(r => r.key === 'node.kubernetes.io/instance-type')
    ?.values?.[0];
}
