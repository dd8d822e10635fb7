/**
 * A binary min-heap ordered by a numeric key, ties broken by insertion order (so events with the
 * same timestamp leave in arrival order). Push and pop are O(log n); an in-order push — the
 * common case for a live stream — stops at the first comparison, so it costs O(1). Used for the
 * reorder buffer (key: event time) and for expiry (key: window end), where a shifted array or a
 * sweep of every group made the per-event cost grow with the event rate.
 */
export class MinHeap<T> {
  readonly #keys: number[] = [];
  readonly #seqs: number[] = [];
  readonly #values: T[] = [];
  #seq = 0;
  readonly #stable: boolean;

  /** `stable: false` drops insertion order for equal keys (and 8 bytes per entry), where order does not matter. */
  constructor(options: { stable?: boolean } = {}) {
    this.#stable = options.stable ?? true;
  }

  get size(): number {
    return this.#values.length;
  }

  /** The smallest key, or +Infinity when empty. */
  peekKey(): number {
    return this.#values.length > 0 ? this.#keys[0]! : Number.POSITIVE_INFINITY;
  }

  peek(): T | undefined {
    return this.#values[0];
  }

  push(key: number, value: T): void {
    const keys = this.#keys;
    const seqs = this.#seqs;
    const values = this.#values;
    let i = values.length;
    const seq = this.#stable ? this.#seq++ : 0;
    keys.push(key);
    if (this.#stable) seqs.push(seq);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! < key || (keys[parent] === key && (!this.#stable || seqs[parent]! < seq))) break;
      keys[i] = keys[parent]!;
      if (this.#stable) seqs[i] = seqs[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    if (this.#stable) seqs[i] = seq;
    values[i] = value;
  }

  pop(): T | undefined {
    const values = this.#values;
    if (values.length === 0) return undefined;
    const top = values[0]!;
    const keys = this.#keys;
    const seqs = this.#seqs;
    const lastKey = keys.pop()!;
    const lastSeq = this.#stable ? seqs.pop()! : 0;
    const lastValue = values.pop()!;
    const n = values.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && (keys[right]! < keys[left]! || (this.#stable && keys[right] === keys[left] && seqs[right]! < seqs[left]!))) child = right;
      if (lastKey < keys[child]! || (lastKey === keys[child] && (!this.#stable || lastSeq < seqs[child]!))) break;
      keys[i] = keys[child]!;
      if (this.#stable) seqs[i] = seqs[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = lastKey;
    if (this.#stable) seqs[i] = lastSeq;
    values[i] = lastValue;
    return top;
  }

  /** Every value, smallest key first (a copy; the heap is unchanged). */
  sorted(): T[] {
    const order = this.#values.map((_, i) => i).sort((a, b) => this.#keys[a]! - this.#keys[b]! || (this.#stable ? this.#seqs[a]! - this.#seqs[b]! : 0));
    return order.map((i) => this.#values[i]!);
  }

  clear(): void {
    this.#keys.length = 0;
    this.#seqs.length = 0;
    this.#values.length = 0;
  }
}
