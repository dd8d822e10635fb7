import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { OktelError } from '../errors.js';

export interface HealthReport {
  healthy: boolean;
  status: string;
  /** Keyed `kind/id`: the Collector's component status, with the reason of an error status. */
  components: Record<string, { healthy: boolean; status: string; since: string; reason?: string }>;
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

function listen(server: Server, address: string, what: string, key: string): Promise<Server> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const hint =
        err.code === 'EADDRINUSE'
          ? `${address} is already in use (another oktel, or a Collector, on this host?): set ${key} to a free port, or port 0 for any`
          : (err.code ?? err.message);
      reject(new OktelError('ERR_LISTEN', `cannot serve ${what} on ${address}: ${hint}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/** GET /metrics in the Prometheus text format. */
export function serveMetrics(address: string, registry: Registry): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/metrics')) {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  return listen(server, address, 'metrics', 'service.telemetry.metrics.address');
}

/** GET /health: 200 with a JSON report while every component is healthy, 503 otherwise. */
export function serveHealth(address: string, report: () => HealthReport): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    const body = report();
    res.writeHead(body.healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return listen(server, address, 'health', 'service.telemetry.health.address');
}

export function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
