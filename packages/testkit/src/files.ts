import { YamlSource } from '@oktel/core';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes JSON Lines (objects are stringified, strings written as-is) and returns the path. */
export function writeLines(dir: string, name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`);
  return path;
}

/**
 * The complete lines of a file another process is still writing: up to its last newline, so a
 * line caught half-written is left for the next read instead of failing to parse.
 */
export function completeLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean);
}

export function writeConfig(dir: string, name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

/**
 * A config overlay (pass it as one more --config) putting /metrics and /health on free ports:
 * both are on by default on fixed ports, and test processes (ours and other runs on the same
 * host) must not collide on them.
 */
export function telemetryOnAnyPort(dir: string): string {
  return writeConfig(
    dir,
    'telemetry-any-port.yaml',
    'service:\n  telemetry:\n    metrics: { address: "127.0.0.1:0" }\n    health: { address: "127.0.0.1:0" }\n',
  );
}

/** A config source turning /metrics and /health off, for in-process Service tests (add it after the test's own source). */
export function noTelemetryEndpoints(): YamlSource {
  return YamlSource.fromText('no-endpoints.yaml', 'service:\n  telemetry: { metrics: { enabled: false }, health: { enabled: false } }\n').source!;
}
