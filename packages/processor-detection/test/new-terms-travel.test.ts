import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { detectionConfigSchema, detectionProcessorFactory, lintRules } from '@oktel/processor-detection';
import { FileStorage, fileStorageConfigSchema } from '@oktel/extension-file-storage';
import type { LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings, waitUntil } from '@oktel/testkit';
import { record, writeRule } from './helpers.js';
import { correlatedRule, engineWith } from './stateful-helpers.js';
import { greatCircleKm } from '../src/correlation/geo.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

const signIn = (user: string, at: number, client: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  record(
    {
      eventType: 'user.session.start',
      actor: { type: 'User', alternateId: user, id: `id-${user}` },
      outcome: { result: 'SUCCESS' },
      client,
      ...extra,
    } as never,
    at,
  );
const fromCountry = (user: string, at: number, country: string) => signIn(user, at, { ipAddress: '198.51.100.1', geographicalContext: { country } });

const NEW_COUNTRY = 'type: new_terms\nfields: [client.geographicalContext.country]\nhistory_window: 30d\nlearning_period: 7d';
const alertsOf = (engine: ReturnType<typeof engineWith>, records: LogRecord[]) => [...records.flatMap((r) => engine.evaluate(r).alerts), ...engine.expired()];

describe('detection: new_terms', () => {
  it('alerts on the first sign-in of a user from a country after the learning period, naming the country', () => {
    const engine = engineWith(correlatedRule(NEW_COUNTRY));
    const alerts = alertsOf(engine, [
      fromCountry('dana', T0, 'Germany'),
      fromCountry('dana', T0 + 8 * DAY, 'Germany'),
      fromCountry('dana', T0 + 9 * DAY, 'Brazil'),
    ]);
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.attributes).to.include({
      'okta.client.geographicalContext.country': 'Brazil',
      'oktel.alert.new_terms.known_terms': 1,
      'user.name': 'dana',
    });
    expect(String(alerts[0]!.body)).to.contain('first seen with client.geographicalContext.country=Brazil within 30d');
  });

  it('learns silently during the learning period', () => {
    const engine = engineWith(correlatedRule(NEW_COUNTRY));
    const alerts = alertsOf(engine, [
      fromCountry('dana', T0, 'Germany'),
      fromCountry('dana', T0 + DAY, 'Brazil'),
      fromCountry('sam', T0 + 2 * DAY, 'France'),
      fromCountry('dana', T0 + 8 * DAY, 'Brazil'),
    ]);
    expect(alerts).to.have.length(0);
  });

  it('alerts again on a value last seen longer ago than the history window, never on one seen within it', () => {
    const engine = engineWith(correlatedRule(NEW_COUNTRY));
    const within = alertsOf(engine, [
      fromCountry('dana', T0, 'Brazil'),
      fromCountry('dana', T0 + 8 * DAY, 'Germany'),
      fromCountry('dana', T0 + 30 * DAY, 'Brazil'),
    ]);
    expect(within.map((a) => a.attributes['okta.client.geographicalContext.country'])).to.deep.equal(['Germany']);
    const after = alertsOf(engine, [fromCountry('dana', T0 + 61 * DAY, 'Brazil')]);
    expect(after.map((a) => a.attributes['okta.client.geographicalContext.country'])).to.deep.equal(['Brazil']);
  });

  it('keys on a combination of fields, and takes an absent value for no term', () => {
    const engine = engineWith(
      correlatedRule('type: new_terms\nfields: [client.geographicalContext.country, client.userAgent.os]\nhistory_window: 30d\nlearning_period: 1d'),
    );
    const at = (ms: number, country: string, os: unknown) =>
      signIn('dana', ms, { ipAddress: '198.51.100.1', geographicalContext: { country }, userAgent: { os } });
    const alerts = alertsOf(engine, [
      at(T0, 'Germany', 'Mac OS X'),
      at(T0 + 2 * DAY, 'Germany', 'Mac OS X'),
      at(T0 + 2 * DAY + 1, 'Germany', 'Windows'),
      at(T0 + 2 * DAY + 2, 'Germany', 'unknown'),
    ]);
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.attributes['oktel.alert.new_terms.values']).to.deep.equal(['Germany', 'Windows']);
  });

  it('keeps at most max_terms_per_entity terms, forgetting the least recently seen', () => {
    let evicted = 0;
    const engine = engineWith(correlatedRule(`${NEW_COUNTRY}\nmax_terms_per_entity: 2`), { onTermEvict: () => evicted++ });
    const alerts = alertsOf(engine, [
      fromCountry('dana', T0, 'A'),
      fromCountry('dana', T0 + 1, 'B'),
      fromCountry('dana', T0 + 2, 'C'),
      fromCountry('dana', T0 + 8 * DAY, 'A'),
    ]);
    expect(evicted).to.equal(2);
    expect(alerts.map((a) => a.attributes['okta.client.geographicalContext.country'])).to.deep.equal(['A']);
    expect(engine.snapshot().rules[0]![1].groups[0]![1]).to.deep.equal({
      terms: [
        ['C', T0 + 2],
        ['A', T0 + 8 * DAY],
      ],
    });
  });

  it('drops an entity once all its terms left the history window', () => {
    const engine = engineWith(correlatedRule(NEW_COUNTRY));
    alertsOf(engine, [fromCountry('dana', T0, 'Germany'), fromCountry('sam', T0 + 31 * DAY, 'Germany')]);
    expect(engine.stateSizes()['test-rule']).to.equal(1);
  });

  it('refuses more than three fields and a history window beyond max_window', () => {
    expect(() => correlatedRule('type: new_terms\nfields: [a, b, c, d]\nhistory_window: 30d')).to.throw(/at most three fields/);
    const dir = tempDir();
    try {
      const file = writeRule(dir.path, 'r.yaml', ruleYaml('long', 'correlate: { type: new_terms, fields: [client.ipAddress], history_window: 90d }'));
      const parsed = detectionConfigSchema.safeParse({ rules: [file] });
      expect(parsed.success).to.equal(false);
      expect(String(parsed.error)).to.contain('correlate.history_window 90d is longer than max_window (30d)');
    } finally {
      dir.cleanup();
    }
  });

  it('neither re-learns nor re-alerts after a restart through the storage extension', async () => {
    const dir = tempDir();
    try {
      const file = writeRule(
        dir.path,
        'r.yaml',
        ruleYaml('new-country', `correlate: { type: new_terms, fields: [client.geographicalContext.country], history_window: 30d, learning_period: 7d }`),
      );
      const alerts = await runWithStorage(dir.path, file, [
        [fromCountry('dana', T0, 'Germany')],
        [fromCountry('dana', T0 + 8 * DAY, 'Germany'), fromCountry('dana', T0 + 8 * DAY + 1000, 'Brazil')],
        [fromCountry('dana', T0 + 9 * DAY, 'Brazil'), fromCountry('dana', T0 + 9 * DAY + 1, 'Germany')],
      ]);
      // Run 1 learns Germany; run 2 is past the learning period (saved) and alerts on Brazil only; run 3 knows both.
      expect(alerts.map((batch) => batch.map((a) => a.attributes['okta.client.geographicalContext.country']))).to.deep.equal([[], ['Brazil'], []]);
    } finally {
      dir.cleanup();
    }
  });
});

