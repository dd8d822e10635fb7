import { gzipSync } from 'node:zlib';
import { otlpReceiverConfigSchema, OtlpReceiver } from '@oktel/receiver-otlp';
import { testHost, testSettings, type TestSettings } from '@oktel/testkit';
import type { LogBatch, LogsConsumer } from '@oktel/core';

/** A started receiver on an ephemeral loopback port. */
export async function startReceiver(
  next: LogsConsumer,
  http: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<{ receiver: OtlpReceiver; settings: TestSettings; logsUrl: string }> {
  const settings = testSettings('receiver', 'otlp');
  const config = otlpReceiverConfigSchema.parse({ protocols: { http: { endpoint: '127.0.0.1:0', ...http } }, ...extra });
  const receiver = new OtlpReceiver(settings, config, next);
  await receiver.start(testHost());
  return { receiver, settings, logsUrl: `${receiver.url}/v1/logs` };
}

/** A consumer whose batches wait until the test releases them: the pipeline "pushing back". */
export class GatedConsumer implements LogsConsumer {
  readonly accepted: LogBatch[] = [];
  readonly #gates: (() => void)[] = [];
  pending = 0;

  async consume(batch: LogBatch): Promise<void> {
    this.pending++;
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    this.pending--;
    this.accepted.push(batch);
  }

  releaseAll(): void {
    for (const open of this.#gates.splice(0)) open();
  }
}

export async function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export function jsonRequest(records: Record<string, unknown>[], resource: Record<string, string> = { 'service.name': 'okta' }): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })) },
        scopeLogs: [{ scope: { name: 'test' }, logRecords: records }],
      },
    ],
  });
}

export { gzipSync };
