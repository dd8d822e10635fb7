import { errorMessage } from '@oktel/core';
import type { Authenticator } from './auth/authenticator.js';
import { OktaAuthError } from './errors.js';
import { nextLink } from './link-header.js';
import { CredentialPinError, describeLink } from './org-pin.js';
import { readRateLimitHeaders, type RateLimitHeaders } from './rate-pacer.js';

export type PageResult =
  | { kind: 'page'; events: unknown[]; next: string | undefined; rate: RateLimitHeaders; date: string | null }
  | { kind: 'rate_limited'; rate: RateLimitHeaders; date: string | null; retryAfter: string | null }
  | { kind: 'retry'; reason: string; rate?: RateLimitHeaders; date?: string | null; retryAfter?: string | null }
  | { kind: 'auth'; status: number; reason: string }
  | { kind: 'rejected'; status: number; reason: string };

interface OktaErrorBody {
  errorCode?: string;
  errorSummary?: string;
  errorCauses?: { errorSummary?: string }[];
}

function describeOktaError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as OktaErrorBody;
    if (body.errorCode) {
      const causes = (body.errorCauses ?? []).map((c) => c.errorSummary).filter(Boolean);
      return `${status} ${body.errorCode} ${body.errorSummary ?? ''}${causes.length ? ` (${causes.join('; ')})` : ''}`.trim();
    }
  } catch {
    // not Okta's JSON error body
  }
  return `${status} ${text.replace(/\s+/g, ' ').slice(0, 120)}`.trim();
}

/**
 * One GET of /api/v1/logs, classified: a page, a rate limit, a failure worth retrying (5xx,
 * network, timeout, a redirect, a body that is not a JSON array), an auth refusal, or a request
 * Okta rejects (400). Never throws except when `signal` aborts. `url` must already be pinned to
 * the org (see pinToOrg); redirects are never followed, so no response can send the request —
 * or its credentials — anywhere else.
 */
export async function fetchPage(url: URL, auth: Authenticator, timeoutMs: number, signal: AbortSignal): Promise<PageResult> {
  let response: Response;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const headers = { accept: 'application/json', 'user-agent': 'oktel-receiver-okta/0.1.0', ...(await auth.headers('GET', url, signal)) };
    response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.any([signal, timeout]) });
  } catch (err) {
    if (signal.aborted) throw err;
    if (err instanceof OktaAuthError) return { kind: 'auth', status: 0, reason: err.message };
    if (err instanceof CredentialPinError) return { kind: 'rejected', status: 0, reason: err.message };
    if (timeout.aborted) return { kind: 'retry', reason: `no response within ${timeoutMs}ms` };
    return { kind: 'retry', reason: `request failed: ${errorMessage((err as Error).cause ?? err)}` };
  }
  const rate = readRateLimitHeaders(response.headers);
  const date = response.headers.get('date');
  const retryAfter = response.headers.get('retry-after');
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    return {
      kind: 'retry',
      reason: `Okta answered ${response.status} with a redirect${location ? ` to ${describeLink(location)}` : ''}; redirects are never followed`,
      rate,
      date,
    };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    if (signal.aborted) throw err;
    return { kind: 'retry', reason: `the response body was cut off: ${errorMessage((err as Error).cause ?? err)}`, rate, date };
  }

  if (response.status === 429) return { kind: 'rate_limited', rate, date, retryAfter };
  if (response.status === 401 || response.status === 403) {
    const challenge = response.headers.get('www-authenticate');
    return { kind: 'auth', status: response.status, reason: `${describeOktaError(response.status, text)}${challenge ? ` [${challenge}]` : ''}` };
  }
  if (response.status >= 500 || response.status === 408)
    return { kind: 'retry', reason: `Okta answered ${describeOktaError(response.status, text)}`, rate, date, retryAfter };
  if (response.status !== 200) return { kind: 'rejected', status: response.status, reason: describeOktaError(response.status, text) };

  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch {
    return { kind: 'retry', reason: `the page is not valid JSON (${text.length} bytes, starting ${JSON.stringify(text.slice(0, 40))})`, rate, date };
  }
  if (!Array.isArray(events)) return { kind: 'retry', reason: 'the page is not a JSON array of events', rate, date };
  return { kind: 'page', events, next: nextLink(response.headers.get('link')), rate, date };
}
