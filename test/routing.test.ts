import { expect } from 'chai';
import { join } from 'node:path';
import { builtinComponents } from '@oktel/cli';
import { ConfigError, createLogger, formatConfigIssue, MemoryLogSink, resolveConfig, Service, YamlSource } from '@oktel/core';
import { noTelemetryEndpoints, OtlpTestServer } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;

function config(yaml: string) {
  const { source, issues } = YamlSource.fromText('routing.yaml', yaml);
  if (!source) throw new Error(issues.map(formatConfigIssue).join('\n'));
  return resolveConfig([source, noTelemetryEndpoints()], builtinComponents(), {});
}

describe('routing raw records and alerts to different backends', () => {
  const raw = new OtlpTestServer();
  const alerts = new OtlpTestServer();
  before(async () => {
    await raw.start();
    await alerts.start();
  });
  after(async () => {
    await raw.stop();
    await alerts.stop();
  });

  it('sends alerts to one OTLP sink and raw events to another through the routing connector', async function () {
    this.timeout(60_000);
    const service = new Service(
      config(`
receivers:
  file: { path: ${join(ROOT, 'configs/samples/okta-system-log.jsonl.gz')} }
processors:
  detection: {}
connectors:
  routing:
    default_pipelines: [logs/raw]
    table:
      - condition: { "==": [{ var: attributes.event.kind }, "alert"] }
        pipelines: [logs/alerts]
exporters:
  otlp_http/raw: { logs_endpoint: "${raw.url}", encoding: json }
  otlp_http/alerts: { logs_endpoint: "${alerts.url}", encoding: json }
service:
  pipelines:
    logs/in: { receivers: [file], processors: [detection], exporters: [routing] }
    logs/raw: { receivers: [routing], exporters: [otlp_http/raw] }
    logs/alerts: { receivers: [routing], exporters: [otlp_http/alerts] }
`),
      { logger: createLogger({ sink: new MemoryLogSink() }) },
    );
    await service.start();
    await service.whenAllDone();
    await service.shutdown();
    const attr = (r: Record<string, unknown>, key: string) =>
      (r.attributes as { key: string; value: { stringValue?: string } }[]).find((a) => a.key === key)?.value.stringValue;
    const rawRecords = raw.jsonRecords();
    const alertRecords = alerts.jsonRecords();
    expect(rawRecords).to.have.length(1084);
    expect(rawRecords.every((r) => attr(r, 'event.kind') !== 'alert')).to.equal(true);
    expect(alertRecords.length).to.be.greaterThan(5);
    expect(alertRecords.every((r) => attr(r, 'event.kind') === 'alert')).to.equal(true);
    const summary = service.telemetry.snapshot().find((c) => c.kind === 'connector')!;
    expect(summary.values.incoming_items).to.equal(1084 + alertRecords.length);
  });

  it('rejects a route to a pipeline that does not take the connector as a receiver', () => {
    let error: unknown;
    try {
      config(`
receivers: { file: { path: x.jsonl } }
connectors:
  routing: { table: [{ condition: true, pipelines: [logs/other] }] }
exporters: { debug: {} }
service:
  pipelines:
    logs: { receivers: [file], exporters: [routing] }
    logs/out: { receivers: [routing], exporters: [debug] }
    logs/other: { receivers: [file], exporters: [debug] }
`);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).issues.map(formatConfigIssue)).to.deep.equal([
      'routing.yaml:4: connectors::routing::table[0]::pipelines[0]: routes to pipeline "logs/other", which does not list "routing" among its receivers',
    ]);
  });
});
