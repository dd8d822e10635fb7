import type { LogRecord } from '@oktel/core';
import { pathReader, type VarScope } from '@oktel/jsonlogic';

/**
 * What a route condition reads from a record: `attributes.<key>` and `resource.<key>` (keys with
 * dots, such as event.kind, taken whole), `event_name`, `severity_number`, `severity_text`, and
 * `body.<path>` into a structured body.
 */
export class RecordView {
  constructor(readonly record: LogRecord) {}
}

function flat(source: (r: LogRecord) => Readonly<Record<string, unknown>>, key: string, notFound: unknown) {
  return (view: unknown) => {
    const map = source((view as RecordView).record);
    const value = Object.hasOwn(map, key) ? map[key] : undefined;
    return value === undefined ? notFound : value;
  };
}

export const recordScope: VarScope = {
  is: (data) => data instanceof RecordView,
  reader(path, notFound) {
    const text = String(path ?? '');
    if (text.startsWith('attributes.')) return flat((r) => r.attributes, text.slice('attributes.'.length), notFound);
    if (text.startsWith('resource.')) return flat((r) => r.resource.attributes as Record<string, unknown>, text.slice('resource.'.length), notFound);
    if (text === 'event_name') return (v) => (v as RecordView).record.eventName ?? notFound;
    if (text === 'severity_number') return (v) => (v as RecordView).record.severityNumber ?? notFound;
    if (text === 'severity_text') return (v) => (v as RecordView).record.severityText ?? notFound;
    if (text === 'body') return (v) => (v as RecordView).record.body ?? notFound;
    if (text.startsWith('body.')) {
      const read = pathReader(text.slice('body.'.length), notFound);
      return (v) => read((v as RecordView).record.body);
    }
    return () => notFound;
  },
};
