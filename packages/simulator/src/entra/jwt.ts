/**
 * RS256 JSON Web Tokens as Microsoft Entra signs them: a header with `typ`,
 * `alg`, `x5t` and `kid` (the key's thumbprint), and the JWKS document that
 * publishes the public key.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export interface SigningKey {
  /** PKCS#8 PEM; persist it to keep issued tokens valid across restarts. */
  privateKeyPem: string;
}

/** A fresh 2048-bit RSA key, as Entra's signing keys are. */
export function createSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  };
}

const b64url = (data: Buffer | string) =>
  Buffer.from(data).toString('base64url');

export type Claims = Record<string, unknown>;

export class TokenSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** Base64url SHA-1 of the public key, used as both `kid` and `x5t`. */
  readonly keyId: string;

  constructor(key: SigningKey) {
    this.privateKey = createPrivateKey(key.privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = createHash('sha1')
      .update(this.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url');
  }

  sign(claims: Claims): string {
    const header = {
      typ: 'JWT',
      alg: 'RS256',
      x5t: this.keyId,
      kid: this.keyId,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(
      JSON.stringify(claims),
    )}`;
    const signature = sign('sha256', Buffer.from(input), this.privateKey);
    return `${input}.${b64url(signature)}`;
  }

  /** The claims of a token this key signed; undefined for anything else. */
  verify(token: string): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) {
      return undefined;
    }
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      if (header.alg !== 'RS256' || header.kid !== this.keyId) {
        return undefined;
      }
      const valid = verify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        this.publicKey,
        Buffer.from(parts[2], 'base64url'),
      );
      return valid
        ? (JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as Claims)
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** The `keys` document (`/discovery/v2.0/keys`). */
  jwks() {
    const jwk = this.publicKey.export({ format: 'jwk' }) as {
      n: string;
      e: string;
    };
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.keyId,
          x5t: this.keyId,
          n: jwk.n,
          e: jwk.e,
        },
      ],
    };
  }
}
