import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, importJWK, jwtVerify, type JWK } from 'jose';

export interface OAuthClient {
  clientId: string;
  /** Public key of the client's private_key_jwt signing key. */
  publicJwk: JWK;
  /** Okta API scopes granted to the app. */
  scopes: string[];
  /** The app setting "Require DPoP header in token requests". */
  requireDpop: boolean;
}

interface IssuedToken {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  /** JWK thumbprint of the DPoP key the token is bound to. */
  jkt: string | undefined;
}

export type TokenResponse = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): TokenResponse => ({
  status,
  body: { error, error_description: description },
  ...(headers ? { headers } : {}),
});

/**
 * Okta's org authorization server for service apps: client_credentials with a private_key_jwt
 * client assertion, optional DPoP with the use_dpop_nonce round trip, and the checks of a
 * DPoP-bound token on each API call (proof signature, htm, htu without query, ath, key binding).
 */
export class OAuthServer {
  readonly clients = new Map<string, OAuthClient>();
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #seenJti = new Set<string>();
  nonce = randomBytes(16).toString('base64url');
  tokenLifetimeSec = 3600;
  tokensIssued = 0;

  constructor(readonly tokenUrl: () => string) {}

  async token(form: URLSearchParams, dpopHeader: string | undefined, now: number): Promise<TokenResponse> {
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'The authorization server supports only client_credentials for service apps.');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !form.get('client_assertion'))
      return oauthError(401, 'invalid_client', 'Client authentication failed: a private_key_jwt client assertion is required.');
    const assertion = form.get('client_assertion')!;
    const claimedId = decodeClaim(assertion, 'iss');
    const client = claimedId ? this.clients.get(claimedId) : undefined;
    if (!client) return oauthError(401, 'invalid_client', 'The client_id is not found.');
    try {
      const key = await importJWK(client.publicJwk, client.publicJwk.alg ?? 'RS256');
      const { payload } = await jwtVerify(assertion, key, { issuer: client.clientId, subject: client.clientId, audience: this.tokenUrl(), maxTokenAge: '1h' });
      if (payload.jti) {
        if (this.#seenJti.has(payload.jti)) return oauthError(401, 'invalid_client', 'The client_assertion token has already been used.');
        this.#seenJti.add(payload.jti);
      }
    } catch (err) {
      return oauthError(401, 'invalid_client', `The client_assertion signature or claims are invalid: ${(err as Error).message}`);
    }
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const missing = requested.filter((s) => !client.scopes.includes(s));
    if (requested.length === 0 || missing.length > 0)
      return oauthError(400, 'invalid_scope', `The following scopes are not granted to the client: ${missing.join(' ') || '(none requested)'}`);

    let jkt: string | undefined;
    if (client.requireDpop) {
      if (!dpopHeader) return oauthError(400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
      const proof = await this.#verifyProof(dpopHeader, 'POST', this.tokenUrl(), now);
      if (typeof proof === 'string') return oauthError(400, 'invalid_dpop_proof', proof);
      if (proof.nonce !== this.nonce)
        return oauthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'dpop-nonce': this.nonce });
      jkt = proof.jkt;
    }
    const accessToken = randomBytes(32).toString('base64url');
    this.#tokens.set(accessToken, { clientId: client.clientId, scopes: requested, expiresAt: now + this.tokenLifetimeSec * 1000, jkt });
    this.tokensIssued++;
    return {
      status: 200,
      body: { token_type: jkt ? 'DPoP' : 'Bearer', expires_in: this.tokenLifetimeSec, access_token: accessToken, scope: requested.join(' ') },
    };
  }

  /** Checks an API call's Authorization (and DPoP) headers; returns a reason when refused. */
  async authorizeApiCall(
    authorization: string,
    dpopHeader: string | undefined,
    method: string,
    url: URL,
    scope: string,
    now: number,
  ): Promise<{ ok: true } | { ok: false; status: 400 | 401 | 403; reason: string }> {
    const [scheme, token] = authorization.split(' ', 2) as [string, string | undefined];
    const issued = token ? this.#tokens.get(token) : undefined;
    if (!issued || issued.expiresAt <= now) return { ok: false, status: 401, reason: 'The access token is invalid or expired.' };
    if (issued.jkt) {
      if (scheme !== 'DPoP') return { ok: false, status: 401, reason: 'A DPoP-bound access token must be sent with the DPoP scheme.' };
      if (!dpopHeader) return { ok: false, status: 400, reason: 'The DPoP proof JWT header is missing.' };
      const proof = await this.#verifyProof(dpopHeader, method, `${url.origin}${url.pathname}`, now);
      if (typeof proof === 'string') return { ok: false, status: 401, reason: proof };
      if (proof.jkt !== issued.jkt) return { ok: false, status: 401, reason: 'The DPoP proof key does not match the key the token is bound to.' };
      if (proof.ath !== createHash('sha256').update(token!).digest('base64url'))
        return { ok: false, status: 401, reason: "The DPoP proof 'ath' claim does not match the access token." };
    } else if (scheme !== 'Bearer') {
      return { ok: false, status: 401, reason: `Unexpected authorization scheme ${scheme}.` };
    }
    if (!issued.scopes.includes(scope)) return { ok: false, status: 403, reason: `The access token lacks the ${scope} scope.` };
    return { ok: true };
  }

  async #verifyProof(proofJwt: string, htm: string, htu: string, now: number): Promise<string | { jkt: string; nonce: unknown; ath: unknown }> {
    try {
      const { payload, protectedHeader } = await jwtVerify(proofJwt, EmbeddedJWK, { typ: 'dpop+jwt', currentDate: new Date(now) });
      if (payload.htm !== htm) return `The DPoP proof 'htm' claim ${String(payload.htm)} does not match ${htm}.`;
      if (payload.htu !== htu) return `The DPoP proof 'htu' claim ${String(payload.htu)} is invalid: expected ${htu}.`;
      if (typeof payload.iat !== 'number' || Math.abs(payload.iat * 1000 - now) > 300_000) return "The DPoP proof 'iat' claim is missing or too far from now.";
      if (!payload.jti || this.#seenJti.has(`dpop:${payload.jti}`)) return "The DPoP proof 'jti' claim is missing or was already used.";
      this.#seenJti.add(`dpop:${payload.jti}`);
      return { jkt: await calculateJwkThumbprint(protectedHeader.jwk!), nonce: payload.nonce, ath: payload.ath };
    } catch (err) {
      return `The DPoP proof is invalid: ${(err as Error).message}`;
    }
  }

  /** Ends every issued token, as if an hour passed. */
  expireAllTokens(): void {
    for (const token of this.#tokens.values()) token.expiresAt = 0;
  }
}

function decodeClaim(jwt: string, claim: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof payload[claim] === 'string' ? (payload[claim] as string) : undefined;
  } catch {
    return undefined;
  }
}
