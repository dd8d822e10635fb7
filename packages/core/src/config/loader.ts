import type { z } from 'zod';
import { parseComponentId, type AnyFactory, type ComponentKind } from '../component.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { ComponentRegistry } from '../registry.js';
import { validKeysAt } from './docs.js';
import { substituteEnv, type UnsetEnv } from './env.js';
import { mergeConfigs } from './merge.js';
import { serviceSchema, topLevelSchema, type PipelineConfig, type ServiceConfig } from './service-schema.js';
import { YamlSource } from './yaml-source.js';

export interface ResolvedComponent {
  readonly id: string;
  readonly kind: ComponentKind;
  readonly factory: AnyFactory;
  readonly config: unknown;
}

export interface ResolvedPipeline extends PipelineConfig {
  readonly id: string;
}

export interface ResolvedConfig {
  readonly files: readonly string[];
  readonly components: ReadonlyMap<ComponentKind, ReadonlyMap<string, ResolvedComponent>>;
  readonly service: ServiceConfig;
  readonly pipelines: readonly ResolvedPipeline[];
  /** Problems that did not fail the load: unset variables under `unsetEnv: 'warn'` and what fails only because of them. */
  readonly warnings?: readonly ConfigIssue[];
}

export interface LoadOptions {
  /** 'warn' (for `oktel validate` without secrets): unset `${env:…}` become placeholders and warnings. Default 'error'. */
  readonly unsetEnv?: UnsetEnv;
}

const SECTIONS: readonly [ComponentKind, string][] = [
  ['receiver', 'receivers'],
  ['processor', 'processors'],
  ['exporter', 'exporters'],
  ['extension', 'extensions'],
  ['connector', 'connectors'],
];
const PIPELINE_ID = /^logs(\/\S+)?$/;

type Path = (string | number)[];

/** Zod issues as ConfigIssues under `prefix`; an unknown key is reported at the key, with the valid ones. */
export function zodIssues(error: z.ZodError, prefix: Path, schema?: z.ZodType): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const valid = schema ? validKeysAt(schema, path) : undefined;
      const hint = valid ? ` (valid keys: ${valid.join(', ')})` : '';
      return issue.keys.map((key) => ({ path: [...prefix, ...path, key], message: `unknown key "${key}"${hint}` }));
    }
    let message = issue.message.replace(/^Invalid input: /, '');
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'required key is missing';
    return [{ path: [...prefix, ...path], message }];
  });
}

/**
 * Reads, merges and validates config files against the registry. Every problem is collected
 * and thrown together as one ConfigError, each located by file, line and key path; nothing is
 * started from a config that fails here.
 */
export function loadConfig(
  files: readonly string[],
  registry: ComponentRegistry,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): ResolvedConfig {
  const sources: YamlSource[] = [];
  const issues: ConfigIssue[] = [];
  for (const file of files) {
    const { source, issues: fileIssues } = YamlSource.fromFile(file);
    issues.push(...fileIssues);
    if (source) sources.push(source);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return resolveConfig(sources, registry, env, options);
}

export function resolveConfig(
  sources: readonly YamlSource[],
  registry: ComponentRegistry,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): ResolvedConfig {
  let issues: ConfigIssue[] = [];
  const merged = mergeConfigs(sources.map((s) => s.value));
  const substituted = substituteEnv(merged, env, [], options.unsetEnv);
  issues.push(...substituted.issues);
  const warnings = substituted.warnings;
  const raw = substituted.value as Record<string, unknown>;

  const top = topLevelSchema.safeParse(raw);
  if (!top.success) issues.push(...zodIssues(top.error, [], topLevelSchema));

  const components = new Map<ComponentKind, Map<string, ResolvedComponent>>();
  for (const [kind, section] of SECTIONS) {
    const resolved = new Map<string, ResolvedComponent>();
    components.set(kind, resolved);
    const entries = raw[section];
    if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) continue;
    for (const [id, value] of Object.entries(entries as Record<string, unknown>)) {
      const component = resolveComponent(kind, section, id, value, registry, issues);
      if (component) resolved.set(id, component);
    }
  }

  let service: ServiceConfig | undefined;
  if (raw.service === undefined) {
    issues.push({ path: ['service'], message: 'required key is missing: a config needs service::pipelines' });
  } else {
    const parsed = serviceSchema.safeParse(raw.service ?? {});
    if (parsed.success) service = parsed.data;
    else issues.push(...zodIssues(parsed.error, ['service'], serviceSchema));
  }

  const pipelines: ResolvedPipeline[] = [];
  if (service) {
    checkServiceReferences(service, components, raw, issues);
    for (const [id, pipeline] of Object.entries(service.pipelines)) pipelines.push({ id, ...pipeline });
    if (pipelines.length === 0) issues.push({ path: ['service', 'pipelines'], message: 'no pipeline is defined: add service::pipelines::logs' });
  }

  if (warnings.length > 0) {
    // A value that fails only because it holds a placeholder cannot be judged without the
    // variable; its warning already says so.
    const unsetAt = substituted.warnings.map((w) => w.path);
    issues = issues.filter((issue) => !unsetAt.some((p) => p.every((key, i) => issue.path[i] === key)));
  }
  if (issues.length > 0) throw new ConfigError(issues.map((issue) => locate(issue, sources)));
  const resolved = { files: sources.map((s) => s.file), components, service: service!, pipelines };
  return warnings.length > 0 ? { ...resolved, warnings: warnings.map((w) => locate(w, sources)) } : resolved;
}

