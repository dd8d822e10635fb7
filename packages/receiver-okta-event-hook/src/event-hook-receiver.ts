import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counters, errorMessage, isRetryable, type ComponentSettings, type Host, type LogsConsumer, type Receiver } from '@oktel/core';
import { dedupGroup, EventDedup, logEventToRecord, oktaResource, type RecordContext } from '@oktel/okta-log-event';
import { BodyTooLargeError, constantTimeEqual, HttpListener, readBody, respond } from '@oktel/receiver-otlp';
import type { OktaEventHookConfig } from './config.js';
import { parseDelivery, type HookDelivery } from './payload.js';

const SCOPE = { name: '@oktel/receiver-okta-event-hook', version: '0.1.0' };
const VERIFICATION_HEADER = 'x-okta-verification-challenge';

/**
 * The `okta_event_hook` receiver. Okta calls it within seconds of an event; it answers 200
 * only once the pipeline accepted every event of the call (so a 200 never loses an event), and
 * 503 when that takes longer than `ack_timeout` or the pipeline refuses for now, so that Okta's
 * single retry, or the polling receiver sharing the de-duplication group, delivers them.
 */
export class OktaEventHookReceiver implements Receiver {
  readonly #settings: ComponentSettings;
  readonly #config: OktaEventHookConfig;
  readonly #next: LogsConsumer;
  readonly #listener: HttpListener;
  readonly #context: RecordContext;
  readonly #dedup: EventDedup;

  constructor(settings: ComponentSettings, config: OktaEventHookConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
    this.#listener = new HttpListener({ endpoint: config.endpoint, max_request_body_size: config.max_request_body_size, tls: config.tls });
    this.#context = {
      resource: oktaResource({ serviceName: config.service_name, ...(config.domain ? { domain: config.domain } : {}) }),
      scope: SCOPE,
      attributeProfile: config.attributes,
    };
    this.#dedup = config.dedup_group ? dedupGroup(config.dedup_group, config.dedup_capacity) : new EventDedup(config.dedup_capacity);
  }

  /** The hook URL actually listened on (port resolved when 0). */
  get url(): string {
    return `${this.#listener.url}${this.#config.path}`;
  }

  async start(host: Host): Promise<void> {
    await this.#listener.listen((req, res) => void this.#handle(req, res));
    host.reportStatus(`receiver/${this.#settings.id}`, { status: 'ok' });
    this.#settings.logger.info(`Listening for Okta Event Hook calls on ${this.url}`);
  }

  async shutdown(): Promise<void> {
    await this.#listener.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body = '', headers: Record<string, string> = {}): void =>
      respond(req, res, status, body ? { 'content-type': 'application/json', ...headers } : headers, body);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.#config.path) return send(404);
    if (req.method === 'GET') return this.#verify(req, send);
    if (req.method !== 'POST') return send(405, '', { allow: 'GET, POST' });
    if (!this.#authorized(req)) {
      this.#settings.logger.warn('Refused an event hook call without the configured secret', { remote: req.socket.remoteAddress ?? '' });
      return send(401);
    }
    let text: string;
    try {
      text = (await readBody(req, this.#config.max_request_body_size)).toString('utf8');
    } catch (err) {
      return send(err instanceof BodyTooLargeError ? 413 : 400, JSON.stringify({ error: errorMessage(err) }));
    }
    let delivery: HookDelivery;
    try {
      delivery = parseDelivery(text);
    } catch (err) {
      this.#settings.logger.warn(`Refused an event hook call: ${errorMessage(err)}`);
      return send(400, JSON.stringify({ error: errorMessage(err) }));
    }
    if (delivery.problems.length > 0) {
      this.#settings.telemetry.add(Counters.receiverFailed, delivery.problems.length, 'Records the receiver could not read (malformed input)');
      this.#settings.logger.warn(`Skipped ${delivery.problems.length} malformed events of an event hook call: ${delivery.problems[0]}`);
    }
    const observedAtMs = Date.now();
    const accepted = this.#dedup.deliverOnce(delivery.events, (fresh) =>
      this.#next.consume(fresh.map((event) => logEventToRecord(event, { ...this.#context, observedAtMs }))),
    );
    accepted.catch(() => undefined); // may settle after we answered 503; the outcome is logged below
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#config.ack_timeout)));
    try {
      const outcome = await Promise.race([accepted, timedOut]);
      if (outcome === 'timeout') {
        this.#settings.logger.warn(`The pipeline did not accept an event hook call within ack_timeout; answered 503 so that Okta retries it once`, {
          okta_event_id: delivery.eventId ?? '',
        });
        accepted.then(
          () => this.#settings.logger.info("The late event hook call was accepted after all; Okta's retry will be de-duplicated"),
          (err: unknown) => this.#settings.logger.error(`The late event hook call was refused: ${errorMessage(err)}`),
        );
        return send(503, '', { 'retry-after': '1' });
      }
      if (outcome.duplicates > 0)
        this.#settings.telemetry.add(
          'duplicate_log_records',
          outcome.duplicates,
          'Events dropped because they were delivered already (hook retry, or polled first)',
        );
      return send(200);
    } catch (err) {
      this.#settings.logger.error(`The pipeline refused an event hook call: ${errorMessage(err)}`, { okta_event_id: delivery.eventId ?? '' });
      // Okta retries a 5xx once and never a 4xx: only ask for the retry when it can help.
      return send(isRetryable(err) ? 503 : 400, '', isRetryable(err) ? { 'retry-after': '1' } : {});
    } finally {
      clearTimeout(timer);
    }
  }

  #verify(req: IncomingMessage, send: (status: number, body?: string) => void): void {
    const challenge = req.headers[VERIFICATION_HEADER];
    if (typeof challenge !== 'string' || challenge === '') {
      send(400, JSON.stringify({ error: `a GET must carry the ${VERIFICATION_HEADER} header (Okta's one-time verification)` }));
      return;
    }
    // Echoing the challenge proves control of the URL and discloses nothing, so it is answered
    // without the secret: Okta's verification call is answered whatever headers it carries.
    this.#settings.logger.info("Answered Okta's one-time event hook verification");
    send(200, JSON.stringify({ verification: challenge }));
  }

  #authorized(req: IncomingMessage): boolean {
    const presented = req.headers[this.#config.authorization.header.toLowerCase()];
    return constantTimeEqual(typeof presented === 'string' ? presented : '', this.#config.authorization.value);
  }
}
