import type { AnyValue, LogRecord } from '@oktel/core';
import type { SplunkHecConfig } from './config.js';

/** The Collector contrib splunk_hec exporter's attribute names for HEC metadata. */
export const HEC_INDEX = 'com.splunk.index';
export const HEC_SOURCETYPE = 'com.splunk.sourcetype';
export const HEC_SOURCE = 'com.splunk.source';
export const HOST_NAME = 'host.name';

export interface HecEvent {
  time: number;
  host?: string;
  source: string;
  sourcetype: string;
  index?: string;
  event: unknown;
}

export function isAlert(record: LogRecord): boolean {
  return record.attributes['event.kind'] === 'alert';
}

/** A record attribute wins over a resource attribute, as in the Collector's exporter. */
function metadata(record: LogRecord, key: string): string | undefined {
  const value = record.attributes[key] ?? (record.resource.attributes as Record<string, AnyValue>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function alertEvent(record: LogRecord): Record<string, unknown> {
  // One flat JSON object: Splunk's JSON extraction makes each key a field (security_rule.name,
  // threat.technique.id, user.name ...) and `message` the sentence a human reads.
  return { message: record.body, severity: record.severityText, event_name: record.eventName, ...record.attributes };
}

/**
 * The HEC event for one record. A raw Okta event is sent as itself (the body), so the Splunk
 * Add-on for Okta's OktaIM2:log extractions and the ESCU searches see exactly what Okta's API
 * returned; an alert is its attributes plus the message.
 */
export function hecEvent(record: LogRecord, config: SplunkHecConfig): HecEvent {
  const alert = isAlert(record);
  const index = metadata(record, HEC_INDEX) ?? (alert ? (config.alerts.index ?? config.index) : config.index);
  const host = metadata(record, HOST_NAME) ?? config.host ?? metadata(record, 'okta.domain');
  const event: HecEvent = {
    time: Math.round((record.hrTime[0] + record.hrTime[1] / 1e9) * 1000) / 1000,
    source: metadata(record, HEC_SOURCE) ?? (alert ? (config.alerts.source ?? config.source) : config.source),
    sourcetype: metadata(record, HEC_SOURCETYPE) ?? (alert ? config.alerts.sourcetype : config.sourcetype),
    event: alert ? alertEvent(record) : (record.body ?? record.attributes),
  };
  if (host !== undefined) event.host = host;
  if (index !== undefined) event.index = index;
  return event;
}
