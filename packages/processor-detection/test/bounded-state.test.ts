import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { detectionConfigSchema, DetectionProcessor } from '@oktel/processor-detection';
import { FileStorage, fileStorageConfigSchema } from '@oktel/extension-file-storage';
import type { LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { LogsSink, tempDir, testHost, testSettings } from '@oktel/testkit';
import { record, writeRule } from './helpers.js';
import { correlatedRule, engineWith, SEQUENCE_RULE } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const min = (m: number) => T0 + m * 60_000;
const fail = (user: string, at: number, extra: Record<string, unknown> = {}) =>
  record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: user }, outcome: { result: 'FAILURE' }, ...extra }, at);
const alertsOf = (records: readonly LogRecord[]) => records.filter((r) => r.attributes['event.kind'] === 'alert');

let n = 0;
/** The same sign-in failure, from the org `domain` (the okta receiver sets okta.domain on the resource). */
function failIn(domain: string, user: string, at: number): LogRecord {
  n++;
  const event = {
    uuid: `org-${n}`,
    published: new Date(at).toISOString(),
    severity: 'INFO',
    eventType: 'user.session.start',
    actor: { type: 'User', alternateId: user },
    outcome: { result: 'FAILURE' },
  } as unknown as OktaLogEvent;
  return logEventToRecord(event, { resource: oktaResource({ domain }), scope: { name: 'test' } });
}

describe('detection: many orgs, no cross-talk', () => {
  it('never correlates the same user name across two orgs, and names the org on the alert', () => {
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 10m\ncount: 3'));
    const alerts = [
      failIn('acme.okta.com', 'dana', min(0)),
      failIn('globex.okta.com', 'dana', min(1)),
      failIn('acme.okta.com', 'dana', min(2)),
      failIn('globex.okta.com', 'dana', min(3)),
    ].flatMap((r) => engine.evaluate(r).alerts);
    expect(alerts).to.deep.equal([]);
    const third = engine.evaluate(failIn('globex.okta.com', 'dana', min(4))).alerts;
    expect(third).to.have.length(1);
    expect(third[0]!.attributes['okta.domain']).to.equal('globex.okta.com');
    expect(third[0]!.resource.attributes['okta.domain']).to.equal('globex.okta.com');
  });

  it('suppresses per org: the same user alerting in two orgs gives two alerts', () => {
    const engine = engineWith(correlatedRule(undefined), { suppressionWindowMs: 3_600_000 });
    const alerts = [failIn('acme.okta.com', 'dana', min(0)), failIn('globex.okta.com', 'dana', min(1)), failIn('acme.okta.com', 'dana', min(2))].flatMap(
      (r) => engine.evaluate(r).alerts,
    );
    expect(alerts.map((a) => a.attributes['okta.domain'])).to.deep.equal(['acme.okta.com', 'globex.okta.com']);
  });

  it('correlates across orgs only when group_by_org is off', () => {
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 10m\ncount: 2'), { groupByOrg: false });
    const alerts = [failIn('acme.okta.com', 'dana', min(0)), failIn('globex.okta.com', 'dana', min(1))].flatMap((r) => engine.evaluate(r).alerts);
    expect(alerts).to.have.length(1);
  });
});

