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

export interface DeliveryOutcome {
  /** Records each exporter delivered, by exporter id. */
  readonly sent: ReadonlyMap<string, number>;
  /** Records an exporter gave up on (send_failed). */
  readonly sendFailed: number;
  /** Records an exporter could not queue (enqueue_failed: queue full). */
  readonly queueFull: number;
  /** Records the pipeline refused back to a receiver (an exporter or processor failed them). */
  readonly refused: number;
  /** Malformed input skipped by receivers: never became records; reported, not a delivery failure. */
  readonly malformed: number;
}

export function deliveryOutcome(telemetry: Telemetry): DeliveryOutcome {
  const sent = new Map<string, number>();
  let sendFailed = 0;
  let queueFull = 0;
  let refused = 0;
  let malformed = 0;
  for (const { kind, id, values } of telemetry.snapshot()) {
    const n = (name: string): number => values[name] ?? 0;
    if (kind === 'exporter') {
      sent.set(id, n(Counters.exporterSent));
      sendFailed += n(Counters.exporterSendFailed);
      queueFull += n(Counters.exporterEnqueueFailed);
    } else if (kind === 'receiver') {
      refused += n(Counters.receiverRefused);
      malformed += n(Counters.receiverFailed);
    }
  }
  return { sent, sendFailed, queueFull, refused, malformed };
}

/** True when records were lost: what makes a finite run exit non-zero. */
export function lostRecords(outcome: DeliveryOutcome): boolean {
  return outcome.sendFailed + outcome.queueFull + outcome.refused > 0;
}

/** One sentence for the end of the summary and the shutdown log, so both say the same. */
export function renderOutcome(outcome: DeliveryOutcome): string {
  const delivered = [...outcome.sent].map(([id, n]) => `exporter ${id} delivered ${n}`).join(', ') || 'no exporter';
  const parts = [`Result: ${delivered}`];
  if (outcome.malformed > 0) parts.push(`${outcome.malformed} malformed input skipped`);
  if (!lostRecords(outcome)) return `${parts.join('; ')}; nothing lost.`;
  const lost: string[] = [];
  if (outcome.sendFailed > 0) lost.push(`${outcome.sendFailed} failed to export`);
  if (outcome.queueFull > 0) lost.push(`${outcome.queueFull} dropped by a full queue`);
  // Refusals are usually the exporter failures above seen from the receiver; count them only when nothing else explains them.
  const refusedOnly = outcome.sendFailed + outcome.queueFull === 0;
  if (outcome.refused > 0 && refusedOnly) lost.push(`${outcome.refused} refused back to receivers`);
  const total = refusedOnly ? outcome.refused : outcome.sendFailed + outcome.queueFull;
  parts.push(`${total} records lost: ${lost.join(', ')}`);
  return `${parts.join('; ')}.`;
}
