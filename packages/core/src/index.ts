export type {
  AnyFactory,
  Component,
  ComponentId,
  ComponentKind,
  ComponentSettings,
  ComponentStatus,
  StatusEvent,
  Connector,
  ConnectorFactory,
  Exporter,
  ExporterFactory,
  Extension,
  ExtensionFactory,
  ExtensionRef,
  HealthStatus,
  Host,
  Lag,
  Processor,
  ProcessorFactory,
  Progress,
  Receiver,
  ReceiverFactory,
  Stability,
} from './component.js';
export { createDefaultConfig, parseComponentId, TYPE_PATTERN } from './component.js';
export { Backoff, equalJitter } from './backoff.js';
export type { LogsConsumer } from './consumer.js';
export { consumerFromFunction, fanout, FanoutConsumer } from './consumer.js';
export type { ConfigIssue } from './errors.js';
export { ConfigError, errorMessage, formatConfigIssue, formatKeyPath, isRetryable, OktelError, PermanentError, RetryableError } from './errors.js';
export { pushExporter, type PushExporterOptions } from './exporter-helper.js';
export {
  abortableSleep,
  batchConfig,
  createQueuedExporter,
  exporterHelperConfigSchema,
  exporterHelperShape,
  fromLogRecordExporter,
  MAX_TIMER_MS,
  retryOnFailureConfig,
  SendingQueue,
  sendingQueueConfig,
  timeoutConfig,
  type ExporterHelperConfig,
  type PushResult,
  type QueuedExporterOptions,
  type QueueItem,
  type RequestCodec,
  type SendingQueueDefaults,
} from './exporterhelper/index.js';
export { createLogger, MemoryLogSink, redact, type LogFields, type Logger, type LogLevel, type LogSink } from './logger.js';
export type { AnyValue, AnyValueMap, HrTime, LogBatch, LogRecord } from './record.js';
export { hrTimeFromMillis, millisFromHrTime, withAttributes } from './record.js';
export { ComponentRegistry } from './registry.js';
export { isStorageExtension, storageClient, type StorageClient, type StorageExtension } from './storage.js';

export { describeConfig, renderConfigTable, type ConfigKeyDoc } from './config/docs.js';
export { loadConfig, resolveConfig, zodIssues, type LoadOptions, type ResolvedComponent, type ResolvedConfig, type ResolvedPipeline } from './config/loader.js';
export { block, duration, extensionId, knownSecrets, registerSecret, secret, size } from './config/schema.js';
export { serviceSchema, type ServiceConfig, type TelemetryConfig } from './config/service-schema.js';
export { formatDuration, parseDuration, parseSize } from './config/units.js';
export { locateInYaml, YamlSource } from './config/yaml-source.js';

export { startProgress, type ProgressOptions } from './service/progress.js';
export { Service, type ComponentStatusEntry, type ServiceOptions } from './service/service.js';
export { withDeadline } from './service/deadline.js';
export { ExporterFailureWatch } from './service/exporter-watch.js';
export { deliveryOutcome, lostRecords, renderOutcome, renderSummary, summarize, type DeliveryOutcome, type SummaryRow } from './service/summary.js';
export { Counters, Telemetry, type ComponentTelemetry } from './service/telemetry.js';
