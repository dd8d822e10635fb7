import { PermanentError } from '@oktel/core';

/** The only path the receiver ever requests with credentials, besides the token endpoint. */
export const SYSTEM_LOG_PATH = '/api/v1/logs';
/** Longest piece of a refused link quoted in an error: a data: link can be megabytes. */
const QUOTE_LIMIT = 200;

/**
 * Okta's `next` link is data from the network, so it never chooses where a request (and the
 * credential on it) goes. Thrown, never followed, when a link leaves the org or the System Log.
 */
export class OktaLinkError extends PermanentError {
  constructor(
    readonly link: string,
    reason: string,
  ) {
    super(`refused to follow the next link ${link}: ${reason}`, { code: 'ERR_OKTA_NEXT_LINK', context: { link } });
  }
}

/** A URL fit for an error message or a log line: user:pass@ removed, long links cut. */
export function describeLink(raw: string): string {
  let text = raw;
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      text = url.href;
    }
  } catch {
    // not a URL at all: strip anything shaped like credentials before an @
  }
  text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}… (${text.length} chars)` : text;
}

/**
 * The link resolved against the org, if it stays on the org (same scheme, host and port), on
 * the System Log path, and carries no credentials of its own; otherwise an OktaLinkError.
 * A relative link (Okta sends absolute ones) is accepted when it resolves onto the org.
 */
export function pinToOrg(link: string, org: URL): URL | OktaLinkError {
  let url: URL;
  try {
    url = new URL(link, org);
  } catch {
    return new OktaLinkError(describeLink(link), 'it is not a URL');
  }
  const quoted = describeLink(url.href);
  if (url.username || url.password) return new OktaLinkError(quoted, 'it carries credentials of its own (user:pass@)');
  if (url.protocol !== org.protocol) return new OktaLinkError(quoted, `its scheme ${url.protocol} is not the org's ${org.protocol}`);
  if (url.host !== org.host) return new OktaLinkError(quoted, `it leaves the org ${org.host}`);
  if (url.pathname !== SYSTEM_LOG_PATH) return new OktaLinkError(quoted, `its path is not ${SYSTEM_LOG_PATH}`);
  url.hash = '';
  return url;
}

/** Thrown by the authenticator when asked for credentials for a URL outside the org. */
export class CredentialPinError extends PermanentError {
  constructor(url: string) {
    super(`refused to attach credentials to ${describeLink(url)}: it is not the configured org`, { code: 'ERR_OKTA_CREDENTIAL_PIN' });
  }
}
