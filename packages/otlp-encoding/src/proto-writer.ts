import { ReusableBuffer } from './reusable-buffer.js';

/**
 * A protobuf writer over one growable Buffer that is reused from batch to batch, so a steady
 * stream of batches allocates nothing but the final copy.
 *
 * Strings go through Buffer#write (native UTF-8, one pass) instead of a per-character loop.
 * Length-delimited fields reserve one byte for the length and shift the content when the
 * length needs more: most fields are short, and the shift is a native memmove. The output is
 * canonical protobuf (minimal varints), byte for byte what the OpenTelemetry JS serializer writes.
 */
export class ProtoWriter extends ReusableBuffer {
  /** Varint of a value in [0, 2^32). */
  uint32(value: number): void {
    this.ensure(5);
    const buf = this.buf;
    let v = value >>> 0;
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** Varint of any integer in the int64 range; negatives in two's complement (ten bytes), as int64 requires. */
  int64(value: number): void {
    if (value >= 0 && value <= 0xffffffff) {
      this.uint32(value);
      return;
    }
    let low: number;
    let high: number;
    const abs = Math.abs(value);
    low = abs >>> 0;
    high = Math.floor(abs / 0x100000000) >>> 0;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    this.ensure(10);
    const buf = this.buf;
    while (high > 0 || low > 0x7f) {
      buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low & 0x7f;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(low >>> 0, this.pos);
    this.buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  string(value: string): void {
    const length = value.length;
    // Short ASCII strings (keys, most Okta values) are copied by a loop: cheaper than a native
    // call per string. Anything else goes through Buffer#write, native UTF-8 in one pass.
    if (length < 0x80) {
      this.ensure(1 + length * 3);
      const buf = this.buf;
      const start = this.pos;
      let p = start + 1;
      let i = 0;
      for (; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        buf[p++] = c;
      }
      if (i < length) p = start + 1 + buf.write(value, start + 1, 'utf8');
      const written = p - start - 1;
      if (written < 0x80) {
        buf[start] = written;
        this.pos = p;
        return;
      }
      // Multi-byte characters took it past 127 bytes: its length needs a second byte.
      this.pos = p;
      this.end(start);
      return;
    }
    const at = this.begin();
    this.ensure(length * 3);
    this.pos += this.buf.write(value, this.pos, 'utf8');
    this.end(at);
  }

  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Starts a length-delimited field; returns where its length goes. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the field started at `at`, shifting its content if the length needs more than one byte. */
  end(at: number): void {
    const length = this.pos - at - 1;
    const buf = this.buf;
    if (length < 0x80) {
      buf[at] = length;
      return;
    }
    const size = varintSize(length);
    this.ensure(size - 1);
    this.buf.copyWithin(at + size, at + 1, this.pos);
    this.pos += size - 1;
    let v = length;
    let p = at;
    const out = this.buf;
    while (v > 0x7f) {
      out[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[p] = v;
  }
}

function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}
