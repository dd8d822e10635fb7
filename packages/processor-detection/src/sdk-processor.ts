import type { Context } from '@opentelemetry/api';
import type { AnyValueMap, Logger } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { millisFromHrTime } from '@oktel/core';
import { ALERT_EVENT_NAME } from './alert-record.js';
import { detectionConfigSchema } from './config.js';
import { DetectionEngine } from './engine.js';
import { ExceptionIndex } from './tuning/exceptions.js';
import { withLists } from './tuning/in-list.js';

export interface DetectionLogRecordProcessorOptions {
  /** The processor's config keys (rules, suppression_window, …), validated as in a config file. */
  config?: Record<string, unknown>;
  /** Where alerts are emitted, e.g. `loggerProvider.getLogger('oktel-alerts')`. */
  alertLogger: Logger;
  /** The processing clock; injectable for tests. */
  now?: () => number;
}

/**
 * The detection processor inside an OpenTelemetry JS SDK LoggerProvider, for applications that
 * do not run the oktel runtime: each emitted record whose body is an Okta event is tagged in
 * place (onEmit may still change it), and alerts are emitted through `alertLogger`.
 */
export class DetectionLogRecordProcessor implements LogRecordProcessor {
  readonly #engine: DetectionEngine;
  readonly #alerts: Logger;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(options: DetectionLogRecordProcessorOptions) {
    const config = detectionConfigSchema.parse(options.config ?? {});
    this.#alerts = options.alertLogger;
    // Site tuning applies here too: exceptions (uncounted: no metrics outside the oktel runtime), lists in scope.
    const exceptions = new ExceptionIndex(config.loaded.rules, config.loaded.exceptions, {
      now: options.now ?? Date.now,
      onExcluded: () => undefined,
      onExpired: () => undefined,
    });
    this.#engine = withLists(
      config.loaded.lists,
      () =>
        new DetectionEngine({
          rules: config.loaded.rules,
          ...(exceptions.size > 0 ? { excludes: (rule, ctx) => exceptions.excludes(rule, ctx) } : {}),
          suppressionWindowMs: config.suppression_window,
          maxAlertEventUuids: config.max_alert_event_uuids,
          maxSuppressionEntries: config.max_suppression_groups,
          errorMode: 'ignore',
          allowedLatenessMs: config.allowed_lateness,
          maxGroupsPerRule: config.max_groups_per_rule,
          maxBufferedEvents: config.max_buffered_events,
          maxBufferedBytes: config.max_buffered_bytes,
          maxDistinctPerGroup: config.max_items_per_group,
          idleAfterMs: config.idle_after,
          maxClockSkewMs: config.max_clock_skew,
          groupByOrg: config.group_by_org,
          ...(options.now ? { now: options.now } : {}),
        }),
    );
    if (config.idle_after > 0) {
      // Same idle-source clock as the processor: stateful alerts without waiting for the next record.
      this.#timer = setInterval(() => this.#emit(this.#engine.expired()), Math.max(100, Math.min(1000, Math.floor(config.idle_after / 2))));
      this.#timer.unref();
    }
  }

  onEmit(record: SdkLogRecord, _context?: Context): void {
    if (record.eventName === ALERT_EVENT_NAME) return;
    const result = this.#engine.evaluate(record);
    if (result.matched.length > 0) record.setAttributes(result.tags);
    this.#emit([...result.alerts, ...this.#engine.expired()]);
  }

  #emit(alerts: ReturnType<DetectionEngine['flush']>): void {
    for (const alert of alerts) {
      this.#alerts.emit({
        eventName: alert.eventName,
        timestamp: millisFromHrTime(alert.hrTime),
        severityNumber: alert.severityNumber,
        severityText: alert.severityText,
        body: alert.body,
        attributes: alert.attributes as AnyValueMap,
      });
    }
  }

  async forceFlush(): Promise<void> {}

  /** Judges open correlation windows and reports suppressed hits before the provider closes. */
  async shutdown(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#emit(this.#engine.flush());
  }
}
