import { expect } from 'chai';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { DetectionLogRecordProcessor } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { waitUntil } from '@oktel/testkit';

// Here beside the pack: the processor package ships no rules, and these specifications need the Okta pack's.
describe('detection as an OpenTelemetry JS LogRecordProcessor', () => {
  it('tags Okta events emitted into a LoggerProvider and emits alerts through the alert logger', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const alertsProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const provider = new LoggerProvider({
      processors: [
        new DetectionLogRecordProcessor({ alertLogger: alertsProvider.getLogger('oktel-alerts'), config: { rules: [OKTA_RULES_DIR] } }),
        new SimpleLogRecordProcessor({ exporter }),
      ],
    });
    const logger = provider.getLogger('okta');
    const event = {
      uuid: 'u-1',
      published: '2026-11-20T10:00:00.000Z',
      eventType: 'app.generic.unauth_app_access_attempt',
      actor: { type: 'User', alternateId: 'sam@example.com' },
      outcome: { result: 'FAILURE' },
    };
    logger.emit({ timestamp: Date.parse(event.published), eventName: event.eventType, body: event });
    logger.emit({ timestamp: Date.parse(event.published), eventName: 'user.session.start', body: { ...event, uuid: 'u-2', eventType: 'user.session.start' } });
    await provider.forceFlush();
    await alertsProvider.forceFlush();
    // Read before shutdown: the in-memory exporter forgets its records when shut down.
    const records = exporter.getFinishedLogRecords();
    const raw = records.filter((r) => r.attributes['event.kind'] !== 'alert');
    expect(raw.map((r) => r.attributes['security_rule.uuid'])).to.deep.equal(['okta-unauthorized-app-access', undefined]);
    const alerts = records.filter((r) => r.attributes['event.kind'] === 'alert');
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.attributes['user.name']).to.equal('sam@example.com');
    expect(alerts[0]!.severityText).to.equal('LOW');
    await provider.shutdown();
    await alertsProvider.shutdown();
  });

  it('emits a stateful alert from the idle clock, without another record', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const alertsProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const t0 = Date.parse('2026-11-20T10:00:00.000Z');
    const clock = { now: t0 };
    const detection = new DetectionLogRecordProcessor({
      alertLogger: alertsProvider.getLogger('oktel-alerts'),
      config: { rules: [OKTA_RULES_DIR], idle_after: '200ms', allowed_lateness: '1m' },
      now: () => clock.now,
    });
    const provider = new LoggerProvider({ processors: [detection] });
    const logger = provider.getLogger('okta');
    // The shipped pack's ThreatInsight spike rule needs several events; a sign-in spray by one address does too.
    for (let i = 0; i < 12; i++) {
      const event = {
        uuid: `spray-${i}`,
        published: new Date(t0 + i * 1000).toISOString(),
        eventType: 'user.session.start',
        actor: { type: 'User', alternateId: `user${i}@example.com` },
        client: { ipAddress: '198.51.100.9' },
        outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
      };
      logger.emit({ timestamp: Date.parse(event.published), eventName: event.eventType, body: event });
    }
    await alertsProvider.forceFlush();
    expect(exporter.getFinishedLogRecords()).to.have.length(0);
    clock.now = t0 + 12_000 + 60_000 + 1_000;
    await waitUntil(
      () => exporter.getFinishedLogRecords().length > 0,
      5_000,
      () => 'the idle clock to emit the spray alert',
      20,
    );
    expect(exporter.getFinishedLogRecords()[0]!.attributes['client.address']).to.equal('198.51.100.9');
    await provider.shutdown();
    await alertsProvider.shutdown();
  });
});
