import { DiscoveryService } from '@backstage/backend-plugin-api';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';

/**
 * What the kaito:* actions need: the KAITO backend client (from
 * `kaitoServiceRef`) and, for absolute chat links, discovery.
 *
 * @public
 */
export interface KaitoActionOptions {
  /** The KAITO backend, called with the initiating user's credentials. */
  kaito: KaitoService;
  /** Resolves the KAITO backend's external URL for the `chatUrl` outputs. */
  discovery?: Pick<DiscoveryService, 'getExternalBaseUrl'>;
}

/** The absolute URL of the backend's chat proxy for a workspace. */
export async function chatUrlOf(
  options: KaitoActionOptions,
  chatPath: string | undefined,
): Promise<string | undefined> {
  if (!chatPath || !options.discovery) return undefined;
  try {
    const base = await options.discovery.getExternalBaseUrl('kaito');
    return `${base.replace(/\/+$/, '')}${chatPath}`;
  } catch {
    return undefined;
  }
}

/** The chat proxy path of a workspace, relative to `/api/kaito`. */
export function chatPathOf(ref: {
  cluster: string;
  namespace: string;
  name: string;
}): string {
  return `/clusters/${encodeURIComponent(
    ref.cluster,
  )}/namespaces/${encodeURIComponent(
    ref.namespace,
  )}/workspaces/${encodeURIComponent(ref.name)}/chat/completions`;
}

/** The in-cluster URL of an inference workspace's Service. */
export function serviceUrlOf(ref: { namespace: string; name: string }): string {
  return `http://${ref.name}.${ref.namespace}.svc.cluster.local:80`;
}
