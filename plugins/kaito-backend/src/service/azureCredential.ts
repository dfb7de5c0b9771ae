import { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import { NotAllowedError } from '@backstage/errors';
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

/** Errors `@azure/identity` throws when it cannot get a token. */
const CREDENTIAL_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
]);

/**
 * A failure to sign in to Microsoft Entra, as a 403 naming the cluster and
 * Entra's own reason (AADSTS code and description); undefined for other errors.
 */
export function credentialError(
  cluster: string,
  error: unknown,
): NotAllowedError | undefined {
  if (!(error instanceof Error) || !CREDENTIAL_ERRORS.has(error.name)) {
    return undefined;
  }
  return new NotAllowedError(
    `The KAITO backend could not sign in to Microsoft Entra for cluster "${cluster}": ${error.message}`,
  );
}
