import { expect } from 'chai';
import { testSettings, waitForCount } from '@oktel/testkit';

describe('testkit waitForCount', () => {
  it('resolves once the counter reads the expected value', async () => {
    const settings = testSettings('exporter', 'counting');
    setTimeout(() => settings.telemetry.add('sent_log_records', 3), 20);
    await waitForCount(settings, 'sent_log_records', 3, 2000);
    expect(settings.telemetry.get('sent_log_records')).to.equal(3);
  });

  it('fails naming the counter, the value wanted and the value it stopped at', async () => {
    const settings = testSettings('exporter', 'counting');
    settings.telemetry.add('sent_log_records', 1);
    const error = await waitForCount(settings, 'sent_log_records', 2, 50).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).to.equal('timed out waiting for sent_log_records to reach 2 (now 1)');
  });
});