function resolveComponent(
  kind: ComponentKind,
  section: string,
  id: string,
  value: unknown,
  registry: ComponentRegistry,
  issues: ConfigIssue[],
): ResolvedComponent | undefined {
  const parsedId = parseComponentId(id);
  if (typeof parsedId === 'string') {
    issues.push({ path: [section, id], message: parsedId });
    return undefined;
  }
  const factory = registry.get(kind, parsedId.type);
  if (!factory) {
    issues.push({
      path: [section, id],
      message: `unknown ${kind} type "${parsedId.type}" for id "${id}" (valid values: ${registry.types(kind).join(', ') || 'none'})`,
    });
    return undefined;
  }
  const result = factory.configSchema.safeParse(value ?? {});
  if (!result.success) {
    issues.push(...zodIssues(result.error, [section, id], factory.configSchema));
    return undefined;
  }
  return { id, kind, factory, config: result.data };
}

function checkServiceReferences(
  service: ServiceConfig,
  components: Map<ComponentKind, Map<string, ResolvedComponent>>,
  raw: Record<string, unknown>,
  issues: ConfigIssue[],
): void {
  const configured = (kind: ComponentKind, section: string, id: string): boolean =>
    components.get(kind)!.has(id) || Object.hasOwn((raw[section] as object | undefined) ?? {}, id);

  service.extensions.forEach((id, i) => {
    if (!configured('extension', 'extensions', id))
      issues.push({ path: ['service', 'extensions', i], message: `references extension "${id}" which is not configured` });
  });

  for (const [pipelineId, pipeline] of Object.entries(service.pipelines)) {
    const at: Path = ['service', 'pipelines', pipelineId];
    if (!PIPELINE_ID.test(pipelineId)) {
      issues.push({ path: at, message: `"${pipelineId}" is not a supported pipeline id: oktel carries logs, so use "logs" or "logs/<name>"` });
    }
    for (const [kind, section, list] of [
      ['receiver', 'receivers', pipeline.receivers],
      ['processor', 'processors', pipeline.processors],
      ['exporter', 'exporters', pipeline.exporters],
    ] as const) {
      const seen = new Set<string>();
      list.forEach((id, i) => {
        if (seen.has(id)) issues.push({ path: [...at, section, i], message: `references ${kind} "${id}" more than once` });
        seen.add(id);
        // A connector stands where a receiver or an exporter would.
        const isConnector = kind !== 'processor' && configured('connector', 'connectors', id);
        if (!configured(kind, section, id) && !isConnector)
          issues.push({ path: [...at, section, i], message: `references ${kind} "${id}" which is not configured` });
      });
    }
  }

  // A connector must end at least one pipeline and start at least one other.
  for (const [id, connector] of components.get('connector')!) {
    for (const ref of connector.factory.pipelineRefs?.(connector.config) ?? []) {
      const target = service.pipelines[ref.pipelineId];
      if (!target) issues.push({ path: ['connectors', id, ...ref.path], message: `references pipeline "${ref.pipelineId}" which is not defined` });
      else if (!target.receivers.includes(id))
        issues.push({
          path: ['connectors', id, ...ref.path],
          message: `routes to pipeline "${ref.pipelineId}", which does not list "${id}" among its receivers`,
        });
    }
    const asExporter = Object.values(service.pipelines).some((p) => p.exporters.includes(id));
    const asReceiver = Object.values(service.pipelines).some((p) => p.receivers.includes(id));
    if (asExporter !== asReceiver) {
      issues.push({
        path: ['connectors', id],
        message: asExporter
          ? `connector "${id}" is an exporter of a pipeline but no pipeline lists it as a receiver`
          : `connector "${id}" is a receiver of a pipeline but no pipeline lists it as an exporter`,
      });
    }
  }

  // Extensions used by enabled components must exist, be enabled, and be able to do the job.
  const enabled = new Set<string>(Object.values(service.pipelines).flatMap((p) => [...p.receivers, ...p.processors, ...p.exporters]));

  for (const [kind, section] of SECTIONS) {
    for (const component of components.get(kind)!.values()) {
      if (kind !== 'extension' && !enabled.has(component.id)) continue;
      for (const ref of component.factory.extensionRefs?.(component.config) ?? []) {
        const path = [section, component.id, ...ref.path];
        const extension = components.get('extension')!.get(ref.extensionId);
        if (!extension) issues.push({ path, message: `references extension "${ref.extensionId}" which is not configured` });
        else if (!service.extensions.includes(ref.extensionId))
          issues.push({ path, message: `references extension "${ref.extensionId}" which is not enabled in service::extensions` });
        else if (extension.factory.kind === 'extension' && !extension.factory.capabilities?.includes(ref.capability)) {
          issues.push({ path, message: `extension "${ref.extensionId}" cannot be used as ${ref.capability}` });
        }
      }
    }
  }
}

/** Attach file and line: the last file that holds the exact key wins, else the deepest match. */
function locate(issue: ConfigIssue, sources: readonly YamlSource[]): ConfigIssue {
  if (issue.file) return issue;
  let best: { file: string; line: number } | undefined;
  for (let i = sources.length - 1; i >= 0; i--) {
    const found = sources[i]!.locate(issue.path);
    if (!found) continue;
    if (found.exact) return { ...issue, file: sources[i]!.file, line: found.line };
    best ??= { file: sources[i]!.file, line: found.line };
  }
  return best ? { ...issue, ...best } : { ...issue, file: sources[sources.length - 1]?.file };
}
