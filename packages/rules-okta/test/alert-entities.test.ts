import { join } from 'node:path';
import { expect } from 'chai';
import type { LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { detectionConfigSchema, detectionProcessorFactory } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { LogsSink, testHost, testSettings } from '@oktel/testkit';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const dana = { type: 'User', alternateId: 'dana@example.com', id: '00u1', displayName: 'Dana' };
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };
let n = 0;
const record = (event: Record<string, unknown>, atMs: number): LogRecord =>
  logEventToRecord({ uuid: `uuid-${++n}`, published: new Date(atMs).toISOString(), severity: 'INFO', ...event } as unknown as OktaLogEvent, context);

describe('okta rule pack: alerts name who is attacked', () => {
  it('names the user in the verify-push mismatch alert, which is grouped by session', async () => {
    const push = (ip: string, at: number) =>
      record(
        {
          eventType: 'system.push.send_factor_verify_push',
          actor: dana,
          outcome: { result: 'SUCCESS' },
          client: { ipAddress: ip, geographicalContext: { country: 'Germany', city: 'Berlin' } },
          authenticationContext: { externalSessionId: 'idxS1' },
          debugContext: { debugData: { behaviors: '{New Device=POSITIVE, New IP=POSITIVE}' } },
        },
        T0 + at,
      );
    const answer = (ip: string, result: string, at: number) =>
      record(
        {
          eventType: 'user.authentication.auth_via_mfa',
          actor: dana,
          outcome: { result },
          client: { ipAddress: ip },
          authenticationContext: { externalSessionId: 'idxS1' },
          debugContext: { debugData: { factor: 'OKTA_VERIFY_PUSH' } },
        },
        T0 + at,
      );
    const sink = new LogsSink();
    const config = detectionConfigSchema.parse({ rules: [join(OKTA_RULES_DIR, 'okta-verify-push-source-response-mismatch.yaml')] });
    const processor = detectionProcessorFactory.create(testSettings('processor', 'detection'), config, sink);
    await processor.start(testHost());
    await processor.consume([
      push('198.51.100.10', 0),
      push('185.220.101.9', 1000),
      answer('198.51.100.10', 'SUCCESS', 2000),
      answer('185.220.101.9', 'FAILURE', 3000),
    ]);
    await processor.shutdown();
    const alerts = sink.records.filter((r) => r.attributes['event.kind'] === 'alert');
    expect(alerts).to.have.length(1);
    const alert = alerts[0]!;
    expect(alert.attributes).to.include({
      'session.id': 'idxS1',
      'user.name': 'dana@example.com',
      'user.id': '00u1',
      'oktel.alert.primary_entity.type': 'user.name',
      'oktel.alert.primary_entity.value': 'dana@example.com',
      'source.geo.country_iso_code': 'DE',
    });
    expect(alert.attributes['source.ip']).to.deep.equal(['198.51.100.10', '185.220.101.9']);
    expect(String(alert.body)).to.contain('(user dana@example.com)');
  });
});
