import type { KubeObject } from '../../kube/api';
import type { NodeProvisioner } from '../constants';
import type { FeatureGates } from '../featureGates';
import type { ModelRegistry } from './models';

export type KaitoApiVersion = 'v1alpha1' | 'v1beta1';

/**
 * What KAITO's webhook reads besides the Workspace itself: its flags
 * (`--node-provisioner`, `--feature-gates`), the release namespace holding
 * the default config templates, its model registry, and the cluster's nodes
 * (BYO) and ConfigMaps.
 */
export interface AdmissionContext {
  nodeProvisioner: NodeProvisioner;
  featureGates: FeatureGates;
  releaseNamespace: string;
  models: ModelRegistry;
  listNodes(matchLabels: Record<string, string>): KubeObject[];
  getConfigMap(namespace: string, name: string): KubeObject | undefined;
}

/** `featuregates.FeatureGates[disableNodeAutoProvisioning]`, which KAITO sets from `--node-provisioner`. */
export const napDisabled = (ctx: AdmissionContext) =>
  ctx.nodeProvisioner === 'byo';
