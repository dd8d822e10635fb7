import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { DetectionProcessor, detectionConfigSchema, type DetectionEngine } from '@oktel/processor-detection';
import type { LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings, waitUntil } from '@oktel/testkit';
import { record, writeRule } from './helpers.js';
import { correlatedRule, engineWith } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T02:00:00Z');
const sec = (s: number) => T0 + s * 1000;
const fail = (user: string, at: number, extra: Record<string, unknown> = {}) =>
  record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: user }, outcome: { result: 'FAILURE' }, ...extra }, at);
const alertsOf = (records: readonly LogRecord[]) => records.filter((r) => r.attributes['event.kind'] === 'alert');

/** A processing clock the test moves by hand. */
function manualClock(start: number) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

describe('detection: time keeps moving without events (idle source)', () => {
  const LATENESS = 60_000;
  const IDLE = 2_000;

  /** Feeds events as they happen (processing time = event time), then lets only the clock move. */
  function live(rule: ReturnType<typeof correlatedRule>, events: LogRecord[], at: number[]) {
    const clock = manualClock(at[0]!);
    const engine: DetectionEngine = engineWith(rule, { allowedLatenessMs: LATENESS, idleAfterMs: IDLE, now: clock.read });
    const alerts: LogRecord[] = [];
    events.forEach((e, i) => {
      clock.now = at[i]!;
      alerts.push(...engine.evaluate(e).alerts, ...engine.expired());
    });
    /** Moves the processing clock to `t` in one-second ticks, as the timer would; returns the alerts and when they came. */
    const runUntil = (t: number) => {
      const when: number[] = [];
      while (clock.now < t) {
        clock.now += 1000;
        for (const a of engine.expired()) {
          alerts.push(a);
          when.push(clock.now);
        }
      }
      return when;
    };
    return { engine, alerts, runUntil };
  }

  it('threshold: alerts within allowed_lateness + idle_after of the Nth event, with no further event', () => {
    const r = correlatedRule('type: threshold\nwindow: 10m\ncount: 3');
    const at = [sec(0), sec(20), sec(40)];
    const { alerts, runUntil } = live(
      r,
      at.map((t) => fail('dana', t)),
      at,
    );
    expect(alerts).to.deep.equal([]);
    const when = runUntil(sec(40) + LATENESS + IDLE + 1000);
    expect(when).to.have.length(1);
    expect(when[0]! - sec(40)).to.be.at.most(LATENESS + IDLE + 1000);
    expect(alerts[0]!.attributes['oktel.alert.event_count']).to.equal(3);
  });

  it('value_count: a password spray completing on a quiet night alerts without another event', () => {
    const r = correlatedRule('type: value_count\nwindow: 10m\nfield: actor.alternateId\ndistinct: 3', undefined, '[client.ipAddress]');
    const at = [sec(0), sec(5), sec(9)];
    const events = ['a', 'b', 'c'].map((u, i) => fail(u, at[i]!, { client: { ipAddress: '198.51.100.7' } }));
    const { alerts, runUntil } = live(r, events, at);
    const when = runUntil(sec(9) + LATENESS + IDLE + 1000);
    expect(when).to.have.length(1);
    expect(alerts[0]!.attributes['client.address']).to.equal('198.51.100.7');
  });

  it('sequence: push bombing then an accept alerts within allowed_lateness + idle_after', () => {
    const r = correlatedRule(`type: sequence
window: 10m
steps:
  - { name: denied, min_count: 2, match: { "==": [{ var: outcome.result }, "FAILURE"] } }
  - { name: accepted, match: { "==": [{ var: outcome.result }, "SUCCESS"] } }`);
    const at = [sec(0), sec(10), sec(30)];
    const events = [fail('dana', at[0]!), fail('dana', at[1]!), fail('dana', at[2]!, { outcome: { result: 'SUCCESS' } })];
    const { alerts, runUntil } = live(r, events, at);
    const when = runUntil(sec(30) + LATENESS + IDLE + 1000);
    expect(when).to.have.length(1);
    expect(when[0]! - sec(30)).to.be.at.most(LATENESS + IDLE + 1000);
    expect(alerts[0]!.attributes['oktel.alert.event_count']).to.equal(3);
  });

  it('aggregate: the window is judged within allowed_lateness + idle_after of its end', () => {
    const r = correlatedRule(`type: aggregate
window: 5m
aggregates:
  failures: { count: {} }
condition: { ">=": [{ var: failures }, 2] }`);
    const at = [sec(0), sec(60)];
    const { alerts, runUntil } = live(
      r,
      at.map((t) => fail('dana', t)),
      at,
    );
    const windowEnd = sec(300);
    const when = runUntil(windowEnd + LATENESS + IDLE + 1000);
    expect(when).to.have.length(1);
    expect(when[0]! - windowEnd).to.be.at.most(LATENESS + IDLE + 1000);
    expect(when[0]!).to.be.at.least(windowEnd);
    expect(alerts[0]!.attributes['oktel.alert.event_count']).to.equal(2);
  });

  it('stays silent without idleness (idle_after 0): the stall this clock removes', () => {
    const r = correlatedRule('type: threshold\nwindow: 10m\ncount: 3');
    const clock = manualClock(sec(40));
    const engine = engineWith(r, { allowedLatenessMs: LATENESS, idleAfterMs: 0, now: clock.read });
    for (const t of [sec(0), sec(20), sec(40)]) engine.evaluate(fail('dana', t));
    clock.now = sec(40) + 3_600_000;
    expect(engine.expired()).to.deep.equal([]);
  });

  describe('events stamped in the future', () => {
    const single = correlatedRule(undefined);

    it('do not drag event time forward, are counted, and do not silence later alerts', () => {
      const clock = manualClock(sec(0));
      const future: number[] = [];
      const engine = engineWith(single, {
        allowedLatenessMs: LATENESS,
        idleAfterMs: IDLE,
        now: clock.read,
        maxClockSkewMs: 5 * 60_000,
        suppressionWindowMs: 3_600_000,
        onFutureEvent: (ms) => future.push(ms),
      });
      engine.evaluate(fail('dana', sec(0)));
      // A record from a host whose clock runs a day ahead: it must not open a day-long window.
      const skewed = engine.evaluate(fail('dana', sec(0) + 86_400_000));
      expect(future).to.deep.equal([sec(0) + 86_400_000]);
      expect(engine.clockMs).to.equal(sec(0));
      expect(skewed.alerts).to.deep.equal([]); // inside the first alert's window, as if it happened now
      clock.now = sec(0) + 2 * 3_600_000;
      const later = engine.evaluate(fail('dana', clock.now)).alerts.filter((a) => a.attributes['oktel.alert.update'] === false);
      expect(later).to.have.length(1);
    });

    it('within max_clock_skew still move event time', () => {
      const clock = manualClock(sec(0));
      const engine = engineWith(single, { maxClockSkewMs: 5 * 60_000, now: clock.read });
      engine.evaluate(fail('dana', sec(120)));
      expect(engine.clockMs).to.equal(sec(120));
    });
  });
});

