import {
  Backoff,
  errorMessage,
  formatDuration,
  type ComponentStatus,
  type ComponentTelemetry,
  type HealthStatus,
  type Logger,
  type StatusEvent,
} from '@oktel/core';
import { logEventProblem, type OktaLogEvent } from '@oktel/okta-log-event';
import type { Authenticator } from './auth/authenticator.js';
import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import { RecentIds } from './dedup.js';
import { fetchPage, type PageResult } from './log-client.js';
import { OktaLinkError, pinToOrg, SYSTEM_LOG_PATH } from './org-pin.js';
import { RatePacer } from './rate-pacer.js';
import { ThrottledWarnings } from './throttled-warnings.js';
import { abortableSleep, clampServerWait, MAX_SERVER_WAIT_MS, parseRetryAfter } from './waits.js';

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
  /** The older health model; kept for library users. Derived from the status. */
  reportHealth?: (status: HealthStatus) => void;
  /** The Collector's status model: ok, recoverable_error, permanent_error. */
  reportStatus?: (event: StatusEvent) => void;
  /** Hands a page of new events downstream; the cursor advances only once this resolves. */
  deliver: (events: OktaLogEvent[]) => Promise<void>;
  now?: () => number;
  /** Every wait the poller makes goes through this (tests record them instead of timing them). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** What the poller did with the events on the pages it processed: received = accepted + rejected + duplicates. */
export interface PollerCounters {
  requests: number;
  /** Items on every page that was processed (parsed, with a next link it would follow). */
  received: number;
  /** Delivered downstream. */
  accepted: number;
  /** Not a LogEvent (missing fields, nested too deep, not an object): dropped, counted, logged. */
  rejected: number;
  /** Seen before (by uuid): dropped. */
  duplicates: number;
}

/** How far behind real time the receiver is, for progress displays. */
export interface ReceiverLag {
  /** `published` (ms since the epoch) of the newest event delivered so far. */
  newestEventTime?: number;
  /** The last page was shorter than page_size: everything Okta had was delivered. */
  caughtUp: boolean;
}

/** Consecutive fetch failures before the receiver reports itself in error (single blips are normal). */
const FAILURES_BEFORE_REPORTING = 5;

/**
 * Okta's documented polling pattern for SIEM ingestion: one request with `since`, then the
 * `next` link forever — but only while that link stays on the org and the System Log path.
 * The checkpoint (cursor + recent uuids) is written only after `deliver` resolved, so a crash
 * repeats at most the page in flight and loses nothing. The loop never ends by itself: any
 * failure is retried with backoff and reported as a status.
 */
export class SystemLogPoller {
  readonly #s: PollerSettings;
  readonly #d: PollerDeps;
  readonly #pacer: RatePacer;
  readonly #backoff: Backoff;
  readonly #warnings: ThrottledWarnings;
  readonly #now: () => number;
  #recent = new RecentIds(0);
  #status: { status: ComponentStatus; reason: string | undefined } | undefined;
  /** A 401 with OAuth first gets one immediate retry with a new token (it may just have expired). */
  #retriedWithNewToken = false;
  readonly #counters: PollerCounters = { requests: 0, received: 0, accepted: 0, rejected: 0, duplicates: 0 };
  #lag: ReceiverLag = { caughtUp: false };

  constructor(settings: PollerSettings, deps: PollerDeps) {
    this.#s = settings;
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
    this.#pacer = new RatePacer(settings.maxShare, this.#now);
    this.#backoff = new Backoff(settings.retryInitial, settings.retryMax, deps.random);
    this.#warnings = new ThrottledWarnings(deps.logger, 60_000, this.#now);
  }

