import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ComponentKind } from '../component.js';

/**
 * Counters in the Collector's vocabulary (otelcol_receiver_accepted_log_records, ...),
 * prefixed `oktel_`. Each component gets a handle bound to its kind and id; the same numbers
 * feed the Prometheus endpoint and the end-of-run summary.
 */
export interface ComponentTelemetry {
  /** `labels` adds dimensions beyond the component (fixed per counter name: always pass the same keys). */
  add(counter: string, value: number, help?: string, labels?: Readonly<Record<string, string>>): void;
  set(gauge: string, value: number, help?: string): void;
  get(counter: string): number;
}

export class Telemetry {
  readonly registry = new Registry();
  readonly #counters = new Map<string, Counter<string>>();
  readonly #gauges = new Map<string, Gauge<string>>();
  /** kind → id → counter → value, mirrored for the summary without scraping the registry. */
  readonly #values = new Map<string, Map<string, number>>();

  forComponent(kind: ComponentKind, id: string): ComponentTelemetry {
    const key = `${kind} ${id}`;
    const values = this.#values.get(key) ?? new Map<string, number>();
    this.#values.set(key, values);
    return {
      add: (name, value, help, labels) => {
        // An add of 0 still creates the series: a counter that only appears at its first increment is invisible to rate() and absent-data alerts.
        this.#counter(kind, name, help, labels ? Object.keys(labels) : []).inc({ ...labels, [kind]: id }, value);
        values.set(name, (values.get(name) ?? 0) + value);
      },
      set: (name, value, help) => {
        this.#gauge(kind, name, help).set({ [kind]: id }, value);
        values.set(name, value);
      },
      get: (name) => values.get(name) ?? 0,
    };
  }

  /**
   * Creates a component's standard series at 0, so a rate or an alert on them sees data from
   * the first scrape (a series that appears only on its first increment is invisible to
   * `rate()` and to absent-data alerts).
   */
  declare(kind: ComponentKind, id: string): void {
    const names = STANDARD_COUNTERS[kind] ?? [];
    const values = this.#values.get(`${kind} ${id}`);
    for (const name of names) {
      this.#counter(kind, name).inc({ [kind]: id }, 0);
      if (values && !values.has(name)) values.set(name, 0);
    }
  }

  /**
   * Process metrics (CPU, RSS, heap, event-loop delay, open handles) from prom-client, plus
   * uptime as the Collector's `process_uptime`. Called once per served registry.
   */
  collectProcessMetrics(startedAt = Date.now()): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'oktel_' });
    new Gauge({
      name: 'oktel_process_uptime_seconds',
      help: 'Seconds since the service started',
      registers: [this.registry],
      collect() {
        this.set((Date.now() - startedAt) / 1000);
      },
    });
  }

  /** One series per component and status, 1 for the current status (the Collector's component status as a metric). */
  setStatus(componentId: string, status: string): void {
    this.#statusGauge ??= new Gauge({
      name: 'oktel_component_status',
      help: 'Current status of each component: 1 for the status it is in, 0 for the others',
      labelNames: ['component', 'status'],
      registers: [this.registry],
    });
    for (const s of STATUSES) this.#statusGauge.set({ component: componentId, status: s }, s === status ? 1 : 0);
  }

  #statusGauge: Gauge<string> | undefined;

  /** Every component's values, in the order components were registered. */
  snapshot(): { kind: ComponentKind; id: string; values: Record<string, number> }[] {
    return [...this.#values].map(([key, values]) => {
      const space = key.indexOf(' ');
      return { kind: key.slice(0, space) as ComponentKind, id: key.slice(space + 1), values: Object.fromEntries(values) };
    });
  }

  #counter(kind: ComponentKind, name: string, help?: string, extraLabels: readonly string[] = []): Counter<string> {
    const metric = `oktel_${kind}_${name}_total`;
    let counter = this.#counters.get(metric);
    if (!counter) {
      counter = new Counter({
        name: metric,
        help: help ?? `${kind} ${name.replace(/_/g, ' ')}`,
        labelNames: [kind, ...extraLabels],
        registers: [this.registry],
      });
      this.#counters.set(metric, counter);
    }
    return counter;
  }

  #gauge(kind: ComponentKind, name: string, help?: string): Gauge<string> {
    const metric = `oktel_${kind}_${name}`;
    let gauge = this.#gauges.get(metric);
    if (!gauge) {
      gauge = new Gauge({ name: metric, help: help ?? `${kind} ${name.replace(/_/g, ' ')}`, labelNames: [kind], registers: [this.registry] });
      this.#gauges.set(metric, gauge);
    }
    return gauge;
  }
}

/** Counter names shared across components, so the summary can line them up. */
export const Counters = {
  receiverAccepted: 'accepted_log_records',
  receiverRefused: 'refused_log_records',
  receiverFailed: 'failed_log_records',
  processorIncoming: 'incoming_items',
  processorOutgoing: 'outgoing_items',
  exporterSent: 'sent_log_records',
  exporterSendFailed: 'send_failed_log_records',
  exporterEnqueueFailed: 'enqueue_failed_log_records',
  exporterQueueSize: 'queue_size',
  exporterQueueCapacity: 'queue_capacity',
} as const;

const STATUSES = ['starting', 'ok', 'recoverable_error', 'permanent_error', 'fatal_error', 'stopping', 'stopped'] as const;

/** The series every component of a kind has from its creation, at 0. */
const STANDARD_COUNTERS: Partial<Record<ComponentKind, readonly string[]>> = {
  receiver: [Counters.receiverAccepted, Counters.receiverRefused, Counters.receiverFailed],
  processor: [Counters.processorIncoming, Counters.processorOutgoing],
  connector: [Counters.processorIncoming, Counters.processorOutgoing],
  exporter: [Counters.exporterSent, Counters.exporterSendFailed, Counters.exporterEnqueueFailed],
};
