import { errorMessage, withAttributes, type ComponentSettings, type LogBatch, type LogRecord, type LogsConsumer, type Processor } from '@oktel/core';
import { ALERT_EVENT_NAME } from './alert-record.js';
import type { DetectionConfig } from './config.js';
import { DetectionEngine } from './engine.js';

/**
 * The `detection` processor: tags matching records with the rule and its ATT&CK mapping and
 * adds alert records to the batch, after the raw records. Raw records never leave with
 * event.kind=alert: a record arriving with that value from upstream is re-labelled.
 */
export class DetectionProcessor implements Processor {
  readonly #settings: ComponentSettings;
  readonly #next: LogsConsumer;
  readonly #engine: DetectionEngine;
  readonly #logAlerts: boolean;
  #stopped = false;

  constructor(settings: ComponentSettings, config: DetectionConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#next = next;
    this.#logAlerts = config.log_alerts;
    let reported = 0;
    this.#engine = new DetectionEngine({
      rules: config.loaded.rules,
      suppressionWindowMs: config.suppression_window,
      maxAlertEventUuids: config.max_alert_event_uuids,
      maxSuppressionEntries: config.max_suppression_groups,
      errorMode: config.error_mode,
      onRuleError: (rule, err) => {
        settings.telemetry.add('rule_errors', 1, 'Rule evaluations that threw');
        if (reported++ < 20) settings.logger.warn(`Rule ${rule.definition.id} failed on an event: ${errorMessage(err)}`);
      },
      onEvict: () => settings.telemetry.add('suppression_evictions', 1, 'Suppression windows dropped to stay within max_suppression_groups'),
    });
  }

  async start(): Promise<void> {
    this.#settings.logger.info(`Loaded ${this.#engine.rules.length} detection rules.`);
  }

  async consume(batch: LogBatch): Promise<void> {
    const out: LogRecord[] = [];
    const alerts: LogRecord[] = [];
    for (const original of batch) {
      let record = original;
      if (record.attributes['event.kind'] === 'alert' && record.eventName !== ALERT_EVENT_NAME) {
        record = withAttributes(record, { 'event.kind': 'event' });
        this.#settings.telemetry.add('relabelled_records', 1, 'Incoming records that claimed event.kind=alert');
      }
      if (record.eventName === ALERT_EVENT_NAME) {
        out.push(record);
        continue;
      }
      const result = this.#engine.evaluate(record);
      if (result.matched.length === 0) {
        out.push(record);
        continue;
      }
      this.#settings.telemetry.add('matched_records', 1, 'Records that matched at least one rule');
      out.push(withAttributes(record, result.tags));
      alerts.push(...result.alerts);
    }
    alerts.push(...this.#engine.expired());
    this.#report(alerts);
    await this.#next.consume(alerts.length > 0 ? [...out, ...alerts] : out);
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const pending = this.#engine.flush();
    if (pending.length === 0) return;
    this.#report(pending);
    await this.#next.consume(pending);
  }

  #report(alerts: readonly LogRecord[]): void {
    if (alerts.length === 0) return;
    this.#settings.telemetry.add('alerts', alerts.length, 'Alert records emitted');
    if (!this.#logAlerts) return;
    for (const alert of alerts) this.#settings.logger.info(`ALERT [${String(alert.attributes['security_rule.severity'])}] ${String(alert.body)}`, { rule: String(alert.attributes['security_rule.uuid']) });
  }
}

