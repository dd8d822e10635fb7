import { expect } from 'chai';
import { writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileReceiverConfigSchema, fileReceiverFactory } from '@oktel/receiver-file';
import { LogsSink, tempDir, testHost, testSettings, waitUntil, writeLines, fixture as loadFixture } from '@oktel/testkit';

const fixture = loadFixture('user-session-start.json') as Record<string, unknown>;
const event = (n: number): Record<string, unknown> => ({
  ...fixture,
  uuid: `uuid-${n}`,
  published: new Date(Date.UTC(2026, 10, 20, 14) + n * 1000).toISOString(),
});

function receiverFor(config: Record<string, unknown>, sink: LogsSink) {
  const settings = testSettings('receiver', 'file');
  const receiver = fileReceiverFactory.create(settings, fileReceiverConfigSchema.parse(config), sink);
  return { settings, receiver };
}

async function replay(config: Record<string, unknown>) {
  const sink = new LogsSink();
  const { settings, receiver } = receiverFor(config, sink);
  await receiver.start(testHost());
  await receiver.whenDone!();
  await receiver.shutdown();
  return { sink, settings, uuids: sink.records.map((r) => r.attributes['log.record.uid']) };
}

describe('file receiver', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('replays JSON Lines in order, in batches of batch_size', async () => {
    const path = writeLines(
      dir.path,
      'events.jsonl',
      Array.from({ length: 25 }, (_, i) => event(i)),
    );
    const { sink, uuids } = await replay({ path, batch_size: 10 });
    expect(uuids).to.deep.equal(Array.from({ length: 25 }, (_, i) => `uuid-${i}`));
    expect(sink.batches.map((b) => b.length)).to.deep.equal([10, 10, 5]);
  });

  it('reports a malformed line with file:line and reason, and keeps the rest flowing', async () => {
    const path = writeLines(dir.path, 'events.jsonl', [event(1), '{"uuid": "broken', event(2), { uuid: 'x', eventType: 'user.session.start' }, '', event(3)]);
    const { uuids, settings } = await replay({ path });
    expect(uuids).to.deep.equal(['uuid-1', 'uuid-2', 'uuid-3']);
    expect(settings.telemetry.get('failed_log_records')).to.equal(2);
    expect(settings.logs.text).to.contain(`Skipped malformed input at ${path}:2: invalid JSON`);
    expect(settings.logs.text).to.contain(`Skipped malformed input at ${path}:4: missing or empty "published"`);
  });

  it('stops logging each malformed line after max_reported_errors but counts them all', async () => {
    const path = writeLines(dir.path, 'events.jsonl', [...Array(10).fill('not json'), event(1)]);
    const { uuids, settings } = await replay({ path, max_reported_errors: 3 });
    expect(uuids).to.deep.equal(['uuid-1']);
    expect(settings.telemetry.get('failed_log_records')).to.equal(10);
    expect(settings.logs.lines.filter((l) => l.includes('Skipped malformed'))).to.have.length(3);
    expect(settings.logs.text).to.contain('further problems are only counted');
  });

  it('reads a JSON array as Okta returns a page, and a gzip file by its magic bytes', async () => {
    writeFileSync(join(dir.path, 'a-page.json'), JSON.stringify([event(1), event(2)], null, 2));
    writeFileSync(join(dir.path, 'b-more.jsonl'), gzipSync([event(3), event(4)].map((e) => JSON.stringify(e)).join('\n')));
    writeFileSync(join(dir.path, 'c-ignored.txt'), 'not an input');
    const { uuids } = await replay({ path: dir.path });
    expect(uuids).to.deep.equal(['uuid-1', 'uuid-2', 'uuid-3', 'uuid-4']);
  });

  it('reads a file that starts like a JSON array but is not one JSON document line by line, losing only the bad lines', async () => {
    writeFileSync(join(dir.path, 'page.json'), '[{"uuid": 1},');
    const broken = await replay({ path: dir.path });
    expect(broken.uuids).to.deep.equal([]);
    expect(broken.settings.logs.text).to.contain('page.json starts like a JSON array but is not one JSON document');
    expect(broken.settings.logs.text).to.contain('page.json:1');
    expect(broken.settings.telemetry.get('failed_log_records')).to.equal(1);

    // JSON Lines whose first line was cut off at "[": the events after it still arrive.
    const path = join(dir.path, 'cut.jsonl');
    writeFileSync(path, ['[', JSON.stringify(event(1)), JSON.stringify(event(2))].join('\n'));
    const cut = await replay({ path });
    expect(cut.uuids).to.deep.equal(['uuid-1', 'uuid-2']);
    expect(cut.settings.telemetry.get('failed_log_records')).to.equal(1);

    const gz = join(dir.path, 'cut.jsonl.gz');
    writeFileSync(gz, gzipSync(['[', JSON.stringify(event(3))].join('\n')));
    expect((await replay({ path: gz })).uuids).to.deep.equal(['uuid-3']);
  });

  it('handles a last line without a newline and CRLF line ends', async () => {
    const path = join(dir.path, 'crlf.jsonl');
    writeFileSync(path, `${JSON.stringify(event(1))}\r\n${JSON.stringify(event(2))}`);
    expect((await replay({ path })).uuids).to.deep.equal(['uuid-1', 'uuid-2']);
  });

  it('fails to start on a path that does not exist', async () => {
    const { receiver } = receiverFor({ path: join(dir.path, 'nope.jsonl') }, new LogsSink());
    let error: unknown;
    await receiver.start(testHost()).catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('ENOENT');
  });

  it('reads no further than the pipeline accepts (backpressure from a slow consumer)', async () => {
    const path = writeLines(
      dir.path,
      'events.jsonl',
      Array.from({ length: 2000 }, (_, i) => event(i)),
    );
    const sink = new LogsSink();
    sink.delayMs = 40;
    const { receiver, settings } = receiverFor({ path, batch_size: 100 }, sink);
    await receiver.start(testHost());
    await sink.waitFor(300);
    const progress = receiver.progress!()!;
    const bytesPerRecord = progress.total / 2000;
    // One batch in flight at a time, and the file read at most two chunks (64 KiB each) ahead of
    // it: the one being split into lines and the one read ahead.
    expect(sink.maxInFlight).to.equal(1);
    expect(progress.done).to.be.below((sink.count + 200) * bytesPerRecord + 2 * 64 * 1024);
    await receiver.shutdown();
    expect(settings.telemetry.get('failed_log_records')).to.equal(0);
  });

  it('reads the next chunk from disk while the pipeline holds the current one', async () => {
    // Reads run on libuv's thread pool, shared with compression: waiting for each read only once
    // the previous chunk's lines were delivered left the pipeline thread idle behind gzip.
    const path = writeLines(
      dir.path,
      'events.jsonl',
      Array.from({ length: 200 }, (_, i) => event(i)),
    );
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    const consumer = {
      consume: async () => {
        if (batches++ === 0) await held;
      },
    };
    const receiver = fileReceiverFactory.create(testSettings('receiver', 'file'), fileReceiverConfigSchema.parse({ path, batch_size: 1 }), consumer);
    await receiver.start(testHost());
    try {
      await waitUntil(
        () => receiver.progress!()!.done > 64 * 1024,
        5000,
        () => `a second chunk read while the first batch is held (read ${receiver.progress!()!.done} bytes)`,
        5,
      );
      expect(batches).to.equal(1);
      release();
      await receiver.whenDone!();
      expect(batches).to.equal(200);
    } finally {
      release();
      await receiver.shutdown();
    }
  });

  it('follows a file for appended lines and new files until shut down', async () => {
    mkdirSync(join(dir.path, 'in'));
    const path = writeLines(join(dir.path, 'in'), 'a.jsonl', [event(1)]);
    const sink = new LogsSink();
    const { receiver } = receiverFor({ path: join(dir.path, 'in'), follow: true, poll_interval: '20ms' }, sink);
    await receiver.start(testHost());
    expect(receiver.whenDone!()).to.equal(undefined);
    await sink.waitFor(1);
    appendFileSync(path, `${JSON.stringify(event(2))}\n${JSON.stringify(event(3)).slice(0, 40)}`);
    await sink.waitFor(2);
    appendFileSync(path, `${JSON.stringify(event(3)).slice(40)}\n`);
    writeLines(join(dir.path, 'in'), 'b.jsonl', [event(4)]);
    await sink.waitFor(4);
    await receiver.shutdown();
    expect(sink.records.map((r) => r.attributes['log.record.uid'])).to.deep.equal(['uuid-1', 'uuid-2', 'uuid-3', 'uuid-4']);
  });
});
