import { expect } from 'chai';
import { renderOutcome, renderSummary, deliveryOutcome, startProgress, summarize, Telemetry, type Receiver } from '@oktel/core';
import { waitUntil } from '@oktel/testkit';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    isTTY,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress and summary', () => {
  const telemetry = new Telemetry();
  telemetry.forComponent('receiver', 'file').add('accepted_log_records', 90);
  telemetry.forComponent('receiver', 'file').add('failed_log_records', 3);
  telemetry.forComponent('exporter', 'debug').add('sent_log_records', 90);
  const receiver: Receiver = { start: async () => undefined, shutdown: async () => undefined, progress: () => ({ done: 50, total: 200, unit: 'bytes' }) };

  it('prints periodic one-line status with the share read when not on a terminal', async () => {
    const stream = fakeStream(false);
    const stop = startProgress({ telemetry, receivers: new Map([['file', receiver]]), stream, intervalMs: 20 });
    await waitUntil(
      () => stream.text.includes('\n'),
      5_000,
      () => 'a status line',
      10,
    );
    stop();
    expect(stream.text).to.match(/^progress: 25% read, received 90 \(\d+\/s\), 3 refused or malformed; exporter debug: sent 90 \(\d+\/s\), failed 0\n/);
  });

  it('draws a bar on a terminal and clears it when stopped', async () => {
    const stream = fakeStream(true);
    const stop = startProgress({ telemetry, receivers: new Map([['file', receiver]]), stream, intervalMs: 0 });
    await waitUntil(
      () => stream.text.includes('received 90'),
      5_000,
      () => 'a drawn bar',
      10,
    );
    stop();
    expect(stream.text).to.contain('[########......................]  25% received 90');
    expect(stream.text.endsWith('\r\x1b[2K')).to.equal(true);
  });

  it('shows the rate of the recent window per exporter, not the average since start', async () => {
    const live = new Telemetry();
    const received = live.forComponent('receiver', 'okta');
    const otlp = live.forComponent('exporter', 'otlp_http');
    const file = live.forComponent('exporter', 'file');
    let now = 0;
    const stream = fakeStream(false);
    // A burst at the start, then a steady 5/s: an average since start would still say ~50/s at t=100s.
    received.add('accepted_log_records', 5_000);
    otlp.add('sent_log_records', 5_000);
    const stop = startProgress({ telemetry: live, receivers: new Map(), stream, intervalMs: 5, windowMs: 10_000, now: () => now });
    for (let t = 1; t <= 100; t++) {
      now = t * 1000;
      received.add('accepted_log_records', 5);
      otlp.add('sent_log_records', 5);
      if (t % 10 === 0) {
        const lines = stream.text.split('\n').length;
        await waitUntil(
          () => stream.text.split('\n').length > lines,
          5_000,
          () => 'a status line',
          1,
        );
      }
    }
    stop();
    const last = stream.text.trimEnd().split('\n').at(-1)!;
    expect(last).to.contain('received 5500 (5/s)');
    expect(last).to.contain('exporter otlp_http: sent 5500 (5/s), failed 0; exporter file: sent 0 (0/s), failed 0');
    void file;
  });

  it('says how far behind real time a live receiver is', async () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    const okta: Receiver = { start: async () => undefined, shutdown: async () => undefined, lag: () => ({ newestEventTime: now - 8_000, caughtUp: true }) };
    const behind: Receiver = {
      start: async () => undefined,
      shutdown: async () => undefined,
      lag: () => ({ newestEventTime: now - 3 * 3_600_000, caughtUp: false }),
    };
    const stream = fakeStream(false);
    const stop = startProgress({
      telemetry: new Telemetry(),
      receivers: new Map([
        ['okta', okta],
        ['okta/backfill', behind],
      ]),
      stream,
      intervalMs: 5,
      now: () => now,
    });
    await waitUntil(
      () => stream.text.includes('\n'),
      5_000,
      () => 'a status line',
      5,
    );
    stop();
    expect(stream.text).to.contain('receiver okta: caught up; newest event 8s old; receiver okta/backfill: catching up; newest event 3h old');
  });

  it('summarizes records in, out and failed per component, receivers first', () => {
    const text = renderSummary(summarize(telemetry), 1500);
    expect(text.split('\n')).to.deep.equal([
      'Summary after 1.5s (records):',
      'component       in  out  failed',
      'receiver file   93   90       3',
      'exporter debug  90   90       0',
    ]);
  });

  it('states the outcome: what was delivered, and what was lost and how', () => {
    expect(renderOutcome(deliveryOutcome(telemetry))).to.equal('Result: exporter debug delivered 90; 3 malformed input skipped; nothing lost.');
    const lossy = new Telemetry();
    lossy.forComponent('exporter', 'otlp').add('sent_log_records', 10);
    lossy.forComponent('exporter', 'otlp').add('send_failed_log_records', 4);
    lossy.forComponent('exporter', 'otlp').add('enqueue_failed_log_records', 2);
    expect(renderOutcome(deliveryOutcome(lossy))).to.equal(
      'Result: exporter otlp delivered 10; 6 records lost: 4 failed to export, 2 dropped by a full queue.',
    );
  });
});
