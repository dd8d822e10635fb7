import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrappedRequest {
  at: number;
  method: string;
  url: string;
  host: string | undefined;
  authorization: string | undefined;
  dpop: string | undefined;
}

/**
 * A second server on 127.0.0.1 standing in for an attacker's host: it records every request
 * (and whether it carried credentials) and answers like a System Log page, with events of its
 * own, so a client that trusts it shows it.
 */
export class RecordingServer {
  readonly requests: TrappedRequest[] = [];
  #server: Server | undefined;
  #origin = '';

  constructor(readonly body: unknown[] = []) {}

  get origin(): string {
    return this.#origin;
  }

  async start(): Promise<string> {
    this.#server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      this.requests.push({
        at: Date.now(),
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        host: req.headers.host,
        authorization: header('authorization'),
        dpop: header('dpop'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.body));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
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
}
