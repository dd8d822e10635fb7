import { z } from 'zod';
import { block, duration, exporterHelperShape, secret, size } from '@oktel/core';

export const splunkHecConfigSchema = z
  .strictObject({
    endpoint: z
      .string()
      .url()
      .optional()
      .describe(
        'Base URL of HEC, e.g. https://splunk.example.com:8088 (Splunk Cloud: https://http-inputs-<stack>.splunkcloud.com); /services/collector/event is appended unless the URL already has a /services/collector path. Required.',
      ),
    token: secret().optional().describe('HEC token, sent as `Authorization: Splunk <token>`. A secret: never logged. Required.'),
    index: z
      .string()
      .min(1)
      .optional()
      .describe("Index for raw events (the token's default index when unset). A record's `com.splunk.index` attribute wins. The token must allow it."),
    sourcetype: z
      .string()
      .min(1)
      .default('OktaIM2:log')
      .describe(
        "Sourcetype of raw events: OktaIM2:log is what the Splunk Add-on for Okta Identity Cloud extracts and the ESCU Okta detections search. A record's `com.splunk.sourcetype` attribute wins.",
      ),
    source: z.string().min(1).default('oktel').describe('Source of every event unless the record has `com.splunk.source`.'),
    host: z.string().min(1).optional().describe("HEC host when the record has no `host.name` (attribute or resource); unset: the resource's okta.domain."),
    alerts: block({
      index: z.string().min(1).optional().describe("Index for alerts (records with event.kind=alert); unset: the raw events' index."),
      sourcetype: z.string().min(1).default('oktel:alert').describe('Sourcetype of alerts, so they are never parsed as Okta events.'),
      source: z.string().min(1).optional().describe('Source of alerts; unset: source.'),
    }),
    disable_compression: z.boolean().default(false).describe('Send uncompressed; by default bodies are gzipped (Content-Encoding: gzip).'),
    max_content_length: size()
      .prefault('1MiB')
      .describe(
        'Most bytes of events (before gzip) in one request; Splunk refuses bodies above its max_content_length (limits.conf). An event larger than this alone is dropped and counted. Events per request are bounded by batch.max_size.',
      ),
    tls: block({
      ca_file: z.string().optional().describe('PEM file with CA certificates to trust, in addition to the system ones.'),
      insecure_skip_verify: z.boolean().default(false).describe('Do not verify the server certificate (testing only).'),
    }),
    ack: block({
      enabled: z
        .boolean()
        .default(false)
        .describe(
          'Indexer acknowledgement: a batch counts as sent only once Splunk says it is indexed (the token must have indexer acknowledgement on). Sends X-Splunk-Request-Channel.',
        ),
      channel: z.string().uuid().optional().describe('The channel GUID; unset: a random one per start.'),
      poll_interval: duration().prefault('1s').describe('How often to ask /services/collector/ack about pending batches.'),
      timeout: duration().prefault('60s').describe('A batch not acknowledged within this is sent again (at-least-once: Splunk may then hold it twice).'),
    }),
    ...exporterHelperShape(),
  })
  .superRefine((config, ctx) => {
    if (!config.endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'set endpoint, e.g. https://splunk.example.com:8088' });
    else if (!/^https?:\/\//.test(config.endpoint)) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'must be an http(s) URL' });
    if (!config.token) ctx.addIssue({ code: 'custom', path: ['token'], message: 'set token (the HEC token), e.g. token: ${env:SPLUNK_HEC_TOKEN}' });
  });

export type SplunkHecConfig = z.output<typeof splunkHecConfigSchema>;

/** The event endpoint; a URL that already names a /services/collector path is used as is (`/services/collector` becomes `/event`). */
export function eventUrl(endpoint: string): URL {
  const url = new URL(endpoint);
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/services/collector' || path === '/services/collector/event/1.0') url.pathname = '/services/collector/event';
  else if (!path.startsWith('/services/collector')) url.pathname = `${path}/services/collector/event`;
  return url;
}

export function ackUrl(endpoint: string, channel: string): URL {
  const url = eventUrl(endpoint);
  url.pathname = url.pathname.replace(/\/services\/collector\/event.*$/, '/services/collector/ack');
  url.searchParams.set('channel', channel);
  return url;
}
