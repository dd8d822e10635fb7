import type { Receiver } from '../component.js';
import type { Telemetry } from './telemetry.js';
import { Counters } from './telemetry.js';

export interface ProgressOptions {
  telemetry: Telemetry;
  receivers: ReadonlyMap<string, Receiver>;
  stream: NodeJS.WriteStream;
  /** Between status lines when the stream is not a terminal; 0 disables them. */
  intervalMs: number;
  /** Rates are computed over this recent window, not since start (default 10 s). */
  windowMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

interface Sample {
  t: number;
  received: number;
  /** exporter id → [sent, failed] */
  exporters: Map<string, [number, number]>;
}

function sample(telemetry: Telemetry, t: number): Sample & { failedIn: number } {
  let received = 0;
  let failedIn = 0;
  const exporters = new Map<string, [number, number]>();
  for (const { kind, id, values } of telemetry.snapshot()) {
    if (kind === 'receiver') {
      received += values[Counters.receiverAccepted] ?? 0;
      failedIn += (values[Counters.receiverFailed] ?? 0) + (values[Counters.receiverRefused] ?? 0);
    } else if (kind === 'exporter') {
      exporters.set(id, [values[Counters.exporterSent] ?? 0, (values[Counters.exporterSendFailed] ?? 0) + (values[Counters.exporterEnqueueFailed] ?? 0)]);
    }
  }
  return { t, received, exporters, failedIn };
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

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

function lagText(receivers: ReadonlyMap<string, Receiver>, now: number): string[] {
  const parts: string[] = [];
  for (const [id, receiver] of receivers) {
    const lag = receiver.lag?.();
    if (!lag) continue;
    const age = lag.newestEventTime === undefined ? undefined : formatAge(now - lag.newestEventTime);
    const newest = age === undefined ? 'no event yet' : `newest event ${age} old`;
    parts.push(`receiver ${id}: ${lag.caughtUp ? 'caught up' : 'catching up'}; ${newest}`);
  }
  return parts;
}

/**
 * Shows a run moving: a redrawn bar on a terminal, a periodic status line in logs. Rates are
 * over the last `windowMs` (an average since start decays on a live stream and hides a stall),
 * per exporter, and a live receiver says how far behind real time it is.
 * Returns a stop function that clears the bar.
 */
export function startProgress(options: ProgressOptions): () => void {
  const { stream, telemetry, receivers } = options;
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 10_000;
  const samples: Sample[] = [sample(telemetry, now())];
  const rate = (current: number, past: number, seconds: number): string => `${seconds > 0 ? Math.round(Math.max(0, current - past) / seconds) : 0}/s`;
  const status = (): string => {
    const current = sample(telemetry, now());
    while (samples.length > 1 && current.t - samples[1]!.t >= windowMs) samples.shift();
    const oldest = samples[0]!;
    const secs = (current.t - oldest.t) / 1000;
    samples.push(current);
    const parts = [
      `received ${current.received} (${rate(current.received, oldest.received, secs)})${current.failedIn > 0 ? `, ${current.failedIn} refused or malformed` : ''}`,
    ];
    for (const [id, [sent, failed]] of current.exporters) {
      const [pastSent] = oldest.exporters.get(id) ?? [0, 0];
      parts.push(`exporter ${id}: sent ${sent} (${rate(sent, pastSent, secs)}), failed ${failed}`);
    }
    parts.push(...lagText(receivers, current.t));
    return parts.join('; ');
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
