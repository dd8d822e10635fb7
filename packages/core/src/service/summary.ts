import type { ComponentKind } from '../component.js';
import { Counters, type Telemetry } from './telemetry.js';

export interface SummaryRow {
  kind: ComponentKind;
  id: string;
  in: number;
  out: number;
  failed: number;
}

/** Records in, out and failed per component, from the same counters Prometheus serves. */
export function summarize(telemetry: Telemetry): SummaryRow[] {
  const order: ComponentKind[] = ['receiver', 'processor', 'connector', 'exporter'];
  return telemetry
    .snapshot()
    .filter((c) => c.kind !== 'extension')
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
    .map(({ kind, id, values: v }) => {
      const n = (name: string): number => v[name] ?? 0;
      switch (kind) {
        case 'receiver': {
          const failed = n(Counters.receiverRefused) + n(Counters.receiverFailed);
          return { kind, id, in: n(Counters.receiverAccepted) + failed, out: n(Counters.receiverAccepted), failed };
        }
        case 'processor':
        case 'connector':
          return { kind, id, in: n(Counters.processorIncoming), out: n(Counters.processorOutgoing), failed: 0 };
        default: {
          const failed = n(Counters.exporterSendFailed) + n(Counters.exporterEnqueueFailed);
          return { kind, id, in: n(Counters.exporterSent) + failed, out: n(Counters.exporterSent), failed };
        }
      }
    });
}

export function renderSummary(rows: readonly SummaryRow[], elapsedMs: number): string {
  const header = ['component', 'in', 'out', 'failed'];
  const body = rows.map((r) => [`${r.kind} ${r.id}`, String(r.in), String(r.out), String(r.failed)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`Summary after ${(elapsedMs / 1000).toFixed(1)}s (records):`, line(header), ...body.map(line)].join('\n');
}
