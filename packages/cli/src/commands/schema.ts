import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ComponentRegistry } from '@oktel/core';
import { configJsonSchema } from '../config-schema.js';
import { version } from '../usage.js';

/** `oktel schema [--output FILE]`: the config's JSON Schema, for editors and CI. */
export function schemaCommand(args: string[], registry: ComponentRegistry, out: NodeJS.WritableStream = process.stdout): number {
  const { values } = parseArgs({ args, strict: true, options: { output: { type: 'string', short: 'o' } } });
  const text = `${JSON.stringify(configJsonSchema(registry, version()), null, 2)}\n`;
  if (values.output) writeFileSync(values.output, text);
  else out.write(text);
  return 0;
}
