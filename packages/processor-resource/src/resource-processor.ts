import { resourceFromAttributes } from '@opentelemetry/resources';
import type { AnyValueMap, ComponentSettings, LogBatch, LogRecord, LogsConsumer, Processor } from '@oktel/core';
import type { ResourceConfig } from './config.js';

type Resource = LogRecord['resource'];

/**
 * The `resource` processor: the configured actions on the resource every record carries.
 *
 * Exporters group records into ResourceLogs by the identity of the resource object, and a
 * receiver shares one resource between all its records; so each distinct input resource is
 * transformed once and every record that shared it shares the result.
 */
export class ResourceProcessor implements Processor {
  readonly #next: LogsConsumer;
  readonly #apply: ResourceConfig['apply'];
  readonly #transformed = new WeakMap<Resource, Resource>();

  constructor(_settings: ComponentSettings, config: ResourceConfig, next: LogsConsumer) {
    this.#next = next;
    this.#apply = config.apply;
  }

  async start(): Promise<void> {}

  #resourceFor(resource: Resource): Resource {
    let out = this.#transformed.get(resource);
    if (out) return out;
    const before = resource.attributes as AnyValueMap;
    const after = this.#apply(before);
    out = after === before ? resource : resourceFromAttributes(after as never, resource.schemaUrl ? { schemaUrl: resource.schemaUrl } : undefined);
    this.#transformed.set(resource, out);
    return out;
  }

  consume(batch: LogBatch): Promise<void> {
    return this.#next.consume(
      batch.map((record) => {
        const resource = this.#resourceFor(record.resource);
        return resource === record.resource ? record : { ...record, resource };
      }),
    );
  }

  async shutdown(): Promise<void> {}
}
