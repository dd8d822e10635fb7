export { LogsSink } from './logs-sink.js';
export { testHost, testSettings, type TestHost, type TestSettings } from './settings.js';
export { batchesReceiverFactory, sinkExporterFactory } from './sink-components.js';
export { tempDir } from './temp-dir.js';
export { completeLines, noTelemetryEndpoints, telemetryOnAnyPort, writeLines, writeConfig } from './files.js';
export { OtlpTestServer, type ReceivedRequest, type ScriptedResponse } from './otlp-server.js';
export { decodeOtlpLogsProto } from './otlp-proto.js';
export { waitForCount, waitUntil } from './wait.js';
export { FIXTURES_DIR, fixture } from './fixtures.js';