  counters(): Readonly<PollerCounters> {
    return { ...this.#counters };
  }

  lag(): ReceiverLag {
    return { ...this.#lag };
  }

  initialUrl(): URL {
    const url = new URL(SYSTEM_LOG_PATH, this.#s.orgUrl);
    url.searchParams.set('since', new Date(this.#now() - this.#s.since).toISOString());
    url.searchParams.set('sortOrder', 'ASCENDING');
    url.searchParams.set('limit', String(this.#s.pageSize));
    if (this.#s.filter) url.searchParams.set('filter', this.#s.filter);
    return url;
  }

  async #resumeUrl(): Promise<URL> {
    const saved = await this.#d.checkpoints.load();
    if (!saved) {
      this.#recent = new RecentIds(this.#s.dedupEntries);
      const url = this.initialUrl();
      this.#d.logger.info('No checkpoint: starting from since.', { since: url.searchParams.get('since') });
      return url;
    }
    this.#recent = new RecentIds(this.#s.dedupEntries, saved.recentIds);
    // The stored cursor is a link like any other: it must lead to this org's System Log.
    const next = pinToOrg(saved.next, this.#s.orgUrl);
    if (next instanceof OktaLinkError) {
      this.#d.logger.warn(`The checkpoint's cursor is not usable (${next.message}); starting from since.`);
      return this.initialUrl();
    }
    if (saved.filter !== this.#s.filter) {
      this.#d.logger.warn(
        'The filter changed since the checkpoint was written; Okta keeps the old filter in the cursor. Delete the checkpoint to start over with the new one.',
      );
    }
    this.#d.logger.info('Resuming from the checkpoint.');
    return next;
  }

  async run(signal: AbortSignal): Promise<void> {
    let url: URL | undefined;
    while (!signal.aborted) {
      try {
        url ??= await this.#resumeUrl();
        url = await this.#pollOnce(url, signal);
      } catch (err) {
        if (signal.aborted) return; // shut down mid-request: nothing was delivered, the cursor stays
        const delay = this.#backoff.next();
        const reason = `polling failed: ${errorMessage(err)}`;
        this.#report('recoverable_error', reason);
        this.#d.logger.error(`${reason}; retrying in ${delay}ms.`);
        await this.#wait(delay, signal);
      }
    }
  }

  /** One request and what follows from its answer; returns the cursor to use next. */
  async #pollOnce(url: URL, signal: AbortSignal): Promise<URL> {
    await this.#wait(this.#serverWait(this.#pacer.delayBeforeNextRequest(), 'The rate-limit reset Okta announced'), signal);
    if (signal.aborted) return url;
    this.#counters.requests++;
    this.#d.telemetry?.add('okta_requests', 1, 'Requests made to /api/v1/logs');
    const result = await fetchPage(url, this.#d.auth, this.#s.timeout, signal);
    switch (result.kind) {
      case 'page':
        return this.#onPage(url, result, signal);
      case 'rate_limited': {
        const fallback = parseRetryAfter(result.retryAfter, this.#now()) ?? this.#backoff.next();
        const asked = this.#pacer.delayAfterRateLimited(result.rate, result.date, fallback);
        const delay = this.#serverWait(asked, "Okta's 429");
        this.#d.telemetry?.add('okta_rate_limited', 1, 'Requests Okta answered with 429');
        this.#warnings.warn('rate_limited', `Okta's rate limit was reached (429); waiting ${delay}ms for the window to reset.`);
        await this.#wait(delay, signal);
        return url;
      }
      case 'retry': {
        if (result.rate) this.#pacer.observe(result.rate, result.date ?? null);
        const retryAfter = parseRetryAfter(result.retryAfter ?? null, this.#now());
        const delay = Math.max(this.#backoff.next(), retryAfter === undefined ? 0 : this.#serverWait(retryAfter, 'Retry-After'));
        this.#d.telemetry?.add('okta_request_failures', 1, 'Requests to /api/v1/logs that failed and were retried');
        this.#d.logger.warn(`Fetching the System Log failed; retrying in ${delay}ms: ${result.reason}`, { attempt: this.#backoff.attempts });
        if (this.#backoff.attempts >= FAILURES_BEFORE_REPORTING) this.#report('recoverable_error', result.reason);
        await this.#wait(delay, signal);
        return url;
      }
      case 'auth': {
        this.#d.auth.invalidate();
        if (this.#d.auth.kind === 'oauth' && result.status === 401 && !this.#retriedWithNewToken) {
          this.#retriedWithNewToken = true;
          this.#d.logger.info('Okta refused the access token; fetching a new one.');
          return url;
        }
        const reason = authAdvice(this.#d.auth.kind, result.status, result.reason);
        this.#report('permanent_error', reason);
        this.#d.logger.error(`${reason} Retrying in ${this.#s.authFailureInterval}ms.`);
        await this.#wait(this.#s.authFailureInterval, signal);
        return url;
      }
      case 'rejected': {
        // status 0: refused before sending (credentials for a URL off the org), not by Okta.
        const reason = result.status === 0 ? result.reason : `Okta rejected the request (${result.reason}). Check filter and page_size.`;
        this.#report('permanent_error', reason);
        this.#d.logger.error(`${reason} Retrying in ${this.#s.authFailureInterval}ms.`);
        await this.#wait(this.#s.authFailureInterval, signal);
        return url;
      }
    }
  }

  async #onPage(url: URL, result: Extract<PageResult, { kind: 'page' }>, signal: AbortSignal): Promise<URL> {
    this.#pacer.observe(result.rate, result.date);
    this.#retriedWithNewToken = false;
    let next = url;
    if (result.next !== undefined) {
      const pinned = pinToOrg(result.next, this.#s.orgUrl);
      if (pinned instanceof OktaLinkError) {
        // The page is not delivered: its cursor cannot be followed, so the last good cursor is
        // asked again (after a backoff), and a page whose link Okta gets right is delivered whole.
        const delay = this.#backoff.next();
        this.#d.telemetry?.add('okta_next_links_refused', 1, 'Next links refused because they leave the org or the System Log');
        this.#report('recoverable_error', pinned.message);
        this.#warnings.warn('next_link', `${pinned.message}; asking the last good cursor again in ${delay}ms.`, { code: pinned.code });
        await this.#wait(delay, signal);
        return url;
      }
      next = pinned;
    }
    this.#d.logger.debug('Fetched a page.', { events: result.events.length, next: result.next !== undefined });
    const delivered = await this.#deliver(result.events, signal);
    if (!delivered) return url;
    const progressed = next.href !== url.href || delivered.ids.length > 0;
    if (progressed) {
      this.#recent.addAll(delivered.ids);
      if (!(await this.#saveCheckpoint({ next: next.href, filter: this.#s.filter, recentIds: this.#recent.toArray() }, signal))) return url;
      if (delivered.newestPublished !== undefined) this.#lag.newestEventTime = Math.max(this.#lag.newestEventTime ?? 0, delivered.newestPublished);
    }
    const short = result.events.length < this.#s.pageSize;
    if (progressed || result.events.length === 0) {
      this.#backoff.reset();
      this.#lag.caughtUp = short;
      this.#report('ok');
      // A short page means caught up: wait rather than spend budget on an empty page.
      if (short) await this.#wait(this.#s.pollInterval, signal);
      return next;
    }
    // Events, none of them new, and the same cursor: asking again at once would get the same
    // page at full speed. Back off as after an error.
    const delay = Math.max(this.#backoff.next(), short ? this.#s.pollInterval : 0);
    const reason = `Okta returned ${result.events.length} events, none new, with an unchanged cursor`;
    this.#d.telemetry?.add('okta_pages_without_progress', 1, 'Non-empty pages with no new event and an unchanged cursor');
    this.#report('recoverable_error', reason);
    this.#warnings.warn('no_progress', `${reason}; asking again in ${delay}ms.`);
    await this.#wait(delay, signal);
    return url;
  }

  /** The uuids delivered (possibly none), or undefined when shut down before delivery succeeded. */
  async #deliver(raw: unknown[], signal: AbortSignal): Promise<{ ids: string[]; newestPublished: number | undefined } | undefined> {
    const fresh: OktaLogEvent[] = [];
    const seenOnPage = new Set<string>();
    let newestPublished: number | undefined;
    this.#counters.received += raw.length;
    for (const item of raw) {
      const problem = logEventProblem(item);
      if (problem) {
        this.#counters.rejected++;
        this.#d.telemetry?.add('failed_log_records', 1);
        this.#warnings.warn('bad_event', `Skipped an event Okta returned that is not a LogEvent: ${problem}`);
        continue;
      }
      const event = item as OktaLogEvent;
      if (this.#recent.has(event.uuid) || seenOnPage.has(event.uuid)) {
        this.#counters.duplicates++;
        this.#d.telemetry?.add('okta_duplicates_dropped', 1, 'Events Okta returned again, dropped by uuid');
        continue;
      }
      seenOnPage.add(event.uuid);
      fresh.push(event);
      const published = Date.parse(event.published);
      if (newestPublished === undefined || published > newestPublished) newestPublished = published;
    }
    if (fresh.length === 0) return { ids: [], newestPublished };
    const backoff = new Backoff(this.#s.retryInitial, this.#s.retryMax, this.#d.random);
    for (;;) {
      try {
        await this.#d.deliver(fresh);
        this.#counters.accepted += fresh.length;
        return { ids: fresh.map((e) => e.uuid), newestPublished };
      } catch (err) {
        if (signal.aborted) return undefined;
        const delay = backoff.next();
        const reason = `the pipeline refused ${fresh.length} events: ${errorMessage(err)}`;
        if (backoff.attempts >= 3) this.#report('recoverable_error', reason);
        this.#d.logger.warn(`The pipeline refused ${fresh.length} events; retrying the same page in ${delay}ms: ${errorMessage(err)}`);
        await this.#wait(delay, signal);
        if (signal.aborted) return undefined;
      }
    }
  }

  /** Retries until the checkpoint is written (a full or read-only disk is reported, not fatal). */
  async #saveCheckpoint(checkpoint: Checkpoint, signal: AbortSignal): Promise<boolean> {
    const backoff = new Backoff(this.#s.retryInitial, this.#s.retryMax, this.#d.random);
    for (;;) {
      try {
        await this.#d.checkpoints.save(checkpoint);
        if (backoff.attempts > 0) this.#d.logger.info('The checkpoint was saved again.');
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        const delay = backoff.next();
        const reason = `saving the checkpoint failed: ${errorMessage(err)}`;
        this.#d.telemetry?.add('okta_checkpoint_failures', 1, 'Checkpoint writes that failed and were retried');
        this.#report('recoverable_error', reason);
        this.#d.logger.error(`${reason}; retrying in ${delay}ms (events keep their place: nothing newer is fetched until it is saved).`);
        await this.#wait(delay, signal);
        if (signal.aborted) return false;
      }
    }
  }

  /** A wait the server asked for, at most MAX_SERVER_WAIT_MS, with a warning when it asked for more. */
  #serverWait(ms: number, source: string): number {
    const { ms: clamped, clamped: tooLong } = clampServerWait(ms);
    if (tooLong) {
      this.#pacer.forgetWindow();
      this.#warnings.warn(
        'wait_clamped',
        `${source} asked to wait ${Number.isFinite(ms) ? formatDuration(ms) : 'forever'}, more than the ${formatDuration(MAX_SERVER_WAIT_MS)} maximum; waiting ${formatDuration(MAX_SERVER_WAIT_MS)} and asking again.`,
      );
    }
    return clamped;
  }

  #report(status: ComponentStatus, reason?: string): void {
    if (this.#status?.status === status && this.#status.reason === reason) return;
    this.#status = { status, reason };
    this.#d.reportStatus?.(reason === undefined ? { status } : { status, reason });
    this.#d.reportHealth?.(status === 'ok' ? { healthy: true } : { healthy: false, reason: reason ?? status });
  }

  async #wait(ms: number, signal: AbortSignal): Promise<void> {
    await (this.#d.sleep ?? abortableSleep)(ms, signal);
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
