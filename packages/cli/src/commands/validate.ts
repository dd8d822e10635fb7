import { loadConfig, type ComponentRegistry } from '@oktel/core';

/** Validates config files and describes the pipelines they resolve to. */
export function validateCommand(configFiles: string[], registry: ComponentRegistry): string {
  const config = loadConfig(configFiles, registry);
  const list = (ids: readonly string[]): string => (ids.length > 0 ? ids.join(', ') : '(none)');
  const lines = [`Configuration is valid: ${config.files.join(', ')}`];
  for (const pipeline of config.pipelines) {
    lines.push(`pipeline ${pipeline.id}:`, `  receivers:  ${list(pipeline.receivers)}`, `  processors: ${list(pipeline.processors)}`, `  exporters:  ${list(pipeline.exporters)}`);
  }
  lines.push(`extensions: ${list(config.service.extensions)}`);
  return lines.join('\n');
}
