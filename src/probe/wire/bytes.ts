/**
 * Byte-level reading and writing for TLS structures (RFC 8446 §3 presentation language:
 * big-endian integers, length-prefixed vectors). Reading never trusts a length: running past
 * the end throws a {@link WireError}, which callers turn into "garbage" rather than a crash.
 */

/** Malformed bytes from the peer (or a structure we cannot encode). */
export class WireError extends Error {
  override name = 'WireError';
}

export class ByteReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }
  get position(): number {
    return this.offset;
  }
  atEnd(): boolean {
    return this.offset >= this.buf.length;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining)
      throw new WireError(`truncated ${what}: need ${n} bytes, ${this.remaining} left`);
  }

  u8(what = 'uint8'): number {
    this.need(1, what);
    return this.buf[this.offset++]!;
  }
  u16(what = 'uint16'): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u24(what = 'uint24'): number {
    this.need(3, what);
    const v = this.buf.readUIntBE(this.offset, 3);
    this.offset += 3;
    return v;
  }
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  rest(): Buffer {
    return this.bytes(this.remaining);
  }
  vec8(what = 'vector<1>'): Buffer {
    return this.bytes(this.u8(what), what);
  }
  vec16(what = 'vector<2>'): Buffer {
    return this.bytes(this.u16(what), what);
  }
  vec24(what = 'vector<3>'): Buffer {
    return this.bytes(this.u24(what), what);
  }
  /** A vector of uint16 values (cipher suites, groups, signature schemes). */
  u16List(body: Buffer, what: string): number[] {
    if (body.length % 2 !== 0) throw new WireError(`odd length in ${what}`);
    const out: number[] = [];
    for (let i = 0; i < body.length; i += 2) out.push(body.readUInt16BE(i));
    return out;
  }
}

export function u8(v: number): Buffer {
  return Buffer.from([v & 0xff]);
}
export function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
}

function checkedLength(body: Buffer, max: number, what: string): number {
  if (body.length > max) throw new WireError(`${what} too long to encode: ${body.length} > ${max}`);
  return body.length;
}
export function vec8(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u8(checkedLength(body, 0xff, 'vector<1>')), body]);
}
export function vec16(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u16(checkedLength(body, 0xffff, 'vector<2>')), body]);
}
export function u16s(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}
