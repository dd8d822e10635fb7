import { isIP } from 'node:net';

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** The org's base URL (no trailing slash), or why the configured domain is unusable. */
export function parseOrgUrl(domain: string): URL | string {
  const text = /^[a-z]+:\/\//i.test(domain) ? domain : `https://${domain}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${domain}" is not a domain or URL`;
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) return `plain http is allowed only for loopback addresses; use https://${url.host}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `unsupported scheme ${url.protocol}`;
  if (url.pathname !== '/' || url.search) return 'give the org only (acme.okta.com), without a path';
  return url;
}
