import { expect } from 'chai';
import { join } from 'node:path';
import { builtinComponents } from '@oktel/cli';
import { readFileSync } from 'node:fs';
import { loadConfig, YamlSource, type LogRecord, type ProcessorFactory } from '@oktel/core';
import { logsUrl, type OtlpHttpConfig } from '@oktel/exporter-otlp';
import { oktaResource } from '@oktel/okta-log-event';
import { LogsSink, testSettings } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const ENV = {
  OKTA_DOMAIN: 'acme.okta.com',
  OKTA_API_TOKEN: 'token-for-validation',
  DD_API_KEY: 'dd-key',
  ELASTIC_OTLP_ENDPOINT: 'https://example.ingest.elastic.cloud',
  ELASTIC_API_KEY: 'elastic-key',
  ELASTICSEARCH_URL: 'https://es.example.com:9200',
  SPLUNK_HEC_ENDPOINT: 'https://splunk.example.com:8088',
  SPLUNK_HEC_TOKEN: 'hec-token',
};

describe('shipped backend configs', () => {
  for (const name of [
    'okta-to-datadog.yaml',
    'okta-to-elastic.yaml',
    'okta-to-elastic-self-managed.yaml',
    'okta-to-splunk.yaml',
    'okta-to-splunk-collector.yaml',
    'okta-to-otel-collector.yaml',
    'okta-simulator.yaml',
    'demo.yaml',
  ]) {
    it(`${name} validates`, () => {
      const config = loadConfig([join(ROOT, 'configs', name)], builtinComponents(), ENV);
      expect(config.pipelines.length).to.be.greaterThan(0);
    });
  }

  it('Datadog gets protobuf with the dd-api-key header', () => {
    const config = loadConfig([join(ROOT, 'configs/okta-to-datadog.yaml')], builtinComponents(), ENV);
    const exporter = config.components.get('exporter')!.get('otlp_http/datadog')!.config as { encoding: string; headers: Record<string, string> };
    expect(exporter.encoding).to.equal('proto');
    expect(exporter.headers).to.deep.equal({ 'dd-api-key': 'dd-key' });
  });

  // What each backend needs to see, checked on the records the configured processors produce.
  const load = (name: string) => loadConfig([join(ROOT, 'configs', name)], builtinComponents(), ENV);
  const sampleRecord = (): LogRecord => ({
    hrTime: [1, 0],
    hrTimeObserved: [1, 0],
    attributes: {},
    resource: oktaResource(),
    instrumentationScope: { name: 't' },
    droppedAttributesCount: 0,
  });
  async function throughProcessor(config: ReturnType<typeof load>, id: string, record: LogRecord): Promise<LogRecord> {
    const component = config.components.get('processor')!.get(id)!;
    const factory = builtinComponents()
      .list()
      .find((f) => f.kind === 'processor' && f.type === id.split('/')[0])! as ProcessorFactory<unknown>;
    const sink = new LogsSink();
    await factory.create(testSettings('processor', id), component.config, sink).consume([record]);
    return sink.records[0]!;
  }

  it('Datadog gets deployment.environment(.name) on the resource, for the env tag', async () => {
    const out = await throughProcessor(load('okta-to-datadog.yaml'), 'resource/datadog', sampleRecord());
    expect(out.resource.attributes).to.include({ 'service.name': 'okta', 'deployment.environment.name': 'production', 'deployment.environment': 'production' });
  });

  for (const name of ['okta-to-elastic.yaml', 'okta-to-elastic-self-managed.yaml']) {
    it(`${name} routes raw events to data_stream.dataset okta.system and alerts to oktel.alert`, async () => {
      const config = load(name);
      const raw = await throughProcessor(config, 'resource/elastic', sampleRecord());
      expect(raw.resource.attributes).to.include({ 'data_stream.dataset': 'okta.system', 'data_stream.namespace': 'default' });
      const alert = await throughProcessor(config, 'attributes/alerts', { ...raw, attributes: { 'event.kind': 'alert' } });
      expect(alert.attributes['data_stream.dataset']).to.equal('oktel.alert');
      const event = await throughProcessor(config, 'attributes/alerts', { ...raw, attributes: { 'event.kind': 'event' } });
      expect(event.attributes).to.not.have.property('data_stream.dataset');
      expect(config.pipelines.find((p) => p.id === 'logs')!.processors).to.deep.equal(['detection', 'resource/elastic', 'attributes/alerts']);
    });
  }

  it('self-managed Elasticsearch gets its own OTLP path, /_otlp/v1/logs, with an API key', () => {
    const exporter = load('okta-to-elastic-self-managed.yaml').components.get('exporter')!.get('otlp_http/elasticsearch')!.config as OtlpHttpConfig;
    expect(logsUrl(exporter)).to.equal('https://es.example.com:9200/_otlp/v1/logs');
    expect(exporter.headers).to.deep.equal({ Authorization: 'ApiKey elastic-key' });
  });

  it('Splunk goes to HEC directly: raw events as OktaIM2:log, alerts with their own sourcetype and index', () => {
    const exporter = load('okta-to-splunk.yaml').components.get('exporter')!.get('splunk_hec')!.config as {
      endpoint: string;
      token: string;
      index: string;
      sourcetype: string;
      alerts: Record<string, string>;
      ack: { enabled: boolean };
    };
    expect(exporter).to.deep.include({ endpoint: 'https://splunk.example.com:8088', token: 'hec-token', index: 'okta', sourcetype: 'OktaIM2:log' });
    expect(exporter.alerts).to.deep.include({ index: 'okta_alerts', sourcetype: 'oktel:alert' });
    expect(exporter.ack.enabled).to.equal(false);
  });

  it('the Collector variant for Splunk routes by event.kind to OktaIM2:log / oktel:alert and states its minimum version', () => {
    const text = readFileSync(join(ROOT, 'configs/collector/splunk-hec.yaml'), 'utf8');
    const collector = YamlSource.fromText('splunk-hec.yaml', text).source!.value as {
      processors: Record<string, { log_statements: { context: string; statements: string[] }[] }>;
      exporters: Record<string, unknown>;
      service: { pipelines: Record<string, { processors: string[]; exporters: string[] }> };
    };
    const statements = collector.processors['transform/splunk']!.log_statements.flatMap((g) => g.statements);
    expect(statements).to.include('set(attributes["com.splunk.sourcetype"], "OktaIM2:log")');
    expect(statements).to.include('set(attributes["com.splunk.sourcetype"], "oktel:alert") where attributes["event.kind"] == "alert"');
    expect(text).to.not.contain('okta:im2');
    expect(text).to.match(/Minimum version: .*v0\.\d+/);
    expect(collector.service.pipelines.logs!.processors).to.deep.equal(['transform/splunk']);
    expect(load('okta-to-splunk-collector.yaml').components.get('exporter')!.get('otlp_http/collector')!.config).to.deep.include({ headers: {} });
  });
});
