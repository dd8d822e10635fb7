import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { builtinComponents } from '@oktel/cli';
import { configJsonSchema } from '../packages/cli/src/config-schema.js';
import { version } from '../packages/cli/src/usage.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SHIPPED = join(ROOT, 'packages/cli/schema/oktel-config.schema.json');

describe('the config JSON Schema', () => {
  const schema = configJsonSchema(builtinComponents(), version());
  // Formats (duration, size, secret, uri) are hints for editors; oktel itself checks the values.
  const validate = new Ajv2020({ strict: true, strictTypes: false, allErrors: true, validateFormats: false }).compile(schema);
  const errors = (): string[] => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

  it('is the one shipped with the CLI package (regenerate with `pnpm run docs`)', () => {
    expect(JSON.parse(readFileSync(SHIPPED, 'utf8')), 'packages/cli/schema/oktel-config.schema.json is stale: run `pnpm run docs`').to.deep.equal(schema);
  });

  for (const file of readdirSync(join(ROOT, 'configs')).filter((f) => f.endsWith('.yaml'))) {
    it(`accepts configs/${file}`, () => {
      expect(validate(parse(readFileSync(join(ROOT, 'configs', file), 'utf8'))), errors().join('\n')).to.equal(true);
    });
  }

  it('rejects a misspelt key and a wrong type where oktel would', () => {
    expect(
      validate({
        receivers: { 'file/okta': { path: 'x.jsonl', folow: true } },
        exporters: { debug: null },
        service: { pipelines: { logs: { receivers: ['file/okta'], exporters: ['debug'] } } },
      }),
    ).to.equal(false);
    expect(errors().join('\n')).to.contain('must NOT have additional properties');
    expect(validate({ exporters: { debug: { verbosity: 'loud' } }, service: { pipelines: {} } })).to.equal(false);
    expect(validate({ receivers: { nosuchtype: {} }, service: { pipelines: {} } })).to.equal(false);
  });

  it('accepts a whole ${env:…} reference where a typed value goes', () => {
    expect(
      validate({
        exporters: { debug: { verbosity: '${env:VERBOSITY}' } },
        service: { pipelines: { logs: { receivers: ['x'], exporters: ['debug'] } }, telemetry: { health: { enabled: '${env:HEALTH:-true}' } } },
      }),
      errors().join('\n'),
    ).to.equal(true);
  });

  it('documents each component and key from the zod descriptions', () => {
    const text = JSON.stringify(schema);
    for (const factory of builtinComponents().list()) expect(text).to.contain(`${factory.kind} ${factory.type}: `);
    expect(text).to.contain("Level of oktel's own log (stderr).");
  });
});
