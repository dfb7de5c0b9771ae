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

/** Drops `undefined`, `null` and empty strings from an object (template forms leave them). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== null && v !== '',
    ),
  ) as T;
}

/** A JSON-safe copy (checkpoint values must be JSON). */
export function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
