/**
 * Reads the certificate, key and DH-parameter files a config references into
 * `MaterialSummary` facts, before the rules run. A missing file is not an error (the linted
 * tree rarely carries the live keys): the summary stays undefined. A file that exists but cannot
 * be understood becomes `kind: 'unreadable'` with the reason.
 */
import type { CertificateSummary, MaterialRef, MaterialSummary } from '../model/context.js';
import { dhPrimeBits, summarizeCertificate, summarizePrivateKey } from './x509.js';

export interface MaterialSource {
  readBytes(path: string): Buffer | undefined;
}

interface PemBlock {
  label: string;
  der: Buffer;
  text: string;
}

const PEM = /-----BEGIN ([A-Z0-9 .]+)-----([\s\S]*?)-----END \1-----/g;

function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM)) {
    // RFC 1421 headers (`Proc-Type:`) precede the base64 body of legacy encrypted keys.
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    out.push({ label: m[1]!, der: Buffer.from(body, 'base64'), text: m[0] });
  }
  return out;
}

const CERT_LABELS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']);
const KEY_LABELS = new Set([
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
]);
const DH_LABELS = new Set(['DH PARAMETERS', 'X9.42 DH PARAMETERS']);

export function loadMaterialSummary(
  ref: MaterialRef,
  source: MaterialSource,
): MaterialSummary | undefined {
  const bytes =
    ref.inline !== undefined
      ? Buffer.from(ref.inline, 'utf8')
      : ref.path
        ? source.readBytes(ref.path)
        : undefined;
  if (!bytes) return undefined;
  try {
    return summarize(ref.purpose, bytes);
  } catch (e) {
    return { kind: 'unreadable', error: (e as Error).message };
  }
}

/** Reads one file by what the config uses it for (a key file may also hold the certificate). */
export function summarize(purpose: MaterialRef['purpose'], bytes: Buffer): MaterialSummary {
  if (purpose === 'pfx')
    return { kind: 'unreadable', error: 'PKCS#12 files are not read', unsupported: true };
  const text = bytes.toString('latin1');
  const blocks = pemBlocks(text);
  const isPem = blocks.length > 0;

  if (purpose === 'dhparam') {
    const dh = blocks.find((b) => DH_LABELS.has(b.label));
    if (dh) return { kind: 'dh-params', dhBits: dhPrimeBits(dh.der) };
    if (!isPem && bytes[0] === 0x30) return { kind: 'dh-params', dhBits: dhPrimeBits(bytes) };
    return { kind: 'unreadable', error: 'no "DH PARAMETERS" block found' };
  }

  if (purpose === 'server-key' || purpose === 'client-key') {
    const block = blocks.find((b) => KEY_LABELS.has(b.label));
    if (
      block?.label === 'ENCRYPTED PRIVATE KEY' ||
      (block && /Proc-Type:\s*4,ENCRYPTED/.test(block.text))
    ) {
      return {
        kind: 'unreadable',
        error: 'the private key is encrypted (nginx reads it with "ssl_password_file")',
        unsupported: true,
      };
    }
    if (block) return { kind: 'private-key', key: summarizePrivateKey(block.text, 'pem') };
    if (!isPem && bytes[0] === 0x30)
      return { kind: 'private-key', key: summarizePrivateKey(bytes, 'der') };
    return { kind: 'unreadable', error: 'no private key found' };
  }

  const certificates: CertificateSummary[] = [];
  if (isPem) {
    for (const b of blocks)
      if (CERT_LABELS.has(b.label)) certificates.push(summarizeCertificate(b.der));
  } else if (bytes[0] === 0x30) {
    certificates.push(summarizeCertificate(bytes));
  }
  if (certificates.length === 0) return { kind: 'unreadable', error: 'no certificate found' };
  return { kind: 'certificates', certificates };
}
