/**
 * `@azure/identity` as users run it, against the simulated Microsoft Entra:
 * the real ClientSecretCredential with `authorityHost` pointed at the
 * simulator signs in and the real ARM SDK (`@azure/arm-containerservice`)
 * uses its tokens; ARM refuses tokens that are expired, for another audience,
 * from another tenant or not signed by Entra, with ARM's 401 error codes.
 */
import { createPublicKey, verify } from 'node:crypto';
import { request } from 'node:https';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import {
  simulatorClientOptions,
  simulatorCredentialOptions,
} from '../arm/clientOptions';
import { startSimulator, type RunningSimulator } from '../simulator';

jest.setTimeout(60_000);

const ARM_SCOPE = 'https://management.azure.com/.default';

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** A credential that hands out one given token. */
const fixed = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token,
    expiresOnTimestamp: Date.now() + 3600_000,
  }),
});

describe('Microsoft Entra and ARM token checks', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 100, seed: 'none' });
  });

  afterAll(() => sim?.stop());

  const credential = (
    overrides: {
      clientSecret?: string;
      clientId?: string;
      tenantId?: string;
    } = {},
  ) => {
    const id = simulatorCredentialOptions(sim);
    return new ClientSecretCredential(
      overrides.tenantId ?? id.tenantId,
      overrides.clientId ?? id.clientId,
      overrides.clientSecret ?? id.clientSecret,
      id.options,
    );
  };
  /** A request to the simulated Entra over https, trusting its CA. */
  const get = (path: string, init?: { method?: string; body?: string }) => {
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const url = new URL(path, sim.entraUrl);
      const req = request(
        url,
        {
          method: init?.method ?? 'GET',
          ca: sim.armCaCertPem,
          headers: init?.body
            ? { 'Content-Type': 'application/x-www-form-urlencoded' }
            : {},
        },
        res => {
          let text = '';
          res.on('data', c => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, body: JSON.parse(text) }),
          );
        },
      );
      req.on('error', reject);
      req.end(init?.body);
    });
  };

  const aks = (cred: TokenCredential) =>
    new ContainerServiceClient(cred, sim.subscriptionId, {
      ...simulatorClientOptions({
        url: sim.armUrl,
        caCertPem: sim.armCaCertPem,
      }),
      retryOptions: { maxRetries: 0 },
    });
  const armError = async (cred: TokenCredential) => {
    try {
      await aks(cred).managedClusters.get(sim.resourceGroup, sim.clusterName);
    } catch (error) {
      return error as { statusCode?: number; code?: string; message: string };
    }
    throw new Error('ARM accepted the token');
  };

  it('ClientSecretCredential signs in and gets a v1.0 ARM token, signed with the published key', async () => {
    const token = await credential().getToken(ARM_SCOPE);
    const claims = claimsOf(token.token);
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com/',
      iss: `https://sts.windows.net/${sim.tenantId}/`,
      tid: sim.tenantId,
      appid: sim.clientId,
      idtyp: 'app',
      ver: '1.0',
    });
    expect(claims.exp - claims.iat).toBe(3599);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3500_000);

    // The signature checks out against the tenant's published JWKS.
    const jwks = await get(`/${sim.tenantId}/discovery/v2.0/keys`);
    const [key] = jwks.body.keys;
    const [header, payload, signature] = token.token.split('.');
    expect(
      JSON.parse(Buffer.from(header, 'base64url').toString()),
    ).toMatchObject({
      alg: 'RS256',
      kid: key.kid,
    });
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey({ key, format: 'jwk' }),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('the real ARM SDK manages the cluster with that credential', async () => {
    const client = aks(credential());
    const cluster = await client.managedClusters.get(
      sim.resourceGroup,
      sim.clusterName,
    );
    expect(cluster.aiToolchainOperatorProfile?.enabled).toBe(true);
    const pools: string[] = [];
    for await (const pool of client.agentPools.list(
      sim.resourceGroup,
      sim.clusterName,
    )) {
      pools.push(pool.name!);
    }
    expect(pools).toContain('nodepool1');
    expect(
      sim.entra.directory.issued.some(t => t.clientId === sim.clientId),
    ).toBe(true);
  });

  it.each([
    [
      'a wrong client secret',
      { clientSecret: 'not-the-secret' },
      /AADSTS7000215: Invalid client secret provided/,
    ],
    [
      'an unknown application',
      { clientId: '00000000-0000-0000-0000-00000000abcd' },
      /AADSTS700016: Application with identifier '00000000-0000-0000-0000-00000000abcd' was not found in the directory/,
    ],
  ])(
    "sign-in fails with Entra's error for %s",
    async (_, overrides, message) => {
      await expect(credential(overrides).getToken(ARM_SCOPE)).rejects.toThrow(
        message,
      );
    },
  );

  it('an unknown tenant has no metadata (AADSTS90002), which MSAL reports as endpoints_resolution_error', async () => {
    const tenant = '00000000-0000-0000-0000-0000000000ff';
    await expect(
      credential({ tenantId: tenant }).getToken(ARM_SCOPE),
    ).rejects.toThrow(/endpoints_resolution_error/);
    const metadata = await get(
      `/${tenant}/v2.0/.well-known/openid-configuration`,
    );
    expect(metadata.status).toBe(400);
    expect(metadata.body).toMatchObject({
      error: 'invalid_tenant',
      error_codes: [90002],
    });
    expect(metadata.body.error_description).toMatch(
      new RegExp(`^AADSTS90002: Tenant '${tenant}' not found\\.`),
    );
  });

  it('a scope without /.default is refused, as in the client-credentials flow', async () => {
    await expect(
      credential().getToken('https://management.azure.com/user_impersonation'),
    ).rejects.toThrow(/AADSTS1002012/);
  });

  it('ARM refuses a token for another audience (InvalidAuthenticationTokenAudience)', async () => {
    const graph = await credential().getToken(
      'https://graph.microsoft.com/.default',
    );
    expect(claimsOf(graph.token).aud).toBe('https://graph.microsoft.com/');
    const error = await armError(fixed(graph.token));
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe('InvalidAuthenticationTokenAudience');
    expect(error.message).toBe(
      "The access token has been obtained for wrong audience or resource 'https://graph.microsoft.com/'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
    );
  });

  it('ARM refuses an expired token (ExpiredAuthenticationToken)', async () => {
    const app = sim.entra.directory.application(sim.clientId)!;
    const old = sim.entra.directory.issueToken(
      app,
      'https://management.azure.com/',
      {
        issuedAt: new Date(Date.now() - 2 * 3600_000),
      },
    );
    const error = await armError(fixed(old.accessToken));
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe('ExpiredAuthenticationToken');
    expect(error.message).toMatch(
      /^The access token expiry UTC time '\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:\d\d [AP]M' is earlier than current UTC time '\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:\d\d [AP]M'\.$/,
    );
  });

  it("ARM refuses another tenant's token (InvalidAuthenticationTokenTenant) and anything Entra did not sign", async () => {
    const app = sim.entra.directory.application(sim.clientId)!;
    const other = sim.entra.directory.issueToken(
      app,
      'https://management.azure.com/',
      {
        tenantId: '0f0f0f0f-0000-4000-8000-000000000001',
      },
    );
    const wrongTenant = await armError(fixed(other.accessToken));
    expect(wrongTenant.code).toBe('InvalidAuthenticationTokenTenant');
    expect(wrongTenant.message).toContain(
      "The access token is from the wrong issuer 'https://sts.windows.net/0f0f0f0f-0000-4000-8000-000000000001/'.",
    );

    for (const token of [
      'not-a-jwt',
      `${other.accessToken.slice(0, -4)}AAAA`,
    ]) {
      const error = await armError(fixed(token));
      expect(error).toMatchObject({
        statusCode: 401,
        code: 'InvalidAuthenticationToken',
        message: 'The access token is invalid.',
      });
    }
  });

  it('serves the v2.0 and v1 metadata and token endpoints MSAL and older clients ask for', async () => {
    const v2 = await get(
      `/${sim.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    expect(v2.body).toMatchObject({
      issuer: `${sim.entraUrl}/${sim.tenantId}/v2.0`,
      token_endpoint: `${sim.entraUrl}/${sim.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${sim.entraUrl}/${sim.tenantId}/discovery/v2.0/keys`,
    });
    const discovery = await get(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(
        `${sim.entraUrl}/${sim.tenantId}/oauth2/v2.0/authorize`,
      )}`,
    );
    expect(discovery.body.metadata[0].aliases).toEqual([
      new URL(sim.entraUrl).host,
    ]);

    const v1 = await get(`/${sim.tenantId}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
        resource: 'https://management.core.windows.net/',
      }).toString(),
    });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://management.core.windows.net/',
      expires_in: '3599',
    });
    const viaV1 = await aks(fixed(v1.body.access_token)).managedClusters.get(
      sim.resourceGroup,
      sim.clusterName,
    );
    expect(viaV1.name).toBe(sim.clusterName);

    const bad = await get(`/${sim.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: 'grant_type=password&client_id=x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: 'unsupported_grant_type',
      error_codes: [70003],
      error_uri: 'https://login.microsoftonline.com/error?code=70003',
    });
    expect(bad.body.error_description).toMatch(
      /^AADSTS70003: The app requested an unsupported grant type 'password'\. Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
  });
});
