import { expect } from 'chai';
import { appendFileSync, copyFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileReceiverConfigSchema, fileReceiverFactory } from '@oktel/receiver-file';
import { FileStorage, fileStorageConfigSchema } from '@oktel/extension-file-storage';
import { LogsSink, tempDir, testHost, testSettings, waitUntil, writeLines, fixture as loadFixture } from '@oktel/testkit';

const fixture = loadFixture('user-session-start.json') as Record<string, unknown>;
const event = (n: number): Record<string, unknown> => ({
  ...fixture,
  uuid: `uuid-${n}`,
  published: new Date(Date.UTC(2026, 10, 20, 14) + n * 1000).toISOString(),
});
const lines = (...ns: number[]): string => ns.map((n) => `${JSON.stringify(event(n))}\n`).join('');
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `uuid-${from + i}`);

function follower(config: Record<string, unknown>, extensions: Record<string, unknown> = {}) {
  const sink = new LogsSink();
  const settings = testSettings('receiver', 'file');
  const receiver = fileReceiverFactory.create(settings, fileReceiverConfigSchema.parse({ follow: true, poll_interval: '20ms', ...config }), sink);
  const host = testHost(extensions);
  const uuids = (): unknown[] => sink.records.map((r) => r.attributes['log.record.uid']);
  return { sink, settings, receiver, host, uuids };
}

describe('file receiver in follow mode', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('finishes a file renamed away (rotation) and reads the new file at the path from its start', async () => {
    const path = join(dir.path, 'okta.jsonl');
    writeFileSync(path, lines(1, 2, 3));
    const f = follower({ path });
    await f.receiver.start(f.host);
    await f.sink.waitFor(3);
    // Between two polls: the writer appends, rotates and starts a new file.
    appendFileSync(path, lines(4, 5));
    renameSync(path, join(dir.path, 'okta.jsonl.1'));
    writeFileSync(path, lines(6, 7));
    await f.sink.waitFor(7);
    await f.receiver.shutdown();
    expect(f.uuids()).to.deep.equal(range(1, 7));
    expect(f.settings.telemetry.get('failed_log_records')).to.equal(0);
  });

  it('in a directory, does not read a file again when it is rotated to another input name', async () => {
    const path = join(dir.path, 'b-current.jsonl');
    writeFileSync(path, lines(1, 2));
    const f = follower({ path: dir.path });
    await f.receiver.start(f.host);
    await f.sink.waitFor(2);
    appendFileSync(path, lines(3));
    renameSync(path, join(dir.path, 'a-previous.jsonl'));
    writeFileSync(path, lines(4));
    await f.sink.waitFor(4);
    await waitUntil(
      () => f.receiver.lag!()?.caughtUp === true,
      5_000,
      () => 'caught up',
      10,
    );
    await f.receiver.shutdown();
    expect(f.uuids()).to.deep.equal(range(1, 4));
  });

  it('reads a copy-truncated file again from the start, even when it grew past the old offset', async () => {
    const path = join(dir.path, 'okta.jsonl');
    writeFileSync(path, lines(1, 2));
    const f = follower({ path });
    await f.receiver.start(f.host);
    await f.sink.waitFor(2);
    copyFileSync(path, join(dir.path, 'okta.jsonl.1'));
    truncateSync(path, 0);
    appendFileSync(path, lines(3, 4, 5, 6));
    await f.sink.waitFor(6);
    await f.receiver.shutdown();
    expect(f.uuids()).to.deep.equal(range(1, 6));
    expect(f.settings.telemetry.get('failed_log_records')).to.equal(0);
    expect(f.settings.logs.text).to.contain('was truncated');
  });

  it('waits for a deleted file to come back instead of ending, and reports no error', async () => {
    const path = join(dir.path, 'okta.jsonl');
    writeFileSync(path, lines(1));
    const f = follower({ path });
    await f.receiver.start(f.host);
    await f.sink.waitFor(1);
    unlinkSync(path);
    await waitUntil(
      () => f.settings.logs.text.includes('waiting for it'),
      5_000,
      () => 'the receiver to notice the deletion',
      10,
    );
    writeFileSync(path, lines(2, 3));
    await f.sink.waitFor(3);
    await f.receiver.shutdown();
    expect(f.uuids()).to.deep.equal(range(1, 3));
    expect([...(f.host.statuses.get('receiver/file') ?? [])].filter((s) => s.status !== 'ok')).to.deep.equal([]);
  });

  it('says how far behind real time it is once it has read to the end (lag)', async () => {
    const path = join(dir.path, 'okta.jsonl');
    writeFileSync(path, lines(1, 5, 3));
    const f = follower({ path });
    expect(f.receiver.lag!()).to.deep.equal({ caughtUp: false });
    await f.receiver.start(f.host);
    await f.sink.waitFor(3);
    await waitUntil(
      () => f.receiver.lag!()?.caughtUp === true,
      5_000,
      () => 'caught up',
      10,
    );
    expect(f.receiver.lag!()).to.deep.equal({ caughtUp: true, newestEventTime: Date.parse(event(5).published as string) });
    await f.receiver.shutdown();
  });

  it('resumes from the position saved in storage after a restart, without re-reading', async () => {
    const path = join(dir.path, 'okta.jsonl');
    writeFileSync(path, lines(1, 2, 3));
    const storage = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: join(dir.path, 'store') }));
    await storage.start();
    const first = follower({ path, storage: 'file_storage' }, { file_storage: storage });
    await first.receiver.start(first.host);
    await first.sink.waitFor(3);
    await first.receiver.shutdown();
    appendFileSync(path, lines(4, 5));
    const second = follower({ path, storage: 'file_storage' }, { file_storage: storage });
    await second.receiver.start(second.host);
    await second.sink.waitFor(2);
    await second.receiver.shutdown();
    await storage.shutdown();
    expect(second.uuids()).to.deep.equal(range(4, 5));
  });

  it('sets aside an unreadable saved position, naming it, and reads from the start', async () => {
    const path = join(dir.path, 'okta.jsonl');
    writeFileSync(path, lines(1, 2));
    const storage = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: join(dir.path, 'store') }));
    await storage.start();
    await (await storage.client('receiver', 'file')).set('positions', '{"files": {"x": {"ino": "__proto__"}}');
    const f = follower({ path, storage: 'file_storage' }, { file_storage: storage });
    await f.receiver.start(f.host);
    await f.sink.waitFor(2);
    await f.receiver.shutdown();
    await storage.shutdown();
    expect(f.uuids()).to.deep.equal(range(1, 2));
    expect(f.settings.logs.text).to.match(/saved file positions in \S+\/positions are unreadable .*set aside as \S+\/positions\.corrupt-\d+/);
  });
});

