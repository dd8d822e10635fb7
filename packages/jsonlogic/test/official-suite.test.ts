import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { compile } from '@oktel/jsonlogic';

const suite = (JSON.parse(readFileSync(new URL('./fixtures/official-tests.json', import.meta.url), 'utf8')) as unknown[]).filter(
  (entry): entry is [unknown, unknown, unknown] => Array.isArray(entry),
);

describe('jsonlogic: the official JsonLogic test suite', () => {
  it(`has all ${suite.length} cases of jsonlogic.com/tests.json`, () => {
    expect(suite.length).to.equal(277);
  });

  suite.forEach(([rule, data, expected], i) => {
    it(`case ${i + 1}: ${JSON.stringify(rule)} with ${JSON.stringify(data)}`, () => {
      expect(compile(rule)(data)).to.deep.equal(expected);
    });
  });
});
