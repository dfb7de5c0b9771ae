import { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { AzureClusterConfig } from './config';

/**
 * Microsoft Entra hosts of the national clouds, whose instance metadata MSAL
 * knows. For any other `authorityHost` (Azure Stack, a local Entra) instance
 * discovery would ask login.microsoftonline.com, so it is turned off.
 */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
]);

/**
 * The credential a cluster reaches ARM with: the service principal
 * configured for it (`tenantId`, `clientId`, `clientSecret`, optional
 * `authorityHost`), trusting the cluster's CA for its authority host too, or
 * else the shared default (DefaultAzureCredential).
 */
export function azureCredentialFor(
  azure: AzureClusterConfig,
  fallback: () => TokenCredential,
): TokenCredential {
  const { credential } = azure;
  if (!credential) {
    return fallback();
  }
  const authorityHost = credential.authorityHost;
  return new ClientSecretCredential(
    credential.tenantId,
    credential.clientId,
    credential.clientSecret,
    {
      ...(authorityHost
        ? {
            authorityHost,
            disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(
              new URL(authorityHost).hostname.toLowerCase(),
            ),
          }
        : {}),
      ...(azure.caPem ? { tlsOptions: { ca: azure.caPem } } : {}),
    },
  );
}

/** Errors `@azure/identity` throws when Entra refused the sign-in. */
const REFUSED = new Set(['AuthenticationError', 'AuthenticationRequiredError']);
/**
 * Errors it throws when it got no answer: no credential in the environment,
 * or the authority's metadata unreachable (MSAL's endpoints_resolution_error).
 */
const UNAVAILABLE = new Set([
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
]);

/**
 * A failure to get a Microsoft Entra token, naming the cluster and Entra's
 * own reason: 403 when Entra refused (AADSTS code and description), 503 when
 * no credential or no answer was to be had; undefined for other errors.
 */
export function credentialError(
  cluster: string,
  error: unknown,
): Error | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  if (REFUSED.has(error.name)) {
    return new NotAllowedError(
      `The KAITO backend could not sign in to Microsoft Entra for cluster "${cluster}": ${error.message}`,
    );
  }
  if (UNAVAILABLE.has(error.name)) {
    return new ServiceUnavailableError(
      `The KAITO backend got no Microsoft Entra token for cluster "${cluster}" (no credential available, or the authority unreachable): ${error.message}`,
    );
  }
  return undefined;
}
