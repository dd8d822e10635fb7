import { ReusableBuffer } from './reusable-buffer.js';

/**
 * JSON text written as UTF-8 bytes into one growable Buffer reused from batch to batch: no
 * intermediate strings (template-string ropes that Buffer.from must flatten, then collect).
 * Strings are escaped exactly as JSON.stringify does (well-formed: lone surrogates as \uXXXX).
 */
export class JsonWriter extends ReusableBuffer {
  /** Text that is known to be ASCII and needs no escaping (punctuation, keys of the format). */
  raw(text: string): void {
    const length = text.length;
    this.ensure(length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < length; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** A JSON string literal of `value`, quotes included. */
  string(value: string): void {
    const length = value.length;
    if (length <= 64) {
      // Short strings: copy ASCII by a loop (cheaper than a native call), bail out on anything else.
      this.ensure(length + 2);
      const buf = this.buf;
      let p = this.pos;
      buf[p++] = 0x22;
      let i = 0;
      for (; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) break;
        buf[p++] = c;
      }
      if (i === length) {
        buf[p++] = 0x22;
        this.pos = p;
        return;
      }
    }
    if (NEEDS_ESCAPE.test(value)) {
      this.#utf8(JSON.stringify(value));
      return;
    }
    this.ensure(length * 3 + 2);
    const buf = this.buf;
    buf[this.pos++] = 0x22;
    this.pos += buf.write(value, this.pos, 'utf8');
    buf[this.pos++] = 0x22;
  }

  /** JSON's rendering of a number: non-finite values become null, as JSON.stringify does. */
  number(value: number): void {
    this.raw(Number.isFinite(value) ? String(value) : 'null');
  }

  #utf8(text: string): void {
    this.ensure(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON must escape exactly these control characters
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
