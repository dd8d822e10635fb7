import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  errorMessage,
  storageClient,
  withAttributes,
  type ComponentSettings,
  type Host,
  type LogBatch,
  type LogRecord,
  type LogsConsumer,
  type Processor,
  type StorageClient,
} from '@oktel/core';
import { ALERT_EVENT_NAME } from './alert-record.js';
import { detectionSources, unboundedRules, type DetectionConfig } from './config.js';
import { describeIssue } from './rules/load-rules.js';
import type { DetectionSet } from './tuning/detection-set.js';
import { loadDetectionSet } from './tuning/detection-set.js';
import { ExceptionIndex } from './tuning/exceptions.js';
import { FileWatch } from './tuning/file-watch.js';
import { withLists } from './tuning/in-list.js';
import { carriedState } from './tuning/reload.js';
import { WarnLimiter } from './correlation/warn-limiter.js';
import { DetectionEngine, journalEntrySchema, StateFormatError, type EngineSnapshot } from './engine.js';

/**
 * The `detection` processor: tags matching records with the rule and its ATT&CK mapping and
 * adds alert records to the batch, after the raw records. Raw records never leave with
 * event.kind=alert: a record arriving with that value from upstream is re-labelled.
 */
const STATE_KEY = 'correlation-state';
/** Write-ahead journal of correlation inputs since the last snapshot, one JSON line per batch. */
const JOURNAL_FILE = 'correlation-journal.jsonl';
const journalLineSchema = z.strictObject({ s: z.number().int().positive(), c: z.number(), i: z.array(journalEntrySchema) });

/** Counters present from start at 0, so a rate alert on any of them sees data. */
const COUNTERS: Readonly<Record<string, string>> = {
  alerts: 'Alert records emitted',
  matched_records: 'Records that matched at least one rule',
  relabelled_records: 'Incoming records that claimed event.kind=alert',
  rule_errors: 'Rule evaluations that threw',
  suppression_evictions: 'Suppression windows dropped to stay within max_suppression_groups',
  state_evictions: 'Correlation groups evicted to stay within max_groups_per_rule',
  late_events: 'Events later than allowed_lateness, correlated in arrival order',
  reorder_overflows: 'Events correlated before allowed_lateness because the reorder buffer was full',
  future_events: 'Events stamped beyond max_clock_skew ahead of the processing clock (did not move event time)',
  idle_alerts: 'Alerts emitted by the idle-source clock, with no new event',
  state_groups_dropped: 'Correlation groups left out of a save to stay within max_state_bytes, or not restorable',
  state_files_set_aside: 'Saved correlation states that did not validate and were set aside',
  journal_batches_replayed: 'Journaled batches of correlation inputs re-applied at start (progress a kill -9 would have lost)',
  alert_send_failures: 'Idle-clock alert batches the next component refused',
  new_terms_evictions: 'new_terms: terms forgotten to stay within max_terms_per_entity (they would alert again)',
  not_okta_event_records: 'Records whose body is not an Okta event (passed on untouched)',
  evaluation_errors: 'Records whose evaluation failed outside a rule (a shape no rule expected): passed on untouched',
  group_by_absent_events:
    'Rule matches whose group_by value was absent ("unknown", "null", empty, null): skipped by stateful rules, not grouped by single-event rules',
};
const EXCLUDED_HELP = 'Rule matches ignored because a tuning exception covered them, per rule and exception';
const RELOAD_HELP = 'Reloads of rules, lists and tuning (SIGHUP), by result';
const VERSION_HELP = 'Version of the loaded rule set: 1 at start, +1 per successful reload';

export interface DetectionProcessorOptions {
  /** The processing clock; injectable so tests can move time. */
  now?: () => number;
}

