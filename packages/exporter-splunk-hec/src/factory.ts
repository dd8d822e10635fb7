import type { ExporterFactory } from '@oktel/core';
import { splunkHecConfigSchema, type SplunkHecConfig } from './config.js';
import { SplunkHecExporter } from './splunk-hec-exporter.js';

export const splunkHecExporterFactory: ExporterFactory<SplunkHecConfig> = {
  type: 'splunk_hec',
  kind: 'exporter',
  description:
    'Sends raw Okta events (sourcetype OktaIM2:log) and alerts to Splunk HTTP Event Collector, with gzip, HEC error codes, indexer acknowledgement and a bounded, optionally persistent queue.',
  stability: 'development',
  configSchema: splunkHecConfigSchema,
  extensionRefs: (config) =>
    config.sending_queue.storage ? [{ path: ['sending_queue', 'storage'], extensionId: config.sending_queue.storage, capability: 'storage' }] : [],
  create: (settings, config) => new SplunkHecExporter(settings, config),
};
