/**
 * The TLS record layer (RFC 5246 §6.2, RFC 8446 §5): framing of outgoing messages and
 * reassembly of incoming records from arbitrary TCP chunks (a record may arrive split over
 * several reads, and one read may hold several records).
 */
import { WireError, u16, u8 } from './bytes.js';

export interface TlsRecord {
  type: number;
  /** Record-layer version (0x0300…0x0303; TLS 1.3 keeps 0x0303 here). */
  version: number;
  fragment: Buffer;
  /** The 5-byte header, needed as additional data when decrypting TLS 1.3 records. */
  header: Buffer;
}

/** Largest fragment allowed on the wire (TLSCiphertext: 2^14 + 2048, RFC 5246 §6.2.3). */
const MAX_RECORD_FRAGMENT = 16384 + 2048;
/** Largest plaintext fragment we send. */
const MAX_PLAINTEXT_FRAGMENT = 16384;

const KNOWN_TYPES = new Set<number>([20, 21, 22, 23, 24]);

/** Frames `payload` as one or more records of `type`. */
export function encodeRecords(type: number, version: number, payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  do {
    const fragment = payload.subarray(offset, offset + MAX_PLAINTEXT_FRAGMENT);
    parts.push(u8(type), u16(version), u16(fragment.length), fragment);
    offset += MAX_PLAINTEXT_FRAGMENT;
  } while (offset < payload.length);
  return Buffer.concat(parts);
}

/** True when the bytes start like an SSL 2.0 record carrying a SERVER-HELLO (2-byte header, type 4). */
export function looksLikeSsl2ServerHello(head: Buffer): boolean {
  return head.length >= 3 && (head[0]! & 0x80) !== 0 && head[2] === 4;
}

/**
 * Collects TCP chunks and hands out complete records. Bytes that cannot be TLS (unknown content
 * type, wrong major version, oversized length) throw a {@link WireError} at once instead of
 * waiting for a length that will never arrive.
 */
export class RecordBuffer {
  private pending: Buffer = Buffer.alloc(0);

  push(data: Buffer): void {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
  }

  get buffered(): number {
    return this.pending.length;
  }

  /** The raw unconsumed bytes (used to recognise an SSL 2.0 answer). */
  peek(): Buffer {
    return this.pending;
  }

  /** Removes and returns `n` raw bytes. */
  take(n: number): Buffer {
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  next(): TlsRecord | undefined {
    const head = this.pending;
    if (head.length >= 1 && !KNOWN_TYPES.has(head[0]!)) {
      throw new WireError(
        `not a TLS record: first byte 0x${head[0]!.toString(16).padStart(2, '0')}`,
      );
    }
    if (head.length >= 2 && head[1] !== 3) {
      throw new WireError(`not a TLS record: version major byte ${head[1]!}`);
    }
    if (head.length < 5) return undefined;
    const length = head.readUInt16BE(3);
    if (length > MAX_RECORD_FRAGMENT)
      throw new WireError(`record length ${length} exceeds ${MAX_RECORD_FRAGMENT}`);
    if (head.length < 5 + length) return undefined;
    const header = head.subarray(0, 5);
    const fragment = head.subarray(5, 5 + length);
    this.pending = head.subarray(5 + length);
    return { type: header[0]!, version: header.readUInt16BE(1), fragment, header };
  }
}

export interface Alert {
  level: number;
  description: number;
}

/** An alert record's fragment (2 bytes; anything else is malformed). */
export function parseAlert(fragment: Buffer): Alert {
  if (fragment.length < 2) throw new WireError(`alert of ${fragment.length} bytes`);
  return { level: fragment[0]!, description: fragment[1]! };
}

/** A complete handshake message: type, body, and the 4-byte-header form kept for transcripts. */
export interface HandshakeMessage {
  type: number;
  body: Buffer;
  raw: Buffer;
}

/** Largest handshake message accepted (a certificate chain of a few dozen certificates). */
const DEFAULT_MAX_HANDSHAKE_MESSAGE = 256 * 1024;

/**
 * Reassembles handshake messages from record fragments: a message may span records and a record
 * may hold several messages (RFC 5246 §6.2.1).
 */
export class HandshakeAssembler {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly maxMessage = DEFAULT_MAX_HANDSHAKE_MESSAGE) {}

  get buffered(): number {
    return this.pending.length;
  }

  push(fragment: Buffer): HandshakeMessage[] {
    this.pending = this.pending.length === 0 ? fragment : Buffer.concat([this.pending, fragment]);
    const out: HandshakeMessage[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUIntBE(1, 3);
      if (length > this.maxMessage)
        throw new WireError(`handshake message of ${length} bytes exceeds ${this.maxMessage}`);
      if (this.pending.length < 4 + length) break;
      const raw = this.pending.subarray(0, 4 + length);
      out.push({ type: raw[0]!, body: raw.subarray(4), raw });
      this.pending = this.pending.subarray(4 + length);
    }
    return out;
  }
}

/** Encodes a handshake message with its 4-byte header. */
export function encodeHandshake(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([header, body]);
}

/** Reads an SSL 2.0 record with a 2-byte header, or undefined when incomplete. */
export function takeSsl2Record(buffer: RecordBuffer): Buffer | undefined {
  const head = buffer.peek();
  if (head.length < 2) return undefined;
  if ((head[0]! & 0x80) === 0)
    throw new WireError(
      'SSL 2.0 record with a 3-byte header (padding) is not expected from a server hello',
    );
  const length = ((head[0]! & 0x7f) << 8) | head[1]!;
  if (head.length < 2 + length) return undefined;
  return buffer.take(2 + length).subarray(2);
}
