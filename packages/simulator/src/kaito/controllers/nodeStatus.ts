import type { KubeObject } from '../../kube/api';
import { LABEL_NODEPOOL, type NodeProvisioner } from '../constants';
import {
  isNodeClaimReady,
  provisioningState,
} from '../gpuProvisioner/nodeClaimConditions';
import { hasLabels } from '../labelSelector';
import { allocatableGpus, isNodeReady } from '../nodeReadiness';
import type { Workspace } from '../workspace';

/**
 * The node half of a workspace's status (`collectNodeStatusSnapshot` in
 * `pkg/workspace/controllers/workspace_controller.go`, with v0.12's #2251:
 * a NodeClaim's own Launched/Registered/Initialized reason and message
 * surface in NodeClaimReady and, through it, ResourceReady).
 */
export interface ConditionValue {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface NodeSnapshot {
  workerNodes: string[];
  readyNodes: KubeObject[];
  nodeClaimRequired: boolean;
  nodeClaimsNeeded: number;
  nodesReady: ConditionValue;
  nodeClaimReady: ConditionValue;
  resourceReady: ConditionValue;
}

/** Ready nodes without a Karpenter nodepool label were not made for a NodeClaim (BYO). */
export function nodeClaimsNeeded(
  targetNodeCount: number,
  readyNodes: KubeObject[],
): number {
  const byo = readyNodes.filter(
    n => n.metadata.labels?.[LABEL_NODEPOOL] === undefined,
  ).length;
  return Math.max(0, targetNodeCount - byo);
}

export function nodeSnapshot(
  ws: Workspace,
  inputs: {
    nodes: KubeObject[];
    nodeClaims: KubeObject[];
    nodeProvisioner: NodeProvisioner;
  },
): NodeSnapshot {
  const nodeClaimRequired = inputs.nodeProvisioner !== 'byo';
  const matchLabels = ws.resource?.labelSelector?.matchLabels ?? {};
  const matching = inputs.nodes.filter(n =>
    hasLabels(n.metadata.labels, matchLabels),
  );
  const readyNodes = matching.filter(isNodeReady);
  const target = ws.status?.targetNodeCount ?? 0;
  const instanceType = ws.resource?.instanceType;
  const readyCount = nodeClaimRequired
    ? readyNodes.filter(
        n =>
          n.metadata.labels?.['node.kubernetes.io/instance-type'] ===
          instanceType,
      ).length
    : readyNodes.length;

  const needed = nodeClaimsNeeded(target, readyNodes);
  let nodeClaimReady: ConditionValue = {
    status: 'False',
    reason: 'NodeClaimNotReady',
    message: 'Ready NodeClaims are not enough',
  };
  if (nodeClaimRequired) {
    const readyClaims = inputs.nodeClaims.filter(isNodeClaimReady).length;
    if (target > 0 && readyClaims >= needed) {
      nodeClaimReady = {
        status: 'True',
        reason: 'NodeClaimsReady',
        message: 'Enough NodeClaims are ready',
      };
    } else {
      const trouble = provisioningState(
        inputs.nodeClaims.filter(nc => !isNodeClaimReady(nc)),
      );
      if (trouble) {
        nodeClaimReady = {
          status: 'False',
          reason: trouble.reason,
          message: trouble.message,
        };
      }
    }
  }

  let nodesReady: ConditionValue = {
    status: 'False',
    reason: 'NodeNotReady',
    message: 'Not enough Nodes are ready',
  };
  if (target > 0 && readyCount >= target) {
    nodesReady = {
      status: 'True',
      reason: 'NodesReady',
      message: 'Enough Nodes are ready',
    };
    if (nodeClaimRequired) {
      const claimedNodes = new Set(
        inputs.nodeClaims.map(
          nc => (nc.status as { nodeName?: string } | undefined)?.nodeName,
        ),
      );
      const pluginsReady = readyNodes
        .filter(n => claimedNodes.has(n.metadata.name))
        .every(n => allocatableGpus(n) > 0);
      if (!pluginsReady) {
        nodesReady = {
          status: 'False',
          reason: 'NodePluginsNotReady',
          message: 'waiting all node plugins to be ready',
        };
      }
    }
  }

  let resourceReady: ConditionValue;
  if (
    nodesReady.status === 'True' &&
    (!nodeClaimRequired || nodeClaimReady.status === 'True')
  ) {
    resourceReady = {
      status: 'True',
      reason: 'workspaceResourceStatusSuccess',
      message: 'workspace resource is ready',
    };
  } else if (nodeClaimRequired && nodeClaimReady.status !== 'True') {
    resourceReady = { ...nodeClaimReady };
  } else {
    resourceReady = { ...nodesReady };
  }

  return {
    workerNodes: matching.map(n => n.metadata.name).sort(),
    readyNodes,
    nodeClaimRequired,
    nodeClaimsNeeded: needed,
    nodesReady,
    nodeClaimReady,
    resourceReady,
  };
}
