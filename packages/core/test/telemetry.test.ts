import { expect } from 'chai';
import { Telemetry } from '@oktel/core';

describe('self-telemetry', () => {
  it('creates a counter series at 0 when a component declares it with an add of 0, so rate() sees it before the first event', async () => {
    const telemetry = new Telemetry();
    telemetry.forComponent('processor', 'detection').add('idle_alerts', 0, 'Alerts emitted by the idle-source clock');
    const text = await telemetry.registry.metrics();
    expect(text).to.match(/^oktel_processor_idle_alerts_total\{processor="detection"\} 0$/m);
  });
});