describe('detection processor: the idle-source timer', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  const ruleFile = () =>
    writeRule(
      dir.path,
      'spray.yaml',
      `id: spray
name: Spray
description: d
severity: high
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
correlate: { type: threshold, window: 10m, count: 2 }
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]
`,
    );

  it('emits a stateful alert from the timer alone when the injected clock moves, and clears the timer on shutdown', async () => {
    const clock = manualClock(sec(10));
    const sink = new LogsSink();
    const settings = testSettings('processor', 'detection');
    const config = detectionConfigSchema.parse({ rules: [ruleFile()], allowed_lateness: '1m', idle_after: '200ms' });
    const processor = new DetectionProcessor(settings, config, sink, { now: clock.read });
    await processor.start(testHost());
    await processor.consume([fail('dana', sec(0)), fail('dana', sec(10))]);
    expect(alertsOf(sink.records)).to.deep.equal([]);
    clock.now = sec(10) + 60_000 + 1_000;
    await waitUntil(
      () => alertsOf(sink.records).length === 1,
      5_000,
      () => 'the idle clock to emit the threshold alert',
      20,
    );
    expect(settings.telemetry.get('idle_alerts')).to.equal(1);
    expect(processor.idleTimerArmed).to.equal(true);
    await processor.shutdown();
    expect(processor.idleTimerArmed).to.equal(false);
  });

  it('counts and reports events stamped beyond max_clock_skew', async () => {
    const clock = manualClock(sec(0));
    const settings = testSettings('processor', 'detection');
    const processor = new DetectionProcessor(settings, detectionConfigSchema.parse({ rules: [ruleFile()], max_clock_skew: '5m' }), new LogsSink(), {
      now: clock.read,
    });
    await processor.start(testHost());
    await processor.consume([fail('dana', sec(0) + 86_400_000), fail('dana', sec(0) + 4 * 60_000)]);
    await processor.shutdown();
    expect(settings.telemetry.get('future_events')).to.equal(1);
    expect(settings.logs.text).to.include(`Event stamped ${new Date(sec(0) + 86_400_000).toISOString()}, 86400 s ahead of this host's clock`);
  });

  it('with the real wall clock: alerts within allowed_lateness + a few seconds, no event after, no shutdown', async function () {
    this.timeout(15_000);
    const sink = new LogsSink();
    const config = detectionConfigSchema.parse({ rules: [ruleFile()], allowed_lateness: '1s', idle_after: '500ms' });
    const processor = new DetectionProcessor(testSettings('processor', 'detection'), config, sink);
    await processor.start(testHost());
    try {
      const now = Date.now();
      await processor.consume([fail('dana', now - 200), fail('dana', now)]);
      const sent = Date.now();
      expect(alertsOf(sink.records)).to.deep.equal([]);
      await waitUntil(
        () => alertsOf(sink.records).length === 1,
        10_000,
        () => 'the alert from the wall clock moving',
        50,
      );
      // Not a timing assertion on speed: the alert cannot come before allowed_lateness has passed.
      expect(Date.now() - sent).to.be.at.least(900);
    } finally {
      await processor.shutdown();
    }
  });

  it('never keeps the process alive: a process that started the processor and never shut it down exits by itself', async function () {
    this.timeout(20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/idle-timer-child.ts', import.meta.url)), ruleFile()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(out).to.include('started with the idle timer armed');
    expect(code).to.equal(0);
  });
});
