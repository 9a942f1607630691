/**
 * Wording shared by the certificate rules: how a file, a certificate and a key are named in
 * messages. Facts only; the rules decide what is weak.
 */
import type { CertificateSummary, KeySummary, MaterialRef } from '../model/context.js';

/** `"certs/a.pem" ("ssl_certificate")`, or the directive alone for inline/served material. */
export function materialWhere(ref: MaterialRef): string {
  // The probe names the endpoint it read the material from, not a file.
  if (ref.source === 'endpoint') return `the ${ref.key} of ${ref.written ?? 'the endpoint'}`;
  if (ref.written !== undefined) return `"${ref.written}" ("${ref.key}")`;
  if (ref.inline !== undefined) return `the inline PEM of "${ref.key}"`;
  return `"${ref.key}"`;
}

/** The most telling name of a certificate: its CN, else its subject, else its first SAN. */
export function certificateName(cert: CertificateSummary): string {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(cert.subject)?.[1];
  return `"${cn ? `CN=${cn}` : cert.subject || cert.subjectAltNames[0] || cert.fingerprint256.slice(0, 23)}"`;
}

/** `certificate "CN=x"` for a leaf, `chain certificate 2 "CN=y"` further down a chain file. */
export function certificateRole(cert: CertificateSummary, index: number): string {
  return index === 0
    ? `certificate ${certificateName(cert)}`
    : `chain certificate ${index + 1} ${certificateName(cert)}`;
}

export function keyDescription(key: KeySummary): string {
  switch (key.type) {
    case 'ec':
      return `EC key on ${key.curve ?? 'an unknown curve'} (${key.bits} bits)`;
    case 'rsa':
    case 'rsa-pss':
      return `${key.type === 'rsa' ? 'RSA' : 'RSA-PSS'} key of ${key.bits} bits`;
    case 'dsa':
      return `DSA key of ${key.bits} bits`;
    case 'dh':
      return `DH key of ${key.bits} bits`;
    default:
      return `${key.type} key`;
  }
}

/** The material a context presents or trusts, by role. */
export const CERTIFICATE_PURPOSES: ReadonlySet<MaterialRef['purpose']> = new Set([
  'server-certificate',
  'client-certificate',
]);
export const KEY_PURPOSES: ReadonlySet<MaterialRef['purpose']> = new Set([
  'server-key',
  'client-key',
]);

/** The certificate purpose that pairs with a key purpose. */
export function certificatePurposeFor(
  purpose: MaterialRef['purpose'],
): MaterialRef['purpose'] | undefined {
  return purpose === 'server-key'
    ? 'server-certificate'
    : purpose === 'client-key'
      ? 'client-certificate'
      : undefined;
}

const DAY_MS = 86_400_000;

export function daysBetween(from: number, to: number): number {
  return Math.floor(Math.abs(to - from) / DAY_MS);
}

export function isoDate(iso: string): string {
  return iso.slice(0, 10);
}
