import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileExporterConfigSchema, fileExporterFactory } from '@oktel/exporter-file';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { otlpHttpConfigSchema } from '@oktel/exporter-otlp';
import { tempDir, testHost, testSettings, waitUntil, fixture as loadFixture } from '@oktel/testkit';

const fixture = loadFixture('user-session-start.json') as OktaLogEvent;
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: '@oktel/receiver-file', version: '0.1.0' } };
const records = (n: number) => Array.from({ length: n }, (_, i) => logEventToRecord({ ...fixture, uuid: `u-${i}` }, context));

interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}

describe('file exporter', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  async function exportBatches(config: Record<string, unknown>, batches: number, size: number) {
    const exporter = fileExporterFactory.create(testSettings('exporter', 'file'), fileExporterConfigSchema.parse(config));
    await exporter.start(testHost());
    for (let b = 0; b < batches; b++) await exporter.consume(records(size));
    await exporter.shutdown();
  }

  it('writes one OTLP/JSON ExportLogsServiceRequest per line', async () => {
    const path = join(dir.path, 'out', 'logs.jsonl');
    await exportBatches({ path }, 2, 3);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).to.have.length(2);
    const request = JSON.parse(lines[0]!) as {
      resourceLogs: { resource: { attributes: OtlpKeyValue[] }; scopeLogs: { scope: { name: string }; logRecords: Record<string, unknown>[] }[] }[];
    };
    expect(request.resourceLogs).to.have.length(1);
    expect(request.resourceLogs[0]!.resource.attributes).to.deep.include({ key: 'okta.domain', value: { stringValue: 'acme.okta.com' } });
    const scopeLogs = request.resourceLogs[0]!.scopeLogs[0]!;
    expect(scopeLogs.scope.name).to.equal('@oktel/receiver-file');
    expect(scopeLogs.logRecords).to.have.length(3);
    const first = scopeLogs.logRecords[0]!;
    expect(first.timeUnixNano).to.equal('1795183407481000000');
    expect(first.severityNumber).to.equal(9);
    expect(first.severityText).to.equal('INFO');
    expect(first.eventName).to.equal('user.session.start');
    expect(first.attributes).to.deep.include({ key: 'log.record.uid', value: { stringValue: 'u-0' } });
    const body = first.body as { kvlistValue: { values: OtlpKeyValue[] } };
    const eventType = body.kvlistValue.values.find((kv) => kv.key === 'eventType');
    expect(eventType?.value).to.deep.equal({ stringValue: 'user.session.start' });
  });

  it('rotates by size without splitting a request across files, keeping max_backups', async () => {
    const path = join(dir.path, 'logs.jsonl');
    // Each line is roughly 10 KiB; a 0.02 MiB limit fits two lines per file.
    await exportBatches({ path, rotation: { max_megabytes: 0.02, max_backups: 2 } }, 7, 2);
    const files = readdirSync(dir.path).sort();
    expect(files).to.have.length(3);
    expect(files).to.include('logs.jsonl');
    for (const file of files) {
      for (const line of readFileSync(join(dir.path, file), 'utf8').trimEnd().split('\n')) expect(() => JSON.parse(line)).to.not.throw();
    }
  });

  it('retries a write that fails with ENOSPC, reports it, and still shuts down within drain_timeout', async () => {
    const settings = testSettings('exporter', 'file');
    const host = testHost();
    // /dev/full accepts open() and fails every write with ENOSPC: a full disk.
    const exporter = fileExporterFactory.create(
      settings,
      fileExporterConfigSchema.parse({
        path: '/dev/full',
        sending_queue: { drain_timeout: '300ms' },
        retry_on_failure: { initial_interval: '20ms', max_interval: '50ms', unhealthy_after: '100ms' },
      }),
    );
    await exporter.start(host);
    await exporter.consume(records(2));
    await waitUntil(
      () => host.health.get('exporter/file')?.healthy === false,
      5000,
      () => 'the exporter reported unhealthy',
    );
    const started = Date.now();
    await exporter.shutdown();
    expect(Date.now() - started).to.be.below(300 + 2000);
    expect(settings.logs.text).to.contain('ENOSPC');
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(2);
  });

  it('declares the same sending_queue, retry_on_failure and timeout keys as otlp_http', () => {
    const file = fileExporterConfigSchema.parse({ path: 'x' });
    const otlp = otlpHttpConfigSchema.parse({ endpoint: 'https://example.com' });
    expect(Object.keys(file.sending_queue)).to.deep.equal(Object.keys(otlp.sending_queue));
    expect(Object.keys(file.retry_on_failure)).to.deep.equal(Object.keys(otlp.retry_on_failure));
    expect(typeof file.timeout).to.equal('number');
  });
});
