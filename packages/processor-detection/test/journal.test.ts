import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { detectionConfigSchema, DetectionProcessor } from '@oktel/processor-detection';
import { FileStorage, fileStorageConfigSchema } from '@oktel/extension-file-storage';
import type { LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings, waitUntil } from '@oktel/testkit';
import { record, writeRule } from './helpers.js';
import { SEQUENCE_RULE } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const min = (m: number) => T0 + m * 60_000;
const event = (uuid: string, at: number, result: string) => ({
  uuid,
  published: new Date(at).toISOString(),
  severity: 'INFO',
  eventType: 'user.session.start',
  actor: { type: 'User', alternateId: 'dana' },
  outcome: { result },
});

describe('detection: correlation state in step with the checkpoint', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  async function resume(ruleFile: string, batch: LogRecord[]) {
    const storage = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: `${dir.path}/state` }));
    await storage.start();
    const sink = new LogsSink();
    const settings = testSettings('processor', 'detection');
    const processor = new DetectionProcessor(
      settings,
      detectionConfigSchema.parse({ rules: [ruleFile], storage: 'file_storage', allowed_lateness: '0s', idle_after: '0s', state_save_interval: '1h' }),
      sink,
    );
    await processor.start(testHost({ file_storage: storage }));
    await processor.consume(batch);
    await processor.shutdown();
    return { alerts: sink.records.filter((r) => r.attributes['event.kind'] === 'alert'), settings };
  }

  it('keeps the progress of an acknowledged batch across kill -9, long before the next periodic save', async function () {
    this.timeout(30_000);
    const ruleFile = writeRule(dir.path, 'seq.yaml', SEQUENCE_RULE);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/journal-child.ts', import.meta.url)),
        ruleFile,
        `${dir.path}/state`,
        JSON.stringify([event('e1', min(0), 'FAILURE'), event('e2', min(1), 'FAILURE')]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitUntil(
      () => out.includes('acked') || child.exitCode !== null,
      20_000,
      () => `the child to acknowledge its batch (output: ${out})`,
      20,
    );
    expect(out).to.include('acked');
    child.kill('SIGKILL');
    expect(await exited).to.equal('SIGKILL');

    // The receiver checkpointed e1 and e2; only the success comes after the restart.
    const { alerts, settings } = await resume(ruleFile, [
      record({ eventType: 'user.session.start', uuid: 'e3', actor: { type: 'User', alternateId: 'dana' }, outcome: { result: 'SUCCESS' } } as never, min(2)),
    ]);
    expect(alerts.map((a) => a.attributes['oktel.alert.event_count'])).to.deep.equal([3]);
    expect(alerts[0]!.attributes['oktel.alert.event_uuids']).to.deep.equal(['e1', 'e2', 'e3']);
    expect(settings.telemetry.get('journal_batches_replayed')).to.equal(1);
  });

  it('does not double-count after a clean shutdown (the snapshot holds everything, the journal is empty)', async () => {
    const ruleFile = writeRule(dir.path, 'seq.yaml', SEQUENCE_RULE);
    const fail = (uuid: string, m: number) =>
      record({ eventType: 'user.session.start', uuid, actor: { type: 'User', alternateId: 'dana' }, outcome: { result: 'FAILURE' } } as never, min(m));
    // A clean shutdown snapshots and truncates: one denial is in the snapshot, none in the journal.
    await resume(ruleFile, [fail('e1', 0)]);
    // Nothing replayed twice: a second denial then a success is a sequence of 3, not 4.
    const ok = record(
      { eventType: 'user.session.start', uuid: 'e3', actor: { type: 'User', alternateId: 'dana' }, outcome: { result: 'SUCCESS' } } as never,
      min(2),
    );
    const { alerts, settings } = await resume(ruleFile, [fail('e2', 1), ok]);
    expect(alerts.map((a) => a.attributes['oktel.alert.event_count'])).to.deep.equal([3]);
    expect(settings.telemetry.get('journal_batches_replayed')).to.equal(0);
  });

  it('replays only journal lines newer than the snapshot, and stops at a torn line with a warning naming the file', async () => {
    const ruleFile = writeRule(dir.path, 'seq.yaml', SEQUENCE_RULE);
    const fail = (uuid: string, m: number) =>
      record({ eventType: 'user.session.start', uuid, actor: { type: 'User', alternateId: 'dana' }, outcome: { result: 'FAILURE' } } as never, min(m));
    await resume(ruleFile, [fail('e1', 0)]); // snapshot: e1, journalSeq 1
    const stateDir = join(dir.path, 'state', readdirSync(join(dir.path, 'state')).find((d) => d.startsWith('processor_'))!);
    const journal = join(stateDir, 'correlation-journal.jsonl');
    const key = 'acme.okta.com\u0000["dana"]';
    const line = (s: number, uuid: string, m: number) => `${JSON.stringify({ s, c: min(m), i: [['seq-rule', min(m), uuid, key, [0]]] })}\n`;
    // s=1 is already in the snapshot (a crash between snapshot and truncation); s=2 is new; then a torn write.
    writeFileSync(journal, `${line(1, 'e1', 0)}${line(2, 'e2', 1)}{"s":3,"c":17951`);
    const ok = record(
      { eventType: 'user.session.start', uuid: 'e3', actor: { type: 'User', alternateId: 'dana' }, outcome: { result: 'SUCCESS' } } as never,
      min(2),
    );
    const { alerts, settings } = await resume(ruleFile, [ok]);
    expect(alerts.map((a) => a.attributes['oktel.alert.event_uuids'])).to.deep.equal([['e1', 'e2', 'e3']]);
    expect(settings.telemetry.get('journal_batches_replayed')).to.equal(1);
    expect(settings.logs.text).to.include(`Correlation journal ${journal}: line 3 does not validate`);
  });
});
