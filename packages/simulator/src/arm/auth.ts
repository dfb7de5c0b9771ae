/**
 * ARM's bearer-token check: the token must be one the subscription's Entra
 * tenant signed, for ARM's audience, not expired and from that tenant. Each
 * failure is ARM's 401 with its error code and wording.
 */
import type { EntraDirectory } from '../entra/directory';
import { ArmError } from './errors';

/** The audiences ARM accepts, in the order its error message lists them. */
export const ARM_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

/** Clock skew ARM tolerates on `nbf` and `exp`. */
const SKEW_SECONDS = 300;

/** .NET's `M/d/yyyy h:mm:ss tt` in UTC, as ARM prints token times. */
function dotnetUtc(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hours = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${
    hours % 12 || 12
  }:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${
    hours < 12 ? 'AM' : 'PM'
  }`;
}

export const missingAuthorization = () =>
  new ArmError(
    401,
    'AuthenticationFailed',
    "Authentication failed. The 'Authorization' header is missing.",
  );

export const invalidAuthorization = () =>
  new ArmError(
    401,
    'AuthenticationFailed',
    "Authentication failed. The 'Authorization' header is provided in an invalid format.",
  );

const invalidToken = () =>
  new ArmError(
    401,
    'InvalidAuthenticationToken',
    'The access token is invalid.',
  );

/** Checks `Authorization: Bearer <token>` against the tenant; throws ARM's 401. */
export function authenticate(
  authorization: string | undefined,
  tenant: EntraDirectory,
  now: Date = new Date(),
): void {
  if (!authorization) throw missingAuthorization();
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw invalidAuthorization();
  const claims = tenant.verifyAccessToken(match[1]);
  if (!claims) throw invalidToken();

  const aud = String(claims.aud ?? '');
  if (!ARM_AUDIENCES.includes(aud)) {
    throw new ArmError(
      401,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map(
        a => `'${a}'`,
      ).join(',')}.`,
    );
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp)) throw invalidToken();
  if (exp + SKEW_SECONDS < nowSeconds) {
    throw new ArmError(
      401,
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${dotnetUtc(
        exp,
      )}' is earlier than current UTC time '${dotnetUtc(nowSeconds)}'.`,
    );
  }
  const nbf = Number(claims.nbf ?? 0);
  if (nbf - SKEW_SECONDS > nowSeconds) {
    throw new ArmError(
      401,
      'InvalidAuthenticationToken',
      `The access token is not yet valid. The token's 'nbf' UTC time '${dotnetUtc(
        nbf,
      )}' is later than current UTC time '${dotnetUtc(nowSeconds)}'.`,
    );
  }
  const issuer = String(claims.iss ?? '');
  if (issuer !== tenant.issuer) {
    throw new ArmError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${issuer}'. It must match the tenant '${tenant.issuer}' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenant.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    );
  }
}
