import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ChildProcess } from 'node:child_process';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { completeLines, spawnCaptured, tempDir, waitUntil, type CapturedProcess } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const ORGS = ['acme.okta.com', 'globex.okta.com', 'initech.okta.com', 'umbrella.okta.com', 'hooli.okta.com'];

/**
 * Each org's activity, with attacks injected. User logins are made unique per org here so that
 * the comparison holds whether or not correlation keys carry the org (that is tested elsewhere):
 * this test is about where events go, not about how groups are keyed.
 */
function orgEvents(domain: string, seed: number): OktaLogEvent[] {
  const { events } = generateActivity({ start: Date.parse('2026-11-20T08:00:00Z'), signIns: 120, seed, scenarios: [...SCENARIOS] });
  const tag = domain.split('.')[0]!;
  return events.map((e) => JSON.parse(JSON.stringify(e).replaceAll('@example.com', `@${tag}.example.com`)) as OktaLogEvent);
}

/** As the load_balancing exporter with routing_key: resource does: the same resource always goes to the same backend. */
function backendFor(resource: Record<string, unknown>, backends: number): number {
  const key = Object.keys(resource)
    .sort()
    .map((k) => `${k}=${String(resource[k])}`)
    .join(';');
  return createHash('sha256').update(key).digest().readUInt32BE(0) % backends;
}

interface Instance extends CapturedProcess {
  logsUrl: string;
  alertsFile: string;
}

async function startInstance(dir: string, name: string, children: ChildProcess[]): Promise<Instance> {
  const alertsFile = join(dir, `${name}-alerts.jsonl`);
  const config = join(dir, `${name}.yaml`);
  writeFileSync(
    config,
    `receivers:
  otlp:
    protocols:
      http: { endpoint: "127.0.0.1:0" }
processors:
  detection: {}
connectors:
  routing:
    table:
      - condition: { "==": [{ var: attributes.event.kind }, "alert"] }
        pipelines: [logs/alerts]
exporters:
  file/alerts: { path: ${alertsFile} }
service:
  pipelines:
    logs/in: { receivers: [otlp], processors: [detection], exporters: [routing] }
    logs/alerts: { receivers: [routing], exporters: [file/alerts] }
  telemetry:
    metrics: { address: "127.0.0.1:0" }
    health: { address: "127.0.0.1:0" }
`,
  );
  const instance: Instance = { ...spawnCaptured(process.execPath, [CLI, 'run', '--config', config], { cwd: dir, children }), logsUrl: '', alertsFile };
  const { child } = instance;
  await waitUntil(
    () => /Listening for OTLP\/HTTP logs on (\S+)/.test(instance.output()) || child.exitCode !== null,
    30_000,
    () => `${name} to listen:\n${instance.output()}`,
  );
  instance.logsUrl = /Listening for OTLP\/HTTP logs on (\S+)/.exec(instance.output())?.[1] ?? '';
  expect(instance.logsUrl, instance.output()).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1\/logs$/);
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  instance.child.kill('SIGTERM');
  expect(await instance.exit, instance.output()).to.equal(0);
}

async function send(url: string, records: ReadableLogRecord[]): Promise<void> {
  const exporter = new OTLPLogExporter({ url });
  for (let i = 0; i < records.length; i += 200) {
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(records.slice(i, i + 200), resolve));
    expect(result.code, String(result.error)).to.equal(0);
  }
  await exporter.shutdown();
}

/** Alerts as comparable facts: the text names rule, group and time span; the evidence names the events. */
function alertsIn(file: string): string[] {
  const out: string[] = [];
  for (const line of completeLines(file)) {
    const request = JSON.parse(line) as {
      resourceLogs: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeLogs: {
          logRecords: { body: { stringValue: string }; attributes: { key: string; value: { arrayValue?: { values: { stringValue: string }[] } } }[] }[];
        }[];
      }[];
    };
    for (const rl of request.resourceLogs) {
      for (const sl of rl.scopeLogs) {
        for (const r of sl.logRecords) {
          const uuids =
            r.attributes
              .find((a) => a.key === 'oktel.alert.event_uuids')
              ?.value.arrayValue?.values.map((v) => v.stringValue)
              .sort() ?? [];
          out.push(`${r.body.stringValue} [${uuids.join(',')}]`);
        }
      }
    }
  }
  return out.sort();
}

describe('scale-out: oktel instances behind a load balancer that routes by resource', () => {
  let dir: ReturnType<typeof tempDir>;
  const running: Instance[] = [];
  // Every child, including one whose start timed out before it became an Instance.
  const children: ChildProcess[] = [];
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    running.length = 0;
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    dir.cleanup();
  });

  it('three instances, each org routed whole to one of them, raise exactly the alerts one instance raises for all orgs', async function () {
    this.timeout(180_000);
    const byOrg = ORGS.map((domain, i) => {
      const resource = oktaResource({ domain });
      return { domain, resource, records: orgEvents(domain, 11 + i).map((e) => logEventToRecord(e, { resource, scope: { name: 'edge' } })) };
    });

    const single = await startInstance(dir.path, 'single', children);
    running.push(single);
    const three = [await startInstance(dir.path, 'a', children), await startInstance(dir.path, 'b', children), await startInstance(dir.path, 'c', children)];
    running.push(...three);

    const placement = byOrg.map((org) => backendFor(org.resource.attributes, three.length));
    expect(new Set(placement).size, 'the orgs must spread over more than one instance for the test to mean anything').to.be.greaterThan(1);
    // Each destination gets its orgs' records merged in event-time order, as a live stream
    // arrives: detection's event-time bookkeeping (watermark, reorder buffer) then sees the same
    // order on one instance as on three, and only the placement differs.
    const inTimeOrder = (orgs: typeof byOrg) => orgs.flatMap((o) => o.records).sort((a, b) => a.hrTime[0] - b.hrTime[0] || a.hrTime[1] - b.hrTime[1]);
    await Promise.all([
      send(single.logsUrl, inTimeOrder(byOrg)),
      ...three.map((instance, k) => send(instance.logsUrl, inTimeOrder(byOrg.filter((_, i) => placement[i] === k)))),
    ]);

    for (const instance of running) await stopInstance(instance);
    const expected = alertsIn(single.alertsFile);
    const partitioned = three.flatMap((i) => alertsIn(i.alertsFile)).sort();
    expect(expected.length, single.output()).to.be.greaterThan(ORGS.length);
    expect(partitioned).to.deep.equal(expected);
  });
});
