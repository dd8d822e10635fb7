import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage, type ComponentTelemetry, type HealthStatus, type Logger } from '@oktel/core';
import { logEventProblem, type OktaLogEvent } from '@oktel/okta-log-event';
import type { Authenticator } from './auth/authenticator.js';
import { Backoff } from './backoff.js';
import type { CheckpointStore } from './checkpoint.js';
import { RecentIds } from './dedup.js';
import { fetchPage } from './log-client.js';
import { RatePacer } from './rate-pacer.js';

export interface PollerSettings {
  orgUrl: URL;
  since: number;
  pollInterval: number;
  pageSize: number;
  filter: string;
  maxShare: number;
  timeout: number;
  retryInitial: number;
  retryMax: number;
  authFailureInterval: number;
  dedupEntries: number;
}

export interface PollerDeps {
  auth: Authenticator;
  checkpoints: CheckpointStore;
  logger: Logger;
  telemetry?: ComponentTelemetry;
  reportHealth?: (status: HealthStatus) => void;
  /** Hands a page of new events downstream; the cursor advances only once this resolves. */
  deliver: (events: OktaLogEvent[]) => Promise<void>;
  now?: () => number;
}

/**
 * Okta's documented polling pattern for SIEM ingestion: one request with `since`, then the
 * `next` link forever. The checkpoint (cursor + recent uuids) is written only after `deliver`
 * resolved, so a crash repeats at most the page in flight and loses nothing.
 */
export class SystemLogPoller {
  readonly #s: PollerSettings;
  readonly #d: PollerDeps;
  readonly #pacer: RatePacer;
  readonly #backoff: Backoff;
  #recent = new RecentIds(0);
  #healthy = true;
  /** A 401 with OAuth first gets one immediate retry with a new token (it may just have expired). */
  #retriedWithNewToken = false;

  constructor(settings: PollerSettings, deps: PollerDeps) {
    this.#s = settings;
    this.#d = deps;
    this.#pacer = new RatePacer(settings.maxShare, deps.now);
    this.#backoff = new Backoff(settings.retryInitial, settings.retryMax);
  }

