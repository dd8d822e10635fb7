import type { Server } from 'node:http';
import type {
  Component,
  ComponentKind,
  ComponentSettings,
  ComponentStatus,
  ConnectorFactory,
  ExporterFactory,
  ExtensionFactory,
  Host,
  Processor,
  ProcessorFactory,
  Receiver,
  ReceiverFactory,
  StatusEvent,
} from '../component.js';
import type { ResolvedComponent, ResolvedConfig } from '../config/loader.js';
import { fanout, type LogsConsumer } from '../consumer.js';
import { errorMessage, OktelError, PermanentError } from '../errors.js';
import type { Logger } from '../logger.js';
import { closeServer, serveHealth, serveMetrics, type HealthReport } from './endpoints.js';
import { ExporterFailureWatch } from './exporter-watch.js';
import { countingProcessorInput, countingProcessorOutput, countingReceiverOutput } from './instrument.js';
import { withDeadline } from './deadline.js';
import { Telemetry, type ComponentTelemetry } from './telemetry.js';

interface Running {
  readonly kind: ComponentKind;
  readonly id: string;
  readonly component: Component;
}

export interface ServiceOptions {
  logger: Logger;
  telemetry?: Telemetry;
}

/** Each component still running after drain_timeout gets this much more, so storage and files can close. */
const LAST_GRACE_MS = 500;
const FAILING: ReadonlySet<ComponentStatus> = new Set(['recoverable_error', 'permanent_error', 'fatal_error']);

export interface ComponentStatusEntry {
  readonly status: ComponentStatus;
  readonly reason?: string;
  /** When the component entered this status (ms since epoch). */
  readonly since: number;
}

/**
 * The running form of a config: builds every component, wires receivers → processors →
 * exporters, and owns the lifecycle. Start goes extensions, exporters, processors, receivers;
 * shutdown goes the other way, so each component drains into one that is still running, and
 * the whole shutdown is bounded by `service.drain_timeout` whatever a component does.
 */
export class Service {
  readonly telemetry: Telemetry;
  readonly #config: ResolvedConfig;
  readonly #logger: Logger;
  readonly #extensions = new Map<string, Component>();
  readonly #started: Running[] = [];
  readonly #receivers = new Map<string, Receiver>();
  readonly #exporterTelemetry = new Map<string, ComponentTelemetry>();
  readonly #status = new Map<string, ComponentStatusEntry>();
  readonly #abandoned: string[] = [];
  #servers: Server[] = [];
  #watch: ExporterFailureWatch | undefined;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #shutdownPromise: Promise<void> | undefined;
  #fatal: (StatusEvent & { componentId: string }) | undefined;
  #onFatal: ((componentId: string, event: StatusEvent) => void) | undefined;

  constructor(config: ResolvedConfig, options: ServiceOptions) {
    this.#config = config;
    this.#logger = options.logger;
    this.telemetry = options.telemetry ?? new Telemetry();
  }

  get receivers(): ReadonlyMap<string, Receiver> {
    return this.#receivers;
  }

