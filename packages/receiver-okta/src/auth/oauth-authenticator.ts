import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { errorMessage, RetryableError } from '@oktel/core';
import { OktaAuthError } from '../errors.js';
import type { Authenticator } from './authenticator.js';
import type { SigningKey } from './private-key.js';

export interface OAuthOptions {
  tokenUrl: string;
  clientId: string;
  signingKey: SigningKey;
  scopes: readonly string[];
  dpop: boolean;
  timeoutMs: number;
  now?: () => number;
}

interface CachedToken {
  value: string;
  scheme: 'Bearer' | 'DPoP';
  refreshAt: number;
}

interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * client_credentials with a private_key_jwt assertion against the org authorization server,
 * with DPoP: an ephemeral key (separate from the client key) signs a proof for the token
 * request — repeated once with the server's nonce — and a fresh proof for every API call.
 * Tokens (1 h) are cached and refreshed before they expire.
 */
export class OAuthAuthenticator implements Authenticator {
  readonly kind = 'oauth' as const;
  readonly #options: OAuthOptions;
  readonly #now: () => number;
  #token: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;
  #dpopKey: Promise<DpopKey> | undefined;
  #nonce: string | undefined;

  constructor(options: OAuthOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  invalidate(): void {
    this.#token = undefined;
  }

  async headers(method: string, url: URL, signal: AbortSignal): Promise<Record<string, string>> {
    const token = await this.#validToken(signal);
    if (token.scheme === 'Bearer') return { authorization: `Bearer ${token.value}` };
    const ath = createHash('sha256').update(token.value).digest('base64url');
    // htu is the URL without query or fragment (RFC 9449 §4.2).
    return { authorization: `DPoP ${token.value}`, dpop: await this.#proof(method, `${url.origin}${url.pathname}`, { ath }) };
  }

  #validToken(signal: AbortSignal): Promise<CachedToken> {
    if (this.#token && this.#token.refreshAt > this.#now()) return Promise.resolve(this.#token);
    this.#pending ??= this.#fetchToken(signal).finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #fetchToken(signal: AbortSignal): Promise<CachedToken> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (this.#options.dpop) headers.dpop = await this.#proof('POST', this.#options.tokenUrl, this.#nonce ? { nonce: this.#nonce } : {});
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        scope: this.#options.scopes.join(' '),
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await this.#clientAssertion(),
      });
      let response: Response;
      try {
        // Never follow a redirect: the assertion and DPoP proof are for the org's token endpoint only.
        response = await fetch(this.#options.tokenUrl, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)]),
        });
      } catch (err) {
        throw new RetryableError(`the token endpoint could not be reached: ${errorMessage((err as Error).cause ?? err)}`);
      }
      const text = await response.text().catch(() => '');
      const json = safeJson(text);
      if (response.ok && typeof json?.access_token === 'string') {
        const lifetimeMs = (typeof json.expires_in === 'number' ? json.expires_in : 3600) * 1000;
        const scheme = String(json.token_type).toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
        this.#token = { value: json.access_token, scheme, refreshAt: this.#now() + lifetimeMs - Math.min(300_000, lifetimeMs / 2) };
        return this.#token;
      }
      const error = typeof json?.error === 'string' ? json.error : undefined;
      if (error === 'use_dpop_nonce' && response.headers.get('dpop-nonce') && attempt === 0) {
        this.#nonce = response.headers.get('dpop-nonce')!;
        continue;
      }
      if (response.status >= 500 || response.status === 429) throw new RetryableError(`the token endpoint answered ${response.status}`);
      throw new OktaAuthError(
        describeTokenError(response.status, error, typeof json?.error_description === 'string' ? json.error_description : text.slice(0, 200), this.#options),
        response.status,
      );
    }
    throw new OktaAuthError('the token endpoint asked for a new DPoP nonce twice in a row');
  }

  #clientAssertion(): Promise<string> {
    const { signingKey, clientId, tokenUrl } = this.#options;
    return new SignJWT({})
      .setProtectedHeader(signingKey.kid ? { alg: signingKey.alg, kid: signingKey.kid } : { alg: signingKey.alg })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(tokenUrl)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(signingKey.key);
  }

  async #proof(htm: string, htu: string, extra: Record<string, string>): Promise<string> {
    this.#dpopKey ??= generateKeyPair('ES256', { extractable: true }).then(async ({ privateKey, publicKey }) => ({
      privateKey,
      publicJwk: await exportJWK(publicKey),
    }));
    const { privateKey, publicJwk } = await this.#dpopKey;
    return new SignJWT({ htm, htu, ...extra })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(privateKey);
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What the token endpoint's refusal means for the person fixing the config. */
function describeTokenError(status: number, error: string | undefined, description: string, options: OAuthOptions): string {
  const said = `(${status}${error ? ` ${error}` : ''}: ${description})`;
  switch (error) {
    case 'invalid_client':
      return `Okta did not accept the client credentials ${said}. Check auth.oauth.client_id, that the app uses "Public key / Private key" client authentication, and that its registered public key${options.signingKey.kid ? ` (kid ${options.signingKey.kid})` : ''} matches the configured private key.`;
    case 'invalid_scope':
      return `The service app is not granted the requested scopes ${said}. Grant ${options.scopes.join(', ')} on the app's "Okta API Scopes" tab.`;
    case 'invalid_dpop_proof':
      return options.dpop
        ? `Okta rejected the DPoP proof ${said}.`
        : `The app requires DPoP ${said}. Set auth.oauth.dpop: true (or turn off "Require DPoP" on the app).`;
    default:
      return `The token endpoint refused the request ${said}.`;
  }
}
