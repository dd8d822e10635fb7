import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  /** 503 to every request, forever. */
  | 'unavailable'
  /** Reads the request, sends 200 headers and a few body bytes, then never another byte. */
  | 'hang-mid-body'
  /** 200 with a body that never ends (1 KiB every few ms). */
  | 'endless-body'
  /** 200 whose body arrives one byte every 2 s. */
  | 'slow-drip'
  /** Reads the request and never answers at all. */
  | 'never-answer';

/**
 * An HTTP server on 127.0.0.1 that misbehaves in one documented way, counting the requests it
 * got; `stop` ends every connection and timer it holds.
 */
export class MisbehavingServer {
  requests = 0;
  /** Bytes of response body written in total (an endless body keeps growing this). */
  bytesWritten = 0;
  readonly #server: Server;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(readonly behaviour: Behaviour) {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1/logs`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    this.#timers.add(t);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      this.requests++;
      const write = (chunk: string | Buffer): void => {
        if (res.destroyed) return;
        this.bytesWritten += chunk.length;
        res.write(chunk);
      };
      switch (this.behaviour) {
        case 'unavailable':
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":14,"message":"unavailable"}');
          return;
        case 'hang-mid-body':
          res.writeHead(200, { 'content-type': 'application/json' });
          write('{"partialSucc');
          return;
        case 'endless-body': {
          res.writeHead(200, { 'content-type': 'application/json' });
          const kib = Buffer.alloc(1024, 0x20);
          this.#every(2, () => write(kib));
          return;
        }
        case 'slow-drip':
          res.writeHead(200, { 'content-type': 'application/json' });
          write(' ');
          this.#every(2000, () => write(' '));
          return;
        case 'never-answer':
          return;
      }
    });
  }
}