export class DetectionProcessor implements Processor {
  readonly #settings: ComponentSettings;
  readonly #next: LogsConsumer;
  #engine: DetectionEngine;
  #set: DetectionSet;
  #ruleSetVersion = 1;
  #reloading: Promise<void> | undefined;
  #watch: FileWatch | undefined;
  readonly #logAlerts: boolean;
  readonly #config: DetectionConfig;
  readonly #now: () => number;
  readonly #warn: WarnLimiter;
  #storage: StorageClient | undefined;
  #lastSave: number;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #ticking = false;
  /** Sequence number of the last journal line written (0: none since the snapshot). */
  #journalSeq = 0;
  #journalPath: string | undefined;

  constructor(settings: ComponentSettings, config: DetectionConfig, next: LogsConsumer, options: DetectionProcessorOptions = {}) {
    this.#settings = settings;
    this.#next = next;
    this.#logAlerts = config.log_alerts;
    this.#config = config;
    this.#now = options.now ?? Date.now;
    this.#lastSave = this.#now();
    this.#warn = new WarnLimiter(settings.logger, 60_000, this.#now);
    const count = (name: string, n = 1) => settings.telemetry.add(name, n, COUNTERS[name]);
    for (const name of Object.keys(COUNTERS)) count(name, 0);
    for (const result of ['ok', 'failed']) settings.telemetry.add('ruleset_reloads', 0, RELOAD_HELP, { result });
    settings.telemetry.set('ruleset_version', this.#ruleSetVersion, VERSION_HELP);
    this.#set = config.loaded;
    this.#engine = this.#buildEngine(config.loaded);
  }

  /** An engine for a rule set, with its exceptions; lists in scope while stateful parts compile. */
  #buildEngine(set: DetectionSet): DetectionEngine {
    const settings = this.#settings;
    const config = this.#config;
    const warn = this.#warn;
    const count = (name: string, n = 1) => settings.telemetry.add(name, n, COUNTERS[name]);
    const exceptions = new ExceptionIndex(set.rules, set.exceptions, {
      now: this.#now,
      onExcluded: (rule, exception) => settings.telemetry.add('excluded_matches', 1, EXCLUDED_HELP, { rule: rule.definition.id, exception: exception.id }),
      onExpired: (exception) =>
        settings.logger.warn(
          `Tuning exception ${exception.id} expired on ${new Date(exception.expiresMs).toISOString()} and no longer applies (${exception.comment}).`,
        ),
    });
    for (const rule of set.rules)
      for (const e of set.exceptions)
        if (e.appliesTo(rule)) settings.telemetry.add('excluded_matches', 0, EXCLUDED_HELP, { rule: rule.definition.id, exception: e.id });
    let reported = 0;
    return withLists(
      set.lists,
      () =>
        new DetectionEngine({
          rules: set.rules,
          excludes: exceptions.size > 0 ? (rule, ctx) => exceptions.excludes(rule, ctx) : undefined,
          suppressionWindowMs: config.suppression_window,
          maxAlertEventUuids: config.max_alert_event_uuids,
          maxSuppressionEntries: config.max_suppression_groups,
          errorMode: config.error_mode,
          onRuleError: (rule, err) => {
            count('rule_errors');
            if (reported++ < 20) settings.logger.warn(`Rule ${rule.definition.id} failed on an event: ${errorMessage(err)}`);
          },
          onEvict: () => {
            count('suppression_evictions');
            warn.warn(
              'suppression_evictions',
              () => `Suppression window dropped to stay within max_suppression_groups (${config.max_suppression_groups}); a repeat alert may follow.`,
            );
          },
          allowedLatenessMs: config.allowed_lateness,
          maxGroupsPerRule: config.max_groups_per_rule,
          maxBufferedEvents: config.max_buffered_events,
          maxBufferedBytes: config.max_buffered_bytes,
          maxDistinctPerGroup: config.max_items_per_group,
          onStateEvict: (rule) => {
            count('state_evictions');
            warn.warn(
              'state_evictions',
              () =>
                `Correlation group of rule ${rule.definition.id} evicted to stay within max_groups_per_rule (${config.max_groups_per_rule}): its partial progress is lost.`,
            );
          },
          onTooLate: (rule) => {
            count('late_events');
            warn.warn('late_events', () => `Event later than allowed_lateness for rule ${rule.definition.id}: correlated in arrival order.`);
          },
          onBufferOverflow: (rule) => {
            count('reorder_overflows');
            warn.warn(
              'reorder_overflows',
              () =>
                `Reorder buffer of rule ${rule.definition.id} is full (max_buffered_events ${config.max_buffered_events}, max_buffered_bytes ${config.max_buffered_bytes}): the oldest event is correlated before allowed_lateness.`,
            );
          },
          now: this.#now,
          idleAfterMs: config.idle_after,
          maxClockSkewMs: config.max_clock_skew,
          groupByOrg: config.group_by_org,
          journal: config.storage !== undefined,
          onTermEvict: (rule) => {
            count('new_terms_evictions');
            warn.warn(
              'new_terms_evictions',
              () =>
                `Rule ${rule.definition.id} forgot the least recently seen term of an entity to stay within max_terms_per_entity: it would alert again if seen.`,
            );
          },
          onNotOktaEvent: () => count('not_okta_event_records'),
          onGroupByAbsent: (rule) => {
            count('group_by_absent_events');
            warn.warn(
              `group_by_absent:${rule.definition.id}`,
              () =>
                `Rule ${rule.definition.id} matched an event whose group_by value (${rule.definition.group_by.join(', ')}) is absent: ${rule.definition.correlate ? 'skipped for this rule' : 'alerted without grouping on it'}.`,
            );
          },
          onFutureEvent: (eventMs, nowMs) => {
            count('future_events');
            warn.warn(
              'future_events',
              () =>
                `Event stamped ${new Date(eventMs).toISOString()}, ${Math.round((eventMs - nowMs) / 1000)} s ahead of this host's clock (more than max_clock_skew): it does not move event time and is correlated at the current event time.`,
            );
          },
        }),
    );
  }