  /** Exporter ids with their counters, for the per-exporter progress line. */
  get exporterIds(): string[] {
    return [...this.#exporterTelemetry.keys()];
  }

  /** Where the metrics and health endpoints listen (useful with port 0), in that order. */
  endpointAddresses(): string[] {
    return this.#servers.map((server) => {
      const address = server.address();
      return typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
    });
  }

  get state(): string {
    return this.#state;
  }

  /** Components whose shutdown did not finish within drain_timeout and were left behind. */
  get abandoned(): readonly string[] {
    return this.#abandoned;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new OktelError('ERR_SERVICE_STATE', `service cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    const host: Host = {
      getExtension: (id) => this.#extensions.get(id),
      reportHealth: (id, status) => this.#reportStatus(id, status.healthy ? { status: 'ok' } : { status: 'recoverable_error', reason: status.reason }),
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
    const timeout = this.#config.service.telemetry.health.exporter_failure_timeout;
    if (timeout > 0 && this.#exporterTelemetry.size > 0) {
      this.#watch = new ExporterFailureWatch(
        this.#exporterTelemetry,
        timeout,
        (id, event) => this.#reportStatus(id, event),
        (id) => this.#status.get(id)?.status,
      );
    }
  }

  /**
   * Asks every component that can reload (rules, lists) to re-read its files, one after the
   * other; components keep their old set when the new one is invalid and say why themselves.
   * Returns the ids asked.
   */
  async reload(): Promise<string[]> {
    if (this.#state !== 'running') return [];
    const asked: string[] = [];
    for (const { id, component } of this.#started) {
      if (!component.reload) continue;
      asked.push(id);
      try {
        await component.reload();
      } catch (err) {
        this.#logger.error(`Reload of ${id} failed: ${err instanceof Error ? err.message : String(err)}; it keeps running what it had.`);
      }
    }
    return asked;
  }

  /** Resolves when every receiver is finite and done; undefined if any runs forever. */
  whenAllDone(): Promise<void> | undefined {
    const waits = [...this.#receivers.values()].map((r) => r.whenDone?.());
    if (waits.length === 0 || waits.some((w) => w === undefined)) return undefined;
    return Promise.all(waits).then(() => undefined);
  }

  /** Stops receivers first, then drains the rest; bounded by drain_timeout (see LAST_GRACE_MS). */
  shutdown(): Promise<void> {
    this.#shutdownPromise ??= (async () => {
      this.#state = 'stopping';
      this.#watch?.stop();
      await this.#stopAll(Date.now() + this.#config.service.drain_timeout);
      this.#state = 'stopped';
    })();
    return this.#shutdownPromise;
  }

  healthReport(): HealthReport {
    const components: HealthReport['components'] = {};
    let failing = false;
    for (const [id, entry] of this.#status) {
      const healthy = !FAILING.has(entry.status);
      failing ||= !healthy;
      components[id] = {
        healthy,
        status: entry.status,
        since: new Date(entry.since).toISOString(),
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      };
    }
    return { healthy: this.#state === 'running' && !failing, status: this.#state, components };
  }

  /** Current status per component, keyed `kind/id`. */
  statuses(): ReadonlyMap<string, ComponentStatusEntry> {
    return this.#status;
  }

  /**
   * A failure outside any component (an unhandled rejection in the process): reported as a
   * fatal error of `source`, so the owner stops the service and exits non-zero.
   */
  reportFatal(source: string, error: unknown): void {
    this.#reportStatus(source, { status: 'fatal_error', reason: errorMessage(error), error });
  }

  #reportStatus(id: string, event: StatusEvent): void {
    const previous = this.#status.get(id);
    const reason = FAILING.has(event.status) ? (event.reason ?? (event.error === undefined ? 'no reason given' : errorMessage(event.error))) : undefined;
    if (previous?.status === event.status && previous.reason === reason) return;
    // A fatal error is final: nothing a component reports afterwards hides it.
    if (previous?.status === 'fatal_error') return;
    this.#status.set(id, { status: event.status, since: Date.now(), ...(reason === undefined ? {} : { reason }) });
    this.telemetry.setStatus(id, event.status);
    if (FAILING.has(event.status)) {
      const log = event.status === 'recoverable_error' ? this.#logger.warn : this.#logger.error;
      log(`Component ${id} reports ${event.status}: ${reason}`);
    } else if (previous && FAILING.has(previous.status) && event.status === 'ok') {
      this.#logger.info(`Component ${id} is ok again.`);
    }
    if (event.status === 'fatal_error') {
      this.#fatal ??= { ...event, reason: reason!, componentId: id };
      this.#logger.error(`Stopping the service because ${id} reported a fatal error.`);
      this.#onFatal?.(id, event);
    }
  }

  /** The first fatal error reported, if any: the process must exit non-zero. */
  get fatalError(): (StatusEvent & { componentId: string }) | undefined {
    return this.#fatal;
  }

  /** Called once a component reports a fatal error, so the owner (the CLI) can stop the service. */
  onFatal(listener: (componentId: string, event: StatusEvent) => void): void {
    this.#onFatal = listener;
    if (this.#fatal) listener(this.#fatal.componentId, this.#fatal);
  }

  #settings(kind: ComponentKind, id: string, pipelineId?: string): ComponentSettings {
    const telemetryId = pipelineId ? `${id} (${pipelineId})` : id;
    const telemetry = this.telemetry.forComponent(kind, telemetryId);
    this.telemetry.declare(kind, telemetryId);
    if (kind === 'exporter') this.#exporterTelemetry.set(id, telemetry);
    const settings = { id, kind, logger: this.#logger.child(`${kind} ${id}`), telemetry };
    return pipelineId ? { ...settings, pipelineId } : settings;
  }

  async #startOne(host: Host, kind: ComponentKind, id: string, component: Component): Promise<void> {
    const key = `${kind}/${id}`;
    this.#reportStatus(key, { status: 'starting' });
    try {
      await component.start(host);
    } catch (err) {
      this.#reportStatus(key, { status: 'permanent_error', reason: `failed to start: ${errorMessage(err)}` });
      throw new OktelError('ERR_START', `${kind} "${id}" failed to start: ${errorMessage(err)}`, { cause: err });
    }
    this.#started.push({ kind, id, component });
    // A component may already have reported a problem from inside start; keep it.
    if (this.#status.get(key)?.status === 'starting') this.#reportStatus(key, { status: 'ok' });
  }

  async #build(host: Host): Promise<void> {
    const { components, service, pipelines } = this.#config;
    const resolved = (kind: ComponentKind, id: string): ResolvedComponent => components.get(kind)!.get(id)!;

    for (const id of service.extensions) {
      const { factory, config } = resolved('extension', id);
      const extension = (factory as ExtensionFactory<unknown>).create(this.#settings('extension', id), config);
      await this.#startOne(host, 'extension', id, extension);
      this.#extensions.set(id, extension);
    }

    const isConnector = (id: string): boolean => components.get('connector')?.has(id) ?? false;
    const exporters = new Map<string, LogsConsumer>();
    for (const id of new Set(pipelines.flatMap((p) => p.exporters).filter((id) => !isConnector(id)))) {
      const { factory, config } = resolved('exporter', id);
      const exporter = (factory as ExporterFactory<unknown>).create(this.#settings('exporter', id), config);
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
      if (building.has(pipeline.id))
        throw new PermanentError(`pipelines form a cycle through connectors at "${pipeline.id}"`, { code: 'ERR_CONFIG', context: { pipeline: pipeline.id } });
      building.add(pipeline.id);
      const ends: LogsConsumer[] = [];
      for (const id of pipeline.exporters) ends.push(isConnector(id) ? await buildConnector(id) : exporters.get(id)!);
      let next: LogsConsumer = fanout(ends);
      for (const id of [...pipeline.processors].reverse()) {
        const { factory, config } = resolved('processor', id);
        const settings = this.#settings('processor', id, pipelines.length > 1 ? pipeline.id : undefined);
        const processor: Processor = (factory as ProcessorFactory<unknown>).create(settings, config, countingProcessorOutput(settings.telemetry, next));
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
      for (const fed of pipelines.filter((p) => p.receivers.includes(id)))
        targets.set(fed.id, countingProcessorOutput(settings.telemetry, await buildPipeline(fed)));
      const { factory, config } = resolved('connector', id);
      const connector = (factory as ConnectorFactory<unknown>).create(settings, config, targets);
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
      const receiver = (factory as ReceiverFactory<unknown>).create(settings, config, countingReceiverOutput(settings.telemetry, fanout(heads)));
      this.#receivers.set(id, receiver);
      await this.#startOne(host, 'receiver', id, receiver);
    }
  }

  async #startEndpoints(): Promise<void> {
    const { metrics, health } = this.#config.service.telemetry;
    if (metrics.enabled) {
      this.telemetry.collectProcessMetrics();
      this.#servers.push(await serveMetrics(metrics.address, this.telemetry.registry));
      this.#logger.info(`Serving Prometheus metrics on http://${this.endpointAddresses().at(-1)}/metrics`);
    }
    if (health.enabled) {
      this.#servers.push(await serveHealth(health.address, () => this.healthReport()));
      this.#logger.info(`Serving health on http://${this.endpointAddresses().at(-1)}/health`);
    }
  }

  /**
   * Reverse of start order (receivers first); a component that fails to stop is logged and
   * the rest still stop. Past `deadline` a component still shutting down is abandoned.
   */
  async #stopAll(deadline = Number.POSITIVE_INFINITY): Promise<void> {
    for (const { kind, id, component } of [...this.#started].reverse()) {
      const key = `${kind}/${id}`;
      if (!FAILING.has(this.#status.get(key)?.status ?? 'ok')) this.#reportStatus(key, { status: 'stopping' });
      const budget = Math.max(deadline - Date.now(), LAST_GRACE_MS);
      try {
        const finished = await withDeadline(component.shutdown(), budget);
        if (!finished) {
          this.#abandoned.push(key);
          this.#logger.error(
            `The ${kind} ${id} did not finish shutting down within service.drain_timeout; leaving it behind (what it still held is lost unless it persisted it).`,
          );
          continue;
        }
      } catch (err) {
        this.#logger.error(`The ${kind} ${id} failed to shut down cleanly: ${errorMessage(err)}`);
      }
      if (!FAILING.has(this.#status.get(key)?.status ?? 'ok')) this.#reportStatus(key, { status: 'stopped' });
    }
    this.#started.length = 0;
    await Promise.all(this.#servers.map(closeServer));
    this.#servers = [];
  }
}
