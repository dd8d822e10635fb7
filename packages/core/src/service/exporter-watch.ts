import type { ComponentStatus, StatusEvent } from '../component.js';
import { Counters, type ComponentTelemetry } from './telemetry.js';

interface Track {
  sent: number;
  failed: number;
  /** First failure with no successful send after it. */
  failingSince: number | undefined;
  reported: boolean;
}

/**
 * Turns an exporter that keeps failing into a visible status: when its sends have all failed
 * (send_failed or enqueue_failed grew, or records waited in its queue, and sent did not grow)
 * for `timeoutMs`, it is reported
 * recoverable_error, and ok again on its next successful send. Works from the standard
 * counters, so every exporter gets it without code of its own; a status the exporter reported
 * itself is left alone.
 */
export class ExporterFailureWatch {
  readonly #tracks = new Map<string, Track>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly exporters: ReadonlyMap<string, ComponentTelemetry>,
    private readonly timeoutMs: number,
    private readonly report: (componentId: string, event: StatusEvent) => void,
    private readonly current: (componentId: string) => ComponentStatus | undefined,
    private readonly now: () => number = Date.now,
  ) {
    for (const [id, telemetry] of exporters) this.#tracks.set(id, { ...this.#read(telemetry), failingSince: undefined, reported: false });
    this.#timer = setInterval(() => this.check(), Math.max(10, Math.min(1000, Math.floor(timeoutMs / 4))));
    this.#timer.unref();
  }

  #read(telemetry: ComponentTelemetry): { sent: number; failed: number } {
    return { sent: telemetry.get(Counters.exporterSent), failed: telemetry.get(Counters.exporterSendFailed) + telemetry.get(Counters.exporterEnqueueFailed) };
  }

  check(): void {
    const now = this.now();
    for (const [id, telemetry] of this.exporters) {
      const track = this.#tracks.get(id)!;
      const { sent, failed } = this.#read(telemetry);
      const key = `exporter/${id}`;
      if (sent > track.sent) {
        track.failingSince = undefined;
        if (track.reported && this.current(key) === 'recoverable_error') this.report(key, { status: 'ok' });
        track.reported = false;
      } else if (failed > track.failed || telemetry.get(Counters.exporterQueueSize) > 0) {
        // Failing sends, or records waiting in the queue while nothing goes out (an exporter
        // that retries forever never counts a failure).
        track.failingSince ??= now;
      }
      track.sent = sent;
      track.failed = failed;
      if (track.failingSince !== undefined && !track.reported && now - track.failingSince >= this.timeoutMs && this.current(key) === 'ok') {
        track.reported = true;
        const queued = telemetry.get(Counters.exporterQueueSize);
        this.report(key, {
          status: 'recoverable_error',
          reason: `no record delivered for ${Math.round((now - track.failingSince) / 1000)}s; ${failed} failed so far${queued > 0 ? `, ${queued} waiting in the queue` : ''} (service.telemetry.health.exporter_failure_timeout)`,
        });
      }
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
