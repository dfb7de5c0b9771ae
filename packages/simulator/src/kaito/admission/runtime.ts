import { ANNOTATION_RUNTIME } from '../constants';
import type { Workspace } from '../workspace';
import type { AdmissionContext } from './context';

export type Runtime = 'vllm' | 'transformers';

/** `GetWorkspaceRuntimeName` (`labels.go`): transformers when the vLLM gate is off, else the annotation, default vLLM. */
export function workspaceRuntime(
  ws: Workspace,
  ctx: AdmissionContext,
): Runtime {
  if (!ctx.featureGates.vLLM) return 'transformers';
  return ws.metadata.annotations?.[ANNOTATION_RUNTIME] === 'transformers'
    ? 'transformers'
    : 'vllm';
}
