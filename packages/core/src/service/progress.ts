import type { Receiver } from '../component.js';
import type { Telemetry } from './telemetry.js';
import { Counters } from './telemetry.js';

export interface ProgressOptions {
  telemetry: Telemetry;
  receivers: ReadonlyMap<string, Receiver>;
  stream: NodeJS.WriteStream;
  /** Between status lines when the stream is not a terminal; 0 disables them. */
  intervalMs: number;
}

function totals(telemetry: Telemetry): { received: number; exported: number; failed: number } {
  let received = 0;
  let exported = 0;
  let failed = 0;
  for (const { kind, values } of telemetry.snapshot()) {
    if (kind === 'receiver') {
      received += values[Counters.receiverAccepted] ?? 0;
      failed += (values[Counters.receiverFailed] ?? 0) + (values[Counters.receiverRefused] ?? 0);
    } else if (kind === 'exporter') {
      exported += values[Counters.exporterSent] ?? 0;
      failed += (values[Counters.exporterSendFailed] ?? 0) + (values[Counters.exporterEnqueueFailed] ?? 0);
    }
  }
  return { received, exported, failed };
}

function fraction(receivers: ReadonlyMap<string, Receiver>): number | undefined {
  let done = 0;
  let total = 0;
  for (const receiver of receivers.values()) {
    const p = receiver.progress?.();
    if (!p || p.total <= 0) return undefined;
    done += p.done;
    total += p.total;
  }
  return total > 0 ? Math.min(1, done / total) : undefined;
}

/**
 * Shows a long replay moving: a redrawn bar on a terminal, a periodic status line in logs.
 * Returns a stop function that clears the bar.
 */
export function startProgress(options: ProgressOptions): () => void {
  const { stream, telemetry, receivers } = options;
  const started = Date.now();
  const status = (): string => {
    const t = totals(telemetry);
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(t.received / secs) : 0;
    return `received ${t.received}, exported ${t.exported}, failed ${t.failed} (${rate}/s)`;
  };
  if (stream.isTTY) {
    const draw = (): void => {
      const f = fraction(receivers);
      const bar = f === undefined ? '' : `[${'#'.repeat(Math.round(f * 30)).padEnd(30, '.')}] ${(f * 100).toFixed(0).padStart(3)}% `;
      stream.write(`\r\x1b[2K${bar}${status()}`);
    };
    const timer = setInterval(draw, 200);
    timer.unref();
    return () => {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    };
  }
  if (options.intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    const f = fraction(receivers);
    stream.write(`progress: ${f === undefined ? '' : `${(f * 100).toFixed(0)}% read, `}${status()}\n`);
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
