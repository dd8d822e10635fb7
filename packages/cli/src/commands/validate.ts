import { formatConfigIssue, loadConfig, type ComponentRegistry } from '@oktel/core';

export interface ValidateOptions {
  /** Unset `${env:…}` variables are errors (as when running) instead of warnings with placeholders. */
  strict?: boolean;
}

/**
 * Validates config files and describes the pipelines they resolve to. Without `strict`, unset
 * environment variables (secrets a CI job does not have) are listed as warnings.
 */
export function validateCommand(configFiles: string[], registry: ComponentRegistry, options: ValidateOptions = {}): string {
  const config = loadConfig(configFiles, registry, process.env, { unsetEnv: options.strict ? 'error' : 'warn' });
  const list = (ids: readonly string[]): string => (ids.length > 0 ? ids.join(', ') : '(none)');
  const warnings = config.warnings ?? [];
  const lines = [
    `Configuration is valid${warnings.length > 0 ? ` (${warnings.length} unset variable${warnings.length === 1 ? '' : 's'}: see the warnings)` : ''}: ${config.files.join(', ')}`,
  ];
  for (const warning of warnings) lines.push(`warning: ${formatConfigIssue(warning)}`);
  for (const pipeline of config.pipelines) {
    lines.push(
      `pipeline ${pipeline.id}:`,
      `  receivers:  ${list(pipeline.receivers)}`,
      `  processors: ${list(pipeline.processors)}`,
      `  exporters:  ${list(pipeline.exporters)}`,
    );
  }
  lines.push(`extensions: ${list(config.service.extensions)}`);
  return lines.join('\n');
}
