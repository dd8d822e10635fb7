import { expect } from 'chai';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { filterConfigSchema, filterProcessorFactory, FILTERED_LOG_RECORDS } from '@oktel/processor-filter';
import { LogsSink, testSettings, fixture as loadFixture } from '@oktel/testkit';

const fixture = loadFixture('user-session-start.json') as OktaLogEvent;
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };
const event = (eventType: string, extra: Partial<OktaLogEvent> = {}) =>
  logEventToRecord({ ...fixture, ...extra, eventType, uuid: `${eventType}-${Math.random()}` }, context);

function processor(config: unknown) {
  const settings = testSettings('processor', 'filter');
  const sink = new LogsSink();
  return { settings, sink, filter: filterProcessorFactory.create(settings, filterConfigSchema.parse(config), sink) };
}

describe('filter processor', () => {
  it('drops records meeting any condition over event_name, body and resource, and counts them as filtered, not failed', async () => {
    const { settings, sink, filter } = processor({
      log_conditions: [
        { in: [{ var: 'event_name' }, ['policy.evaluate_sign_on', 'user.authentication.sso']] },
        { '==': [{ var: 'body.outcome.result' }, 'SKIPPED'] },
      ],
    });
    await filter.consume([
      event('policy.evaluate_sign_on'),
      event('user.session.start'),
      event('user.authentication.sso'),
      event('user.account.lock', { outcome: { result: 'SKIPPED', reason: null } } as Partial<OktaLogEvent>),
      event('user.mfa.factor.deactivate'),
    ]);
    expect(sink.records.map((r) => r.eventName)).to.deep.equal(['user.session.start', 'user.mfa.factor.deactivate']);
    expect(settings.telemetry.get(FILTERED_LOG_RECORDS)).to.equal(3);
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(0);
  });

  it('reads attributes and resource keys whole (dots included) and severity', async () => {
    const { sink, filter } = processor({
      log_conditions: [
        {
          and: [
            { '==': [{ var: 'resource.okta.domain' }, 'acme.okta.com'] },
            { '<': [{ var: 'severity_number' }, 13] },
            { '==': [{ var: 'attributes.okta.outcome.result' }, 'SUCCESS'] },
          ],
        },
      ],
    });
    const kept = event('user.session.start', { severity: 'WARN' } as Partial<OktaLogEvent>);
    await filter.consume([event('user.session.start'), kept]);
    expect(sink.records).to.deep.equal([kept]);
  });

  it('does not call the next consumer with an empty batch when everything is filtered', async () => {
    const { sink, filter } = processor({ log_conditions: [true] });
    await filter.consume([event('a'), event('b')]);
    expect(sink.batches).to.have.length(0);
  });

  it('keeps a record whose condition throws (error_mode ignore, counted), or fails the batch (propagate)', async () => {
    // A body whose field cannot be read stands for any record a condition fails on.
    const poisoned = {
      ...event('user.session.start'),
      body: Object.defineProperty({}, 'outcome', {
        enumerable: true,
        get: () => {
          throw new TypeError('unreadable');
        },
      }),
    };
    const config = { log_conditions: [{ '==': [{ var: 'body.outcome.result' }, 'SKIPPED'] }] };
    const ignore = processor(config);
    await ignore.filter.consume([poisoned, event('user.session.end')]);
    expect(ignore.sink.count).to.equal(2);
    expect(ignore.settings.telemetry.get('condition_errors')).to.equal(1);
    expect(ignore.settings.telemetry.get(FILTERED_LOG_RECORDS)).to.equal(0);
    const propagate = processor({ ...config, error_mode: 'propagate' });
    let failed: unknown;
    await propagate.filter.consume([poisoned]).catch((err: unknown) => (failed = err));
    expect((failed as { code?: string }).code).to.equal('ERR_FILTER_CONDITION');
    expect(propagate.sink.count).to.equal(0);
  });

  it('refuses a condition that does not compile, naming its index', () => {
    const bad = filterConfigSchema.safeParse({ log_conditions: [true, { no_such_operation: [1] }] });
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues[0]!.path).to.deep.equal(['log_conditions', 1]);
  });
});
