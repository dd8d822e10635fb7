// The JSON Schema of an oktel.yaml, generated from the zod schemas that validate it, so an
// editor (yaml-language-server) completes and checks exactly what `oktel validate` accepts.
import { serviceSchema, type ComponentRegistry } from '@oktel/core';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

const SECTIONS = [
  ['receivers', 'receiver'],
  ['processors', 'processor'],
  ['exporters', 'exporter'],
  ['connectors', 'connector'],
  ['extensions', 'extension'],
] as const;

/** `${env:NAME}`, `${env:NAME:-default}` or `${NAME}`: resolved at load time, so any typed value may be one. */
const ENV_REFERENCE = {
  type: 'string',
  pattern: '^\\$\\{(env:)?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$',
  description: 'An environment variable reference, resolved when the config is loaded.',
};

function fromZod(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return allowEnvReferences(json);
}

/** A value that is not free text (number, boolean, enum, pattern) may still be written as a whole `${env:…}`. */
function allowEnvReferences(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) out[key] = value.map((v) => (isObject(v) ? allowEnvReferences(v) : v));
    else if (isObject(value) && key !== 'default' && key !== 'const') {
      out[key] = ['properties', 'patternProperties', '$defs'].includes(key)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? allowEnvReferences(v) : v]))
        : allowEnvReferences(value);
    } else out[key] = value;
  }
  const typed = ['number', 'integer', 'boolean'].includes(out.type as string) || out.enum !== undefined || out.pattern !== undefined || out.const !== undefined;
  if (!typed || out === ENV_REFERENCE) return out;
  const { description, default: fallback, ...rest } = out;
  return { ...(description !== undefined ? { description } : {}), ...(fallback !== undefined ? { default: fallback } : {}), anyOf: [rest, ENV_REFERENCE] };
}

const isObject = (v: unknown): v is JsonSchema => v !== null && typeof v === 'object' && !Array.isArray(v);
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One schema for a whole config file: every built-in component type under its section, and service. */
export function configJsonSchema(registry: ComponentRegistry, version: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [section, kind] of SECTIONS) {
    const patternProperties: Record<string, JsonSchema> = {};
    for (const factory of registry.list().filter((f) => f.kind === kind)) {
      const names = [factory.type, ...(factory.aliases ?? [])].map(escapeRegExp).join('|');
      const config = fromZod(factory.configSchema);
      // `file/okta: ` with nothing after it is the defaults, as in the Collector.
      patternProperties[`^(${names})(/.+)?$`] = { description: `${kind} ${factory.type}: ${factory.description}`, anyOf: [config, { type: 'null' }] };
    }
    properties[section] = {
      description: `${kind[0]!.toUpperCase()}${kind.slice(1)}s by id: <type> or <type>/<name>.`,
      anyOf: [{ type: 'object', patternProperties, additionalProperties: false }, { type: 'null' }],
    };
  }
  properties.service = fromZod(serviceSchema);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `oktel configuration (oktel ${version})`,
    description: 'An oktel.yaml: receivers, processors, exporters, connectors and extensions by id, wired into pipelines under service.',
    type: 'object',
    properties,
    required: ['service'],
    additionalProperties: false,
  };
}