  /**
   * SIGHUP: re-reads rules, lists and tuning, validates all of it, and swaps only if everything
   * is valid; otherwise keeps the running set and logs every problem with file and line. The
   * correlation state of rules whose identity and correlation settings did not change is carried
   * into the new engine; open suppression windows are closed (their follow-ups are sent now).
   */
  reload(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#reloading ??= this.#reload().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  async #reload(): Promise<void> {
    const logger = this.#settings.logger;
    const { set, issues } = loadDetectionSet(detectionSources(this.#config));
    const problems = set ? unboundedRules(set, this.#config.max_window, this.#config.max_items_per_group) : issues.map(describeIssue);
    if (!set || problems.length > 0) {
      this.#settings.telemetry.add('ruleset_reloads', 1, RELOAD_HELP, { result: 'failed' });
      logger.error(`Reload refused, still running rule set version ${this.#ruleSetVersion} (${this.#set.rules.length} rules): ${problems.join('; ')}`);
      return;
    }
    let engine: DetectionEngine;
    try {
      engine = this.#buildEngine(set);
    } catch (err) {
      this.#settings.telemetry.add('ruleset_reloads', 1, RELOAD_HELP, { result: 'failed' });
      logger.error(`Reload refused, still running rule set version ${this.#ruleSetVersion}: ${errorMessage(err)}`);
      return;
    }
    // Journal what the old engine took in, so the snapshot below and the journal agree.
    await this.#journalBatch();
    const old = this.#engine;
    const { snapshot, kept, reset } = carriedState(old.snapshot(), this.#set.rules, set.rules);
    engine.restore(snapshot);
    const closing = old.flushSuppression();
    this.#engine = engine;
    this.#set = set;
    this.#watch?.watch(set.sourceFiles);
    this.#ruleSetVersion++;
    this.#settings.telemetry.set('ruleset_version', this.#ruleSetVersion, VERSION_HELP);
    this.#settings.telemetry.add('ruleset_reloads', 1, RELOAD_HELP, { result: 'ok' });
    logger.info(
      `Reloaded: ${set.rules.length} rules${set.disabled.length > 0 ? ` (${set.disabled.length} disabled)` : ''}, ${set.exceptions.length} exceptions, ${set.lists.size} lists; state kept for ${kept} rules, reset for ${reset}; rule set version ${this.#ruleSetVersion}.`,
    );
    if (this.#storage) await this.#saveState();
    if (closing.length === 0) return;
    this.#report(closing);
    try {
      await this.#next.consume(closing);
    } catch (err) {
      this.#settings.telemetry.add('alert_send_failures', 1, COUNTERS.alert_send_failures);
      logger.warn(`Follow-up alerts of the suppression windows closed by the reload could not be passed on: ${errorMessage(err)}`);
    }
  }

  /** The loaded rule set's version (1 at start, +1 per successful reload). */
  get ruleSetVersion(): number {
    return this.#ruleSetVersion;
  }

  async start(host: Host): Promise<void> {
    const set = this.#set;
    this.#settings.logger.info(
      `Loaded ${this.#engine.rules.length} detection rules${set.tuningFile ? ` (tuning ${set.tuningFile}: ${set.exceptions.length} exceptions, ${set.lists.size} lists, ${set.disabled.length} rules disabled)` : ''}.`,
    );
    for (const o of this.#config.loaded.sigma ?? []) {
      if (o.outcome !== 'loaded') this.#settings.logger.warn(`Sigma rule ${o.outcome}: ${o.file}:${o.line} ${o.title}: ${o.reason ?? ''}`);
      for (const w of o.warnings) this.#settings.logger.warn(`Sigma rule ${o.file}:${o.line} ${o.title}: ${w}`);
    }
    if (this.#config.storage) {
      this.#storage = await storageClient(
        host,
        this.#config.storage,
        'processor',
        this.#settings.pipelineId ? `${this.#settings.id}@${this.#settings.pipelineId}` : this.#settings.id,
      );
      this.#journalPath = join(this.#storage.directory, JOURNAL_FILE);
      const snapshotSeq = await this.#restore(this.#storage);
      await this.#replayJournal(this.#journalPath, snapshotSeq);
    }
    if (this.#config.reload_on_change) {
      this.#watch = new FileWatch(() => {
        this.#settings.logger.info('A rule, tuning or list file changed: reloading.');
        void this.reload();
      });
      this.#watch.watch(this.#set.sourceFiles);
    }
    if (this.#config.idle_after > 0) {
      // The idle-source clock: checks a few times per idle_after, never keeps the process alive.
      this.#timer = setInterval(() => void this.#tick(), Math.max(100, Math.min(1000, Math.floor(this.#config.idle_after / 2))));
      this.#timer.unref();
    }
  }

  /**
   * Saved state is untrusted input: too large, not JSON or not the expected shape, it is moved
   * aside under another key with a warning naming the file, and the processor starts empty
   * rather than failing start-up.
   */
  async #restore(storage: StorageClient): Promise<number> {
    const saved = await storage.get(STATE_KEY);
    if (!saved) return 0;
    const file = join(storage.directory, STATE_KEY);
    let reason: string | undefined;
    if (saved.length > this.#config.max_state_bytes) reason = `${saved.length} bytes, more than max_state_bytes (${this.#config.max_state_bytes})`;
    else {
      try {
        const { groups, skipped, journalSeq } = this.#engine.restore(JSON.parse(saved.toString('utf8')) as unknown);
        this.#settings.logger.info(`Restored correlation state: ${groups} open groups.`);
        if (skipped > 0) {
          this.#settings.telemetry.add('state_groups_dropped', skipped, COUNTERS.state_groups_dropped);
          this.#settings.logger.warn(`Correlation state ${file}: ${skipped} groups did not fit their rule and were left out.`);
        }
        return journalSeq;
      } catch (err) {
        if (!(err instanceof SyntaxError || err instanceof StateFormatError)) throw err;
        reason = err instanceof StateFormatError ? err.message : `not JSON (${(err as Error).message})`;
      }
    }
    const aside = `${STATE_KEY}.rejected-${this.#now()}`;
    await storage.set(aside, saved);
    await storage.delete(STATE_KEY);
    this.#settings.telemetry.add('state_files_set_aside', 1, COUNTERS.state_files_set_aside);
    this.#settings.logger.warn(
      `Correlation state ${file} was set aside as ${join(storage.directory, aside)}: ${reason}. Starting with empty correlation state.`,
    );
    return 0;
  }

