import type { LogBatch, LogRecord } from '@oktel/core';

type Resource = LogRecord['resource'];
type Scope = LogRecord['instrumentationScope'];

/**
 * Records grouped by resource, then by instrumentation scope, by object identity and in first-seen
 * order: the grouping the OpenTelemetry JS serializers use, so both encoders emit the same tree.
 */
export function groupByResourceAndScope(batch: LogBatch): Map<Resource, Map<Scope, LogRecord[]>> {
  const resources = new Map<Resource, Map<Scope, LogRecord[]>>();
  for (const record of batch) {
    let scopes = resources.get(record.resource);
    if (!scopes) {
      scopes = new Map();
      resources.set(record.resource, scopes);
    }
    let records = scopes.get(record.instrumentationScope);
    if (!records) {
      records = [];
      scopes.set(record.instrumentationScope, records);
    }
    records.push(record);
  }
  return resources;
}
