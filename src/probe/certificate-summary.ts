/**
 * DER certificate → `CertificateSummary`.
 *
 * TODO(probe): delegate to the certificate summarizer of `src/crypto/` once it lands (the nginx
 * work reads certificate files into the same type); one summarizer for files and served chains.
 */
import crypto from 'node:crypto';
import type { CertificateSummary, KeySummary } from '../model/context.js';

/** OpenSSL names of the signature algorithms met in practice, by OID. */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash?: string }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'sha256' },
  '1.3.101.112': { name: 'ED25519' },
  '1.3.101.113': { name: 'ED448' },
};

interface Tlv {
  tag: number;
  start: number;
  end: number;
  next: number;
}

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > buf.length) throw new Error('truncated DER');
  return { tag, start, end: start + len, next: start + len };
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (const b of bytes.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** The outer signatureAlgorithm OID of a DER certificate. */
export function signatureAlgorithmOid(der: Buffer): string {
  const cert = readTlv(der, 0);
  const tbs = readTlv(der, cert.start);
  const alg = readTlv(der, tbs.next);
  const oid = readTlv(der, alg.start);
  return decodeOid(der.subarray(oid.start, oid.end));
}

export function keySummaryOf(key: crypto.KeyObject): KeySummary {
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType;
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
    case 'dh':
      return { type, bits: details.modulusLength ?? 0 };
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      return { type: 'ec', bits: EC_BITS[curve] ?? 0, curve };
    }
    case 'ed25519':
    case 'x25519':
      return { type, bits: 256 };
    case 'ed448':
    case 'x448':
      return { type, bits: 448 };
    default:
      return { type: 'unknown', bits: 0 };
  }
}

const EC_BITS: Record<string, number> = {
  prime192v1: 192,
  secp192r1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

export function summarizeCertificateDer(der: Buffer): CertificateSummary {
  const x = new crypto.X509Certificate(der);
  let sig: { name: string; hash?: string } = { name: 'unknown' };
  try {
    const oid = signatureAlgorithmOid(der);
    sig = SIGNATURE_ALGORITHMS[oid] ?? { name: oid };
  } catch {
    // keep 'unknown'
  }
  let selfSigned = false;
  if (x.subject === x.issuer) {
    try {
      selfSigned = x.verify(x.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  return {
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    selfSigned,
    isCA: x.ca,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    key: keySummaryOf(x.publicKey),
    signatureAlgorithm: sig.name,
    ...(sig.hash !== undefined && { signatureHash: sig.hash }),
    subjectAltNames: x.subjectAltName ? x.subjectAltName.split(/,\s*/) : [],
    fingerprint256: x.fingerprint256,
  };
}
