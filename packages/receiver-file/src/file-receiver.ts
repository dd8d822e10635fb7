import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import {
  errorMessage,
  millisFromHrTime,
  type ComponentSettings,
  type Host,
  type Lag,
  type LogRecord,
  type LogsConsumer,
  type Progress,
  type Receiver,
  Counters,
  PermanentError,
} from '@oktel/core';
import { logEventToRecord, oktaResource, type RecordContext } from '@oktel/okta-log-event';
import type { FileReceiverConfig } from './config.js';
import { classify, parseLine } from './event-parser.js';
import { isGzip, listInputFiles } from './input-files.js';
import { LineSplitter, type OversizedLine } from './line-splitter.js';
import { PositionStore, type Position } from './positions.js';

interface FileState {
  /** Open while the file is followed: a file renamed away is still read to its end through it. */
  handle: FileHandle | undefined;
  ino: number | undefined;
  /** Bytes of the file already read (for plain files; gzip files are read once). */
  offset: number;
  line: number;
  splitter: LineSplitter;
  reportedErrors: number;
  finished: boolean;
  /** The file's first bytes as read: different bytes there mean it was truncated and rewritten. */
  fingerprint: Buffer;
  /** The last bytes read, ending at `offset`. */
  tail: Buffer;
}

/** As the Collector's filelog receiver: the first 1000-odd bytes identify a file's content. */
const FINGERPRINT_BYTES = 1024;
/** The bytes just before the offset: a rewrite that kept the first line still differs here. */
const TAIL_BYTES = 64;

/** A JSON array file is parsed whole; anything bigger than this is better written as JSON Lines. */
const MAX_ARRAY_FILE_BYTES = 512 * 1024 * 1024;
const READ_CHUNK = 64 * 1024;
const MAX_BACKOFF_MS = 30_000;
const SCOPE = { name: '@oktel/receiver-file', version: '0.1.0' };

export class FileReceiver implements Receiver {
  readonly #settings: ComponentSettings;
  readonly #config: FileReceiverConfig;
  readonly #next: LogsConsumer;
  readonly #context: RecordContext;
  readonly #abort = new AbortController();
  readonly #files = new Map<string, FileState>();
  /** Position after the last line whose records are all in the batch or delivered, per file. */
  readonly #marks = new Map<string, Position>();
  /** Positions whose records were all accepted: what a checkpoint saves. */
  readonly #committed = new Map<string, Position>();
  #saved = new Map<string, Position>();
  #positions: PositionStore | undefined;
  #host: Host | undefined;
  #batch: LogRecord[] = [];
  #run: Promise<void> | undefined;
  #bytesRead = 0;
  #bytesTotal = 0;
  #waitingForPath = false;
  #failing = false;
  #checkpointFailing = false;
  /** Where files that left their path were read up to, by inode: one renamed to another input name is not read twice. */
  readonly #retired = new Map<number, { offset: number; line: number; fingerprint: Buffer }>();
  #newestDelivered: number | undefined;
  #caughtUp = false;