const berlin = { ipAddress: '198.51.100.1', geographicalContext: { city: 'Berlin', country: 'Germany', geolocation: { lat: 52.52, lon: 13.405 } } };
const saoPaulo = { ipAddress: '203.0.113.9', geographicalContext: { city: 'Sao Paulo', country: 'Brazil', geolocation: { lat: -23.5505, lon: -46.6333 } } };
const potsdam = { ipAddress: '198.51.100.2', geographicalContext: { city: 'Potsdam', country: 'Germany', geolocation: { lat: 52.3906, lon: 13.0645 } } };
const TRAVEL = 'type: impossible_travel';

describe('detection: impossible_travel', () => {
  it('measures great-circle distances', () => {
    // Published great-circle distances: London–New York 5,570 km, Berlin–São Paulo 10,250 km.
    expect(Math.round(greatCircleKm(51.5074, -0.1278, 40.7128, -74.006))).to.be.within(5560, 5580);
    expect(Math.round(greatCircleKm(52.52, 13.405, -23.5505, -46.6333))).to.be.within(10_240, 10_260);
    expect(greatCircleKm(10, 20, 10, 20)).to.equal(0);
  });

  it('alerts when consecutive sign-ins imply a speed above the threshold, with both places, distance and speed', () => {
    const engine = engineWith(correlatedRule(TRAVEL));
    const alerts = alertsOf(engine, [signIn('dana', T0, berlin), signIn('dana', T0 + 2 * HOUR, saoPaulo)]);
    expect(alerts).to.have.length(1);
    const a = alerts[0]!.attributes;
    expect(a).to.include({
      'oktel.alert.travel.from.place': 'Berlin, Germany',
      'oktel.alert.travel.to.place': 'Sao Paulo, Brazil',
      'oktel.alert.travel.to.address': '203.0.113.9',
      'user.name': 'dana',
      'oktel.alert.event_count': 2,
    });
    expect(a['oktel.alert.travel.speed_kmh'] as number).to.be.within(5120, 5130);
    expect(String(alerts[0]!.body)).to.match(/Berlin, Germany to Sao Paulo, Brazil: 102\d\d km in 2\.0 h \(51\d\d km\/h\)/);
  });

  it('stays silent when the journey was possible (near miss: the same trip in 13 hours)', () => {
    const engine = engineWith(correlatedRule(TRAVEL));
    expect(alertsOf(engine, [signIn('dana', T0, berlin), signIn('dana', T0 + 13 * HOUR, saoPaulo)])).to.have.length(0);
  });

  it('ignores distances under min_distance_km, however fast (coarse geolocation)', () => {
    const engine = engineWith(correlatedRule(TRAVEL));
    expect(alertsOf(engine, [signIn('dana', T0, berlin), signIn('dana', T0 + 60_000, potsdam)])).to.have.length(0);
  });

  it('skips sign-ins Okta flags as proxied, unless told not to', () => {
    const proxied = () => [
      signIn('dana', T0, berlin),
      signIn('dana', T0 + HOUR, saoPaulo, { securityContext: { isProxy: true } }),
      signIn('dana', T0 + 2 * HOUR, saoPaulo, { debugContext: { debugData: { tunnels: '[{"anonymous":true,"type":"VPN"}]' } } }),
    ];
    expect(alertsOf(engineWith(correlatedRule(TRAVEL)), proxied())).to.have.length(0);
    expect(alertsOf(engineWith(correlatedRule(`${TRAVEL}\nignore_proxies: false`)), proxied())).to.have.length(1);
  });

  it('compares users only with themselves, and forgets a sign-in older than the window', () => {
    const engine = engineWith(correlatedRule(`${TRAVEL}\nwindow: 6h`));
    expect(alertsOf(engine, [signIn('dana', T0, berlin), signIn('sam', T0 + HOUR, saoPaulo)])).to.have.length(0);
    expect(alertsOf(engine, [signIn('dana', T0 + 7 * HOUR, saoPaulo)])).to.have.length(0);
    expect(engine.stateSizes()['test-rule']).to.equal(2);
  });

  it('is flagged by rules lint without a group_by entity', () => {
    expect(
      lintRules([correlatedRule(TRAVEL, undefined, '[]')])
        .map((f) => f.message)
        .join('\n'),
    ).to.contain('impossible_travel without group_by');
    expect(
      lintRules([correlatedRule(TRAVEL)])
        .map((f) => f.message)
        .join('\n'),
    ).to.not.contain('impossible_travel');
  });

  it('ignores sign-ins without a geolocation', () => {
    const engine = engineWith(correlatedRule(TRAVEL));
    expect(
      alertsOf(engine, [
        signIn('dana', T0, berlin),
        signIn('dana', T0 + HOUR, { ipAddress: '203.0.113.9', geographicalContext: { geolocation: { lat: 0, lon: 0 } } }),
      ]),
    ).to.have.length(0);
  });

  it('remembers the last sign-in across a restart through the storage extension', async () => {
    const dir = tempDir();
    try {
      const file = writeRule(dir.path, 'r.yaml', ruleYaml('travel', 'correlate: { type: impossible_travel }'));
      const alerts = await runWithStorage(dir.path, file, [[signIn('dana', T0, berlin)], [signIn('dana', T0 + HOUR, saoPaulo)]]);
      expect(alerts.map((b) => b.length)).to.deep.equal([0, 1]);
    } finally {
      dir.cleanup();
    }
  });
});

