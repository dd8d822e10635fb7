/**
 * One growable Buffer reused from batch to batch: a steady stream of batches allocates nothing
 * but the final copy each returns. The encoders write into `buf` at `pos`, calling `ensure` first.
 */
export class ReusableBuffer {
  protected buf: Buffer;
  pos = 0;

  constructor(initialSize = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of what was written, plus one `suffix` byte if given (e.g. a newline): the buffer itself is reused. */
  finish(suffix?: number): Buffer {
    const out = Buffer.allocUnsafe(this.pos + (suffix === undefined ? 0 : 1));
    this.buf.copy(out, 0, 0, this.pos);
    if (suffix !== undefined) out[this.pos] = suffix;
    return out;
  }

  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
