import type { Server } from 'node:http';
import type {
  Component, ComponentKind, ComponentSettings, ConnectorFactory, ExporterFactory, ExtensionFactory, HealthStatus, Host, Processor,
  ProcessorFactory, Receiver, ReceiverFactory, StatusEvent,
} from '../component.js';
import type { ResolvedComponent, ResolvedConfig } from '../config/loader.js';
import { fanout, type LogsConsumer } from '../consumer.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { closeServer, serveHealth, serveMetrics, type HealthReport } from './endpoints.js';
import { countingProcessorInput, countingProcessorOutput, countingReceiverOutput } from './instrument.js';
import { Telemetry } from './telemetry.js';

interface Running {
  readonly kind: ComponentKind;
  readonly id: string;
  readonly component: Component;
}

export interface ServiceOptions {
  logger: Logger;
  telemetry?: Telemetry;
}

/**
 * The running form of a config: builds every component, wires receivers → processors →
 * exporters, and owns the lifecycle. Start goes extensions, exporters, processors, receivers;
 * shutdown goes the other way, so each component drains into one that is still running.
 */
export class Service {
  readonly telemetry: Telemetry;
  readonly #config: ResolvedConfig;
  readonly #logger: Logger;
  readonly #extensions = new Map<string, Component>();
  readonly #started: Running[] = [];
  readonly #receivers = new Map<string, Receiver>();
  readonly #health = new Map<string, HealthStatus>();
  #servers: Server[] = [];
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #shutdownPromise: Promise<void> | undefined;
  #fatal: StatusEvent | undefined;
  #onFatal: ((componentId: string, event: StatusEvent) => void) | undefined;

  constructor(config: ResolvedConfig, options: ServiceOptions) {
    this.#config = config;
    this.#logger = options.logger;
    this.telemetry = options.telemetry ?? new Telemetry();
  }

  get receivers(): ReadonlyMap<string, Receiver> {
    return this.#receivers;
  }

