// The whole path in one run (pnpm bench pipeline [events]): the floor (stream + split +
// JSON.parse), parse + map to records, and oktel end to end as a real process (start-up
// included) for file → file and file → detection → otlp_http (proto, gzip) to a discard sink on
// 127.0.0.1. Prints events/s, MB/s and the ratio to the floor.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';

const ROOT = resolve(import.meta.dirname, '..');

/** A JSON Lines file of generated Okta events, written once per size and reused. */
export async function eventsFile(events: number): Promise<string> {
  const dir = join(tmpdir(), 'oktel-bench');
  mkdirSync(dir, { recursive: true });
  // v2: events stamped in the past (2026-01), as a replay of a real export is; v1's dates ran past
  // the host clock, so every event counted as clock skew and sat in the reorder buffers.
  const path = join(dir, `okta-v2-${events}.jsonl`);
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.tmp`);
  let written = 0;
  for (let seed = 1; written < events; seed++) {
    const { events: generated } = generateActivity({
      seed,
      start: Date.parse('2026-01-01T00:00:00Z') + seed * 86_400_000,
      signIns: 2000,
      meanGapMs: 2000,
      scenarios: [...SCENARIOS],
    });
    for (const event of generated.slice(0, events - written)) out.write(`${JSON.stringify(event)}\n`);
    written += Math.min(generated.length, events - written);
  }
  await new Promise<void>((done) => out.end(done));
  const { renameSync } = await import('node:fs');
  renameSync(`${path}.tmp`, path);
  return path;
}

async function lines(path: string, each: (line: string) => void): Promise<void> {
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of reader) if (line) each(line);
}

/** The median of `rounds` runs: single runs on a shared machine move by ±30 %. */
async function median(rounds: number, run: () => Promise<number>): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < rounds; i++) seconds.push(await run());
  seconds.sort((a, b) => a - b);
  return seconds[Math.floor(seconds.length / 2)]!;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A loopback OTLP endpoint that reads and discards every body and answers 200 with an empty response. */
async function discardSink(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`, requests: () => requests };
}

/**
 * oktel run on a config, as the documented command's node process does it; returns wall seconds.
 * Asynchronous: the discard sink lives in this process and must keep answering meanwhile.
 */
async function oktelRun(cli: string, configYaml: string, dir: string): Promise<number> {
  const config = join(dir, 'oktel.yaml');
  writeFileSync(config, configYaml);
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, 'run', '--config', config], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0) throw new Error(`oktel run exited ${code}: ${stderr}`);
  return seconds;
}

function receiverYaml(path: string): string {
  return `receivers:\n  file/okta:\n    path: ${path}\n    batch_size: 1000\n`;
}

const TELEMETRY = `  telemetry:\n    logs: { level: warn }\n    metrics: { enabled: false }\n    health: { enabled: false }\n    progress: { interval: 0s }\n`;

/**
 * The CLI as users get it: every package packed and installed with npm into a temp directory,
 * running the compiled JavaScript (no TypeScript loader at start-up).
 */
function installCompiledCli(dir: string): string {
  const tarballs = join(dir, 'tarballs');
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  const run = (cmd: string, args: string[], cwd: string) => {
    const result = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}`);
  };
  run('pnpm', ['--silent', 'packages:pack', tarballs], ROOT);
  const files = readdirSync(tarballs)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(tarballs, f));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], app);
  return join(app, 'node_modules/@oktel/cli/dist/main.js');
}

export async function runPipelineBenchmark(options: { events: number; compiled?: boolean; rounds?: number }) {
  const rounds = options.rounds ?? 3;
  const path = await eventsFile(options.events);
  const bytes = statSync(path).size;
  const dir = join(tmpdir(), `oktel-bench-run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const cli = options.compiled ? installCompiledCli(dir) : join(ROOT, 'packages/cli/bin/oktel.mjs');
  const rate = (seconds: number) => ({
    seconds: Math.round(seconds * 100) / 100,
    events_per_s: Math.round(options.events / seconds),
    mb_per_s: Math.round((bytes / seconds / 1e6) * 10) / 10,
  });

  const floor = await median(rounds, () => timed(() => lines(path, (line) => void JSON.parse(line))));
  const context = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  const mapped = await median(rounds, () => timed(() => lines(path, (line) => void logEventToRecord(JSON.parse(line) as OktaLogEvent, context))));

  const fileToFile = await median(rounds, () =>
    oktelRun(
      cli,
      `${receiverYaml(path)}exporters:\n  file:\n    path: ${join(dir, 'out.jsonl')}\nservice:\n  pipelines:\n    logs: { receivers: [file/okta], exporters: [file] }\n${TELEMETRY}`,
      dir,
    ),
  );

  // Start-up and shutdown alone: the same detection pipeline over an empty input file.
  const empty = join(dir, 'empty.jsonl');
  writeFileSync(empty, '');
  const sink = await discardSink();
  const startup = await median(rounds, () =>
    oktelRun(
      cli,
      `${receiverYaml(empty)}processors:\n  detection: { log_alerts: false }\nexporters:\n  otlp_http:\n    logs_endpoint: ${sink.url}\nservice:\n  pipelines:\n    logs: { receivers: [file/okta], processors: [detection], exporters: [otlp_http] }\n${TELEMETRY}`,
      dir,
    ),
  );
  const beforeDetection = sink.requests();
  const fileToOtlp = await median(rounds, () =>
    oktelRun(
      cli,
      `${receiverYaml(path)}processors:\n  detection: { log_alerts: false }\nexporters:\n  otlp_http:\n    logs_endpoint: ${sink.url}\n    encoding: proto\n    compression: gzip\nservice:\n  pipelines:\n    logs: { receivers: [file/okta], processors: [detection], exporters: [otlp_http] }\n${TELEMETRY}`,
      dir,
    ),
  );
  const detectionRequests = (sink.requests() - beforeDetection) / rounds;
  const beforeNoProcessor = sink.requests();
  const noProcessor = await median(rounds, () =>
    oktelRun(
      cli,
      `${receiverYaml(path)}exporters:\n  otlp_http:\n    logs_endpoint: ${sink.url}\n    encoding: proto\n    compression: gzip\nservice:\n  pipelines:\n    logs: { receivers: [file/okta], exporters: [otlp_http] }\n${TELEMETRY}`,
      dir,
    ),
  );
  const requests = (sink.requests() - beforeNoProcessor) / rounds;
  await new Promise<void>((done) => sink.server.close(() => done()));
  rmSync(dir, { recursive: true, force: true });

  const ratio = (seconds: number) => Math.round((floor / seconds) * 100) / 100;
  return {
    events: options.events,
    rounds,
    cli: options.compiled ? 'compiled (packed and installed with npm)' : 'sources under tsx',
    input_mb: Math.round(bytes / 1e6),
    floor_stream_split_parse: rate(floor),
    parse_and_map: { ...rate(mapped), vs_floor: ratio(mapped) },
    oktel_file_to_file: { ...rate(fileToFile), vs_floor: ratio(fileToFile) },
    oktel_file_to_otlp_http_proto_gzip_no_processor: { ...rate(noProcessor), vs_floor: ratio(noProcessor) },
    oktel_file_detection_otlp_http_proto_gzip: {
      ...rate(fileToOtlp),
      vs_floor: ratio(fileToOtlp),
      detection_vs_no_processor: Math.round((noProcessor / fileToOtlp) * 100) / 100,
    },
    oktel_startup_and_shutdown_empty_input_s: Math.round(startup * 100) / 100,
    otlp_requests_per_run_no_processor: requests,
    otlp_requests_per_run_with_detection: detectionRequests,
  };
}
