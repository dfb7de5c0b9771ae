import type { KubeObject } from '../../kube/api';
import type { NodeProvisioner } from '../constants';

/**
 * What KAITO's webhook reads from the cluster besides the Workspace itself:
 * its mode (`--node-provisioner`), the release namespace holding the default
 * config templates, nodes (BYO) and ConfigMaps.
 */
export interface AdmissionContext {
  nodeProvisioner: NodeProvisioner;
  releaseNamespace: string;
  listNodes(matchLabels: Record<string, string>): KubeObject[];
  getConfigMap(namespace: string, name: string): KubeObject | undefined;
}
