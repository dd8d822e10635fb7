import { expect } from 'chai';
import { formatDuration, parseDuration, parseSize } from '@oktel/core';
import { substituteEnv, unsetPlaceholder } from '../src/config/env.js';
import { mergeConfigs } from '../src/config/merge.js';

describe('config environment references', () => {
  const env = { PORT: '4318', TOKEN: 's3cr3t', EMPTY: '', MAP: '{a: 1}', LIST: '[1, 2]', FLAG: 'true', BRACE: 'x}y' };

  it('types a value that is one whole reference as a YAML scalar, with or without the env: prefix', () => {
    const { value, issues } = substituteEnv({ a: '${env:PORT}', b: '${PORT}', c: '${FLAG}' }, env);
    expect(value).to.deep.equal({ a: 4318, b: 4318, c: true });
    expect(issues).to.deep.equal([]);
  });

  it('keeps a variable holding a map or a list as text, never as config structure', () => {
    expect(substituteEnv({ a: '${MAP}', b: '${LIST}' }, env).value).to.deep.equal({ a: '{a: 1}', b: '[1, 2]' });
  });

  it('splices references inside a longer string as text, and $$ is a literal dollar', () => {
    expect(substituteEnv('http://127.0.0.1:${env:PORT}/v1 costs $$5', env).value).to.equal('http://127.0.0.1:4318/v1 costs $5');
    expect(substituteEnv('Bearer ${TOKEN}', env).value).to.equal('Bearer s3cr3t');
  });

  it('uses the default of an unset or empty variable, a default of several characters included', () => {
    expect(substituteEnv({ a: '${env:MISSING:-info}', b: '${EMPTY:-warn}', c: 'level=${MISSING:-debug}' }, env).value).to.deep.equal({
      a: 'info',
      b: 'warn',
      c: 'level=debug',
    });
    expect(substituteEnv('${MISSING:-}', env).value).to.equal('');
    expect(substituteEnv('${MISSING:-42}', env).value).to.equal(42);
  });

  it('reports an unset variable without a default with the key path of every place it is used, lists included', () => {
    const { value, issues, warnings } = substituteEnv({ exporters: { otlp: { headers: ['x', 'Bearer ${API_KEY}'] } }, a: '${API_KEY}' }, env, ['root']);
    expect(value).to.deep.equal({ exporters: { otlp: { headers: ['x', 'Bearer '] } }, a: '' });
    expect(issues.map((i) => i.path)).to.deep.equal([
      ['root', 'exporters', 'otlp', 'headers', 1],
      ['root', 'a'],
    ]);
    expect(issues[0]!.message).to.equal('environment variable API_KEY is not set (use ${env:API_KEY:-default} to give a default)');
    expect(warnings).to.deep.equal([]);
  });

  it('with unset: warn, puts a placeholder naming the variable and reports a warning instead of an error', () => {
    const { value, issues, warnings } = substituteEnv({ a: '${API_KEY}', b: 'k=${API_KEY}' }, env, [], 'warn');
    expect(value).to.deep.equal({ a: unsetPlaceholder('API_KEY'), b: 'k=<unset API_KEY>' });
    expect(unsetPlaceholder('API_KEY')).to.equal('<unset API_KEY>');
    expect(issues).to.deep.equal([]);
    expect(warnings.map((w) => w.path)).to.deep.equal([['a'], ['b']]);
  });

  it('leaves a value that YAML cannot parse as the text it was', () => {
    expect(substituteEnv('${BAD}', { BAD: 'a: b: c' }).value).to.equal('a: b: c');
    expect(substituteEnv('${BRACE}', env).value).to.equal('x}y');
    expect(substituteEnv('${OPEN}', { OPEN: '[1, 2' }).value).to.equal('[1, 2');
    expect(substituteEnv('${QUOTE}', { QUOTE: '"unterminated' }).value).to.equal('"unterminated');
  });

  it('leaves non-string values and malformed references alone', () => {
    expect(substituteEnv({ n: 3, b: false, z: null, s: '${1BAD}', t: '$PORT' }, env).value).to.deep.equal({
      n: 3,
      b: false,
      z: null,
      s: '${1BAD}',
      t: '$PORT',
    });
  });
});

describe('config merging', () => {
  it('deep-merges maps, later files winning, and replaces lists and scalars whole', () => {
    const merged = mergeConfigs([
      { receivers: { okta: { org_url: 'https://a', scopes: ['a', 'b'] } }, service: { x: 1 } },
      { receivers: { okta: { scopes: ['c'] }, file: { path: 'f' } }, service: 2 },
      undefined,
    ]);
    expect(merged).to.deep.equal({ receivers: { okta: { org_url: 'https://a', scopes: ['c'] }, file: { path: 'f' } }, service: 2 });
  });

  it('replaces a map by a list or null rather than merging into it', () => {
    expect(mergeConfigs([{ a: { b: 1 } }, { a: [1] }])).to.deep.equal({ a: [1] });
    expect(mergeConfigs([{ a: { b: 1 } }, { a: null }])).to.deep.equal({ a: null });
    expect(mergeConfigs([{ a: [1] }, { a: { b: 1 } }])).to.deep.equal({ a: { b: 1 } });
  });
});

describe('config units, edges', () => {
  it('reads fractional durations and sizes to the exact amount', () => {
    expect(parseDuration('1.25s')).to.equal(1250);
    expect(parseDuration(' 2m ')).to.equal(120_000);
    expect(parseDuration('1.s')).to.equal(undefined);
    expect(parseSize('1.5KiB')).to.equal(1536);
    expect(parseSize('1.25KiB')).to.equal(1280);
    expect(parseSize(' 2 MiB ')).to.equal(2 * 1024 ** 2);
    expect(parseSize('x2MiB')).to.equal(undefined);
    expect(parseSize('2MiB x')).to.equal(undefined);
    expect(parseSize('2.MiB')).to.equal(undefined);
    expect(parseSize('1.5x')).to.equal(undefined);
  });

  it('refuses a duration with junk between its parts', () => {
    expect(parseDuration('1h x30m')).to.equal(undefined);
    expect(parseDuration('x1h')).to.equal(undefined);
  });

  it('formats zero as 0', () => {
    expect(formatDuration(0)).to.equal('0');
  });
});
