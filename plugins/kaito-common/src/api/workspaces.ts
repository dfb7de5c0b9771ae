import {
  WorkspaceKind,
  WorkspacePhase,
  WorkspaceStatusSummary,
} from '../status';
import {
  DataDestination,
  DataSource,
  Workspace,
  WorkspaceResourceSpec,
  WorkspaceStatus,
} from '../types';
import { ClusterError, ClusterFreshness } from './clusters';

/*
 * REST types of the workspace routes of kaito-backend (mounted at
 * `/api/kaito`):
 * - `GET /workspaces?entityRef=<ref>` -> {@link ListWorkspacesResponse}
 * - `GET /clusters/:cluster/namespaces/:ns/workspaces/:name` -> {@link WorkspaceDetail}
 * - `GET .../workspaces/:name/logs?follow=&tailLines=&pod=&container=` -> text/plain stream
 * - `POST /workspaces` (`CreateWorkspaceRequest`) -> {@link CreateWorkspaceResponse}
 * - `DELETE .../workspaces/:name` -> {@link WorkspaceSummary} (as last seen, usually Deleting)
 */

/**
 * A Kubernetes condition (of a Workspace or a Job) as the API shows it.
 *
 * @public
 */
export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * GPU usage and estimated list-price cost of a workspace so far.
 *
 * @public
 */
export interface UsageView {
  nodeCount: number;
  /** Hours the run has lasted so far (until it finished). */
  hours: number;
  gpuHours: number;
  estimatedCostUsd?: number;
  /** Hourly price of the run's nodes. */
  usdPerHour?: number;
  priceSource?: string;
}

/**
 * A workspace in lists (`GET /workspaces?entityRef=`).
 *
 * @public
 */
export interface WorkspaceSummary {
  cluster: string;
  namespace: string;
  name: string;
  uid?: string;
  type: WorkspaceKind;
  /** Preset name as written in the workspace. */
  preset?: string;
  /** Tuning method (`lora` or `qlora`), as written in the workspace. */
  method?: string;
  /** GPU SKU (`resource.instanceType`). */
  instanceType?: string;
  /** Ref of the owning entity (annotation `kaito.backstage.io/entity-ref`). */
  entityRef?: string;
  createdBy?: string;
  /** The phase the suite shows (Pending, Provisioning, Running, ...). */
  state: WorkspacePhase;
  status: WorkspaceStatusSummary;
  /** The key conditions (kubectl printer columns and node provisioning). */
  conditions: ConditionView[];
  nodes: { target?: number; workers: string[]; ready: number };
  createdAt?: string;
  ageSeconds?: number;
  /** When a tuning run finished. */
  finishedAt?: string;
  usage?: UsageView;
  /** Inference workspaces only. */
  endpoint?: {
    /** In-cluster URL of the model server. */
    serviceUrl: string;
    /** Path of the backend's chat proxy, relative to `/api/kaito`. */
    chatPath: string;
  };
}

/**
 * Response of `GET /workspaces?entityRef=<ref>`: the entity's workspaces on
 * every cluster, newest first.
 *
 * @public
 */
export interface ListWorkspacesResponse {
  items: WorkspaceSummary[];
  /** Clusters that could not be read; their workspaces are missing from `items`. */
  errors: ClusterError[];
  /** How current each cluster that answered is (stale ones answered from their last state). */
  clusters: ClusterFreshness[];
}

/**
 * One entry of a workspace's condition timeline (oldest first).
 *
 * @public
 */
export type TimelineEntry = ConditionView;

/**
 * A Kubernetes event about a workspace or one of its objects (Job, pods,
 * NodeClaims, nodes).
 *
 * @public
 */
export interface EventView {
  /** `Normal` or `Warning`. */
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  object: { kind?: string; name?: string };
  /** Reporting component. */
  source?: string;
}

/**
 * A container of a workspace pod.
 *
 * @public
 */
export interface ContainerView {
  name: string;
  ready: boolean;
  restartCount: number;
  /** `running`, `waiting` or `terminated`. */
  state?: string;
  reason?: string;
  message?: string;
  exitCode?: number;
}

/**
 * A pod of a workspace (the tuning Job's or the model server's).
 *
 * @public
 */
