import { expect } from 'chai';
import { staleReadmes } from '../src/docs.js';

describe('generated docs', () => {
  it('every package README documents every config key of its component, as the schema declares it', () => {
    expect(staleReadmes(false), 'run `pnpm run docs` to regenerate').to.deep.equal([]);
  });
});
