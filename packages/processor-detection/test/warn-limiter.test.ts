import { expect } from 'chai';
import { createLogger, MemoryLogSink } from '@oktel/core';
import { WarnLimiter } from '../src/correlation/warn-limiter.js';

/** A limiter on a real logger writing to memory, with a clock the test moves. */
function limiter(intervalMs: number) {
  const sink = new MemoryLogSink();
  const clock = { now: 0 };
  const warn = new WarnLimiter(createLogger({ sink }), intervalMs, () => clock.now);
  const messages = () => sink.lines.map((line) => line.replace(/^\S+ warn {2}/, '').trimEnd());
  return { warn, clock, messages };
}

describe('warn limiter', () => {
  it('logs a kind at most once per interval, then says how many were held back', () => {
    const { warn, clock, messages } = limiter(1000);
    const built: number[] = [];
    const say = (text: string) => () => {
      built.push(clock.now);
      return text;
    };
    warn.warn('evict', say('group evicted'));
    clock.now = 500;
    warn.warn('evict', say('group evicted'));
    clock.now = 999;
    warn.warn('evict', say('group evicted'));
    expect(messages()).to.deep.equal(['group evicted']);
    clock.now = 1000;
    warn.warn('evict', say('group evicted again'));
    clock.now = 1500;
    warn.warn('evict', say('held back'));
    clock.now = 2000;
    warn.warn('evict', say('group evicted a third time'));
    clock.now = 3000;
    warn.warn('evict', say('group evicted alone'));
    expect(messages()).to.deep.equal([
      'group evicted',
      'group evicted again (2 more since the last such warning)',
      'group evicted a third time (1 more since the last such warning)',
      'group evicted alone',
    ]);
    expect(built, 'a held-back message is never built').to.deep.equal([0, 1000, 2000, 3000]);
  });

  it('limits each kind on its own', () => {
    const { warn, clock, messages } = limiter(60_000);
    warn.warn('evict', () => 'evicted');
    warn.warn('overflow', () => 'overflowed');
    warn.warn('evict', () => 'evicted');
    clock.now = 60_000;
    warn.warn('overflow', () => 'overflowed');
    expect(messages()).to.deep.equal(['evicted', 'overflowed', 'overflowed']);
  });
});
