// pnpm bench [jsonlogic|detection|sigma|exporter|splunk-hec|receivers|encoding|correlation-types|lists|all] | pipeline [events] [--compiled] | detection-offload [events] — prints JSON results; BENCHMARKS.md records them.
import { runJsonLogicBenchmark } from './jsonlogic.js';
import { runDetectionBenchmark } from './detection.js';
import { runExporterBenchmark } from './exporter.js';
import { runSplunkHecBenchmark } from './splunk-hec.js';
import { runReceiversBenchmark } from './receivers.js';
import { runSigmaBenchmark } from './sigma.js';
import { runEncodingBenchmark } from './encoding.js';
import { runPipelineBenchmark } from './pipeline.js';
import { runCorrelationTypesBenchmark } from './correlation-types.js';
import { runListsBenchmark } from './lists.js';
import { runDetectionOffloadBenchmark } from './detection-offload.js';

const which = process.argv[2] ?? 'all';
const out: Record<string, unknown> = { node: process.version, date: new Date().toISOString() };
if (which === 'jsonlogic' || which === 'all') out.jsonlogic = runJsonLogicBenchmark({ rules: 120, events: 5000, rounds: 3 });
if (which === 'detection' || which === 'all') out.detection = await runDetectionBenchmark({ events: 20_000, groups: 100_000 });
if (which === 'sigma' || which === 'all') out.sigma = runSigmaBenchmark({ rules: 120, events: 20_000, rounds: 3 });
if (which === 'exporter' || which === 'all') out.exporter = await runExporterBenchmark({ records: 10_000 });
if (which === 'splunk-hec' || which === 'all') out.splunkHec = await runSplunkHecBenchmark({ records: 10_000, rounds: 3 });
if (which === 'receivers' || which === 'all') out.receivers = await runReceiversBenchmark({ records: 10_000 });
if (which === 'encoding' || which === 'all') out.encoding = await runEncodingBenchmark({ records: 50_000, rounds: 5 });
if (which === 'correlation-types' || which === 'all') out.correlationTypes = await runCorrelationTypesBenchmark({ entities: 50_000, events: 200_000 });
if (which === 'lists' || which === 'all') out.lists = runListsBenchmark({ entries: 100_000, lookups: 100_000, rounds: 5, globs: 1000 });
if (which === 'detection-offload') {
  const events = Number(process.argv.slice(3).find((a) => /^\d+$/.test(a)) ?? 100_000);
  out.detectionOffload = await runDetectionOffloadBenchmark({ events });
}
if (which === 'pipeline') {
  const args = process.argv.slice(3);
  const events = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
  out.pipeline = await runPipelineBenchmark({ events, compiled: args.includes('--compiled') });
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
