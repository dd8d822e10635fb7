import { Counter, Gauge, Registry } from 'prom-client';
import type { ComponentKind } from '../component.js';

/**
 * Counters in the Collector's vocabulary (otelcol_receiver_accepted_log_records, ...),
 * prefixed `oktel_`. Each component gets a handle bound to its kind and id; the same numbers
 * feed the Prometheus endpoint and the end-of-run summary.
 */
export interface ComponentTelemetry {
  add(counter: string, value: number, help?: string): void;
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
      add: (name, value, help) => {
        if (value === 0) return;
        this.#counter(kind, name, help).inc({ [kind]: id }, value);
        values.set(name, (values.get(name) ?? 0) + value);
      },
      set: (name, value, help) => {
        this.#gauge(kind, name, help).set({ [kind]: id }, value);
        values.set(name, value);
      },
      get: (name) => values.get(name) ?? 0,
    };
  }

  /** Every component's values, in the order components were registered. */
  snapshot(): { kind: ComponentKind; id: string; values: Record<string, number> }[] {
    return [...this.#values].map(([key, values]) => {
      const space = key.indexOf(' ');
      return { kind: key.slice(0, space) as ComponentKind, id: key.slice(space + 1), values: Object.fromEntries(values) };
    });
  }

  #counter(kind: ComponentKind, name: string, help?: string): Counter<string> {
    const metric = `oktel_${kind}_${name}_total`;
    let counter = this.#counters.get(metric);
    if (!counter) {
      counter = new Counter({ name: metric, help: help ?? `${kind} ${name.replace(/_/g, ' ')}`, labelNames: [kind], registers: [this.registry] });
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
} as const;
