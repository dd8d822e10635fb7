import type { AnyValue } from '@opentelemetry/api-logs';
import type { LogRecord } from '@oktel/core';

/** What a stateful rule keeps of one event: its time, identity, group and the facts the rule needs. */
export interface CorrelationItem {
  ms: number;
  uuid: string;
  groupKey: string;
  group: Record<string, AnyValue>;
  /** value_count: the field value; sequence: indexes of the steps it matches; aggregate: one entry per aggregate. */
  facts: unknown;
  resource: LogRecord['resource'] | undefined;
}

/** A stateful rule's decision that a group crossed its condition. */
export interface Fire {
  group: Record<string, AnyValue>;
  count: number;
  firstMs: number;
  lastMs: number;
  uuids: string[];
  resource: LogRecord['resource'] | undefined;
}
