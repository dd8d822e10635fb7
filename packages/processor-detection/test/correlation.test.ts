import { expect } from 'chai';
import { parse } from 'yaml';
import { compileRule, detectionConfigSchema, detectionProcessorFactory, DetectionEngine, ruleSchema, type CompiledRule } from '@oktel/processor-detection';
import { FileStorage, fileStorageConfigSchema } from '@oktel/extension-file-storage';
import type { LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings } from '@oktel/testkit';
import { record, writeRule } from './helpers.js';
import { SEQUENCE_RULE } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const min = (m: number) => T0 + m * 60_000;

function rule(correlate: string, match = '{ "==": [{ var: eventType }, "user.session.start"] }', groupBy = '[actor.alternateId]'): CompiledRule {
  const yaml = `id: test-rule
name: Test rule
description: d
severity: medium
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: ${match}
group_by: ${groupBy}
correlate:
${correlate.replace(/^/gm, '  ')}
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]`;
  return compileRule(ruleSchema.parse(parse(yaml)), 'inline.yaml');
}

function engine(r: CompiledRule, extra: Partial<ConstructorParameters<typeof DetectionEngine>[0]> = {}) {
  return new DetectionEngine({
    rules: [r],
    suppressionWindowMs: 1000,
    maxAlertEventUuids: 50,
    maxSuppressionEntries: 1000,
    errorMode: 'propagate',
    allowedLatenessMs: 0,
    ...extra,
  });
}

const login = (user: string, at: number, extra: Record<string, unknown> = {}) =>
  record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: user }, outcome: { result: 'FAILURE' }, ...extra }, at);
const counts = (alerts: LogRecord[]) => alerts.map((a) => a.attributes['oktel.alert.event_count']);

