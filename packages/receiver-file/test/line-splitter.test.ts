import { expect } from 'chai';
import { LineSplitter } from '@oktel/receiver-file';

describe('line splitter', () => {
  it('joins a line split across chunks, including inside a multi-byte character', () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('{"name":"Zoë"}\nsecond\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of ë
    expect(splitter.push(bytes.subarray(0, cut))).to.deep.equal([]);
    expect(splitter.push(bytes.subarray(cut))).to.deep.equal(['{"name":"Zoë"}', 'second']);
    expect(splitter.flush()).to.equal(undefined);
  });

  it('keeps an unfinished tail until flushed', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('a\nb'))).to.deep.equal(['a']);
    expect(splitter.pendingBytes).to.equal(1);
    expect(splitter.flush()).to.equal('b');
  });
});
