import { expect } from 'chai';
import { renderSummary, startProgress, summarize, Telemetry, type Receiver } from '@oktel/core';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: '', write(chunk: string) { stream.text += chunk; return true; } };
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
    await new Promise((r) => setTimeout(r, 70));
    stop();
    expect(stream.text).to.match(/^progress: 25% read, received 90, exported 90, failed 3 \(\d+\/s\)\n/);
  });

  it('draws a bar on a terminal and clears it when stopped', async () => {
    const stream = fakeStream(true);
    const stop = startProgress({ telemetry, receivers: new Map([['file', receiver]]), stream, intervalMs: 0 });
    await new Promise((r) => setTimeout(r, 250));
    stop();
    expect(stream.text).to.contain('[########......................]  25% received 90');
    expect(stream.text.endsWith('\r\x1b[2K')).to.equal(true);
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
});