  /** Where the metrics and health endpoints listen (useful with port 0). */
  endpointAddresses(): string[] {
    return this.#servers.map((server) => {
      const address = server.address();
      return typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
    });
  }

  get state(): string {
    return this.#state;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`service cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    const host: Host = {
      getExtension: (id) => this.#extensions.get(id),
      reportHealth: (id, status) => this.#reportHealth(id, status),
      reportStatus: (id, event) => this.#reportStatus(id, event),
    };
    try {
      await this.#startEndpoints();
      await this.#build(host);
    } catch (err) {
      await this.#stopAll();
      this.#state = 'stopped';
      throw err;
    }
    this.#state = 'running';
  }

  /** Resolves when every receiver is finite and done; undefined if any runs forever. */
  whenAllDone(): Promise<void> | undefined {
    const waits = [...this.#receivers.values()].map((r) => r.whenDone?.());
    if (waits.length === 0 || waits.some((w) => w === undefined)) return undefined;
    return Promise.all(waits).then(() => undefined);
  }

  shutdown(): Promise<void> {
    this.#shutdownPromise ??= (async () => {
      this.#state = 'stopping';
      await this.#stopAll();
      this.#state = 'stopped';
    })();
    return this.#shutdownPromise;
  }

  healthReport(): HealthReport {
    const components: HealthReport['components'] = {};
    for (const [id, status] of this.#health) components[id] = status.healthy ? { healthy: true } : { healthy: false, reason: status.reason };
    const healthy = this.#state === 'running' && [...this.#health.values()].every((s) => s.healthy);
    return { healthy, status: this.#state, components };
  }

  #reportHealth(id: string, status: HealthStatus): void {
    const previous = this.#health.get(id);
    this.#health.set(id, status);
    if (!status.healthy && (previous?.healthy ?? true)) this.#logger.warn(`Component ${id} is unhealthy: ${status.reason}`);
    if (status.healthy && previous && !previous.healthy) this.#logger.info(`Component ${id} is healthy again.`);
  }

  #reportStatus(id: string, event: StatusEvent): void {
    const failing = event.status === 'recoverable_error' || event.status === 'permanent_error' || event.status === 'fatal_error';
    this.#reportHealth(id, failing ? { healthy: false, reason: `${event.status}: ${event.reason ?? (event.error === undefined ? 'no reason given' : errorMessage(event.error))}` } : { healthy: true });
    if (event.status === 'fatal_error') {
      this.#fatal ??= event;
      this.#logger.error(`Component ${id} reported a fatal error; stopping the service.`);
      this.#onFatal?.(id, event);
    }
  }

  /** The first fatal error a component reported, if any: the process must exit non-zero. */
  get fatalError(): StatusEvent | undefined {
    return this.#fatal;
  }

  /** Called once a component reports a fatal error, so the owner (the CLI) can stop the service. */
  onFatal(listener: (componentId: string, event: StatusEvent) => void): void {
    this.#onFatal = listener;
  }

  #settings(kind: ComponentKind, id: string, pipelineId?: string): ComponentSettings {
    const settings = { id, kind, logger: this.#logger.child(`${kind} ${id}`), telemetry: this.telemetry.forComponent(kind, pipelineId ? `${id} (${pipelineId})` : id) };
    return pipelineId ? { ...settings, pipelineId } : settings;
  }

  async #startOne(host: Host, kind: ComponentKind, id: string, component: Component): Promise<void> {
    try {
      await component.start(host);
    } catch (err) {
      throw new Error(`${kind} "${id}" failed to start: ${errorMessage(err)}`, { cause: err });
    }
    this.#started.push({ kind, id, component });
    this.#health.set(`${kind}/${id}`, { healthy: true });
  }

  async #build(host: Host): Promise<void> {
    const { components, service, pipelines } = this.#config;
    const resolved = (kind: ComponentKind, id: string): ResolvedComponent => components.get(kind)!.get(id)!;

    for (const id of service.extensions) {
      const { factory, config } = resolved('extension', id);
      const extension = (factory as ExtensionFactory).create(this.#settings('extension', id), config);
      await this.#startOne(host, 'extension', id, extension);
      this.#extensions.set(id, extension);
    }

    const isConnector = (id: string): boolean => components.get('connector')?.has(id) ?? false;
    const exporters = new Map<string, LogsConsumer>();
    for (const id of new Set(pipelines.flatMap((p) => p.exporters).filter((id) => !isConnector(id)))) {
      const { factory, config } = resolved('exporter', id);
      const exporter = (factory as ExporterFactory).create(this.#settings('exporter', id), config);
      await this.#startOne(host, 'exporter', id, exporter);
      exporters.set(id, exporter);
    }

    // Processors are instantiated once per pipeline (the Collector's rule), built back to front;
    // a pipeline that ends in a connector is built after the pipelines the connector feeds.
    const pipelineHeads = new Map<string, LogsConsumer>();
    const connectors = new Map<string, LogsConsumer>();
    const building = new Set<string>();
    const buildPipeline = async (pipeline: (typeof pipelines)[number]): Promise<LogsConsumer> => {
      const built = pipelineHeads.get(pipeline.id);
      if (built) return built;
      if (building.has(pipeline.id)) throw new Error(`pipelines form a cycle through connectors at "${pipeline.id}"`);
      building.add(pipeline.id);
      const ends: LogsConsumer[] = [];
      for (const id of pipeline.exporters) ends.push(isConnector(id) ? await buildConnector(id) : exporters.get(id)!);
      let next: LogsConsumer = fanout(ends);
      for (const id of [...pipeline.processors].reverse()) {
        const { factory, config } = resolved('processor', id);
        const settings = this.#settings('processor', id, pipelines.length > 1 ? pipeline.id : undefined);
        const processor: Processor = (factory as ProcessorFactory).create(settings, config, countingProcessorOutput(settings.telemetry, next));
        await this.#startOne(host, 'processor', id, processor);
        next = countingProcessorInput(settings.telemetry, processor);
      }
      pipelineHeads.set(pipeline.id, next);
      return next;
    };
    const buildConnector = async (id: string): Promise<LogsConsumer> => {
      const existing = connectors.get(id);
      if (existing) return existing;
      const settings = this.#settings('connector', id);
      const targets = new Map<string, LogsConsumer>();
      for (const fed of pipelines.filter((p) => p.receivers.includes(id))) targets.set(fed.id, countingProcessorOutput(settings.telemetry, await buildPipeline(fed)));
      const { factory, config } = resolved('connector', id);
      const connector = (factory as ConnectorFactory).create(settings, config, targets);
      await this.#startOne(host, 'connector', id, connector);
      const counted = countingProcessorInput(settings.telemetry, connector);
      connectors.set(id, counted);
      return counted;
    };
    for (const pipeline of pipelines) await buildPipeline(pipeline);

    // A receiver is one instance however many pipelines it feeds.
    for (const id of new Set(pipelines.flatMap((p) => p.receivers).filter((id) => !isConnector(id)))) {
      const { factory, config } = resolved('receiver', id);
      const heads = pipelines.filter((p) => p.receivers.includes(id)).map((p) => pipelineHeads.get(p.id)!);
      const settings = this.#settings('receiver', id);
      const receiver = (factory as ReceiverFactory).create(settings, config, countingReceiverOutput(settings.telemetry, fanout(heads)));
      this.#receivers.set(id, receiver);
      await this.#startOne(host, 'receiver', id, receiver);
    }
  }

  async #startEndpoints(): Promise<void> {
    const { metrics, health } = this.#config.service.telemetry;
    if (metrics.enabled) {
      this.#servers.push(await serveMetrics(metrics.address, this.telemetry.registry));
      this.#logger.info(`Serving Prometheus metrics on http://${metrics.address}/metrics`);
    }
    if (health.enabled) {
      this.#servers.push(await serveHealth(health.address, () => this.healthReport()));
      this.#logger.info(`Serving health on http://${health.address}/health`);
    }
  }

  /** Reverse of start order; a component that fails to stop is logged and the rest still stop. */
  async #stopAll(): Promise<void> {
    for (const { kind, id, component } of [...this.#started].reverse()) {
      try {
        await component.shutdown();
      } catch (err) {
        this.#logger.error(`The ${kind} ${id} failed to shut down cleanly: ${errorMessage(err)}`);
      }
    }
    this.#started.length = 0;
    await Promise.all(this.#servers.map(closeServer));
    this.#servers = [];
  }
}