describe('file receiver: one bad line never costs a good one', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  async function replay(config: Record<string, unknown>) {
    const sink = new LogsSink();
    const settings = testSettings('receiver', 'file');
    const receiver = fileReceiverFactory.create(settings, fileReceiverConfigSchema.parse(config), sink);
    await receiver.start(testHost());
    await receiver.whenDone!();
    await receiver.shutdown();
    return { settings, uuids: sink.records.map((r) => r.attributes['log.record.uid']) };
  }

  it('reads JSON Lines line by line even when the first line is an array (a page)', async () => {
    const path = writeLines(dir.path, 'events.jsonl', [[event(1), event(2)], event(3), ...Array.from({ length: 997 }, (_, i) => event(4 + i))]);
    const { uuids, settings } = await replay({ path });
    expect(uuids).to.deep.equal(range(1, 1000));
    expect(settings.telemetry.get('failed_log_records')).to.equal(0);
  });

  it('skips a line longer than max_line_size, counted and logged, and keeps the lines after it', async () => {
    const huge = { ...event(99), padding: 'x'.repeat(8_000) };
    const path = writeLines(dir.path, 'events.jsonl', [event(1), huge, event(2), event(3)]);
    const { uuids, settings } = await replay({ path, max_line_size: '4KiB' });
    expect(uuids).to.deep.equal(range(1, 3));
    expect(settings.telemetry.get('failed_log_records')).to.equal(1);
    expect(settings.logs.text).to.contain(`Skipped malformed input at ${path}:2: line of`);
  });

  it('rejects an event nested 20 000 levels deep on its own line and delivers every good line around it', async () => {
    let deep = '{"leaf":1}';
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
    const nested = JSON.stringify({ ...event(50), debugContext: { debugData: '__DEEP__' } }).replace('"__DEEP__"', deep);
    const path = writeLines(dir.path, 'events.jsonl', [
      ...Array.from({ length: 40 }, (_, i) => event(i + 1)),
      nested,
      ...Array.from({ length: 40 }, (_, i) => event(i + 41)),
    ]);
    const { uuids, settings } = await replay({ path, batch_size: 25 });
    expect(uuids).to.deep.equal(range(1, 80));
    expect(settings.telemetry.get('failed_log_records')).to.equal(1);
    expect(settings.logs.text).to.contain(`${path}:41`);
  });
});
