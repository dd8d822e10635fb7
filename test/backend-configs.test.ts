import { expect } from 'chai';
import { join } from 'node:path';
import { builtinComponents } from '@oktel/cli';
import { loadConfig } from '@oktel/core';

const ROOT = new URL('..', import.meta.url).pathname;
const ENV = { OKTA_DOMAIN: 'acme.okta.com', OKTA_API_TOKEN: 'token-for-validation', DD_API_KEY: 'dd-key', ELASTIC_OTLP_ENDPOINT: 'https://example.ingest.elastic.cloud', ELASTIC_API_KEY: 'elastic-key' };

describe('shipped backend configs', () => {
  for (const name of ['okta-to-datadog.yaml', 'okta-to-elastic.yaml', 'okta-to-splunk.yaml', 'okta-to-otel-collector.yaml', 'okta-simulator.yaml', 'demo.yaml']) {
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
});
