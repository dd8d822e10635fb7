import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OktaLogEvent } from '@oktel/okta-log-event';
import { FaultQueue, type Fault } from './faults.js';
import { OAuthServer, type OAuthClient } from './oauth.js';
import { ERRORS, type OktaErrorBody } from './okta-error.js';
import { RateLimiter } from './rate-limiter.js';
import { parseFilter } from './scim-filter.js';
import { SystemLog, type LogQuery } from './system-log.js';

export interface SimulatorOptions {
  /** SSWS tokens accepted; a token listed in `tokensWithoutLogsAccess` authenticates but gets 403. */
  apiTokens?: string[];
  tokensWithoutLogsAccess?: string[];
  clients?: OAuthClient[];
  /** Requests per window on /api/v1/logs (Okta: 20, 50 or 120 per minute). */
  rateLimit?: number;
  rateLimitWindowMs?: number;
  /** Leave out the X-Rate-Limit-* headers, as some orgs' responses do. */
  omitRateLimitHeaders?: boolean;
  port?: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Remaining budget after this request, as reported in the headers. */
  remaining: number | undefined;
  limit: number | undefined;
  authorization: string | undefined;
  /** The Host header: a link to `localhost` reaches this server under another name. */
  host: string | undefined;
  /** The whole response was handed to the socket (false for a request the client abandoned). */
  answered: boolean;
}

const MAX_LIMIT = 1000;

/**
 * A fake Okta org on 127.0.0.1: GET /api/v1/logs with Okta's parameters, Link headers,
 * rate-limit headers and 429s, Okta's error bodies, SSWS and OAuth (private_key_jwt, DPoP) auth,
 * late-arriving events and injected failures. Every request is recorded for assertions.
 */
export class OktaSimulator {
  readonly log = new SystemLog();
  readonly faults = new FaultQueue();
  readonly rateLimiter: RateLimiter;
  readonly oauth: OAuthServer;
  readonly requests: RecordedRequest[] = [];
  readonly #options: SimulatorOptions;
  #server: Server | undefined;
  #origin = '';
  /** Cursors handed out by scripted pages, so each one advances. */
  #scriptedCursor = 0;

  constructor(options: SimulatorOptions = {}) {
    this.#options = options;
    this.rateLimiter = new RateLimiter(options.rateLimit ?? 120, options.rateLimitWindowMs ?? 60_000);
    this.oauth = new OAuthServer(() => `${this.#origin}/oauth2/v1/token`);
    for (const client of options.clients ?? []) this.oauth.clients.set(client.clientId, client);
  }

  /** http://127.0.0.1:PORT */
  get origin(): string {
    return this.#origin;
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#options.port ?? 0, '127.0.0.1', resolve));
    this.#origin = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this.#origin;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  append(events: readonly OktaLogEvent[], options: { delayMs?: number } = {}): void {
    this.log.append(events, options);
  }

  injectFault(fault: Fault, times = 1): void {
    this.faults.add(fault, times);
  }

  logRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/api/v1/logs');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#origin);
    const now = Date.now();
    const record: RecordedRequest = {
      at: now,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      remaining: undefined,
      limit: undefined,
      authorization: req.headers.authorization,
      host: req.headers.host,
      answered: false,
    };
    this.requests.push(record);
    res.on('finish', () => (record.answered = true));
    const send = (status: number, body: unknown, headers: Record<string, string | string[]> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };

    if (url.pathname === '/oauth2/v1/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const answer = await this.oauth.token(form, header(req, 'dpop'), now);
      send(answer.status, answer.body, answer.headers ?? {});
      return;
    }
    if (url.pathname !== '/api/v1/logs' || req.method !== 'GET') {
      send(404, {
        errorCode: 'E0000022',
        errorSummary: 'The endpoint does not support the provided HTTP method',
        errorLink: 'E0000022',
        errorId: 'x',
        errorCauses: [],
      });
      return;
    }

    const denied = await this.#authenticate(req, url, now);
    if (denied) {
      send(denied.status, denied.body, denied.headers);
      return;
    }

    const { allowed, state } = this.rateLimiter.take(now);
    const rateHeaders: Record<string, string> = this.#options.omitRateLimitHeaders
      ? {}
      : { 'x-rate-limit-limit': String(state.limit), 'x-rate-limit-remaining': String(state.remaining), 'x-rate-limit-reset': String(state.resetEpochSeconds) };
    this.rateLimiter.announce(now, state);
    record.remaining = state.remaining;
    record.limit = state.limit;
    if (!allowed) {
      send(429, ERRORS.rateLimited(), rateHeaders);
      return;
    }