  constructor(settings: ComponentSettings, config: FileReceiverConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
    this.#context = {
      resource: oktaResource({ serviceName: config.service_name, ...(config.domain ? { domain: config.domain } : {}) }),
      scope: SCOPE,
      attributeProfile: config.attributes,
    };
  }

  async start(host: Host): Promise<void> {
    this.#host = host;
    // A replay of a path that does not exist fails start-up rather than being silently empty;
    // a followed path may appear later (the file is waited for).
    if (!this.#config.follow) {
      await stat(this.#config.path).catch((err: NodeJS.ErrnoException) => {
        throw new PermanentError(`cannot read ${this.#config.path}: ${err.code ?? err.message}`, { code: 'ERR_INPUT_READ', cause: err });
      });
    }
    if (this.#config.storage) {
      this.#positions = await PositionStore.open(host, this.#config.storage, this.#settings.id, this.#settings.logger);
      this.#saved = await this.#positions.load();
      for (const [path, position] of this.#saved) this.#committed.set(path, position);
    }
    this.#run = this.#loop().catch((err: unknown) => {
      if (this.#stopped) return;
      this.#settings.logger.error(`Reading stopped: ${errorMessage(err)}`);
      this.#status('permanent_error', `reading stopped: ${errorMessage(err)}`);
    });
  }

  whenDone(): Promise<void> | undefined {
    return this.#config.follow ? undefined : this.#run;
  }

  progress(): Progress | undefined {
    return this.#config.follow ? undefined : { done: this.#bytesRead, total: this.#bytesTotal, unit: 'bytes' };
  }

  /** In follow mode: the newest event time delivered, and whether the last look reached the end of every file. */
  lag(): Lag | undefined {
    if (!this.#config.follow) return undefined;
    return this.#newestDelivered === undefined ? { caughtUp: this.#caughtUp } : { caughtUp: this.#caughtUp, newestEventTime: this.#newestDelivered };
  }

  async shutdown(): Promise<void> {
    this.#abort.abort();
    await this.#run;
    for (const state of this.#files.values()) await state.handle?.close().catch(() => undefined);
  }

  get #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  #status(status: 'ok' | 'recoverable_error' | 'permanent_error', reason?: string): void {
    this.#host?.reportStatus(`receiver/${this.#settings.id}`, reason === undefined ? { status } : { status, reason });
  }

  async #loop(): Promise<void> {
    let backoff = this.#config.poll_interval;
    for (;;) {
      try {
        await this.#pass();
        if (this.#failing) {
          this.#failing = false;
          this.#status('ok');
        }
        backoff = this.#config.poll_interval;
      } catch (err) {
        if (!this.#config.follow || this.#stopped) throw err;
        // A followed path that fails (permissions, EIO) is retried with backoff, visibly.
        this.#failing = true;
        this.#settings.logger.warn(`Reading ${this.#config.path} failed; retrying in ${Math.round(backoff / 1000)}s: ${errorMessage(err)}`);
        this.#status('recoverable_error', `reading ${this.#config.path} failed: ${errorMessage(err)}`);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      if (!this.#config.follow || this.#stopped) return;
      await sleep(this.#failing ? backoff : this.#config.poll_interval, undefined, { signal: this.#abort.signal }).catch(() => undefined);
      if (this.#stopped) return;
    }
  }

  /** One look at the path: every input file read to its current end, then flushed. */
  async #pass(): Promise<void> {
    const files = await this.#listFiles();
    // A followed file no longer at its path (renamed away, replaced, deleted): finish what it
    // still holds through its open handle, before any file is read under a new name.
    for (const [path, state] of this.#files) {
      if (!state.handle) continue;
      const info = files.includes(path) ? await stat(path).catch(() => undefined) : undefined;
      if (info && info.ino === state.ino) continue;
      await this.#drain(path, state);
      const last = state.splitter.flush();
      if (last !== undefined) await this.#handleLine(path, state, last);
      await this.#retire(
        path,
        state,
        info ? 'was rotated (a new file is at its path); read the old one to its end' : 'is gone from its path (rotated or deleted); read it to its end',
      );
    }
    this.#bytesTotal = 0;
    for (const file of files) this.#bytesTotal += (await stat(file).catch(() => ({ size: 0 }))).size;
    for (const file of files) {
      if (this.#stopped) return;
      await this.#readFile(file);
    }
    await this.#flush();
    this.#caughtUp = true;
  }

  async #listFiles(): Promise<string[]> {
    try {
      const files = await listInputFiles(this.#config.path);
      if (this.#waitingForPath) this.#settings.logger.info(`${this.#config.path} is back; reading it.`);
      this.#waitingForPath = false;
      return files;
    } catch (err) {
      if (!this.#config.follow || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!this.#waitingForPath) this.#settings.logger.warn(`${this.#config.path} does not exist (deleted or not yet created); waiting for it.`);
      this.#waitingForPath = true;
      return [];
    }
  }

  async #retire(path: string, state: FileState, why: string): Promise<void> {
    this.#settings.logger.info(`${path} ${why}.`);
    if (state.ino !== undefined)
      this.#retired.set(state.ino, { offset: state.offset - state.splitter.pendingBytes, line: state.line, fingerprint: state.fingerprint });
    await state.handle?.close().catch(() => undefined);
    this.#files.delete(path);
    this.#marks.delete(path);
  }

  #newState(): FileState {
    return {
      handle: undefined,
      ino: undefined,
      offset: 0,
      line: 0,
      splitter: new LineSplitter(this.#config.max_line_size),
      reportedErrors: 0,
      finished: false,
      fingerprint: Buffer.alloc(0),
      tail: Buffer.alloc(0),
    };
  }

  async #readFile(file: string): Promise<void> {
    let state = this.#files.get(file);
    if (!state) {
      state = this.#newState();
      this.#files.set(file, state);
    }
    if (state.finished) return;
    const gzip = await isGzip(file).catch(() => false);
    if (gzip) {
      await this.#readGzip(file, state);
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info) return; // gone between listing and reading: handled on the next pass
    if (state.handle && info.ino !== state.ino) {
      // Renamed away and a new file created at the path: the old one is finished first.
      await this.#drain(file, state);
      await state.handle.close().catch(() => undefined);
      this.#settings.logger.info(`${file} was rotated; finished the old file, reading the new one from the start.`);
      this.#marks.delete(file);
      Object.assign(state, this.#newState());
    }
    if (!state.handle) {
      state.handle = await open(file, 'r');
      state.ino = (await state.handle.stat()).ino;
      const saved = this.#saved.get(file);
      if (saved && saved.ino === state.ino && saved.offset <= info.size) {
        state.offset = saved.offset;
        state.line = saved.line;
        this.#bytesRead += saved.offset;
        this.#settings.logger.info(`Resuming ${file} at line ${saved.line + 1} (byte ${saved.offset}) from the saved position.`);
      }
      this.#saved.delete(file);
      const moved = this.#retired.get(state.ino);
      this.#retired.delete(state.ino);
      // Inode numbers are reused: it is the same file only if it also starts with the same bytes.
      if (moved && state.offset === 0 && moved.offset <= info.size && (await this.#startsWith(state.handle, moved.fingerprint))) {
        // The same file under a new name (rotated to a name we also read): go on where it was.
        state.offset = moved.offset;
        state.fingerprint = moved.fingerprint;
        state.line = moved.line;
        this.#settings.logger.info(`${file} is a file already read under another name; going on at byte ${moved.offset}.`);
      }
      if (state.offset === 0 && (await this.#isJsonArray(file, false)) && (await this.#readArrayFile(file, false, state))) {
        await state.handle.close();
        state.handle = undefined;
        return;
      }
    }
    const size = (await state.handle.stat()).size;
    if (size < state.offset || !(await this.#sameStart(state))) {
      this.#settings.logger.warn(`${file} was truncated (copy-truncate rotation?); reading it again from the start.`);
      this.#marks.delete(file);
      Object.assign(state, { offset: 0, line: 0, splitter: new LineSplitter(this.#config.max_line_size), fingerprint: Buffer.alloc(0), tail: Buffer.alloc(0) });
    }
    await this.#drain(file, state);
  }

  async #startsWith(handle: FileHandle, expected: Buffer): Promise<boolean> {
    if (expected.length === 0) return false;
    const now = Buffer.alloc(expected.length);
    const { bytesRead } = await handle.read(now, 0, now.length, 0);
    return bytesRead === now.length && now.equals(expected);
  }

  /** False when the bytes at the start of the file are no longer the ones read there. */
  async #sameStart(state: FileState): Promise<boolean> {
    if (!state.handle) return true;
    const same = async (expected: Buffer, at: number): Promise<boolean> => {
      if (expected.length === 0) return true;
      const now = Buffer.alloc(expected.length);
      const { bytesRead } = await state.handle!.read(now, 0, now.length, at);
      return bytesRead === now.length && now.equals(expected);
    };
    return (await same(state.fingerprint, 0)) && (await same(state.tail, state.offset - state.tail.length));
  }

  /** Reads a plain file through its open handle from the current offset to its end. */
  async #drain(file: string, state: FileState): Promise<void> {
    if (!state.handle) return;
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const handle = state.handle;
    // The next chunk is read while this one's lines go through the pipeline: reads run on libuv's
    // thread pool, which compression shares, and waiting for each read in turn left this thread idle.
    const read = (at: number) => {
      const next = handle.read(buffer, 0, READ_CHUNK, at).then((r) => {
        this.#bytesRead += r.bytesRead;
        return r;
      });
      // Handled now, awaited later: a read that fails while the pipeline holds the previous chunk
      // must surface at that await, not as an unhandled rejection that ends the process.
      next.catch(() => undefined);
      return next;
    };
    let reading: Promise<{ bytesRead: number }> | undefined = read(state.offset);
    try {
      for (;;) {
        if (this.#stopped) return;
        const start = state.offset;
        const { bytesRead } = await reading;
        reading = undefined;
        if (bytesRead === 0) break;
        if (start < FINGERPRINT_BYTES)
          state.fingerprint = Buffer.concat([state.fingerprint, buffer.subarray(0, Math.min(bytesRead, FINGERPRINT_BYTES - start))]);
        state.offset += bytesRead;
        const chunk = buffer.subarray(0, bytesRead);
        state.tail = Buffer.concat([state.tail, chunk.subarray(Math.max(0, bytesRead - TAIL_BYTES))]).subarray(-TAIL_BYTES);
        // The splitter copies what it keeps, so the buffer is free for the next read.
        const lines = state.splitter.pushLines(chunk);
        reading = read(state.offset);
        for (const line of lines) {
          await this.#handleLine(file, state, 'text' in line ? line.text : line);
          this.#mark(file, state, start + line.end);
        }
      }
    } finally {
      // A read still in flight must settle before the handle can be closed.
      if (reading) await reading.catch(() => undefined);
    }
    // A followed plain file may still be written: its last line waits for its newline.
    if (!this.#config.follow) {
      const last = state.splitter.flush();
      if (last !== undefined) await this.#handleLine(file, state, last);
      this.#mark(file, state, state.offset);
      state.finished = true;
      await state.handle.close();
      state.handle = undefined;
    }
  }

  #mark(file: string, state: FileState, offset: number): void {
    if (state.ino !== undefined) this.#marks.set(file, { ino: state.ino, offset, line: state.line });
  }

  async #readGzip(file: string, state: FileState): Promise<void> {
    state.finished = true;
    if ((await this.#isJsonArray(file, true)) && (await this.#readArrayFile(file, true, state))) return;
    const raw = createReadStream(file);
    raw.on('data', (chunk: Buffer | string) => {
      this.#bytesRead += chunk.length;
    });
    const stream = raw.pipe(createGunzip());
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const line of state.splitter.pushLines(chunk)) await this.#handleLine(file, state, 'text' in line ? line.text : line);
        if (this.#stopped) {
          raw.destroy();
          return;
        }
      }
    } catch (err) {
      this.#report(file, state, `cannot be read further: ${errorMessage(err)}`);
      return;
    }
    const last = state.splitter.flush();
    if (last !== undefined) await this.#handleLine(file, state, last);
  }

  /**
   * A pretty-printed JSON array (a saved API page) is read whole. A file whose first line is
   * complete JSON is JSON Lines, even when that line is an array: each line is then its own
   * record or page, and one bad line costs nothing else.
   */
  async #isJsonArray(file: string, gzip: boolean): Promise<boolean> {
    const first = await readFirstLine(file, gzip, this.#config.max_line_size);
    if (!first.trimStart().startsWith('[')) return false;
    try {
      JSON.parse(first);
      return false;
    } catch {
      return true;
    }
  }

  /**
   * Reads a file that looks like a pretty-printed array as one JSON document. False when it is not
   * one (say, JSON Lines whose first line is a cut-off "["): it is then read line by line, so one
   * bad line costs only itself.
   */
  async #readArrayFile(file: string, gzip: boolean, state: FileState): Promise<boolean> {
    const size = (await stat(file)).size;
    if (size > MAX_ARRAY_FILE_BYTES) {
      state.finished = true;
      this.#report(file, state, `is a JSON array of ${size} bytes; convert it to JSON Lines to read it as a stream`);
      return true;
    }
    const raw = await readFile(file);
    let value: unknown;
    try {
      value = JSON.parse((gzip ? gunzipSync(raw) : raw).toString('utf8'));
    } catch (err) {
      this.#settings.logger.warn(`${file} starts like a JSON array but is not one JSON document (${errorMessage(err)}); reading it as JSON Lines.`);
      return false;
    }
    state.finished = true;
    this.#bytesRead += raw.length;
    state.offset = raw.length;
    const { events, problems } = classify(value);
    for (const problem of problems) this.#report(file, state, problem);
    for (const event of events) await this.#add(logEventToRecord(event, this.#context));
    return true;
  }

  async #handleLine(file: string, state: FileState, line: string | OversizedLine): Promise<void> {
    state.line++;
    if (typeof line !== 'string') {
      this.#report(`${file}:${state.line}`, state, `line of ${line.oversizedBytes} bytes is longer than max_line_size (${this.#config.max_line_size})`);
      return;
    }
    if (line.trim() === '') return;
    const { events, problems } = parseLine(line);
    for (const problem of problems) this.#report(`${file}:${state.line}`, state, problem);
    const observed = Date.now();
    for (const event of events) {
      let record: LogRecord;
      try {
        record = logEventToRecord(event, { ...this.#context, observedAtMs: observed });
      } catch (err) {
        this.#report(`${file}:${state.line}`, state, `cannot be converted: ${errorMessage(err)}`);
        continue;
      }
      await this.#add(record);
    }
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
    // Every line up to the current marks has its records in this batch or an earlier one.
    const marks = new Map(this.#marks);
    if (this.#batch.length > 0) {
      const batch = this.#batch;
      this.#batch = [];
      try {
        await this.#next.consume(batch);
        for (const record of batch) {
          const t = millisFromHrTime(record.hrTime);
          if (this.#newestDelivered === undefined || t > this.#newestDelivered) this.#newestDelivered = t;
        }
      } catch (err) {
        // Counted as refused by the pipeline wrapper; reading goes on with the rest.
        this.#settings.logger.error(`The pipeline refused ${batch.length} records: ${errorMessage(err)}`);
      }
    }
    await this.#checkpoint(marks);
  }

  async #checkpoint(marks: ReadonlyMap<string, Position>): Promise<void> {
    if (!this.#positions) return;
    let changed = false;
    for (const [file, position] of marks) {
      const before = this.#committed.get(file);
      if (before?.ino !== position.ino || before.offset !== position.offset) {
        this.#committed.set(file, position);
        changed = true;
      }
    }
    if (!changed) return;
    try {
      await this.#positions.save(this.#committed);
      if (this.#checkpointFailing) {
        this.#checkpointFailing = false;
        this.#status('ok');
      }
    } catch (err) {
      // Not fatal: reading goes on, the next flush tries again; a restart would re-read a little.
      this.#checkpointFailing = true;
      this.#settings.logger.warn(`Could not save the file positions: ${errorMessage(err)}`);
      this.#status('recoverable_error', `cannot save file positions: ${errorMessage(err)}`);
    }
  }
}

/** The first line of (decompressed) content, up to `max` bytes. */
async function readFirstLine(file: string, gzip: boolean, max: number): Promise<string> {
  const raw = createReadStream(file);
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const nl = chunk.indexOf(10);
      chunks.push(nl === -1 ? chunk : chunk.subarray(0, nl));
      length += chunk.length;
      if (nl !== -1 || length >= max) break;
    }
  } catch {
    // Unreadable content is reported by the line reader with its position.
  } finally {
    raw.destroy();
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
