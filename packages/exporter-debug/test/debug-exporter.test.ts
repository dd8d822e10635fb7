import { expect } from 'chai';
import { createDebugExporter, debugExporterConfigSchema } from '@oktel/exporter-debug';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { testHost, testSettings, fixture as loadFixture } from '@oktel/testkit';

const fixture = loadFixture('user-session-start.json') as OktaLogEvent;
const context = { resource: oktaResource(), scope: { name: 'test' } };

async function print(config: Record<string, unknown>, batches: number): Promise<string> {
  let text = '';
  const exporter = createDebugExporter(testSettings('exporter', 'debug'), debugExporterConfigSchema.parse(config), { write: (t: string) => (text += t) });
  await exporter.start(testHost());
  for (let i = 0; i < batches; i++) await exporter.consume([logEventToRecord(fixture, context), logEventToRecord(fixture, context)]);
  await exporter.shutdown();
  return text;
}

describe('debug exporter', () => {
  it('prints one line per batch at basic verbosity', async () => {
    expect(await print({}, 1)).to.equal('LogsExporter #resource_logs=1 #log_records=2\n');
  });

  it('prints one line per record at normal verbosity', async () => {
    const lines = (await print({ verbosity: 'normal' }, 1)).trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^2026-11-20T14:03:27\.481Z INFO user\.session\.start .*user\.name=dana\.whitfield@example\.com/);
  });

  it('prints every field at detailed verbosity', async () => {
    const text = await print({ verbosity: 'detailed' }, 1);
    expect(text).to.contain('EventName: user.session.start');
    expect(text).to.contain('-> okta.outcome.result: SUCCESS');
    expect(text).to.contain('"rootSessionId":"idxR7kq2mNc4Z0aBcDeFgHiJk"');
  });

  it('samples within a second after the initial batches', async () => {
    const text = await print({ sampling_initial: 2, sampling_thereafter: 3 }, 8);
    // batches 1, 2 (initial), then 5 and 8 (every third after those)
    expect(text.trimEnd().split('\n')).to.have.length(4);
  });
});