function ruleYaml(id: string, correlate: string): string {
  return `id: ${id}
name: Rule ${id}
description: d
severity: medium
threat: [{ tactic: { id: TA0001, name: Initial Access } }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
${correlate}
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]
`;
}

/** One processor run per batch, each a fresh process state restored from the same storage directory. */
async function runWithStorage(dir: string, ruleFile: string, batches: LogRecord[][]): Promise<LogRecord[][]> {
  const config = detectionConfigSchema.parse({ rules: [ruleFile], storage: 'file_storage', allowed_lateness: '0s', idle_after: '0s' });
  const out: LogRecord[][] = [];
  for (const batch of batches) {
    const storage = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: `${dir}/state` }));
    await storage.start();
    const sink = new LogsSink();
    const processor = detectionProcessorFactory.create(testSettings('processor', 'detection'), config, sink);
    await processor.start(testHost({ file_storage: storage }));
    await processor.consume(batch);
    await processor.shutdown();
    await storage.shutdown();
    out.push(sink.records.filter((r) => r.attributes['event.kind'] === 'alert'));
  }
  return out;
}

describe('detection: new_terms and impossible_travel across kill -9', () => {
  it('keep the history of an acknowledged batch (the journal), long before the next periodic save', async function () {
    this.timeout(30_000);
    const dir = tempDir();
    try {
      writeRule(
        `${dir.path}/rules`,
        'country.yaml',
        ruleYaml('new-country', 'correlate: { type: new_terms, fields: [client.geographicalContext.country], history_window: 30d, learning_period: 7d }'),
      );
      writeRule(`${dir.path}/rules`, 'travel.yaml', ruleYaml('travel', 'correlate: { type: impossible_travel }'));
      const raw = (uuid: string, at: number, client: Record<string, unknown>) => ({
        uuid,
        published: new Date(at).toISOString(),
        severity: 'INFO',
        eventType: 'user.session.start',
        actor: { type: 'User', alternateId: 'dana' },
        outcome: { result: 'SUCCESS' },
        client,
      });
      const berlinDe = { ...berlin, geographicalContext: { ...berlin.geographicalContext } };
      const batch = [raw('e1', T0, berlinDe), raw('e2', T0 + 8 * DAY, berlinDe)];
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./fixtures/journal-child.ts', import.meta.url)),
          `${dir.path}/rules`,
          `${dir.path}/state`,
          JSON.stringify(batch),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await waitUntil(
        () => out.includes('acked') || child.exitCode !== null,
        20_000,
        () => `the child to acknowledge its batch (output: ${out})`,
        20,
      );
      expect(out).to.include('acked');
      child.kill('SIGKILL');
      expect(await exited).to.equal('SIGKILL');

      // Kept from before the kill: the learning period began at e1 (so it is over), Berlin at e2 is the last place.
      const [alerts] = await runWithStorage(dir.path, `${dir.path}/rules`, [[signIn('dana', T0 + 8 * DAY + HOUR, saoPaulo)]]);
      const byRule = (id: string) => alerts!.filter((a) => a.attributes['security_rule.uuid'] === id);
      expect(byRule('new-country').map((a) => a.attributes['okta.client.geographicalContext.country'])).to.deep.equal(['Brazil']);
      expect(byRule('travel')).to.have.length(1);
      expect((byRule('travel')[0]!.attributes['oktel.alert.event_uuids'] as string[])[0]).to.equal('e2');
    } finally {
      dir.cleanup();
    }
  });
});
