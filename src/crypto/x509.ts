/**
 * Certificate, key and DH-parameter facts, read with Node's `crypto` (`X509Certificate`,
 * `createPrivateKey`, `createPublicKey`) plus the small DER reader for the two fields Node 20
 * lacks: the signature algorithm and DH prime size.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { CertificateSummary, KeySummary } from '../model/context.js';
import { children, decodeOid, decodeTime, DerError, integerBits, readTlv } from './der.js';

/** Signature algorithm OIDs → OpenSSL-style name and the hash it signs with. */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash?: string }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'md4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa_with_SHA224', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'sha256' },
  '1.3.101.112': { name: 'ED25519' },
  '1.3.101.113': { name: 'ED448' },
};

const HASHES: Record<string, string> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Key sizes of named curves, by the names Node/OpenSSL report. */
const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp192r1: 192,
  secp160r1: 160,
  secp160k1: 160,
  secp224r1: 224,
  secp224k1: 224,
  prime256v1: 256,
  secp256r1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP160r1: 160,
  brainpoolP192r1: 192,
  brainpoolP224r1: 224,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

function keySummaryOf(key: KeyObject): KeySummary {
  const type: string = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
    case 'dh':
      return { type, bits: details.modulusLength ?? 0 };
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      return {
        type: 'ec',
        bits: CURVE_BITS[curve] ?? (Number(/\d+/.exec(curve)?.[0]) || 0),
        curve,
      };
    }
    case 'ed25519':
    case 'x25519':
      return { type, bits: 256 };
    case 'ed448':
      return { type, bits: 456 };
    case 'x448':
      return { type, bits: 448 };
    default:
      return { type: 'unknown', bits: 0 };
  }
}

/** `CN=a\nO=b` (Node's form) → `CN=a, O=b`. */
function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

interface DerFacts {
  signatureAlgorithm: string;
  signatureHash?: string;
  notBefore: string;
  notAfter: string;
}

/** Signature algorithm and validity straight from the DER certificate. */
function readCertificateDer(der: Uint8Array): DerFacts {
  const cert = readTlv(der, 0);
  const [tbs, sigAlg] = children(der, cert);
  if (!tbs || !sigAlg) throw new DerError('not a certificate');
  const algParts = children(der, sigAlg);
  const oid = decodeOid(der, algParts[0]!);
  const known = SIGNATURE_ALGORITHMS[oid];
  let hash = known?.hash;
  if (oid === '1.2.840.113549.1.1.10') hash = pssHash(der, algParts[1]);
  const tbsParts = children(der, tbs);
  // version [0] is optional; then serial, signature, issuer, validity.
  const offset = tbsParts[0]?.tag === 0xa0 ? 1 : 0;
  const validity = tbsParts[offset + 3];
  if (!validity) throw new DerError('no validity');
  const [nb, na] = children(der, validity);
  return {
    signatureAlgorithm: known?.name ?? oid,
    ...(hash && { signatureHash: hash }),
    notBefore: decodeTime(der, nb!),
    notAfter: decodeTime(der, na!),
  };
}

/** RSASSA-PSS parameters: `[0] hashAlgorithm` (SHA-1 when absent, RFC 4055). */
function pssHash(der: Uint8Array, params: ReturnType<typeof readTlv> | undefined): string {
  if (!params || params.tag !== 0x30) return 'sha1';
  const first = children(der, params)[0];
  if (!first || first.tag !== 0xa0) return 'sha1';
  const alg = children(der, first)[0];
  if (!alg) return 'sha1';
  const oid = decodeOid(der, children(der, alg)[0]!);
  return HASHES[oid] ?? oid;
}

export function summarizeCertificate(der: Buffer): CertificateSummary {
  const x = new X509Certificate(der);
  const facts = readCertificateDer(der);
  let selfSigned = false;
  if (x.subject === x.issuer) {
    try {
      // Not checkIssued(): a self-signed leaf without keyCertSign usage fails that check.
      selfSigned = x.verify(x.publicKey);
    } catch {
      // A signature OpenSSL refuses to check (MD5 under a strict policy): same names will do.
      selfSigned = true;
    }
  }
  const sans = x.subjectAltName ? x.subjectAltName.split(/,\s*/).filter(Boolean) : [];
  return {
    subject: oneLineName(x.subject),
    issuer: oneLineName(x.issuer),
    selfSigned,
    isCA: x.ca,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    key: keySummaryOf(x.publicKey),
    signatureAlgorithm: facts.signatureAlgorithm,
    ...(facts.signatureHash && { signatureHash: facts.signatureHash }),
    subjectAltNames: sans,
    fingerprint256: x.fingerprint256,
  };
}

/** Key facts of a private key (PEM or DER); throws when it is encrypted or malformed. */
export function summarizePrivateKey(
  data: string | Buffer,
  format: 'pem' | 'der' = 'pem',
): KeySummary {
  const key =
    format === 'pem'
      ? createPrivateKey({ key: data as string, format: 'pem' })
      : createPrivateKey({ key: data as Buffer, format: 'der', type: 'pkcs8' });
  return keySummaryOf(key);
}

/** Prime size of PKCS#3 `DH PARAMETERS` or X9.42 `X9.42 DH PARAMETERS` (p comes first in both). */
export function dhPrimeBits(der: Uint8Array): number {
  const seq = readTlv(der, 0);
  if (seq.tag !== 0x30) throw new DerError('DH parameters are not a SEQUENCE');
  const p = children(der, seq)[0];
  if (!p) throw new DerError('no prime in DH parameters');
  return integerBits(der, p);
}
