import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface HecEventReceived {
  time?: number;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  event: unknown;
}

export interface HecRequestSeen {
  path: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
}

/**
 * A stand-in for Splunk HEC on 127.0.0.1 that answers as Splunk documents: the token check
 * (codes 2, 3, 4), 503 "Server is busy" (code 9) while busy, 400 for bad data (6, 12), an index
 * not allowed for the token (7), a missing channel when the token has indexer acknowledgement
 * (10), ackIds and the /services/collector/ack endpoint on that channel, 413 above
 * max_content_length.
 */
export class HecStandIn {
  readonly events: HecEventReceived[] = [];
  readonly requests: HecRequestSeen[] = [];
  readonly ackQueries: { channel: string | null; acks: number[] }[] = [];
  token = 'hec-token-0000-1111';
  allowedIndexes: string[] | undefined = undefined;
  /** The token has indexer acknowledgement on. */
  useAck = false;
  /** Answer 503 code 9 to the next this many event requests. */
  busyFor = 0;
  retryAfterSeconds: number | undefined;
  /** Polls of an ackId that answer false before it turns true; Infinity never acknowledges. */
  ackAfterPolls = 1;
  maxContentLength = 10 * 1024 * 1024;
  #server: Server | undefined;
  #nextAckId = 0;
  /** channel → ackId → polls so far; events land in `events` only once acknowledged when ack is on. */
  readonly #pending = new Map<string, Map<number, { polls: number; events: HecEventReceived[] }>>();

  get url(): string {
    const address = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /** 401/403 by HEC's token rules, or undefined when the token is good. */
  #authError(req: IncomingMessage): [number, { text: string; code: number }] | undefined {
    const auth = req.headers.authorization;
    if (!auth) return [401, { text: 'Token is required', code: 2 }];
    const match = /^Splunk (.+)$/.exec(auth);
    if (!match) return [401, { text: 'Invalid authorization', code: 3 }];
    if (match[1] !== this.token) return [403, { text: 'Invalid token', code: 4 }];
    return undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ path: url.pathname, headers: req.headers, bodyBytes: body.length });
    const auth = this.#authError(req);
    if (auth) return this.#reply(res, auth[0], auth[1]);
    if (url.pathname === '/services/collector/ack') return this.#ack(url, body, res);
    if (url.pathname !== '/services/collector/event') return this.#reply(res, 404, { text: 'The requested URL was not found on this server.', code: 404 });
    if (body.length > this.maxContentLength) return this.#reply(res, 413, { text: 'Content too large', code: 413 });
    if (this.busyFor > 0) {
      this.busyFor--;
      return this.#reply(
        res,
        503,
        { text: 'Server is busy', code: 9 },
        this.retryAfterSeconds !== undefined ? { 'retry-after': String(this.retryAfterSeconds) } : {},
      );
    }
    const channel = (req.headers['x-splunk-request-channel'] as string | undefined) ?? url.searchParams.get('channel');
    if (this.useAck && !channel) return this.#reply(res, 400, { text: 'Data channel is missing', code: 10 });
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const events: HecEventReceived[] = [];
    const lines = body
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    if (lines.length === 0) return this.#reply(res, 400, { text: 'No data', code: 5 });
    for (const [i, line] of lines.entries()) {
      let parsed: HecEventReceived;
      try {
        parsed = JSON.parse(line) as HecEventReceived;
      } catch {
        return this.#reply(res, 400, { text: 'Invalid data format', code: 6, 'invalid-event-number': i });
      }
      if (parsed.event === undefined) return this.#reply(res, 400, { text: 'Event field is required', code: 12, 'invalid-event-number': i });
      if (this.allowedIndexes && parsed.index !== undefined && !this.allowedIndexes.includes(parsed.index))
        return this.#reply(res, 400, { text: 'Incorrect index', code: 7, 'invalid-event-number': i });
      events.push(parsed);
    }
    if (!this.useAck) {
      this.events.push(...events);
      return this.#reply(res, 200, { text: 'Success', code: 0 });
    }
    const ackId = this.#nextAckId++;
    const byChannel = this.#pending.get(channel!) ?? new Map();
    byChannel.set(ackId, { polls: 0, events });
    this.#pending.set(channel!, byChannel);
    return this.#reply(res, 200, { text: 'Success', code: 0, ackId });
  }

  #ack(url: URL, body: Buffer, res: ServerResponse): void {
    if (!this.useAck) {
      this.#reply(res, 400, { text: 'ACK is disabled', code: 14 });
      return;
    }
    const channel = url.searchParams.get('channel');
    const query = JSON.parse(body.toString('utf8')) as { acks: number[] };
    this.ackQueries.push({ channel, acks: query.acks });
    const byChannel = this.#pending.get(channel ?? '') ?? new Map();
    const acks: Record<string, boolean> = {};
    for (const id of query.acks) {
      const entry = byChannel.get(id);
      if (!entry) {
        acks[String(id)] = false;
        continue;
      }
      entry.polls++;
      const done = entry.polls > this.ackAfterPolls;
      if (done) {
        this.events.push(...entry.events);
        byChannel.delete(id);
      }
      acks[String(id)] = done;
    }
    this.#reply(res, 200, { acks });
  }
}
