import { pushExporter, type ComponentSettings, type Exporter, type LogBatch } from '@oktel/core';
import type { DebugExporterConfig } from './config.js';
import { formatBasic, formatDetailed, formatNormal } from './format.js';

export interface DebugOutput {
  write(text: string): unknown;
}

/** Per-second sampling like the Collector's debug exporter, so a replay does not drown the console. */
class Sampler {
  #second = 0;
  #count = 0;
  constructor(
    readonly initial: number,
    readonly thereafter: number,
  ) {}

  admit(now: number): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#count = 0;
    }
    this.#count++;
    return this.#count <= this.initial || (this.#count - this.initial) % this.thereafter === 0;
  }
}

export function createDebugExporter(settings: ComponentSettings, config: DebugExporterConfig, output?: DebugOutput): Exporter {
  const out = output ?? (config.output === 'stderr' ? process.stderr : process.stdout);
  const sampler = new Sampler(config.sampling_initial, config.sampling_thereafter);
  const render = (batch: LogBatch): string => {
    switch (config.verbosity) {
      case 'basic':
        return formatBasic(batch);
      case 'normal':
        return batch.map(formatNormal).join('\n');
      case 'detailed':
        return [formatBasic(batch), ...batch.map(formatDetailed)].join('\n');
    }
  };
  return pushExporter(settings, {
    async push(batch) {
      if (batch.length === 0 || !sampler.admit(Date.now())) return;
      out.write(`${render(batch)}\n`);
    },
  });
}