export interface PodView {
  name: string;
  phase?: string;
  nodeName?: string;
  ready: boolean;
  restarts: number;
  startTime?: string;
  containers: ContainerView[];
}

/**
 * The tuning Job of a workspace.
 *
 * @public
 */
export interface JobView {
  name: string;
  active: number;
  succeeded: number;
  failed: number;
  startTime?: string;
  completionTime?: string;
  conditions: ConditionView[];
}

/**
 * A Karpenter NodeClaim KAITO created for a workspace.
 *
 * @public
 */
export interface NodeClaimView {
  name: string;
  instanceType?: string;
  nodeName?: string;
  /** Status of its Ready condition. */
  ready?: string;
  /** Reason and message of its Ready condition, or of the failing one. */
  reason?: string;
  message?: string;
}

/**
 * A training or evaluation loss value from the trainer's log.
 *
 * @public
 */
export interface LossPoint {
  /** Optimizer step the loss was logged at, when known. */
  step?: number;
  epoch?: number;
  loss: number;
  learningRate?: number;
}

/**
 * Progress and loss of a fine-tuning run, read from the trainer's log
 * (KAITO has no progress field).
 *
 * @public
 */
export interface TuningProgress {
  /** Steps done. */
  step?: number;
  /** Total optimizer steps. */
  totalSteps?: number;
  /** Current (fractional) epoch. */
  epoch?: number;
  /** Number of epochs, when the log says. */
  totalEpochs?: number;
  /** step / totalSteps, 0..1. */
  fraction?: number;
  loss: LossPoint[];
  /** Average training loss the trainer reports at the end. */
  trainLoss?: number;
  /** Evaluation loss points, if the run evaluates. */
  evalLoss: LossPoint[];
}

/**
 * An adapter an inference workspace loads.
 *
 * @public
 */
export interface AdapterView {
  name?: string;
  image?: string;
  strength?: string;
}

/**
 * Response of `GET /clusters/:cluster/namespaces/:ns/workspaces/:name`.
 *
 * @public
 */
export interface WorkspaceDetail extends WorkspaceSummary {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  resource?: WorkspaceResourceSpec;
  /** Every condition of the workspace, oldest transition first. */
  timeline: TimelineEntry[];
  /** Events of the workspace and its objects, oldest first. */
  events: EventView[];
  job?: JobView;
  pods: PodView[];
  nodeClaims: NodeClaimView[];
  /** Tuning workspaces only. */
  tuning?: {
    method?: string;
    input?: DataSource;
    output?: DataDestination;
    /** The image the adapter is pushed to (input of an inference adapter). */
    outputImage?: string;
    progress?: TuningProgress;
    /** Why progress could not be read (e.g. no pod yet). */
    progressError?: string;
  };
  /** Inference workspaces only. */
  inference?: {
    runtime: string;
    adapters: AdapterView[];
    performance?: WorkspaceStatus['performance'];
  };
  /** How current this answer is (stale while the cluster is unreachable). */
  freshness: ClusterFreshness;
}

/**
 * Response of `POST /workspaces`.
 *
 * @public
 */
export interface CreateWorkspaceResponse {
  dryRun: boolean;
  /**
   * Whether this request created the workspace: false when the scaffolder
   * task named by the request (`X-Kaito-Template-Task-Id`) had created it
   * already (a retried step), which is answered instead of a conflict.
   * Absent on a dry run.
   */
  created?: boolean;
  /** The Workspace manifest (created, found, or that would be created). */
  manifest: Workspace;
  /** The workspace; absent on a dry run. */
  workspace?: WorkspaceSummary;
}

/**
 * Query of `GET .../workspaces/:name/logs`. The answer is a `text/plain`
 * stream; headers `X-Kaito-Pod` and `X-Kaito-Container` name its source.
 *
 * @public
 */
export interface WorkspaceLogsQuery {
  /** Keep the stream open and send new lines as they come. */
  follow?: boolean;
  /** Start with the last N lines (0 to 100000). */
  tailLines?: number;
  /** A pod of the workspace; the model server's leader or the newest pod by default. */
  pod?: string;
  /** A container of that pod; the main one by default. */
  container?: string;
}

// Coordinates of a workspace in the REST API: written where they are encoded.
export type { WorkspaceRef } from '../links';
