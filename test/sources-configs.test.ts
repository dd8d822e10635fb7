import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { builtinComponents } from '@oktel/cli';
import { loadConfig } from '@oktel/core';

const ROOT = new URL('..', import.meta.url).pathname;

describe('shipped scale-out configs', () => {
  it('the oktel instance behind the load balancer serves OTLP/gRPC, the protocol the load_balancing exporter speaks', () => {
    const config = loadConfig([join(ROOT, 'configs/oktel-behind-load-balancer.yaml')], builtinComponents(), {});
    const otlp = config.components.get('receiver')!.get('otlp')!.config as { protocols: { grpc?: { endpoint: string }; http?: unknown } };
    expect(otlp.protocols.grpc?.endpoint).to.equal('0.0.0.0:4317');
    expect(otlp.protocols.http).to.equal(undefined);
  });

  it('the Collector routes by resource, so one org always reaches one oktel instance', () => {
    const collector = parse(readFileSync(join(ROOT, 'configs/collector/load-balancing.yaml'), 'utf8')) as {
      exporters: { load_balancing: { routing_key: string; protocol: { otlp: unknown }; resolver: { static: { hostnames: string[] } } } };
      service: { pipelines: { logs: { exporters: string[] } } };
    };
    expect(collector.exporters.load_balancing.routing_key).to.equal('resource');
    expect(collector.exporters.load_balancing.protocol.otlp).to.be.an('object');
    expect(collector.exporters.load_balancing.resolver.static.hostnames.every((h) => h.endsWith(':4317'))).to.equal(true);
    expect(collector.service.pipelines.logs.exporters).to.deep.equal(['load_balancing']);
  });
});
