/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) up to the server handshake traffic secret, and the
 * decryption of protected records (§5.2) — enough to read a server's encrypted flight
 * (EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify, Finished). Built on
 * Node's crypto (HMAC for HKDF, AES-GCM, AES-CCM, ChaCha20-Poly1305). Verified against RFC 8448.
 */
import crypto from 'node:crypto';
import { WireError, u16, u8 } from './bytes.js';
import { ContentType, HandshakeType } from './constants.js';
import type { TlsRecord } from './records.js';

export type HashName = 'sha256' | 'sha384';

export interface Tls13Suite {
  code: number;
  hash: HashName;
  hashLength: number;
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm';
  keyLength: number;
  tagLength: number;
}

const TLS13_SUITES: Readonly<Record<number, Tls13Suite>> = {
  0x1301: {
    code: 0x1301,
    hash: 'sha256',
    hashLength: 32,
    cipher: 'aes-128-gcm',
    keyLength: 16,
    tagLength: 16,
  },
  0x1302: {
    code: 0x1302,
    hash: 'sha384',
    hashLength: 48,
    cipher: 'aes-256-gcm',
    keyLength: 32,
    tagLength: 16,
  },
  0x1303: {
    code: 0x1303,
    hash: 'sha256',
    hashLength: 32,
    cipher: 'chacha20-poly1305',
    keyLength: 32,
    tagLength: 16,
  },
  0x1304: {
    code: 0x1304,
    hash: 'sha256',
    hashLength: 32,
    cipher: 'aes-128-ccm',
    keyLength: 16,
    tagLength: 16,
  },
  0x1305: {
    code: 0x1305,
    hash: 'sha256',
    hashLength: 32,
    cipher: 'aes-128-ccm',
    keyLength: 16,
    tagLength: 8,
  },
};

/** Parameters of a TLS 1.3 suite we can decrypt, or undefined. */
export function tls13Suite(code: number): Tls13Suite | undefined {
  return TLS13_SUITES[code];
}

function hkdfExtract(hash: HashName, salt: Buffer, ikm: Buffer): Buffer {
  return crypto.createHmac(hash, salt).update(ikm).digest();
}

/** HKDF-Expand (RFC 5869 §2.3). */
function hkdfExpand(hash: HashName, prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let total = 0;
  for (let counter = 1; total < length; counter++) {
    previous = crypto
      .createHmac(hash, prk)
      .update(Buffer.concat([previous, info, u8(counter)]))
      .digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label (RFC 8446 §7.1): label prefixed with "tls13 ". */
function hkdfExpandLabel(
  hash: HashName,
  secret: Buffer,
  label: string,
  context: Buffer,
  length: number,
): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([
    u16(length),
    u8(fullLabel.length),
    fullLabel,
    u8(context.length),
    context,
  ]);
  return hkdfExpand(hash, secret, info, length);
}

function deriveSecret(
  hash: HashName,
  secret: Buffer,
  label: string,
  transcriptHash: Buffer,
): Buffer {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, transcriptHash.length);
}

function hashOf(hash: HashName, data: Buffer): Buffer {
  return crypto.createHash(hash).update(data).digest();
}

/**
 * The handshake transcript: handshake messages with their headers, in order. After a
 * HelloRetryRequest the first ClientHello is replaced by a synthetic message_hash (§4.4.1).
 */
export class Transcript {
  private messages: Buffer[] = [];
  add(message: Buffer): void {
    this.messages.push(message);
  }
  /** Replaces everything so far (ClientHello1) with message_hash(Hash(ClientHello1)). */
  collapseToMessageHash(hash: HashName): void {
    const digest = hashOf(hash, Buffer.concat(this.messages));
    const header = Buffer.from([HandshakeType.messageHash, 0, 0, digest.length]);
    this.messages = [Buffer.concat([header, digest])];
  }
  digest(hash: HashName): Buffer {
    const h = crypto.createHash(hash);
    for (const m of this.messages) h.update(m);
    return h.digest();
  }
}

export interface HandshakeSecrets {
  earlySecret: Buffer;
  handshakeSecret: Buffer;
  clientHandshakeTrafficSecret: Buffer;
  serverHandshakeTrafficSecret: Buffer;
}

/** Early secret (no PSK) → handshake secret → both handshake traffic secrets. */
export function deriveHandshakeSecrets(
  suite: Tls13Suite,
  sharedSecret: Buffer,
  helloHash: Buffer,
): HandshakeSecrets {
  const zeros = Buffer.alloc(suite.hashLength);
  const earlySecret = hkdfExtract(suite.hash, zeros, zeros);
  const derived = deriveSecret(
    suite.hash,
    earlySecret,
    'derived',
    hashOf(suite.hash, Buffer.alloc(0)),
  );
  const handshakeSecret = hkdfExtract(suite.hash, derived, sharedSecret);
  return {
    earlySecret,
    handshakeSecret,
    clientHandshakeTrafficSecret: deriveSecret(
      suite.hash,
      handshakeSecret,
      'c hs traffic',
      helloHash,
    ),
    serverHandshakeTrafficSecret: deriveSecret(
      suite.hash,
      handshakeSecret,
      's hs traffic',
      helloHash,
    ),
  };
}

export function trafficKeys(suite: Tls13Suite, secret: Buffer): { key: Buffer; iv: Buffer } {
  return {
    key: hkdfExpandLabel(suite.hash, secret, 'key', Buffer.alloc(0), suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', Buffer.alloc(0), 12),
  };
}

/** Largest TLSCiphertext fragment in TLS 1.3 (2^14 + 256, §5.2). */
const MAX_TLS13_CIPHERTEXT = 16384 + 256;

/** Decrypts the records protected under one traffic secret, tracking the sequence number. */
export class RecordDecrypter {
  private sequence = 0n;
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    private readonly suite: Tls13Suite,
    trafficSecret: Buffer,
  ) {
    ({ key: this.key, iv: this.iv } = trafficKeys(suite, trafficSecret));
  }

  private nonce(): Buffer {
    const nonce = Buffer.from(this.iv);
    const seq = Buffer.alloc(8);
    seq.writeBigUInt64BE(this.sequence);
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seq[i]!;
    return nonce;
  }

  /** Returns the inner content type and content; throws WireError when authentication fails. */
  decrypt(record: TlsRecord): { type: number; content: Buffer } {
    if (record.type !== ContentType.applicationData)
      throw new WireError(`protected record of type ${record.type}`);
    if (record.fragment.length > MAX_TLS13_CIPHERTEXT)
      throw new WireError('protected record too long');
    const tagLength = this.suite.tagLength;
    if (record.fragment.length < tagLength + 1)
      throw new WireError('protected record shorter than its tag');
    const ciphertext = record.fragment.subarray(0, record.fragment.length - tagLength);
    const tag = record.fragment.subarray(record.fragment.length - tagLength);
    let plain: Buffer;
    try {
      const decipher = crypto.createDecipheriv(this.suite.cipher, this.key, this.nonce(), {
        authTagLength: tagLength,
      } as crypto.CipherGCMOptions) as crypto.DecipherGCM;
      decipher.setAuthTag(tag);
      decipher.setAAD(record.header, { plaintextLength: ciphertext.length });
      plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new WireError('protected record failed to decrypt (bad key or tampered record)');
    }
    this.sequence++;
    // TLSInnerPlaintext: content || ContentType || zeros (§5.2).
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) throw new WireError('protected record with no content type');
    return { type: plain[end]!, content: plain.subarray(0, end) };
  }
}
