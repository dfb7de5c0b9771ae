/**
 * The login.microsoftonline.com endpoints MSAL (and so `@azure/identity`)
 * asks for with `authorityHost` pointed here: OpenID Connect metadata (v2.0
 * and v1), instance discovery, the signing keys, and the token endpoints with
 * the client-credentials grant (v2.0 `scope`, v1 `resource`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { EntraDirectory } from './directory';
import {
  applicationNotFound,
  clientAssertionNotSupported,
  invalidClientSecret,
  invalidScope,
  missingClientCredential,
  missingParameter,
  noTenantInformation,
  resourceNotFound,
  tenantNotFound,
  unsupportedGrantType,
} from './errors';

export interface EntraRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `https://host:port`, as the client addressed us. */
  baseUrl: string;
}

export interface EntraResponse {
  status: number;
  body: unknown;
}

const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

function openIdConfiguration(
  dir: EntraDirectory,
  base: string,
  tenant: string,
  v2: boolean,
) {
  const tid = MULTI_TENANT.has(tenant) ? '{tenantid}' : dir.tenantId;
  const path = MULTI_TENANT.has(tenant) ? tenant : dir.tenantId;
  const oauth = `${base}/${path}/oauth2${v2 ? '/v2.0' : ''}`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/${path}/discovery${v2 ? '/v2.0' : ''}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: [
      'code',
      'id_token',
      'code id_token',
      'id_token token',
    ],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${base}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/${path}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** The client's id and secret: form fields (client_secret_post) or HTTP Basic (client_secret_basic). */
function clientCredentials(req: EntraRequest, form: URLSearchParams) {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    return { clientId: id, clientSecret: secret };
  }
  return {
    clientId: form.get('client_id') ?? undefined,
    clientSecret: form.get('client_secret') ?? undefined,
  };
}

/** POST /{tenant}/oauth2[/v2.0]/token: the client-credentials grant. */
function token(
  dir: EntraDirectory,
  req: EntraRequest,
  tenant: string,
  v2: boolean,
): EntraResponse {
  if (MULTI_TENANT.has(tenant)) {
    throw noTenantInformation();
  }
  const form = new URLSearchParams(req.body);
  const grantType = form.get('grant_type');
  if (!grantType) {
    throw missingParameter('grant_type');
  }
  if (grantType !== 'client_credentials') {
    throw unsupportedGrantType(grantType);
  }
  const { clientId, clientSecret } = clientCredentials(req, form);
  if (!clientId) {
    throw missingParameter('client_id');
  }
  const app = dir.application(clientId);
  if (!app) {
    throw applicationNotFound(clientId, dir.domain);
  }
  if (form.get('client_assertion')) {
    throw clientAssertionNotSupported();
  }
  if (!clientSecret) {
    throw missingClientCredential();
  }
  if (clientSecret !== app.clientSecret) {
    throw invalidClientSecret(app.clientId);
  }

  let requested: string;
  if (v2) {
    const scopes = (form.get('scope') ?? '')
      .split(/\s+/)
      .filter(s => s && !['openid', 'profile', 'offline_access'].includes(s));
    if (scopes.length === 0) {
      throw missingParameter('scope');
    }
    const [scope] = scopes;
    if (scopes.length > 1 || !scope.endsWith('.default')) {
      throw invalidScope(scopes.join(' '));
    }
    requested = scope.slice(0, -'.default'.length);
  } else {
    const resource = form.get('resource');
    if (!resource) {
      throw missingParameter('resource');
    }
    requested = resource;
  }
  const resolved = dir.resolveResource(requested);
  if (!resolved) {
    throw resourceNotFound(requested.replace(/\/$/, ''), dir.domain);
  }
  const issued = dir.issueToken(app, resolved.audience);
  if (v2) {
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        ext_expires_in: issued.expiresIn,
        access_token: issued.accessToken,
      },
    };
  }
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: String(issued.expiresIn),
      ext_expires_in: String(issued.expiresIn),
      expires_on: String(issued.expiresOn),
      not_before: String(issued.notBefore),
      resource: requested,
      access_token: issued.accessToken,
    },
  };
}

const notFound = (): EntraResponse => ({
  status: 404,
  body: {
    error: 'not_found',
    error_description: 'The requested endpoint does not exist.',
  },
});

/** Routes one request; EntraError for OAuth failures. */
export function routeEntraRequest(
  dir: EntraDirectory,
  req: EntraRequest,
): EntraResponse {
  const [tenant, ...rest] = req.segments;
  if (!tenant) {
    return notFound();
  }
  const path = rest.join('/').toLowerCase();
  if (req.method === 'GET' && path === 'discovery/instance') {
    const host = new URL(req.baseUrl).host;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${req.baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          { preferred_network: host, preferred_cache: host, aliases: [host] },
        ],
      },
    };
  }
  const known = MULTI_TENANT.has(tenant.toLowerCase()) || dir.isTenant(tenant);
  if (!known) {
    throw tenantNotFound(tenant);
  }
  const lower = tenant.toLowerCase();
  switch (`${req.method} ${path}`) {
    case 'GET v2.0/.well-known/openid-configuration':
      return {
        status: 200,
        body: openIdConfiguration(dir, req.baseUrl, lower, true),
      };
    case 'GET .well-known/openid-configuration':
      return {
        status: 200,
        body: openIdConfiguration(dir, req.baseUrl, lower, false),
      };
    case 'GET discovery/v2.0/keys':
    case 'GET discovery/keys':
      return { status: 200, body: dir.jwks() };
    case 'POST oauth2/v2.0/token':
      return token(dir, req, lower, true);
    case 'POST oauth2/token':
      return token(dir, req, lower, false);
    default:
      return notFound();
  }
}
