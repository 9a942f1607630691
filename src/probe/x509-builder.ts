/**
 * A minimal X.509 v3 certificate builder on Node's `crypto`, so the probe can make a throwaway
 * self-signed client certificate at run time without `openssl` (and tests can make CAs, server
 * and client certificates). It writes only what TLS stacks need: names, validity, key, basic
 * constraints, subject alternative names.
 */
import crypto, { type KeyObject } from 'node:crypto';
import net from 'node:net';

// --- DER -----------------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const explicitTag = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
const octetString = (b: Buffer): Buffer => tlv(0x04, b);
const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const derNull = (): Buffer => Buffer.from([0x05, 0x00]);

function unsignedInteger(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString(); // 2026-11-28T10:00:00.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${digits}Z`));
}

// --- certificate -----------------------------------------------------------------------------

export interface CertificateSubject {
  commonName: string;
  organization?: string;
}

export interface BuildCertificateOptions {
  subject: CertificateSubject;
  /** The subject's public key. */
  publicKey: KeyObject;
  /** Signs the certificate; the subject's own private key for a self-signed one. */
  signingKey: KeyObject;
  /** Issuer name; the subject when omitted (self-signed). */
  issuer?: CertificateSubject;
  notBefore?: Date;
  notAfter?: Date;
  isCA?: boolean;
  /** DNS names and IP addresses for the subjectAltName extension. */
  altNames?: string[];
  /** Digest of the signature; `sha1` exists to build weak certificates for tests. */
  hash?: 'sha256' | 'sha384' | 'sha1';
}

function name(s: CertificateSubject): Buffer {
  const rdns = [];
  if (s.organization) rdns.push(set(seq(oid('2.5.4.10'), utf8(s.organization))));
  rdns.push(set(seq(oid('2.5.4.3'), utf8(s.commonName))));
  return seq(...rdns);
}

function signatureAlgorithm(
  key: KeyObject,
  hash: 'sha256' | 'sha384' | 'sha1',
): { id: Buffer; digest: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const oids = {
        sha1: '1.2.840.113549.1.1.5',
        sha256: '1.2.840.113549.1.1.11',
        sha384: '1.2.840.113549.1.1.12',
      };
      return { id: seq(oid(oids[hash]), derNull()), digest: hash };
    }
    case 'ec': {
      const oids = {
        sha1: '1.2.840.10045.4.1',
        sha256: '1.2.840.10045.4.3.2',
        sha384: '1.2.840.10045.4.3.3',
      };
      return { id: seq(oid(oids[hash])), digest: hash };
    }
    case 'ed25519':
      return { id: seq(oid('1.3.101.112')), digest: null };
    default:
      throw new Error(`cannot sign a certificate with a ${key.asymmetricKeyType ?? 'unknown'} key`);
  }
}

function subjectAltNames(names: readonly string[]): Buffer {
  const general = names.map((n) => {
    if (net.isIPv4(n)) return tlv(0x87, Buffer.from(n.split('.').map(Number)));
    if (net.isIPv6(n)) return tlv(0x87, ipv6Bytes(n));
    return tlv(0x82, Buffer.from(n, 'ascii'));
  });
  return seq(oid('2.5.29.17'), octetString(seq(...general)));
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** A DER certificate. */
function buildCertificate(options: BuildCertificateOptions): Buffer {
  const hash = options.hash ?? 'sha256';
  const alg = signatureAlgorithm(options.signingKey, hash);
  const notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const serial = crypto.randomBytes(16);
  serial[0]! &= 0x7f;
  const spki = options.publicKey.export({ type: 'spki', format: 'der' });
  const extensions: Buffer[] = [];
  extensions.push(
    seq(oid('2.5.29.19'), bool(true), octetString(seq(...(options.isCA ? [bool(true)] : [])))),
  );
  if (options.isCA) {
    // keyUsage: keyCertSign | cRLSign (bits 5 and 6).
    extensions.push(
      seq(oid('2.5.29.15'), bool(true), octetString(tlv(0x03, Buffer.from([0x01, 0x06])))),
    );
  }
  if (options.altNames?.length) extensions.push(subjectAltNames(options.altNames));
  const tbs = seq(
    explicitTag(0, tlv(0x02, Buffer.from([2]))),
    unsignedInteger(serial),
    alg.id,
    name(options.issuer ?? options.subject),
    seq(time(notBefore), time(notAfter)),
    name(options.subject),
    spki,
    explicitTag(3, seq(...extensions)),
  );
  const signature = crypto.sign(alg.digest, tbs, options.signingKey);
  return seq(tbs, alg.id, bitString(signature));
}

function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface KeyPairSpec {
  type: 'rsa' | 'ec' | 'ed25519';
  /** RSA modulus bits (default 2048). */
  bits?: number;
  /** EC curve (default prime256v1). */
  curve?: string;
}

function generateKeyPair(spec: KeyPairSpec): { publicKey: KeyObject; privateKey: KeyObject } {
  if (spec.type === 'rsa')
    return crypto.generateKeyPairSync('rsa', { modulusLength: spec.bits ?? 2048 });
  if (spec.type === 'ec')
    return crypto.generateKeyPairSync('ec', { namedCurve: spec.curve ?? 'prime256v1' });
  return crypto.generateKeyPairSync('ed25519');
}

export interface Identity {
  certPem: string;
  keyPem: string;
  certDer: Buffer;
  privateKey: KeyObject;
  subject: CertificateSubject;
}

/** A key pair and a certificate for it, self-signed or signed by `issuer`. */
export function makeIdentity(
  options: Omit<BuildCertificateOptions, 'publicKey' | 'signingKey' | 'issuer'> & {
    key?: KeyPairSpec;
    issuer?: Identity;
  },
): Identity {
  const { issuer, key, ...rest } = options;
  const pair = generateKeyPair(key ?? { type: 'ec' });
  const certDer = buildCertificate({
    ...rest,
    publicKey: pair.publicKey,
    signingKey: issuer?.privateKey ?? pair.privateKey,
    ...(issuer && { issuer: issuer.subject }),
  });
  return {
    certPem: derToPem(certDer),
    keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certDer,
    privateKey: pair.privateKey,
    subject: options.subject,
  };
}

const throwaways = new Map<'ec' | 'rsa', Promise<Identity>>();

/**
 * The throwaway self-signed client certificate the probe presents to see whether a server
 * accepts an untrusted certificate. P-256 by default (instant to make, accepted by every TLS 1.3
 * server and by TLS 1.2 servers that list `ecdsa_sign`); RSA-2048 for servers whose
 * CertificateRequest allows only RSA, where an EC certificate would silently not be sent. Made
 * once per process and kind, off the event loop (RSA key generation takes ~100 ms).
 */
export function throwawayClientIdentity(kind: 'ec' | 'rsa' = 'ec'): Promise<Identity> {
  let made = throwaways.get(kind);
  if (!made) {
    made = new Promise<Identity>((resolve, reject) => {
      const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => {
        if (error) {
          reject(error);
          return;
        }
        const subject = { commonName: 'tls-lint probe untrusted client', organization: 'tls-lint' };
        const certDer = buildCertificate({ subject, publicKey, signingKey: privateKey });
        resolve({
          certPem: derToPem(certDer),
          keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          certDer,
          privateKey,
          subject,
        });
      };
      if (kind === 'rsa') crypto.generateKeyPair('rsa', { modulusLength: 2048 }, done);
      else crypto.generateKeyPair('ec', { namedCurve: 'prime256v1' }, done);
    });
    throwaways.set(kind, made);
  }
  return made;
}
