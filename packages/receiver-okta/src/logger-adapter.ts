import type { Logger as OtelLogger } from '@opentelemetry/api-logs';
import { createLogger, type Logger } from '@oktel/core';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { createAuthenticator } from './auth/create.js';
import { memoryCheckpoints, type CheckpointStore } from './checkpoint.js';
import { oktaReceiverConfigSchema } from './config.js';
import { SystemLogPoller } from './poller.js';
import { pollerSettings } from './receiver.js';

export interface PollIntoLoggerOptions {
  /** Any OpenTelemetry JS Logger, e.g. `loggerProvider.getLogger('okta')`. */
  logger: OtelLogger;
  /** The receiver's config keys (domain, auth, since, …), validated as in a config file. */
  config: Record<string, unknown>;
  /** Where to keep the cursor; in memory by default. */
  checkpoints?: CheckpointStore;
  diagnostics?: Logger;
  signal: AbortSignal;
}

/**
 * The okta receiver as a library: polls the System Log and emits every event into an
 * OpenTelemetry Logger with the same timestamp, severity, event name, body and attributes as
 * the receiver produces. Logger.emit cannot refuse a record, so a page counts as delivered
 * when it was emitted; give a persistent `checkpoints` store to resume across restarts.
 */
export async function pollOktaIntoLogger(options: PollIntoLoggerOptions): Promise<void> {
  const config = oktaReceiverConfigSchema.parse(options.config);
  const settings = pollerSettings(config);
  const context = { resource: oktaResource({ domain: settings.orgUrl.host }), scope: { name: '@oktel/receiver-okta' } };
  const poller = new SystemLogPoller(settings, {
    auth: createAuthenticator(config, settings.orgUrl),
    checkpoints: options.checkpoints ?? memoryCheckpoints(),
    logger: options.diagnostics ?? createLogger({ component: 'okta' }),
    deliver: async (events) => {
      for (const event of events) {
        const record = logEventToRecord(event, context);
        options.logger.emit({
          timestamp: record.hrTime,
          observedTimestamp: record.hrTimeObserved,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          eventName: record.eventName,
          body: record.body,
          attributes: record.attributes,
        });
      }
    },
  });
  await poller.run(options.signal);
}
