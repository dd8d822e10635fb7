/**
 * Splits a byte stream into lines without reading ahead: the caller pulls chunks at its own pace,
 * so a slow pipeline slows the file read (readline's async iterator buffers eagerly).
 * Splitting is done on bytes, so a multi-byte character cut by a chunk boundary stays whole.
 */
export class LineSplitter {
  #pending: Buffer[] = [];

  /** Complete lines in this chunk (without the newline); the unfinished tail is kept. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      const line = this.#pending.length > 0 ? Buffer.concat([...this.#pending, piece]) : piece;
      this.#pending = [];
      lines.push(line.toString('utf8').replace(/\r$/, ''));
      start = nl + 1;
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
    return lines;
  }

  /** Bytes held for a line that has no newline yet. */
  get pendingBytes(): number {
    return this.#pending.reduce((n, b) => n + b.length, 0);
  }

  /** The unfinished last line, for input that ends without a newline. */
  flush(): string | undefined {
    if (this.#pending.length === 0) return undefined;
    const line = Buffer.concat(this.#pending).toString('utf8').replace(/\r$/, '');
    this.#pending = [];
    return line;
  }
}
