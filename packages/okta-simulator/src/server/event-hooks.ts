import { randomUUID } from 'node:crypto';
import { PermanentError } from '@oktel/core';
import type { OktaLogEvent } from '@oktel/okta-log-event';

/**
 * Event types Okta's catalog marks as NOT event-hook-eligible (Event Types reference, tag
 * `event-hook-eligible`; see /work/shared/reference/okta.md §3). Okta refuses to subscribe a
 * hook to them, and so does the simulator: those events reach a pipeline only by polling.
 */
export const NOT_HOOK_ELIGIBLE = new Set([
  'user.mfa.okta_verify.deny_push',
  'system.push.send_factor_verify_push',
  'security.threat.detected',
  'app.generic.unauth_app_access_attempt',
  'policy.evaluate_sign_on',
]);

export interface EventHookOptions {
  /** The hook's endpoint URL. */
  readonly url: string;
  /** The event types the hook subscribes to (Okta delivers nothing else). */
  readonly eventTypes: readonly string[];
  /** The authentication header Okta sends ("Authentication field" / secret). */
  readonly auth?: { readonly header: string; readonly value: string };
  /** Events amalgamated into one call; Okta sends "events that occur within a short time" together. */
  readonly maxEventsPerCall?: number;
  /** Okta's timeout for a call. */
  readonly timeoutMs?: number;
  /** Wait before Okta's single retry of a failed call. */
  readonly retryDelayMs?: number;
}

export interface HookCall {
  readonly eventId: string;
  readonly attempt: 1 | 2;
  readonly events: number;
  /** HTTP status, or 0 for a timeout or a connection failure. */
  readonly status: number;
}

/**
 * Okta's Event Hook delivery, as documented (developer.okta.com, "Event hooks" concept page):
 * a one-time GET verification with `X-Okta-Verification-Challenge` answered with
 * `{"verification": "<challenge>"}`; then POSTs of a `com.okta.event_hook` envelope carrying
 * `data.events[]`, with the configured secret header, a 3-second timeout, at most one retry,
 * and only after a 5xx or a timeout (never after a 4xx). Deliveries are at-least-once.
 */
export class EventHookDelivery {
  readonly calls: HookCall[] = [];
  #verified = false;
  readonly #options: Required<Omit<EventHookOptions, 'auth'>> & Pick<EventHookOptions, 'auth'>;

  constructor(options: EventHookOptions) {
    const ineligible = options.eventTypes.filter((t) => NOT_HOOK_ELIGIBLE.has(t));
    if (ineligible.length > 0)
      throw new PermanentError(`event types not eligible for event hooks: ${ineligible.join(', ')}`, {
        code: 'ERR_EVENT_HOOK_INELIGIBLE',
        context: { ineligible },
      });
    this.#options = { maxEventsPerCall: 50, timeoutMs: 3000, retryDelayMs: 1000, ...options };
  }

  get verified(): boolean {
    return this.#verified;
  }

  /** The one-time verification Okta runs before a hook becomes active. Resolves to whether it passed. */
  async verify(): Promise<boolean> {
    const challenge = randomUUID().replace(/-/g, '');
    try {
      const res = await fetch(this.#options.url, {
        method: 'GET',
        headers: { 'x-okta-verification-challenge': challenge, ...this.#authHeader() },
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      const body = (await res.json().catch(() => undefined)) as { verification?: unknown } | undefined;
      this.#verified = res.status === 200 && body?.verification === challenge;
    } catch {
      this.#verified = false;
    }
    return this.#verified;
  }

  /**
   * Delivers the subscribed events among `events` in calls of at most maxEventsPerCall.
   * Resolves to the number of events whose call (first or retried) got a 2xx.
   */
  async deliver(events: readonly OktaLogEvent[]): Promise<number> {
    if (!this.#verified)
      throw new PermanentError('Okta sends nothing to an event hook that has not passed verification', { code: 'ERR_EVENT_HOOK_UNVERIFIED' });
    const subscribed = new Set(this.#options.eventTypes);
    const wanted = events.filter((e) => subscribed.has(e.eventType));
    let delivered = 0;
    for (let i = 0; i < wanted.length; i += this.#options.maxEventsPerCall) {
      const batch = wanted.slice(i, i + this.#options.maxEventsPerCall);
      const eventId = randomUUID();
      const body = JSON.stringify({
        eventType: 'com.okta.event_hook',
        eventTypeVersion: '1.0',
        cloudEventsVersion: '0.1',
        source: this.#options.url,
        eventId,
        eventTime: new Date().toISOString(),
        contentType: 'application/json',
        data: { events: batch.map((e) => ({ ...e, insertionTimestamp: null })) },
      });
      let status = await this.#post(body);
      this.calls.push({ eventId, attempt: 1, events: batch.length, status });
      if (status === 0 || status >= 500) {
        await new Promise((r) => setTimeout(r, this.#options.retryDelayMs));
        status = await this.#post(body);
        this.calls.push({ eventId, attempt: 2, events: batch.length, status });
      }
      if (status >= 200 && status < 300) delivered += batch.length;
    }
    return delivered;
  }

  async #post(body: string): Promise<number> {
    try {
      const res = await fetch(this.#options.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.#authHeader() },
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  #authHeader(): Record<string, string> {
    return this.#options.auth ? { [this.#options.auth.header]: this.#options.auth.value } : {};
  }
}