describe('detection: bounded state', () => {
  it('caps the reorder buffer in events: the oldest is correlated early, and counted', () => {
    let overflows = 0;
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 10m\ncount: 1000'), {
      allowedLatenessMs: 3_600_000,
      maxBufferedEvents: 10,
      onBufferOverflow: () => overflows++,
    });
    for (let i = 0; i < 100; i++) engine.evaluate(fail(`u${i}`, min(0) + i));
    expect(engine.bufferedEvents).to.equal(10);
    expect(overflows).to.equal(90);
  });

  it('caps the reorder buffer in bytes', () => {
    let overflows = 0;
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 10m\ncount: 1000'), {
      allowedLatenessMs: 3_600_000,
      maxBufferedBytes: 2_000,
      onBufferOverflow: () => overflows++,
    });
    for (let i = 0; i < 100; i++) engine.evaluate(fail(`user-${i}@example.com`, min(0) + i));
    expect(engine.bufferedEvents).to.be.below(20);
    expect(overflows).to.be.above(80);
  });

  it('keeps the expiry heaps bounded by the live groups when groups are evicted over and over', () => {
    const engine = engineWith([correlatedRule('type: threshold\nwindow: 1h\ncount: 5'), correlatedRule(undefined, undefined, undefined, 'single-rule')], {
      maxGroupsPerRule: 100,
      maxSuppressionEntries: 100,
      suppressionWindowMs: 3_600_000,
    });
    for (let i = 0; i < 20_000; i++) engine.evaluate(fail(`u${i}`, min(0) + i));
    expect(engine.stateSizes()['test-rule']).to.equal(100);
    expect(engine.heapEntries).to.be.at.most(2 * (2 * 100 + 1024));
  });

  it('keeps at most max_alert_event_uuids uuids per group, however many events', () => {
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 1h\ncount: 1000'), { maxAlertEventUuids: 5 });
    for (let i = 0; i < 500; i++) engine.evaluate(fail('dana', min(0) + i));
    const [, state] = engine.snapshot().rules[0]!;
    const [, group] = state.groups[0]! as [string, { times: number[]; uuids: string[] }];
    expect(group.uuids).to.have.length(5);
    expect(group.times).to.have.length(500);
  });

  it('keeps running aggregates, not events: an aggregate group stays small whatever its event count', () => {
    const engine = engineWith(
      correlatedRule(`type: aggregate
window: 1h
aggregates:
  total: { count: {} }
  ips: { distinct: client.ipAddress }
condition: { ">": [{ var: total }, 100000] }`),
      { maxAlertEventUuids: 5, maxDistinctPerGroup: 10 },
    );
    for (let i = 0; i < 5_000; i++) engine.evaluate(fail('dana', min(0) + i, { client: { ipAddress: `10.0.${i >> 8}.${i & 255}` } }));
    expect(JSON.stringify(engine.snapshot()).length).to.be.below(1_000);
  });

  it('refuses absurd windows and counts at load, naming the file', () => {
    const dir = tempDir();
    try {
      const rule = (id: string, correlate: string) => `id: ${id}
name: Big
description: d
severity: low
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
correlate: ${correlate}
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]
`;
      const century = writeRule(dir.path, 'century.yaml', rule('century-rule', '{ type: threshold, window: 36500d, count: 3 }'));
      const huge = writeRule(dir.path, 'huge.yaml', rule('huge-rule', '{ type: threshold, window: 1h, count: 100000000 }'));
      const result = detectionConfigSchema.safeParse({ rules: [century, huge] });
      expect(result.success).to.equal(false);
      const messages = result.error!.issues.map((i) => i.message);
      expect(messages).to.include(`${century}: rule century-rule: correlate.window 36500d is longer than max_window (30d)`);
      expect(messages).to.include(`${huge}: rule huge-rule: correlate.count 100000000 is more than max_items_per_group (1000)`);
    } finally {
      dir.cleanup();
    }
  });

  it('logs evictions, at most once a minute, as well as counting them', async () => {
    const dir = tempDir();
    try {
      const file = writeRule(
        dir.path,
        't.yaml',
        `id: tee-rule
name: T
description: d
severity: low
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
correlate: { type: threshold, window: 1h, count: 5 }
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]
`,
      );
      const settings = testSettings('processor', 'detection');
      const processor = new DetectionProcessor(
        settings,
        detectionConfigSchema.parse({ rules: [file], max_groups_per_rule: 2, allowed_lateness: '0s', idle_after: '0s' }),
        new LogsSink(),
      );
      await processor.start(testHost());
      await processor.consume(Array.from({ length: 50 }, (_, i) => fail(`u${i}`, min(0) + i)));
      await processor.shutdown();
      expect(settings.telemetry.get('state_evictions')).to.equal(48);
      expect(settings.logs.lines.filter((l) => l.includes('evicted to stay within max_groups_per_rule'))).to.have.length(1);
    } finally {
      dir.cleanup();
    }
  });
});

