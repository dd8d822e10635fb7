import type { OktaReceiverConfig } from '../config.js';
import { sswsAuthenticator, type Authenticator } from './authenticator.js';
import { OAuthAuthenticator } from './oauth-authenticator.js';
import { pinnedAuthenticator } from './pinned.js';
import { loadSigningKey } from './private-key.js';

/** The configured authenticator, pinned so that it only ever produces credentials for the org. */
export function createAuthenticator(config: OktaReceiverConfig, orgUrl: URL): Authenticator {
  return pinnedAuthenticator(unpinnedAuthenticator(config, orgUrl), orgUrl);
}

function unpinnedAuthenticator(config: OktaReceiverConfig, orgUrl: URL): Authenticator {
  const { api_token, oauth } = config.auth;
  if (api_token) return sswsAuthenticator(api_token);
  const signingKey = loadSigningKey({
    ...(oauth!.private_key_file ? { file: oauth!.private_key_file } : {}),
    ...(oauth!.private_key ? { inline: oauth!.private_key } : {}),
    ...(oauth!.key_id ? { keyId: oauth!.key_id } : {}),
  });
  return new OAuthAuthenticator({
    tokenUrl: new URL('/oauth2/v1/token', orgUrl).href,
    clientId: oauth!.client_id,
    signingKey,
    scopes: oauth!.scopes,
    dpop: oauth!.dpop,
    timeoutMs: config.timeout,
  });
}
