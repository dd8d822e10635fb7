import { errorMessage, isStorageExtension, withAttributes, type ComponentSettings, type Host, type LogBatch, type LogRecord, type LogsConsumer, type Processor, type StorageClient } from '@oktel/core';
import { oktaResource } from '@oktel/okta-log-event';
import { ALERT_EVENT_NAME } from './alert-record.js';
import type { DetectionConfig } from './config.js';
import { DetectionEngine } from './engine.js';

/**
 * The `detection` processor: tags matching records with the rule and its ATT&CK mapping and
 * adds alert records to the batch, after the raw records. Raw records never leave with
 * event.kind=alert: a record arriving with that value from upstream is re-labelled.
 */
const STATE_KEY = 'correlation-state';

export class DetectionProcessor implements Processor {
  readonly #settings: ComponentSettings;
  readonly #next: LogsConsumer;
  readonly #engine: DetectionEngine;
  readonly #logAlerts: boolean;
  readonly #config: DetectionConfig;
  #storage: StorageClient | undefined;
  #lastSave = Date.now();
  #stopped = false;

  constructor(settings: ComponentSettings, config: DetectionConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#next = next;
    this.#logAlerts = config.log_alerts;
    this.#config = config;
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
      allowedLatenessMs: config.allowed_lateness,
      maxGroupsPerRule: config.max_groups_per_rule,
      onStateEvict: () => settings.telemetry.add('state_evictions', 1, 'Correlation groups evicted to stay within max_groups_per_rule'),
      onTooLate: () => settings.telemetry.add('late_events', 1, 'Events later than allowed_lateness, correlated in arrival order'),
    });
  }

  async start(host: Host): Promise<void> {
    this.#settings.logger.info(`Loaded ${this.#engine.rules.length} detection rules.`);
    for (const o of this.#config.loaded.sigma ?? []) {
      if (o.outcome !== 'loaded') this.#settings.logger.warn(`Sigma rule ${o.outcome}: ${o.file}:${o.line} ${o.title}: ${o.reason ?? ''}`);
      for (const w of o.warnings) this.#settings.logger.warn(`Sigma rule ${o.file}:${o.line} ${o.title}: ${w}`);
    }
    if (!this.#config.storage) return;
    const extension = host.getExtension(this.#config.storage);
    if (!isStorageExtension(extension)) throw new Error(`storage extension "${this.#config.storage}" is not available`);
    this.#storage = await extension.client('processor', this.#settings.pipelineId ? `${this.#settings.id}@${this.#settings.pipelineId}` : this.#settings.id);
    const saved = await this.#storage.get(STATE_KEY);
    if (saved) {
      const groups = this.#engine.restore(JSON.parse(saved.toString('utf8')) as Record<string, unknown>, oktaResource());
      this.#settings.logger.info(`Restored correlation state: ${groups} open groups.`);
    }
  }

  async #saveState(): Promise<void> {
    if (!this.#storage) return;
    this.#lastSave = Date.now();
    await this.#storage.set(STATE_KEY, JSON.stringify(this.#engine.snapshot()));
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
      alerts.push(...result.alerts);
      if (result.matched.length === 0) {
        out.push(record);
        continue;
      }
      this.#settings.telemetry.add('matched_records', 1, 'Records that matched at least one rule');
      out.push(withAttributes(record, result.tags));
    }
    alerts.push(...this.#engine.expired());
    this.#report(alerts);
    await this.#next.consume(alerts.length > 0 ? [...out, ...alerts] : out);
    if (this.#storage && Date.now() - this.#lastSave >= this.#config.state_save_interval) await this.#saveState();
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // With storage, open correlation windows survive the restart; otherwise they are judged now.
    if (this.#storage) await this.#saveState();
    const pending = this.#storage ? this.#engine.flushSuppression() : this.#engine.flush();
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

