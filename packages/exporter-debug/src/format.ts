import { millisFromHrTime, type AnyValue, type LogBatch, type LogRecord } from '@oktel/core';

function isoTime(record: LogRecord): string {
  return new Date(millisFromHrTime(record.hrTime)).toISOString();
}

function scalar(value: AnyValue): string {
  if (typeof value === 'string') return /[\s"]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return JSON.stringify(value) ?? 'null';
}

export function formatBasic(batch: LogBatch): string {
  const resources = new Set(batch.map((r) => r.resource)).size;
  return `LogsExporter #resource_logs=${resources} #log_records=${batch.length}`;
}

/** One line a record: when, severity, event, then the body when it is text, then attributes. */
export function formatNormal(record: LogRecord): string {
  const parts = [isoTime(record), record.severityText ?? String(record.severityNumber ?? ''), record.eventName ?? '-'];
  if (typeof record.body === 'string') parts.push(JSON.stringify(record.body));
  for (const [key, value] of Object.entries(record.attributes)) {
    if (value !== undefined && key !== 'log.record.uid') parts.push(`${key}=${scalar(value)}`);
  }
  return parts.join(' ');
}

export function formatDetailed(record: LogRecord, index: number): string {
  const lines = [
    `LogRecord #${index}`,
    `  Resource: ${JSON.stringify(record.resource.attributes)}`,
    `  Scope: ${record.instrumentationScope.name}${record.instrumentationScope.version ? `@${record.instrumentationScope.version}` : ''}`,
    `  Timestamp: ${isoTime(record)}`,
    `  ObservedTimestamp: ${new Date(millisFromHrTime(record.hrTimeObserved)).toISOString()}`,
    `  SeverityText: ${record.severityText ?? ''}`,
    `  SeverityNumber: ${record.severityNumber ?? 0}`,
    `  EventName: ${record.eventName ?? ''}`,
    `  Body: ${JSON.stringify(record.body)}`,
    '  Attributes:',
    ...Object.entries(record.attributes).map(([k, v]) => `    -> ${k}: ${scalar(v as AnyValue)}`),
  ];
  return lines.join('\n');
}
