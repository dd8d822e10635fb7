import {
  createLogger,
  MemoryLogSink,
  Telemetry,
  type ComponentKind,
  type ComponentSettings,
  type HealthStatus,
  type Host,
  type StatusEvent,
} from '@oktel/core';

export interface TestSettings extends ComponentSettings {
  readonly logs: MemoryLogSink;
  readonly telemetryRoot: Telemetry;
}

/** Settings for creating a component in a test, with its log captured in memory. */
export function testSettings(kind: ComponentKind, id: string): TestSettings {
  const logs = new MemoryLogSink();
  const telemetryRoot = new Telemetry();
  return {
    id,
    kind,
    logger: createLogger({ sink: logs, level: 'debug', component: `${kind} ${id}` }),
    telemetry: telemetryRoot.forComponent(kind, id),
    logs,
    telemetryRoot,
  };
}

export interface TestHost extends Host {
  readonly health: Map<string, HealthStatus>;
  /** Every status event reported, in order, per component id. */
  readonly statuses: Map<string, StatusEvent[]>;
}

export function testHost(extensions: Record<string, unknown> = {}): TestHost {
  const health = new Map<string, HealthStatus>();
  const statuses = new Map<string, StatusEvent[]>();
  return {
    health,
    statuses,
    getExtension: (id) => extensions[id],
    reportHealth: (id, status) => health.set(id, status),
    reportStatus: (id, event) => {
      const list = statuses.get(id) ?? [];
      list.push(event);
      statuses.set(id, list);
      health.set(
        id,
        event.status === 'ok' || event.status === 'starting' || event.status === 'stopping' || event.status === 'stopped'
          ? { healthy: true }
          : { healthy: false, reason: event.reason ?? event.status },
      );
    },
  };
}
