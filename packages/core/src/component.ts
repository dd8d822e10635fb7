import type { z } from 'zod';
import type { LogsConsumer } from './consumer.js';
import type { Logger } from './logger.js';
import type { ComponentTelemetry } from './service/telemetry.js';

export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'extension' | 'connector';
export type Stability = 'development' | 'alpha' | 'beta' | 'stable';

/**
 * Lifecycle shared by every component.
 * - start resolves quickly; long-running work runs in the background until shutdown.
 * - shutdown is safe without start and when called twice; it stops intake, aborts
 *   background work and flushes what the component holds to its consumer.
 */
export interface Component {
  start(host: Host): Promise<void>;
  shutdown(): Promise<void>;
  /**
   * Re-reads what the component loads from files (rules, lists) without a restart, on SIGHUP.
   * It validates everything first and keeps running the old set when anything is invalid;
   * it resolves either way (the outcome goes to the log and metrics) and never throws for bad input.
   */
  reload?(): Promise<void>;
}

export interface Receiver extends Component {
  /**
   * For receivers whose input ends (a file replay): resolves once everything was read and
   * delivered. Receivers that run forever return undefined. When every receiver of a
   * service is finite, the service drains and stops by itself once all are done.
   */
  whenDone?(): Promise<void> | undefined;
  /** How far a finite receiver got, for progress display. */
  progress?(): Progress | undefined;
  /**
   * For receivers of a live source (the okta receiver): how far behind real time the input is,
   * shown on the progress line as "caught up; newest event 8s old". Undefined when not known.
   */
  lag?(): Lag | undefined;
}

export interface Lag {
  /** Event time (ms since epoch) of the newest event delivered so far. */
  readonly newestEventTime?: number;
  /** True once the receiver has read everything the source had (its last poll returned no backlog). */
  readonly caughtUp: boolean;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'records';
}

export interface Processor extends Component, LogsConsumer {}
export interface Exporter extends Component, LogsConsumer {}
/** The end of one pipeline and the start of others (the Collector's connector), e.g. a router. */
export interface Connector extends Component, LogsConsumer {}
export type Extension = Component;

export type HealthStatus = { healthy: true } | { healthy: false; reason: string };

/**
 * The Collector's component status model. `recoverable_error`: the component keeps retrying
 * and may recover by itself (backend down, storage full). `permanent_error`: it will not
 * recover without a human (bad credentials, a corrupt file it set aside) but the rest of
 * the service can run. `fatal_error`: the service must stop and exit non-zero so that a
 * supervisor restarts it.
 */
export type ComponentStatus = 'starting' | 'ok' | 'recoverable_error' | 'permanent_error' | 'fatal_error' | 'stopping' | 'stopped';

export interface StatusEvent {
  readonly status: ComponentStatus;
  /** What went wrong, for the error statuses: shown in /health, the log and the exit summary. */
  readonly reason?: string;
  readonly error?: unknown;
}

/** What a running component can ask of the service around it. */
export interface Host {
  /** The started extension with this id; undefined when none is configured. */
  getExtension(id: string): unknown;
  /** Feeds the health endpoint: a receiver that cannot authenticate reports itself unhealthy. */
  reportHealth(componentId: string, status: HealthStatus): void;
  /**
   * Reports a status change, keyed `kind/id` as reportHealth is. A `fatal_error` makes the
   * service shut down and the process exit non-zero; the error statuses make /health 503.
   */
  reportStatus(componentId: string, event: StatusEvent): void;
}

export interface ComponentSettings {
  /** The component's id in config, `type[/name]`. */
  readonly id: string;
  readonly kind: ComponentKind;
  readonly logger: Logger;
  readonly telemetry: ComponentTelemetry;
  /** The pipeline a processor instance belongs to (processors are instantiated per pipeline). */
  readonly pipelineId?: string;
}

/** A reference from one component's config to an extension, checked at load time. */
export interface ExtensionRef {
  readonly path: readonly (string | number)[];
  readonly extensionId: string;
  /** What the extension must be able to do, e.g. 'storage'. */
  readonly capability: 'storage';
}

interface FactoryBase<K extends ComponentKind, C> {
  /** lower_snake type id used in config, e.g. `okta`, `otlp_http`. */
  readonly type: string;
  /** Older names still accepted in config (the Collector's `otlphttp` for `otlp_http`). */
  readonly aliases?: readonly string[];
  readonly kind: K;
  readonly description: string;
  readonly stability: Stability;
  /** The one declaration of the config: keys, types, defaults and the docs of each key. */
  readonly configSchema: z.ZodType<C>;
  extensionRefs?(config: C): ExtensionRef[];
  /** Pipelines a connector's config names (routes), checked to exist and to list the connector as a receiver. */
  pipelineRefs?(config: C): { path: readonly (string | number)[]; pipelineId: string }[];
}

export interface ReceiverFactory<C> extends FactoryBase<'receiver', C> {
  create(settings: ComponentSettings, config: C, next: LogsConsumer): Receiver;
}
export interface ProcessorFactory<C> extends FactoryBase<'processor', C> {
  create(settings: ComponentSettings, config: C, next: LogsConsumer): Processor;
}
export interface ExporterFactory<C> extends FactoryBase<'exporter', C> {
  create(settings: ComponentSettings, config: C): Exporter;
}
export interface ExtensionFactory<C> extends FactoryBase<'extension', C> {
  /** What other components may use this extension for, checked against their ExtensionRefs. */
  readonly capabilities?: readonly 'storage'[];
  create(settings: ComponentSettings, config: C): Extension;
}

export interface ConnectorFactory<C> extends FactoryBase<'connector', C> {
  /** `pipelines`: the first consumer of every pipeline that lists this connector as a receiver, by pipeline id. */
  create(settings: ComponentSettings, config: C, pipelines: ReadonlyMap<string, LogsConsumer>): Connector;
}

/** A factory of any kind, its config type erased: the registry and loader handle configs as the schema produced them. */
export type AnyFactory =
  | ReceiverFactory<unknown>
  | ProcessorFactory<unknown>
  | ExporterFactory<unknown>
  | ExtensionFactory<unknown>
  | ConnectorFactory<unknown>;

export const TYPE_PATTERN = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;

export interface ComponentId {
  readonly type: string;
  readonly name: string | undefined;
  readonly id: string;
}

export function parseComponentId(id: string): ComponentId | string {
  const slash = id.indexOf('/');
  const type = slash === -1 ? id : id.slice(0, slash);
  const name = slash === -1 ? undefined : id.slice(slash + 1);
  if (!TYPE_PATTERN.test(type)) return `"${id}" is not a valid component id: the type must match ${TYPE_PATTERN.source}`;
  if (name !== undefined && (name === '' || /\s/.test(name)))
    return `"${id}" is not a valid component id: the name after "/" must be non-empty, without spaces`;
  return { type, name, id };
}

/** The default config of a factory: its schema applied to an empty object. */
export function createDefaultConfig<C>(factory: { configSchema: z.ZodType<C> }): C {
  return factory.configSchema.parse({});
}
