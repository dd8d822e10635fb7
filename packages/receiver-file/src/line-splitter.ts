/** A line too long to keep: skipped whole, with its size, so the lines after it still flow. */
export interface OversizedLine {
  readonly oversizedBytes: number;
}

export type SplitLine = { readonly text: string; readonly end: number } | (OversizedLine & { readonly end: number });

/**
 * Splits a byte stream into lines without reading ahead: the caller pulls chunks at its own pace,
 * so a slow pipeline slows the file read (readline's async iterator buffers eagerly).
 * Splitting is done on bytes, so a multi-byte character cut by a chunk boundary stays whole.
 * A line longer than `maxBytes` is not buffered: its bytes are dropped as they come and it is
 * returned as an OversizedLine once its newline arrives.
 */
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #skipping = 0;
  readonly #maxBytes: number;

  constructor(maxBytes = Number.POSITIVE_INFINITY) {
    this.#maxBytes = maxBytes;
  }

  /** Complete lines in this chunk (without the newline); the unfinished tail is kept. */
  push(chunk: Buffer): string[] {
    return this.pushLines(chunk).flatMap((l) => ('text' in l ? [l.text] : []));
  }

  /** Complete lines with the offset in `chunk` just past each one's newline. */
  pushLines(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.#skipping > 0 || this.#pendingBytes + piece.length > this.#maxBytes) {
        lines.push({ oversizedBytes: this.#skipping + this.#pendingBytes + piece.length, end: nl + 1 });
        this.#skipping = 0;
      } else {
        const line = this.#pending.length > 0 ? Buffer.concat([...this.#pending, piece]) : piece;
        lines.push({ text: line.toString('utf8').replace(/\r$/, ''), end: nl + 1 });
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      if (this.#skipping > 0 || this.#pendingBytes + tail.length > this.#maxBytes) {
        this.#skipping += this.#pendingBytes + tail.length;
        this.#pending = [];
        this.#pendingBytes = 0;
      } else {
        // Copy: the caller may reuse its read buffer for the next chunk.
        this.#pending.push(Buffer.from(tail));
        this.#pendingBytes += tail.length;
      }
    }
    return lines;
  }

  /** Bytes held (or being skipped) for a line that has no newline yet. */
  get pendingBytes(): number {
    return this.#pendingBytes + this.#skipping;
  }

  /** The unfinished last line, for input that ends without a newline. */
  flush(): string | OversizedLine | undefined {
    if (this.#skipping > 0) {
      const oversized = { oversizedBytes: this.#skipping + this.#pendingBytes };
      this.#skipping = 0;
      this.#pending = [];
      this.#pendingBytes = 0;
      return oversized;
    }
    if (this.#pending.length === 0) return undefined;
    const line = Buffer.concat(this.#pending).toString('utf8').replace(/\r$/, '');
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }
}
