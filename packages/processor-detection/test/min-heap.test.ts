import { expect } from 'chai';
import { MinHeap } from '../src/correlation/min-heap.js';

/** A deterministic sequence of pushes (keys with many ties) and pops, with what a stable heap must return. */
function script(steps: number, keyRange: number, seed: number): { ops: (number | 'pop')[]; pops: number } {
  let x = seed;
  const next = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x;
  };
  const ops: (number | 'pop')[] = [];
  let size = 0;
  let pops = 0;
  for (let i = 0; i < steps; i++) {
    if (size > 0 && next() % 3 === 0) {
      ops.push('pop');
      size--;
      pops++;
    } else {
      ops.push(next() % keyRange);
      size++;
    }
  }
  return { ops, pops };
}

/** Runs a script on a heap, draining it at the end; values are [key, insertion number]. */
function run(heap: MinHeap<[number, number]>, ops: readonly (number | 'pop')[]): [number, number][] {
  const out: [number, number][] = [];
  let n = 0;
  for (const op of ops) {
    if (op === 'pop') out.push(heap.pop()!);
    else heap.push(op, [op, n++]);
  }
  for (let v = heap.pop(); v; v = heap.pop()) out.push(v);
  return out;
}

/** The same script on a plain array: smallest key first, ties in insertion order. */
function reference(ops: readonly (number | 'pop')[]): [number, number][] {
  const out: [number, number][] = [];
  const held: [number, number][] = [];
  let n = 0;
  const take = () => {
    let best = 0;
    for (let i = 1; i < held.length; i++) if (held[i]![0] < held[best]![0]) best = i;
    out.push(held.splice(best, 1)[0]!);
  };
  for (const op of ops) {
    if (op === 'pop') take();
    else held.push([op, n++]);
  }
  while (held.length > 0) take();
  return out;
}

describe('min-heap', () => {
  it('pops values smallest key first', () => {
    const heap = new MinHeap<string>();
    for (const k of [5, 3, 8, 1, 9, 2, 7, 4, 6, 0]) heap.push(k, `v${k}`);
    expect(heap.size).to.equal(10);
    const out: string[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).to.deep.equal(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9']);
    expect(heap.size).to.equal(0);
    expect(heap.pop()).to.equal(undefined);
  });

  it('pops equal keys in insertion order by default', () => {
    const heap = new MinHeap<number>();
    for (let i = 0; i < 30; i++) heap.push(i % 3, i);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).to.deep.equal([0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
  });

  it('pops equal keys in insertion order through any mix of pushes and pops when stable', () => {
    for (const [seed, keyRange] of [
      [1, 4],
      [7, 2],
      [42, 50],
    ] as const) {
      const { ops, pops } = script(600, keyRange, seed);
      expect(pops, 'the script pops while the heap holds values').to.be.greaterThan(100);
      const expected = reference(ops);
      expect(run(new MinHeap(), ops)).to.deep.equal(expected);
      expect(run(new MinHeap({ stable: true }), ops)).to.deep.equal(expected);
    }
  });

  it('still pops smallest key first when not stable, losing no value', () => {
    for (const [seed, keyRange] of [
      [1, 4],
      [7, 2],
      [42, 50],
    ] as const) {
      const { ops } = script(600, keyRange, seed);
      const expected = reference(ops);
      const got = run(new MinHeap({ stable: false }), ops);
      expect(got.map(([k]) => k)).to.deep.equal(expected.map(([k]) => k));
      expect(got.map(([, n]) => n).sort((a, b) => a - b)).to.deep.equal(expected.map(([, n]) => n).sort((a, b) => a - b));
    }
  });

  it('peeks at the smallest key and its value, +Infinity and undefined when empty', () => {
    const heap = new MinHeap<string>();
    expect(heap.peekKey()).to.equal(Number.POSITIVE_INFINITY);
    expect(heap.peek()).to.equal(undefined);
    heap.push(5, 'five');
    heap.push(2, 'two');
    heap.push(9, 'nine');
    expect(heap.peekKey()).to.equal(2);
    expect(heap.peek()).to.equal('two');
    expect(heap.size).to.equal(3);
    heap.pop();
    heap.pop();
    expect(heap.peekKey()).to.equal(9);
    heap.pop();
    expect(heap.peekKey()).to.equal(Number.POSITIVE_INFINITY);
  });

  it('lists every value smallest key first, ties in insertion order, without changing the heap', () => {
    const heap = new MinHeap<string>();
    const pushes: [number, string][] = [
      [3, 'c1'],
      [1, 'a1'],
      [3, 'c2'],
      [2, 'b1'],
      [1, 'a2'],
      [3, 'c3'],
      [1, 'a3'],
    ];
    for (const [k, v] of pushes) heap.push(k, v);
    expect(heap.sorted()).to.deep.equal(['a1', 'a2', 'a3', 'b1', 'c1', 'c2', 'c3']);
    expect(heap.size).to.equal(7);
    expect(heap.pop()).to.equal('a1');
    expect(heap.sorted()).to.deep.equal(['a2', 'a3', 'b1', 'c1', 'c2', 'c3']);
  });

  it('lists every value smallest key first when not stable', () => {
    const heap = new MinHeap<[number, string]>({ stable: false });
    for (const k of [7, 3, 9, 3, 1, 8]) heap.push(k, [k, `v${k}`]);
    expect(heap.sorted().map(([k]) => k)).to.deep.equal([1, 3, 3, 7, 8, 9]);
  });

  it('is empty after clear and orders what is pushed afterwards', () => {
    const heap = new MinHeap<string>();
    heap.push(1, 'a');
    heap.push(1, 'b');
    heap.push(0, 'c');
    heap.clear();
    expect(heap.size).to.equal(0);
    expect(heap.peekKey()).to.equal(Number.POSITIVE_INFINITY);
    expect(heap.pop()).to.equal(undefined);
    expect(heap.sorted()).to.deep.equal([]);
    heap.push(4, 'x');
    heap.push(2, 'y');
    heap.push(2, 'z');
    expect([heap.pop(), heap.pop(), heap.pop()]).to.deep.equal(['y', 'z', 'x']);
    heap.push(5, 'five');
    heap.push(1, 'one');
    expect(heap.pop()).to.equal('one');
    expect([heap.peekKey(), heap.peek()]).to.deep.equal([5, 'five']);
  });

  it('keeps its order through any mix of pushes and pops after clear', () => {
    for (const stable of [true, false]) {
      const heap = new MinHeap<[number, number]>({ stable });
      for (let i = 0; i < 5; i++) heap.push(i % 2, [i % 2, -1]);
      heap.clear();
      const { ops } = script(300, 4, 3);
      const expected = reference(ops);
      const got = run(heap, ops);
      expect(got.map(([k]) => k)).to.deep.equal(expected.map(([k]) => k));
      if (stable) expect(got).to.deep.equal(expected);
    }
  });
});