  /**
   * Re-applies the journal lines newer than the snapshot: the correlation inputs of batches the
   * receiver may already have checkpointed. A line that does not parse (a write torn by kill -9,
   * or damage) ends the replay there, with a warning naming the file.
   */
  async #replayJournal(path: string, snapshotSeq: number): Promise<void> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let replayed = 0;
    const lines = text.split('\n');
    for (const [n, line] of lines.entries()) {
      if (line === '') continue;
      let parsed: z.output<typeof journalLineSchema> | undefined;
      try {
        const result = journalLineSchema.safeParse(JSON.parse(line));
        if (result.success) parsed = result.data;
      } catch {
        parsed = undefined;
      }
      if (!parsed) {
        this.#settings.logger.warn(
          `Correlation journal ${path}: line ${n + 1} does not validate; replay stops there (${lines.length - n - 1} later lines ignored).`,
        );
        break;
      }
      this.#journalSeq = Math.max(this.#journalSeq, parsed.s);
      if (parsed.s <= snapshotSeq) continue;
      this.#engine.replay(parsed.i, parsed.c);
      replayed++;
    }
    this.#journalSeq = Math.max(this.#journalSeq, snapshotSeq);
    if (replayed > 0) {
      this.#settings.telemetry.add('journal_batches_replayed', replayed, COUNTERS.journal_batches_replayed);
      this.#settings.logger.info(`Replayed ${replayed} journaled batches of correlation inputs from ${path}.`);
    }
  }

  /**
   * Appends this batch's correlation inputs to the journal before the batch is acknowledged, so
   * state never lags the receiver's checkpoint. Appending a line costs what the batch matched,
   * not what the state holds; the snapshot every state_save_interval then truncates the journal.
   * No fsync: the claim is surviving a killed process (the page cache survives it), not power loss.
   */
  async #journalBatch(): Promise<void> {
    const journal = this.#engine.takeJournal();
    if (!journal || !this.#journalPath) return;
    this.#journalSeq++;
    await appendFile(this.#journalPath, `${JSON.stringify({ s: this.#journalSeq, c: journal.clockMs, i: journal.entries })}\n`);
  }

  /** Serialises the state within max_state_bytes, leaving out the least recently used groups if needed. */
  #serialize(): string {
    const snapshot: EngineSnapshot = { ...this.#engine.snapshot(), journalSeq: this.#journalSeq };
    let text = JSON.stringify(snapshot);
    let dropped = 0;
    while (Buffer.byteLength(text) > this.#config.max_state_bytes) {
      const total = snapshot.rules.reduce((n, [, s]) => n + s.groups.length + s.buffer.length, 0);
      if (total === 0) break;
      for (const [, state] of snapshot.rules) {
        const cut = Math.ceil(state.groups.length / 10);
        state.groups.splice(0, cut);
        dropped += cut;
        state.buffer.splice(0, Math.ceil(state.buffer.length / 10));
      }
      text = JSON.stringify(snapshot);
    }
    if (dropped > 0) {
      this.#settings.telemetry.add('state_groups_dropped', dropped, COUNTERS.state_groups_dropped);
      this.#warn.warn(
        'state_groups_dropped',
        () =>
          `Correlation state is larger than max_state_bytes (${this.#config.max_state_bytes}): ${dropped} least recently used groups were left out of the save.`,
      );
    }
    return text;
  }

  async #saveState(): Promise<void> {
    if (!this.#storage) return;
    this.#lastSave = this.#now();
    await this.#journalBatch();
    await this.#storage.set(STATE_KEY, this.#serialize());
    // The snapshot now holds every journaled batch (its journalSeq says so): the journal can go.
    // A crash between the two writes only leaves lines the next start skips by sequence number.
    if (this.#journalPath) await writeFile(this.#journalPath, '');
  }

  /** The idle-source clock: with no batch in flight, lets event time move on and sends what it closed. */
  async #tick(): Promise<void> {
    if (this.#stopped || this.#inFlight > 0 || this.#ticking) return;
    this.#ticking = true;
    try {
      const alerts = this.#engine.expired();
      if (alerts.length === 0) return;
      this.#settings.telemetry.add('idle_alerts', alerts.length, COUNTERS.idle_alerts);
      this.#report(alerts);
      await this.#next.consume(alerts);
    } catch (err) {
      this.#settings.telemetry.add('alert_send_failures', 1, COUNTERS.alert_send_failures);
      this.#settings.logger.warn(`Alerts closed by the idle clock could not be passed on: ${errorMessage(err)}`);
    } finally {
      this.#ticking = false;
    }
  }

  async consume(batch: LogBatch): Promise<void> {
    this.#inFlight++;
    try {
      await this.#consume(batch);
    } finally {
      this.#inFlight--;
    }
  }

  async #consume(batch: LogBatch): Promise<void> {
    const out: LogRecord[] = [];
    const alerts: LogRecord[] = [];
    for (const original of batch) {
      let record = original;
      if (record.attributes['event.kind'] === 'alert' && record.eventName !== ALERT_EVENT_NAME) {
        record = withAttributes(record, { 'event.kind': 'event' });
        this.#settings.telemetry.add('relabelled_records', 1, COUNTERS.relabelled_records);
      }
      if (record.eventName === ALERT_EVENT_NAME) {
        out.push(record);
        continue;
      }
      let result: ReturnType<DetectionEngine['evaluate']>;
      try {
        result = this.#engine.evaluate(record);
      } catch (err) {
        // One record of a shape nothing expected must not cost the batch: it goes on untouched.
        this.#settings.telemetry.add('evaluation_errors', 1, COUNTERS.evaluation_errors);
        this.#warn.warn('evaluation_errors', () => `A record could not be evaluated and was passed on untouched: ${errorMessage(err)}`);
        out.push(record);
        continue;
      }
      alerts.push(...result.alerts);
      if (result.matched.length === 0) {
        out.push(record);
        continue;
      }
      this.#settings.telemetry.add('matched_records', 1, COUNTERS.matched_records);
      out.push(withAttributes(record, result.tags));
    }
    alerts.push(...this.#engine.expired());
    this.#report(alerts);
    await this.#next.consume(alerts.length > 0 ? [...out, ...alerts] : out);
    if (!this.#storage) return;
    if (this.#now() - this.#lastSave >= this.#config.state_save_interval) await this.#saveState();
    else await this.#journalBatch();
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#watch?.close();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    // With storage, open correlation windows survive the restart; otherwise they are judged now.
    if (this.#storage) await this.#saveState();
    const pending = this.#storage ? this.#engine.flushSuppression() : this.#engine.flush();
    if (pending.length === 0) return;
    this.#report(pending);
    await this.#next.consume(pending);
  }

  /** True while the idle-source timer is armed (for tests: no lingering timers after shutdown). */
  get idleTimerArmed(): boolean {
    return this.#timer !== undefined;
  }

  #report(alerts: readonly LogRecord[]): void {
    if (alerts.length === 0) return;
    this.#settings.telemetry.add('alerts', alerts.length, COUNTERS.alerts);
    if (!this.#logAlerts) return;
    for (const alert of alerts)
      this.#settings.logger.info(`ALERT [${String(alert.attributes['security_rule.severity'])}] ${String(alert.body)}`, {
        rule: String(alert.attributes['security_rule.uuid']),
      });
  }
}
