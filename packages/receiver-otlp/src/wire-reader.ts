import { PermanentError } from '@oktel/core';

/**
 * The protobuf wire format, read by hand: varints, fixed 32/64-bit values and length-delimited
 * fields. OTLP's logs messages need nothing more, and reading them here keeps the receiver free
 * of a code-generated runtime (otlp-transformer 0.223.1 no longer ships a decoder).
 * Every read is bounds-checked; a truncated or malformed message raises ERR_OTLP_DECODE.
 */
export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export function decodeError(message: string): PermanentError {
  return new PermanentError(`undecodable OTLP protobuf: ${message}`, { code: 'ERR_OTLP_DECODE' });
}

export class WireReader {
  #pos: number;
  readonly #end: number;
  readonly #view: DataView;
  readonly #buffer: Buffer;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
    buffer?: Buffer,
    view?: DataView,
  ) {
    this.#pos = start;
    this.#end = end;
    this.#buffer = buffer ?? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const key = this.#smallVarint();
    const field = Math.floor(key / 8);
    if (field === 0) throw decodeError('field number 0');
    return { field, wire: key & 7 };
  }

  /**
   * A varint known to fit in 53 bits (tags, lengths, counts): read with numbers, not BigInt,
   * which is what makes decoding fast. Longer ones go through the 64-bit path.
   */
  #smallVarint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 7; i++) {
      if (this.#pos >= this.#end) throw decodeError('truncated varint');
      const byte = this.bytes[this.#pos++]!;
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
    }
    throw decodeError('varint too long for a tag or a length');
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.#pos >= this.#end) throw decodeError('truncated varint');
      const byte = this.bytes[this.#pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result & 0xffff_ffff_ffff_ffffn;
    }
    throw decodeError('varint longer than 10 bytes');
  }

  uint32(): number {
    return Number(this.varint() & 0xffff_ffffn);
  }

  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  /** A non-negative varint small enough for a number (enums, counts); larger values take the 64-bit path. */
  small(): number {
    return this.#smallVarint();
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  fixed64(): bigint {
    this.#need(8);
    const value = this.#view.getBigUint64(this.#pos, true);
    this.#pos += 8;
    return value;
  }

  fixed32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.#pos, true);
    this.#pos += 4;
    return value;
  }

  double(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#pos, true);
    this.#pos += 8;
    return value;
  }

  /** A length-delimited field as a reader over its bytes (an embedded message). */
  message(): WireReader {
    const length = this.#length();
    const reader = new WireReader(this.bytes, this.#pos, this.#pos + length, this.#buffer, this.#view);
    this.#pos += length;
    return reader;
  }

  bytesField(): Uint8Array {
    const length = this.#length();
    const out = this.bytes.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return out;
  }

  string(): string {
    const length = this.#length();
    const text = this.#buffer.toString('utf8', this.#pos, this.#pos + length);
    this.#pos += length;
    return text;
  }

  /** Skips a field this decoder does not read (newer OTLP fields, entity refs). */
  skip(wire: number): void {
    if (wire === WireType.varint) this.varint();
    else if (wire === WireType.fixed64) this.#advance(8);
    else if (wire === WireType.bytes) this.#advance(this.#length());
    else if (wire === WireType.fixed32) this.#advance(4);
    else throw decodeError(`unsupported wire type ${wire}`);
  }

  /** Reads a field of the expected wire type, or fails on a mismatch rather than misreading. */
  expect(wire: number, expected: number, field: string): void {
    if (wire !== expected) throw decodeError(`${field} has wire type ${wire}, expected ${expected}`);
  }

  #length(): number {
    const length = this.#smallVarint();
    if (length > this.#end - this.#pos) throw decodeError('length-delimited field runs past the end of its message');
    return length;
  }

  #need(n: number): void {
    if (this.#pos + n > this.#end) throw decodeError('truncated fixed-width field');
  }

  #advance(n: number): void {
    this.#need(n);
    this.#pos += n;
  }
}
