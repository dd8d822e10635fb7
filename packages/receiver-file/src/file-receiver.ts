import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { errorMessage, type ComponentSettings, type LogRecord, type LogsConsumer, type Progress, type Receiver, Counters } from '@oktel/core';
import { logEventToRecord, oktaResource, type RecordContext } from '@oktel/okta-log-event';
import type { FileReceiverConfig } from './config.js';
import { classify, parseLine } from './event-parser.js';
import { isGzip, listInputFiles } from './input-files.js';
import { LineSplitter } from './line-splitter.js';

interface FileState {
  /** Bytes of the file already read (for plain files; gzip files are read once). */
  offset: number;
  line: number;
  splitter: LineSplitter;
  reportedErrors: number;
  finished: boolean;
}

/** A JSON array file is parsed whole; anything bigger than this is better written as JSON Lines. */
const MAX_ARRAY_FILE_BYTES = 512 * 1024 * 1024;
const SCOPE = { name: '@oktel/receiver-file', version: '0.1.0' };

export class FileReceiver implements Receiver {
  readonly #settings: ComponentSettings;
  readonly #config: FileReceiverConfig;
  readonly #next: LogsConsumer;
  readonly #context: RecordContext;
  readonly #abort = new AbortController();
  readonly #files = new Map<string, FileState>();
  #batch: LogRecord[] = [];
  #run: Promise<void> | undefined;
  #bytesRead = 0;
  #bytesTotal = 0;

  constructor(settings: ComponentSettings, config: FileReceiverConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
    this.#context = { resource: oktaResource({ serviceName: config.service_name, ...(config.domain ? { domain: config.domain } : {}) }), scope: SCOPE };
  }

  async start(): Promise<void> {
    // Fail start-up on a path that does not exist, rather than a silent empty replay.
    await stat(this.#config.path).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${this.#config.path}: ${err.code ?? err.message}`);
    });
    this.#run = this.#loop().catch((err: unknown) => {
      if (!this.#abort.signal.aborted) this.#settings.logger.error(`Reading stopped: ${errorMessage(err)}`);
    });
  }

  whenDone(): Promise<void> | undefined {
    return this.#config.follow ? undefined : this.#run;
  }

  progress(): Progress | undefined {
    return this.#config.follow ? undefined : { done: this.#bytesRead, total: this.#bytesTotal, unit: 'bytes' };
  }

  async shutdown(): Promise<void> {
    this.#abort.abort();
    await this.#run;
  }

  get #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  async #loop(): Promise<void> {
    for (;;) {
      const files = await listInputFiles(this.#config.path);
      this.#bytesTotal = 0;
      for (const file of files) this.#bytesTotal += (await stat(file)).size;
      for (const file of files) {
        if (this.#stopped) return;
        await this.#readFile(file);
      }
      await this.#flush();
      if (!this.#config.follow || this.#stopped) return;
      await sleep(this.#config.poll_interval, undefined, { signal: this.#abort.signal }).catch(() => undefined);
      if (this.#stopped) return;
    }
  }

  async #readFile(file: string): Promise<void> {
    let state = this.#files.get(file);
    if (!state) {
      state = { offset: 0, line: 0, splitter: new LineSplitter(), reportedErrors: 0, finished: false };
      this.#files.set(file, state);
    }
    if (state.finished) return;
    const gzip = await isGzip(file);
    const size = (await stat(file)).size;
    if (!gzip && size < state.offset) {
      this.#settings.logger.warn('File shrank; reading it again from the start.', { file });
      Object.assign(state, { offset: 0, line: 0, splitter: new LineSplitter() });
    }
    if (!gzip && size === state.offset) return;
    if (await this.#isJsonArray(file, gzip, state)) {
      await this.#readArrayFile(file, gzip, state);
      return;
    }

    let stream: Readable = gzip ? createReadStream(file) : createReadStream(file, { start: state.offset, end: size - 1 });
    const raw = stream;
    raw.on('data', (chunk: Buffer) => {
      this.#bytesRead += chunk.length;
      if (!gzip) state.offset += chunk.length;
    });
    if (gzip) stream = raw.pipe(createGunzip());
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const line of state.splitter.push(chunk)) await this.#handleLine(file, state, line);
        if (this.#stopped) {
          raw.destroy();
          return;
        }
      }
    } catch (err) {
      this.#report(file, state, `cannot be read further: ${errorMessage(err)}`);
      state.finished = true;
      return;
    }
    // A followed plain file may still be written: its last line waits for its newline.
    if (gzip || !this.#config.follow) {
      const last = state.splitter.flush();
      if (last !== undefined) await this.#handleLine(file, state, last);
      state.finished = true;
    }
  }

  async #isJsonArray(file: string, gzip: boolean, state: FileState): Promise<boolean> {
    if (state.offset > 0 || state.line > 0) return false;
    const head = await readHead(file, gzip);
    return head.trimStart().startsWith('[');
  }

  async #readArrayFile(file: string, gzip: boolean, state: FileState): Promise<void> {
    state.finished = true;
    const size = (await stat(file)).size;
    if (size > MAX_ARRAY_FILE_BYTES) {
      this.#report(file, state, `is a JSON array of ${size} bytes; convert it to JSON Lines to read it as a stream`);
      return;
    }
    const raw = await readFile(file);
    this.#bytesRead += raw.length;
    state.offset = raw.length;
    let value: unknown;
    try {
      value = JSON.parse((gzip ? gunzipSync(raw) : raw).toString('utf8'));
    } catch (err) {
      this.#report(file, state, `is not valid JSON: ${errorMessage(err)}`);
      return;
    }
    const { events, problems } = classify(value);
    for (const problem of problems) this.#report(file, state, problem);
    for (const event of events) await this.#add(logEventToRecord(event, this.#context));
  }

  async #handleLine(file: string, state: FileState, line: string): Promise<void> {
    state.line++;
    if (line.trim() === '') return;
    const { events, problems } = parseLine(line);
    for (const problem of problems) this.#report(`${file}:${state.line}`, state, problem);
    const observed = Date.now();
    for (const event of events) await this.#add(logEventToRecord(event, { ...this.#context, observedAtMs: observed }));
  }

  #report(where: string, state: FileState, problem: string): void {
    this.#settings.telemetry.add(Counters.receiverFailed, 1, 'Records the receiver could not read (malformed input)');
    state.reportedErrors++;
    if (state.reportedErrors <= this.#config.max_reported_errors) {
      this.#settings.logger.warn(`Skipped malformed input at ${where}: ${problem}`);
    } else if (state.reportedErrors === this.#config.max_reported_errors + 1) {
      this.#settings.logger.warn(`More malformed input in ${where.replace(/:\d+$/, '')}; further problems are only counted.`);
    }
  }

  async #add(record: LogRecord): Promise<void> {
    this.#batch.push(record);
    if (this.#batch.length >= this.#config.batch_size) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    try {
      await this.#next.consume(batch);
    } catch (err) {
      // Counted as refused by the pipeline wrapper; a replay goes on with the rest.
      this.#settings.logger.error(`The pipeline refused ${batch.length} records: ${errorMessage(err)}`);
    }
  }
}

/** The first bytes of (decompressed) content, enough to tell a JSON array from JSON Lines. */
async function readHead(file: string, gzip: boolean): Promise<string> {
  const raw = createReadStream(file, gzip ? {} : { start: 0, end: 4095 });
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  let head = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      head += chunk.toString('utf8');
      if (head.trim() !== '' || head.length >= 4096) break;
    }
  } catch {
    // Unreadable content is reported by the line reader with its position.
  } finally {
    raw.destroy();
    stream.destroy();
  }
  return head;
}
