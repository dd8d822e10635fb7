import { z } from 'zod';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

export interface ConfigKeyDoc {
  key: string;
  type: string;
  default: string;
  required: boolean;
  description: string;
}

function typeName(s: JsonSchema): string {
  if (s.format === 'duration') return 'duration';
  if (s.format === 'size') return 'size';
  if (s.format === 'secret') return 'string (secret)';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return [...new Set(s.anyOf.map(typeName))].join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeName(s.items) : 'any'}`;
  if (s.type === 'object' && !s.properties) return 'map';
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function defaultText(s: JsonSchema, required: boolean): string {
  if (required) return '(required)';
  if (s.default === undefined) return '(none)';
  if (s.type === 'object' && s.properties) return '';
  return `\`${JSON.stringify(s.default)}\``;
}

/** Every key of a config schema, nested keys as `a.b`, in declaration order. */
export function describeConfig(schema: z.ZodType): ConfigKeyDoc[] {
  const rows: ConfigKeyDoc[] = [];
  const walk = (s: JsonSchema, prefix: string): void => {
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      const required = s.required?.includes(key) ?? false;
      rows.push({ key: prefix + key, type: typeName(child), default: defaultText(child, required), required, description: child.description ?? '' });
      if (child.properties) walk(child, `${prefix}${key}.`);
    }
  };
  walk(inputJsonSchema(schema), '');
  return rows;
}

export function renderConfigTable(schema: z.ZodType): string {
  const lines = ['| key | type | default | description |', '|---|---|---|---|'];
  for (const row of describeConfig(schema)) {
    lines.push(`| \`${row.key}\` | ${row.type} | ${row.default} | ${row.description.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  }
  return lines.join('\n');
}

/** The keys valid at a path inside a schema, for "unknown key" messages. */
export function validKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] | undefined {
  let node: JsonSchema | undefined = inputJsonSchema(schema);
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.items;
    else node = node.properties?.[segment] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node?.properties ? Object.keys(node.properties) : undefined;
}
