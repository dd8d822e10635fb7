import { CredentialPinError } from '../org-pin.js';
import type { Authenticator } from './authenticator.js';

/**
 * Credentials (SSWS token, OAuth access token, DPoP proof) only for requests to the org: any
 * other URL gets an error before a header is computed, whatever a caller passes in.
 */
export function pinnedAuthenticator(inner: Authenticator, org: URL): Authenticator {
  return {
    kind: inner.kind,
    invalidate: () => inner.invalidate(),
    headers: async (method, url, signal) => {
      if (url.origin !== org.origin || url.username || url.password) throw new CredentialPinError(url.href);
      return inner.headers(method, url, signal);
    },
  };
}
