import { expect } from 'chai';
import { Backoff, equalJitter } from '@oktel/core';

describe('backoff', () => {
  it('waits between half and all of each step, the step doubling from initial up to max', () => {
    const low = new Backoff(100, 1000, () => 0);
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).to.deep.equal([50, 100, 200, 400, 500, 500]);
    const high = new Backoff(100, 1000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => high.next())).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
  });

  it('counts attempts and starts over from the initial step after reset', () => {
    const backoff = new Backoff(100, 1000, () => 1);
    backoff.next();
    backoff.next();
    expect(backoff.attempts).to.equal(2);
    backoff.reset();
    expect(backoff.attempts).to.equal(0);
    expect(backoff.next()).to.equal(100);
  });

  it('jitters within [step/2, step] and rounds to whole milliseconds', () => {
    expect(equalJitter(1000, () => 0)).to.equal(500);
    expect(equalJitter(1000, () => 0.5)).to.equal(750);
    expect(equalJitter(1000, () => 1)).to.equal(1000);
    expect(equalJitter(3, () => 0.5)).to.equal(2);
  });
});