describe('detection: saved state is untrusted input', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  const ruleFile = () => writeRule(dir.path, 'seq.yaml', SEQUENCE_RULE);

  async function run(batch: LogRecord[], extra: Record<string, unknown> = {}) {
    const storage = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: `${dir.path}/state` }));
    await storage.start();
    const sink = new LogsSink();
    const settings = testSettings('processor', 'detection');
    const processor = new DetectionProcessor(
      settings,
      detectionConfigSchema.parse({ rules: [ruleFile()], storage: 'file_storage', allowed_lateness: '0s', idle_after: '0s', ...extra }),
      sink,
    );
    await processor.start(testHost({ file_storage: storage }));
    await processor.consume(batch);
    await processor.shutdown();
    await storage.shutdown?.();
    return { alerts: alertsOf(sink.records), settings };
  }
  const stateDir = () => join(dir.path, 'state', readdirSync(join(dir.path, 'state')).find((d) => d.startsWith('processor_'))!);
  const stateFile = () => join(stateDir(), 'correlation-state');

  for (const [what, text] of [
    ['a file that is not JSON', '{"version":2,"clockMs":'],
    ['a __proto__ key at the top', '{"__proto__":{"polluted":true},"version":2,"clockMs":null,"rules":[]}'],
    ['the wrong shape', '{"version":2,"clockMs":null,"rules":[["seq-rule",{"watermark":null,"buffer":"x","groups":[]}]]}'],
  ] as const) {
    it(`sets aside ${what} with a warning naming the file, and starts with empty state`, async () => {
      await run([fail('dana', min(0))]);
      writeFileSync(stateFile(), text);
      const { alerts, settings } = await run([fail('dana', min(1)), fail('dana', min(2)), fail('dana', min(3), { outcome: { result: 'SUCCESS' } })]);
      expect(alerts.map((a) => a.attributes['oktel.alert.event_count'])).to.deep.equal([3]);
      expect(settings.telemetry.get('state_files_set_aside')).to.equal(1);
      expect(settings.logs.text).to.include(`Correlation state ${stateFile()} was set aside as ${stateFile()}.rejected-`);
      expect(readdirSync(stateDir()).some((f) => f.startsWith('correlation-state.rejected-'))).to.equal(true);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }

  it('keeps a correlator working when group keys and rule ids in the file are "__proto__"', async () => {
    await run([fail('dana', min(0))]);
    const saved = JSON.parse(readFileSync(stateFile(), 'utf8')) as { rules: [string, { groups: [string, unknown][] }][] };
    saved.rules.push(['__proto__', { watermark: null, buffer: [], groups: [] } as never]);
    saved.rules[0]![1].groups.push(['__proto__', { at: 0, counts: [1, 0], firstMs: min(0), lastMs: min(0), total: 1, uuids: ['x'] }]);
    writeFileSync(stateFile(), JSON.stringify(saved));
    const { alerts, settings } = await run([fail('dana', min(1)), fail('dana', min(2), { outcome: { result: 'SUCCESS' } })]);
    expect(alerts.map((a) => a.attributes['oktel.alert.event_count'])).to.deep.equal([3]);
    expect(settings.telemetry.get('state_files_set_aside')).to.equal(0);
  });

  it('sets aside a file larger than max_state_bytes, and never writes one', async () => {
    const many = Array.from({ length: 200 }, (_, i) => fail(`user-${i}`, min(0) + i));
    const { settings } = await run(many, { max_state_bytes: '4KiB' });
    expect(readFileSync(stateFile()).length).to.be.at.most(4096);
    expect(settings.telemetry.get('state_groups_dropped')).to.be.above(0);
    writeFileSync(stateFile(), 'x'.repeat(5000));
    const second = await run([], { max_state_bytes: '4KiB' });
    expect(second.settings.telemetry.get('state_files_set_aside')).to.equal(1);
  });
});