describe('detection: stateful rules', () => {
  describe('threshold', () => {
    const r = rule('type: threshold\nwindow: 10m\ncount: 3');

    it('fires at the Nth event inside the window, with its events as evidence', () => {
      const e = engine(r);
      const alerts = [login('a', min(0)), login('a', min(4)), login('a', min(9))].flatMap((x) => e.evaluate(x).alerts);
      expect(counts(alerts)).to.deep.equal([3]);
      expect(alerts[0]!.attributes['oktel.alert.event_uuids']).to.have.length(3);
      expect(alerts[0]!.attributes['user.name']).to.equal('a');
    });

    it('does not fire when the events straddle the window boundary', () => {
      const e = engine(r);
      const alerts = [login('a', min(0)), login('a', min(6)), login('a', min(10) + 1)].flatMap((x) => e.evaluate(x).alerts);
      expect(alerts).to.deep.equal([]);
    });

    it('counts per group', () => {
      const e = engine(r);
      const alerts = [login('a', min(0)), login('b', min(1)), login('a', min(2)), login('b', min(3))].flatMap((x) => e.evaluate(x).alerts);
      expect(alerts).to.deep.equal([]);
    });

    it('evicts the least recently used group beyond max_groups_per_rule, and counts it', () => {
      let evictions = 0;
      const pairs = rule('type: threshold\nwindow: 10m\ncount: 2');
      const e = engine(pairs, { maxGroupsPerRule: 2, onStateEvict: () => evictions++ });
      // c evicts a (used least recently); b's second event then fires, a's second starts over
      // (and evicts c, now the least recently used), and so does c's.
      const alerts = (
        [
          ['a', 0],
          ['b', 1],
          ['c', 2],
          ['b', 3],
          ['a', 4],
          ['c', 5],
        ] as const
      ).flatMap(([user, m]) => e.evaluate(login(user, min(m))).alerts);
      expect(alerts.map((a) => a.attributes['user.name'])).to.deep.equal(['b']);
      expect(evictions).to.equal(3);
      expect(e.stateSizes()['test-rule']).to.equal(2);
    });
  });

  it('value_count fires on N distinct values of a field per group', () => {
    const r = rule('type: value_count\nwindow: 5m\nfield: client.ipAddress\ndistinct: 3');
    const e = engine(r);
    const ips = ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.3'];
    const alerts = ips.flatMap((ip, i) => e.evaluate(login('a', min(i), { client: { ipAddress: ip } })).alerts);
    expect(counts(alerts)).to.deep.equal([3]);
  });

  describe('sequence', () => {
    const r = rule(
      `type: sequence
window: 10m
steps:
  - { name: denied, min_count: 2, match: { "==": [{ var: outcome.result }, "FAILURE"] } }
  - { name: success, match: { "==": [{ var: outcome.result }, "SUCCESS"] } }`,
      '{ "==": [{ var: eventType }, "user.session.start"] }',
    );
    const ok = (user: string, at: number) => login(user, at, { outcome: { result: 'SUCCESS' } });

    it('fires when the steps happen in order with their minimum counts', () => {
      const e = engine(r);
      expect(counts([login('a', min(0)), login('a', min(1)), ok('a', min(2))].flatMap((x) => e.evaluate(x).alerts))).to.deep.equal([3]);
    });

    it('does not fire when the window runs out before the last step', () => {
      const e = engine(r);
      expect([login('a', min(0)), login('a', min(1)), ok('a', min(11))].flatMap((x) => e.evaluate(x).alerts)).to.deep.equal([]);
    });

    it('puts out-of-order events back in event-time order within the allowed lateness', () => {
      // The second denial arrives after the success, but happened before it.
      const arrivals = () => [login('a', min(0)), ok('a', min(3)), login('a', min(1))];
      const inOrder = engine(r, { allowedLatenessMs: 5 * 60_000 });
      expect(counts([...arrivals().flatMap((x) => inOrder.evaluate(x).alerts), ...inOrder.flush()])).to.deep.equal([3]);
      const noLateness = engine(r, { allowedLatenessMs: 0 });
      expect([...arrivals().flatMap((x) => noLateness.evaluate(x).alerts), ...noLateness.flush()]).to.deep.equal([]);
    });

    it('does not fire when the minimum count of a step is not reached', () => {
      const e = engine(r);
      expect([login('a', min(0)), ok('a', min(1)), ok('a', min(2))].flatMap((x) => e.evaluate(x).alerts)).to.deep.equal([]);
    });
  });

  it('aggregate judges its condition when the window closes, or when the input ends', () => {
    const r = rule(`type: aggregate
window: 10m
aggregates:
  failures: { count: { match: { "==": [{ var: outcome.result }, "FAILURE"] } } }
  total: { count: {} }
  ips: { distinct: client.ipAddress }
condition: { and: [{ ">=": [{ var: failures }, 2] }, { ">": [{ var: ips }, 1] }] }`);
    const e = engine(r);
    const during = [login('a', min(0), { client: { ipAddress: '1.1.1.1' } }), login('a', min(1), { client: { ipAddress: '2.2.2.2' } })].flatMap(
      (x) => e.evaluate(x).alerts,
    );
    expect(during).to.deep.equal([]);
    const closed = e.evaluate(login('z', min(12))).alerts.concat(e.expired());
    expect(counts(closed)).to.deep.equal([2]);
    e.evaluate(login('b', min(20), { client: { ipAddress: '1.1.1.1' } }));
    e.evaluate(login('b', min(21), { client: { ipAddress: '3.3.3.3' } }));
    expect(counts(e.flush())).to.deep.equal([2]);
  });

  it('restores a half-built sequence after a restart through the storage extension', async () => {
    const dir = tempDir();
    try {
      const ruleFile = writeRule(dir.path, 'seq.yaml', SEQUENCE_RULE);
      const config = detectionConfigSchema.parse({ rules: [ruleFile], storage: 'file_storage', allowed_lateness: '0s' });
      const run = async (batch: LogRecord[]) => {
        const storage = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: `${dir.path}/state` }));
        await storage.start();
        const sink = new LogsSink();
        const processor = detectionProcessorFactory.create(testSettings('processor', 'detection'), config, sink);
        await processor.start(testHost({ file_storage: storage }));
        await processor.consume(batch);
        await processor.shutdown();
        return sink.records.filter((r) => r.attributes['event.kind'] === 'alert');
      };
      expect(await run([login('dana', min(0)), login('dana', min(1))])).to.deep.equal([]);
      const alerts = await run([login('dana', min(2), { outcome: { result: 'SUCCESS' } })]);
      expect(counts(alerts)).to.deep.equal([3]);
      expect(alerts[0]!.attributes['security_rule.uuid']).to.equal('seq-rule');
    } finally {
      dir.cleanup();
    }
  });
});
