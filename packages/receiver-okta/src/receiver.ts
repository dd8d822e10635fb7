import { errorMessage, storageClient, type ComponentSettings, type Host, type LogsConsumer, type Receiver } from '@oktel/core';
import { dedupGroup, logEventToRecord, oktaResource, type OktaLogEvent, type RecordContext } from '@oktel/okta-log-event';
import type { Authenticator } from './auth/authenticator.js';
import { createAuthenticator } from './auth/create.js';
import { memoryCheckpoints, storageCheckpoints, type CheckpointStore } from './checkpoint.js';
import type { OktaReceiverConfig } from './config.js';
import { parseOrgUrl } from './org-url.js';
import { SystemLogPoller, type PollerSettings, type ReceiverLag } from './poller.js';

const SCOPE = { name: '@oktel/receiver-okta', version: '0.1.0' };

export function pollerSettings(config: OktaReceiverConfig): PollerSettings {
  return {
    orgUrl: parseOrgUrl(config.domain) as URL,
    since: config.since,
    pollInterval: config.poll_interval,
    pageSize: config.page_size,
    filter: config.filter,
    maxShare: config.rate_limit.max_share,
    timeout: config.timeout,
    retryInitial: config.retry.initial_interval,
    retryMax: config.retry.max_interval,
    authFailureInterval: config.retry.auth_failure_interval,
    dedupEntries: config.dedup.max_entries,
  };
}

/** The `okta` receiver: a SystemLogPoller whose pages go to the pipeline as one batch each. */
export class OktaReceiver implements Receiver {
  readonly #settings: ComponentSettings;
  readonly #config: OktaReceiverConfig;
  readonly #next: LogsConsumer;
  readonly #abort = new AbortController();
  readonly #context: RecordContext;
  #run: Promise<void> | undefined;
  #poller: SystemLogPoller | undefined;

  constructor(settings: ComponentSettings, config: OktaReceiverConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
    const org = parseOrgUrl(config.domain) as URL;
    this.#context = { resource: oktaResource({ domain: org.host, serviceName: config.service_name }), scope: SCOPE, attributeProfile: config.attributes };
  }

  async start(host: Host): Promise<void> {
    const settings = pollerSettings(this.#config);
    const auth: Authenticator = createAuthenticator(this.#config, settings.orgUrl);
    const checkpoints = await this.#checkpoints(host);
    const id = `receiver/${this.#settings.id}`;
    const poller = new SystemLogPoller(settings, {
      auth,
      checkpoints,
      logger: this.#settings.logger,
      telemetry: this.#settings.telemetry,
      // The host derives /health from the status; reporting health as well would say it twice.
      reportStatus: (event) => host.reportStatus(id, event),
      deliver: async (events) => {
        const observed = Date.now();
        const send = (fresh: OktaLogEvent[]): Promise<void> =>
          this.#next.consume(fresh.map((event) => logEventToRecord(event, { ...this.#context, observedAtMs: observed })));
        // Beside an okta_event_hook receiver of the same org: an event the hook already delivered is not sent again.
        if (this.#config.dedup_group) await dedupGroup(this.#config.dedup_group, this.#config.dedup.max_entries).deliverOnce(events, send);
        else await send(events);
      },
    });
    this.#poller = poller;
    // run() retries every failure itself; a rejection here would be a bug, so it is made loud.
    this.#run = poller.run(this.#abort.signal).catch((err: unknown) => {
      if (this.#abort.signal.aborted) return;
      const reason = `polling stopped: ${errorMessage(err)}`;
      this.#settings.logger.error(reason);
      host.reportStatus(id, { status: 'fatal_error', reason, error: err });
    });
  }

  /** How far behind Okta this receiver is (newest delivered event, caught up or not). */
  lag(): ReceiverLag | undefined {
    return this.#poller?.lag();
  }

  async #checkpoints(host: Host): Promise<CheckpointStore> {
    if (!this.#config.storage) {
      this.#settings.logger.warn('No storage configured: the cursor is kept in memory and a restart starts again from since.');
      return memoryCheckpoints();
    }
    return storageCheckpoints(await storageClient(host, this.#config.storage, 'receiver', this.#settings.id), this.#settings.logger);
  }

  async shutdown(): Promise<void> {
    this.#abort.abort();
    await this.#run;
  }
}
