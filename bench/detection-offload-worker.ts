// The worker half of `pnpm bench detection-offload`: takes a batch as the raw JSON Lines text,
// parses and maps it itself, runs the detection processor on the shipped pack, and answers with
// what detection adds (each tagged record's new attributes, and the alert records) — never the
// records themselves, which the pipeline thread already has.
import { parentPort } from 'node:worker_threads';
import type { AnyValueMap, LogBatch, LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { detectionConfigSchema, detectionProcessorFactory } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { testHost, testSettings } from '@oktel/testkit';

export interface Verdict {
  id: number;
  /** [index in the batch, attributes detection added] for each tagged record. */
  tags: [number, AnyValueMap][];
  alerts: LogRecord[];
}

const context = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
let out: LogRecord[] = [];
const config = detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false });
const fresh = async () => {
  const created = detectionProcessorFactory.create(testSettings('processor', 'detection'), config, {
    consume: async (batch: LogBatch) => void (out = [...batch]),
  });
  await created.start(testHost());
  return created;
};
let processor = await fresh();

parentPort!.on('message', async (message: { reset: true } | { id: number; text: string }) => {
  if ('reset' in message) {
    // A new engine (no state), on code the earlier rounds already warmed up.
    await processor.shutdown();
    processor = await fresh();
    parentPort!.postMessage('ready');
    return;
  }
  const { id, text } = message;
  const records = text.split('\n').map((line) => logEventToRecord(JSON.parse(line), context));
  await processor.consume(records);
  const tags: [number, AnyValueMap][] = [];
  for (let i = 0; i < records.length; i++) {
    if (out[i] === records[i]) continue;
    const added: AnyValueMap = {};
    for (const [key, value] of Object.entries(out[i]!.attributes)) if (records[i]!.attributes[key] !== value) added[key] = value;
    tags.push([i, added]);
  }
  parentPort!.postMessage({ id, tags, alerts: out.slice(records.length) } satisfies Verdict);
});
parentPort!.postMessage('ready');
