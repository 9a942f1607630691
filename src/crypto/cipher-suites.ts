/**
 * The one table of TLS cipher suites, with lookups by code point and by every platform's name.
 * Data: ./data/cipher-suites.generated.ts (scripts/generate-cipher-suites.mjs).
 */
import { GENERATED_SUITES } from './data/cipher-suites.generated.js';
import type { CipherSuite, SuiteFlag } from './suite-types.js';

export type { CipherSuite, SuiteFlag } from './suite-types.js';

/** Every known suite: the IANA registry, legacy OpenSSL-only suites and SSLv2 cipher kinds. */
export const CIPHER_SUITES: readonly CipherSuite[] = GENERATED_SUITES;

const byCode = new Map<number, CipherSuite>();
const byIana = new Map<string, CipherSuite>();
const byOpenSsl = new Map<string, CipherSuite>();
const byGo = new Map<string, CipherSuite>();
const byBoring = new Map<string, CipherSuite>();
for (const s of CIPHER_SUITES) {
  byCode.set(s.code, s);
  if (s.iana) byIana.set(s.iana, s);
  if (s.sslv2) byIana.set(s.sslv2, s);
  // SSLv2 kinds share OpenSSL names with TLS suites (RC4-MD5); the TLS suite wins.
  for (const name of [s.openssl, ...(s.opensslAliases ?? [])]) {
    if (name && !(s.sslv2 && byOpenSsl.has(name))) byOpenSsl.set(name, s);
  }
  for (const name of s.go ?? []) byGo.set(name, s);
  if (s.boringssl) byBoring.set(s.boringssl, s);
}

/** By code point (`0xC02F`); SSLv2 kinds by their 3-byte code. */
export function suiteByCode(code: number): CipherSuite | undefined {
  return byCode.get(code);
}

/** By IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`), exact spelling. */
export function suiteByIanaName(name: string): CipherSuite | undefined {
  return byIana.get(name);
}

/** By OpenSSL name (`ECDHE-RSA-AES128-GCM-SHA256`, also `EDH-RSA-DES-CBC3-SHA`), exact spelling. */
export function suiteByOpenSslName(name: string): CipherSuite | undefined {
  return byOpenSsl.get(name) ?? (name.startsWith('TLS_') ? tls13ByName(name) : undefined);
}

/** By Go constant name, with or without the `tls.` qualifier (legacy aliases included). */
export function suiteByGoName(name: string): CipherSuite | undefined {
  return byGo.get(name.replace(/^tls\./, ''));
}

/** By BoringSSL/Envoy name; BoringSSL also accepts IANA names. */
export function suiteByBoringSslName(name: string): CipherSuite | undefined {
  const s = byBoring.get(name) ?? byIana.get(name);
  return s?.boringssl ? s : undefined;
}

function tls13ByName(name: string): CipherSuite | undefined {
  const s = byIana.get(name);
  return s?.tls13 ? s : undefined;
}

/** Any spelling: IANA, OpenSSL, Go, SSLv2 kind, or a hex code (`0xC02F`, `0xC0,0x2F`). */
export function suiteByAnyName(name: string): CipherSuite | undefined {
  const trimmed = name.trim();
  const hex = /^0x([0-9a-f]{2}),\s*0x([0-9a-f]{2})$/i.exec(trimmed);
  if (hex) return byCode.get((parseInt(hex[1]!, 16) << 8) | parseInt(hex[2]!, 16));
  if (/^0x[0-9a-f]{1,6}$/i.test(trimmed)) return byCode.get(parseInt(trimmed, 16));
  return byIana.get(trimmed) ?? byOpenSsl.get(trimmed) ?? suiteByGoName(trimmed);
}

export function hasFlag(suite: CipherSuite, flag: SuiteFlag): boolean {
  return suite.flags.includes(flag);
}

/**
 * The name to show users: OpenSSL's when it has one, else IANA's. SSL 2.0 cipher kinds share
 * OpenSSL names with SSLv3/TLS suites (`EXP-RC4-MD5` is both 0x0003 and 0x020080), so they are
 * marked: `SSLv2 EXP-RC4-MD5`.
 */
export function displayName(suite: CipherSuite): string {
  if (suite.sslv2) return `SSLv2 ${suite.openssl ?? suite.sslv2}`;
  return suite.openssl ?? suite.iana ?? formatCode(suite.code);
}

/** `0xC0,0x2F` (the form `openssl ciphers -V` and the IANA registry use). */
export function formatCode(code: number): string {
  const hex = (n: number) => '0x' + n.toString(16).toUpperCase().padStart(2, '0');
  if (code > 0xffff) return [code >> 16, (code >> 8) & 0xff, code & 0xff].map(hex).join(',');
  return `${hex(code >> 8)},${hex(code & 0xff)}`;
}

/** Real suites a client can offer (no SCSV, no SSLv2 kinds, no TLS_NULL_WITH_NULL_NULL). */
export function offerableSuites(): CipherSuite[] {
  return CIPHER_SUITES.filter((s) => s.code <= 0xffff && s.code !== 0 && !s.flags.includes('SCSV'));
}

/** A suite as confirm mode compares it between a config and a live endpoint: its IANA name. */
export function suiteKey(suite: CipherSuite): string {
  return suite.iana ?? suite.openssl ?? `0x${suite.code.toString(16)}`;
}