    const fault = this.faults.next();
    if (fault && (await this.#applyFault(fault, req, res, record, rateHeaders, url))) return;

    const parsed = this.#parseQuery(url);
    if ('error' in parsed) {
      send(400, parsed.error, rateHeaders);
      return;
    }
    const page = this.log.query(parsed.query, now);
    const links = [`<${url.href}>; rel="self"`];
    if (page.nextAfter !== undefined) {
      const next = new URL(url.href);
      next.searchParams.delete('since');
      next.searchParams.set('after', page.nextAfter);
      const href = fault?.kind === 'next_link' ? (typeof fault.href === 'string' ? fault.href : fault.href(next.href)) : next.href;
      links.push(`<${href}>; rel="next"`);
    }
    if (fault?.kind === 'raw_events') {
      // Raw text: events a serializer could not even produce (20 000 levels deep).
      record.status = 200;
      const items = [...page.events.map((e) => JSON.stringify(e)), ...fault.raw];
      res.writeHead(200, { 'content-type': 'application/json', ...rateHeaders, link: links }).end(`[${items.join(',')}]`);
      return;
    }
    send(200, page.events, { ...rateHeaders, link: links });
  }

  async #authenticate(
    req: IncomingMessage,
    url: URL,
    now: number,
  ): Promise<{ status: number; body: OktaErrorBody | Record<string, unknown>; headers: Record<string, string> } | undefined> {
    const authorization = req.headers.authorization ?? '';
    if (authorization.startsWith('SSWS ')) {
      const token = authorization.slice(5);
      if (!(this.#options.apiTokens ?? []).includes(token)) return { status: 401, body: ERRORS.invalidToken(), headers: {} };
      if ((this.#options.tokensWithoutLogsAccess ?? []).includes(token)) return { status: 403, body: ERRORS.accessDenied(), headers: {} };
      return undefined;
    }
    if (authorization.startsWith('Bearer ') || authorization.startsWith('DPoP ')) {
      const result = await this.oauth.authorizeApiCall(authorization, header(req, 'dpop'), req.method ?? 'GET', url, 'okta.logs.read', now);
      if (result.ok) return undefined;
      const scheme = authorization.split(' ')[0]!;
      const error = result.status === 403 ? 'insufficient_scope' : 'invalid_token';
      return {
        status: result.status,
        body: result.status === 403 ? ERRORS.accessDenied() : ERRORS.invalidToken(),
        headers: { 'www-authenticate': `${scheme} error="${error}", error_description="${result.reason}"` },
      };
    }
    return { status: 401, body: ERRORS.invalidToken(), headers: {} };
  }

  #parseQuery(url: URL): { query: LogQuery } | { error: OktaErrorBody } {
    const p = url.searchParams;
    const time = (name: string): number | undefined | 'bad' => {
      const v = p.get(name);
      if (v === null) return undefined;
      const t = Date.parse(v);
      return Number.isNaN(t) ? 'bad' : t;
    };
    const since = time('since');
    const until = time('until');
    if (since === 'bad' || until === 'bad') return { error: ERRORS.validation('since/until: not an ISO 8601 timestamp') };
    if (p.has('since') && p.has('after')) return { error: ERRORS.validation('since and after are mutually exclusive') };
    const after = p.get('after') ?? undefined;
    if (after !== undefined && !/^(\d+_\d+|b\d+)$/.test(after)) return { error: ERRORS.validation('after: invalid cursor') };
    const limit = p.has('limit') ? Number(p.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) return { error: ERRORS.validation('limit: must be between 0 and 1000') };
    const sortOrder = p.get('sortOrder') ?? 'ASCENDING';
    if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') return { error: ERRORS.validation('sortOrder: must be ASCENDING or DESCENDING') };
    let filter: LogQuery['filter'];
    if (p.get('filter')) {
      try {
        filter = parseFilter(p.get('filter')!);
      } catch (err) {
        return { error: ERRORS.invalidFilter((err as Error).message) };
      }
    }
    const query: LogQuery = { limit, descending: sortOrder === 'DESCENDING' };
    if (since !== undefined) query.since = since;
    if (until !== undefined) query.until = until;
    if (after !== undefined) query.after = after;
    if (filter) query.filter = filter;
    return { query };
  }

  /** True when the fault consumed the request. */
  async #applyFault(
    fault: Fault,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    rateHeaders: Record<string, string>,
    url: URL,
  ): Promise<boolean> {
    switch (fault.kind) {
      case 'status':
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', ...rateHeaders, ...fault.headers }).end(JSON.stringify(ERRORS.internal()));
        return true;
      case 'redirect':
        record.status = fault.status ?? 302;
        res.writeHead(record.status, { location: fault.location, ...rateHeaders }).end();
        return true;
      case 'rate_limited': {
        record.status = 429;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.resetEpochSeconds !== undefined)
          Object.assign(headers, { 'x-rate-limit-limit': '120', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(fault.resetEpochSeconds) });
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        res.writeHead(429, headers).end(JSON.stringify(ERRORS.rateLimited()));
        return true;
      }
      case 'stuck_page':
        record.status = 200;
        res
          .writeHead(200, { 'content-type': 'application/json', ...rateHeaders, link: [`<${url.href}>; rel="self"`, `<${url.href}>; rel="next"`] })
          .end(fault.body);
        return true;
      case 'page': {
        record.status = 200;
        const next = new URL(url.href);
        next.searchParams.delete('since');
        next.searchParams.set('after', `0_${++this.#scriptedCursor}`);
        res
          .writeHead(200, {
            'content-type': 'application/json',
            ...rateHeaders,
            link: [`<${url.href}>; rel="self"`, `<${fault.next ?? next.href}>; rel="next"`],
          })
          .end(fault.body);
        return true;
      }
      case 'next_link':
      case 'raw_events':
        return false; // applied to the real page
      case 'html':
        record.status = 502;
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return true;
      case 'invalid_json':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json', ...rateHeaders }).end('[{"uuid": "a", ');
        return true;
      case 'truncated':
        record.status = 200;
        // Promise more than is sent, then cut the connection: the client sees a premature end.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000', ...rateHeaders });
        res.write('[{"uuid":"cut-off","published":"2026-');
        setTimeout(() => req.socket.destroy(), 20);
        return true;
      case 'reset':
        record.status = -1;
        req.socket.destroy();
        return true;
      case 'delay':
        await new Promise((r) => setTimeout(r, fault.ms));
        return false;
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
