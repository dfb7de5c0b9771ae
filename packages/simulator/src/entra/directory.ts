/**
 * The Microsoft Entra tenant the simulated subscription belongs to: its app
 * registrations (service principals with client secrets), the resources
 * tokens can be issued for (ARM, the AKS AAD server, Microsoft Graph) and the
 * access tokens themselves, v1.0 tokens signed with the tenant's key, as
 * Entra issues them for these resources.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  TokenSigner,
  createSigningKey,
  type Claims,
  type SigningKey,
} from './jwt';

export interface AppRegistration {
  /** Application (client) id. */
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Object id of the service principal in the tenant (`oid`, `sub`). */
  objectId: string;
}

/** A resource application and the identifiers tokens can be requested for. */
export interface ResourceApp {
  appId: string;
  displayName: string;
  identifierUris: string[];
}

/** Windows Azure Service Management API: the audience ARM accepts. */
export const ARM_RESOURCE: ResourceApp = {
  appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
  displayName: 'Windows Azure Service Management API',
  identifierUris: [
    'https://management.azure.com/',
    'https://management.core.windows.net/',
  ],
};

export const RESOURCE_APPS: ResourceApp[] = [
  ARM_RESOURCE,
  {
    appId: '6dae42f8-4368-4678-94ff-3960e28e3630',
    displayName: 'Azure Kubernetes Service AAD Server',
    identifierUris: [],
  },
  {
    appId: '00000003-0000-0000-c000-000000000000',
    displayName: 'Microsoft Graph',
    identifierUris: ['https://graph.microsoft.com/'],
  },
];

export interface EntraDirectoryOptions {
  tenantId: string;
  /** The tenant's initial domain, e.g. `contoso.onmicrosoft.com`. */
  domain?: string;
  /** The tenant's signing key; generated when absent. */
  signingKey?: SigningKey;
  /** Lifetime of issued tokens (Entra: about an hour for apps). Default 3599 s. */
  tokenLifetimeSeconds?: number;
  now?: () => Date;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  expiresOn: number;
  notBefore: number;
  audience: string;
  claims: Claims;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '').toLowerCase();

export class EntraDirectory {
  readonly tenantId: string;
  readonly domain: string;
  readonly signingKey: SigningKey;
  private readonly signer: TokenSigner;
  private readonly apps = new Map<string, AppRegistration>();
  private readonly tokenLifetimeSeconds: number;
  private readonly now: () => Date;
  /** The last tokens the token endpoint issued (newest last, at most 100), for tests and the admin view. */
  readonly issued: Array<{
    clientId: string;
    audience: string;
    expiresOn: number;
  }> = [];

  constructor(options: EntraDirectoryOptions) {
    this.tenantId = options.tenantId.toLowerCase();
    this.domain = options.domain ?? 'kaitosim.onmicrosoft.com';
    this.signingKey = options.signingKey ?? createSigningKey();
    this.signer = new TokenSigner(this.signingKey);
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
    this.now = options.now ?? (() => new Date());
  }

  /** `sts.windows.net` issuer of v1.0 tokens. */
  get issuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }

  /** Registers an application with a client secret (generated when absent). */
  registerApplication(
    app: Partial<AppRegistration> & { displayName: string },
  ): AppRegistration {
    const registration: AppRegistration = {
      clientId: (app.clientId ?? randomUUID()).toLowerCase(),
      clientSecret: app.clientSecret ?? randomBytes(30).toString('base64url'),
      displayName: app.displayName,
      objectId: app.objectId ?? randomUUID(),
    };
    this.apps.set(registration.clientId, registration);
    return registration;
  }

  application(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  /** Whether a tenant segment of a URL (id or domain) names this tenant. */
  isTenant(segment: string): boolean {
    const s = segment.toLowerCase();
    return s === this.tenantId || s === this.domain.toLowerCase();
  }

  /** The resource a `<resource>/.default` scope or a v1 `resource` names, with the audience to issue. */
  resolveResource(
    resource: string,
  ): { app: ResourceApp; audience: string } | undefined {
    const wanted = trimSlash(resource);
    for (const app of RESOURCE_APPS) {
      if (wanted === app.appId) {
        return { app, audience: app.appId };
      }
      if (app.identifierUris.some(uri => trimSlash(uri) === wanted)) {
        // The audience is the identifier as requested.
        return { app, audience: resource };
      }
    }
    return undefined;
  }

  /**
   * A signed v1.0 app-only access token for `app`, as the token endpoint
   * issues it. `tenantId` issues it as another tenant would: Entra signs
   * every tenant's tokens with the same keys.
   */
  issueToken(
    app: AppRegistration,
    audience: string,
    options: {
      lifetimeSeconds?: number;
      issuedAt?: Date;
      tenantId?: string;
    } = {},
  ): IssuedToken {
    const iat = Math.floor((options.issuedAt ?? this.now()).getTime() / 1000);
    const lifetime = options.lifetimeSeconds ?? this.tokenLifetimeSeconds;
    const nbf = iat;
    const exp = iat + lifetime;
    const tid = options.tenantId?.toLowerCase() ?? this.tenantId;
    const issuer = `https://sts.windows.net/${tid}/`;
    const claims: Claims = {
      aud: audience,
      iss: issuer,
      iat,
      nbf,
      exp,
      aio: randomBytes(24).toString('base64url'),
      appid: app.clientId,
      appidacr: '1',
      idp: issuer,
      idtyp: 'app',
      oid: app.objectId,
      rh: `0.${randomBytes(18).toString('base64url')}.`,
      sub: app.objectId,
      tid,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
      xms_tcdt: 1600000000,
    };
    this.issued.push({ clientId: app.clientId, audience, expiresOn: exp });
    if (this.issued.length > 100) this.issued.shift();
    return {
      accessToken: this.signer.sign(claims),
      expiresIn: exp - Math.floor(this.now().getTime() / 1000),
      expiresOn: exp,
      notBefore: nbf,
      audience,
      claims,
    };
  }

  /** The claims of a token signed with this tenant's key; undefined for any other token. */
  verifyAccessToken(token: string): Claims | undefined {
    return this.signer.verify(token);
  }

  jwks() {
    return this.signer.jwks();
  }

  /**
   * A `TokenCredential` that takes tokens straight from the directory, for
   * in-process tests whose subject is not authentication (the HTTP token
   * endpoint is what `@azure/identity` talks to).
   */
  credential(app: AppRegistration) {
    return {
      getToken: async (scopes: string | string[]) => {
        const [scope] = Array.isArray(scopes) ? scopes : [scopes];
        const resolved = this.resolveResource(scope.replace(/\.default$/, ''));
        if (!resolved) {
          throw new Error(`no resource for scope ${scope}`);
        }
        const token = this.issueToken(app, resolved.audience);
        return {
          token: token.accessToken,
          expiresOnTimestamp: token.expiresOn * 1000,
        };
      },
    };
  }
}