  initialUrl(): string {
    const url = new URL('/api/v1/logs', this.#s.orgUrl);
    url.searchParams.set('since', new Date((this.#d.now ?? Date.now)() - this.#s.since).toISOString());
    url.searchParams.set('sortOrder', 'ASCENDING');
    url.searchParams.set('limit', String(this.#s.pageSize));
    if (this.#s.filter) url.searchParams.set('filter', this.#s.filter);
    return url.href;
  }

  async #resumeUrl(): Promise<string> {
    const saved = await this.#d.checkpoints.load();
    if (!saved) {
      this.#recent = new RecentIds(this.#s.dedupEntries);
      const url = this.initialUrl();
      this.#d.logger.info('No checkpoint: starting from since.', { since: new URL(url).searchParams.get('since') });
      return url;
    }
    this.#recent = new RecentIds(this.#s.dedupEntries, saved.recentIds);
    const next = new URL(saved.next);
    if (next.origin !== this.#s.orgUrl.origin) {
      this.#d.logger.warn(`The checkpoint belongs to ${next.origin}, not ${this.#s.orgUrl.origin}; starting from since.`);
      return this.initialUrl();
    }
    if (saved.filter !== this.#s.filter) {
      this.#d.logger.warn('The filter changed since the checkpoint was written; Okta keeps the old filter in the cursor. Delete the checkpoint to start over with the new one.');
    }
    this.#d.logger.info('Resuming from the checkpoint.');
    return saved.next;
  }

  async run(signal: AbortSignal): Promise<void> {
    let url = await this.#resumeUrl();
    while (!signal.aborted) {
      await this.#wait(this.#pacer.delayBeforeNextRequest(), signal);
      if (signal.aborted) return;
      this.#d.telemetry?.add('okta_requests', 1, 'Requests made to /api/v1/logs');
      let result: Awaited<ReturnType<typeof fetchPage>>;
      try {
        result = await fetchPage(url, this.#d.auth, this.#s.timeout, signal);
      } catch (err) {
        if (signal.aborted) return; // shut down mid-request: nothing was delivered, the cursor stays
        throw err;
      }
      switch (result.kind) {
        case 'page': {
          this.#pacer.observe(result.rate, result.date);
          this.#backoff.reset();
          this.#setHealth({ healthy: true });
          this.#retriedWithNewToken = false;
          const next = result.next ?? url;
          this.#d.logger.debug('Fetched a page.', { events: result.events.length, next: result.next !== undefined });
          const delivered = await this.#deliver(result.events, signal);
          if (!delivered) return;
          if (next !== url || delivered.length > 0) {
            this.#recent.addAll(delivered);
            await this.#d.checkpoints.save({ next, filter: this.#s.filter, recentIds: this.#recent.toArray() });
          }
          url = next;
          // A short page means caught up: wait rather than spend budget on an empty page.
          if (result.events.length < this.#s.pageSize) await this.#wait(this.#s.pollInterval, signal);
          break;
        }
        case 'rate_limited': {
          const delay = this.#pacer.delayAfterRateLimited(result.rate, result.date, this.#backoff.next());
          this.#d.telemetry?.add('okta_rate_limited', 1, 'Requests Okta answered with 429');
          this.#d.logger.warn(`Okta's rate limit was reached (429); waiting ${delay}ms for the window to reset.`);
          await this.#wait(delay, signal);
          break;
        }
        case 'retry': {
          if (result.rate) this.#pacer.observe(result.rate, result.date ?? null);
          const delay = this.#backoff.next();
          this.#d.telemetry?.add('okta_request_failures', 1, 'Requests to /api/v1/logs that failed and were retried');
          this.#d.logger.warn(`Fetching the System Log failed; retrying in ${delay}ms: ${result.reason}`, { attempt: this.#backoff.attempts });
          if (this.#backoff.attempts >= 5) this.#setHealth({ healthy: false, reason: result.reason });
          await this.#wait(delay, signal);
          break;
        }
        case 'auth': {
          this.#d.auth.invalidate();
          if (this.#d.auth.kind === 'oauth' && result.status === 401 && !this.#retriedWithNewToken) {
            this.#retriedWithNewToken = true;
            this.#d.logger.info('Okta refused the access token; fetching a new one.');
            break;
          }
          const reason = authAdvice(this.#d.auth.kind, result.status, result.reason);
          this.#setHealth({ healthy: false, reason });
          this.#d.logger.error(`${reason} Retrying in ${this.#s.authFailureInterval}ms.`);
          await this.#wait(this.#s.authFailureInterval, signal);
          break;
        }
        case 'rejected': {
          const reason = `Okta rejected the request (${result.reason}). Check filter and page_size.`;
          this.#setHealth({ healthy: false, reason });
          this.#d.logger.error(`${reason} Retrying in ${this.#s.authFailureInterval}ms.`);
          await this.#wait(this.#s.authFailureInterval, signal);
          break;
        }
      }
    }
  }

  /** The uuids delivered (possibly none), or undefined when shut down before delivery succeeded. */
  async #deliver(raw: unknown[], signal: AbortSignal): Promise<string[] | undefined> {
    const fresh: OktaLogEvent[] = [];
    const seenOnPage = new Set<string>();
    for (const item of raw) {
      const problem = logEventProblem(item);
      if (problem) {
        this.#d.telemetry?.add('failed_log_records', 1);
        this.#d.logger.warn(`Skipped an event Okta returned that is not a LogEvent: ${problem}`);
        continue;
      }
      const event = item as OktaLogEvent;
      if (this.#recent.has(event.uuid) || seenOnPage.has(event.uuid)) {
        this.#d.telemetry?.add('okta_duplicates_dropped', 1, 'Events Okta returned again, dropped by uuid');
        continue;
      }
      seenOnPage.add(event.uuid);
      fresh.push(event);
    }
    if (fresh.length === 0) return [];
    const backoff = new Backoff(this.#s.retryInitial, this.#s.retryMax);
    for (;;) {
      try {
        await this.#d.deliver(fresh);
        return fresh.map((e) => e.uuid);
      } catch (err) {
        if (signal.aborted) return undefined;
        const delay = backoff.next();
        this.#d.logger.warn(`The pipeline refused ${fresh.length} events; retrying the same page in ${delay}ms: ${errorMessage(err)}`);
        await this.#wait(delay, signal);
        if (signal.aborted) return undefined;
      }
    }
  }

  #setHealth(status: HealthStatus): void {
    if (status.healthy === this.#healthy && status.healthy) return;
    this.#healthy = status.healthy;
    this.#d.reportHealth?.(status);
  }

  async #wait(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return;
    await sleep(ms, undefined, { signal }).catch(() => undefined);
  }
}

/** 401 and 403 as an instruction, not a status code. The credential itself is never included. */
function authAdvice(kind: 'ssws' | 'oauth', status: number, reason: string): string {
  if (status === 0) return reason;
  if (kind === 'ssws') {
    return status === 401
      ? `Okta rejected the API token (${reason}): it is wrong, revoked, or expired after 30 days unused. Create a new token and set auth.api_token.`
      : `The API token may not read the System Log (${reason}): create it as an admin with access to reports/System Log.`;
  }
  return status === 401
    ? `Okta rejected the access token (${reason}).`
    : `The service app may not read the System Log (${reason}): grant it the okta.logs.read scope and an admin role.`;
}
