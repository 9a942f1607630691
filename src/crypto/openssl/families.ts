/**
 * What each OpenSSL family knows: the suites a default build compiles, with the algorithm bits
 * OpenSSL's cipher-string matcher works on, the aliases, the DEFAULT rule and the built-in
 * preference order. The bit values are our own; only their meaning follows OpenSSL
 * (ssl/ssl_local.h, ssl/ssl_ciph.c of 1.0.2, 1.1.1 and 3.0).
 *
 * Families: `1.0.2` (1.0.x), `1.1.1` (1.1.0/1.1.1) and `3.x`. 1.1.1 and 3.x compile the same
 * suites (no RC4/3DES/DES/EXPORT without `enable-weak-ssl-ciphers`), except SEED and IDEA, which
 * 1.1.1 still offers (MEDIUM); 3.x adds the `CBC` alias.
 */
import { CIPHER_SUITES, suiteByCode } from '../cipher-suites.js';
import type { CipherSuite, OpenSslBuild } from '../suite-types.js';

export const OPENSSL_FAMILIES = ['1.0.2', '1.1.1', '3.x'] as const;
export type OpenSslFamily = (typeof OPENSSL_FAMILIES)[number];

/** The family of an OpenSSL version string (`1.0.2k`, `1.1.1w`, `3.0.13`, `3`). */
export function opensslFamilyFor(version: string): OpenSslFamily {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  const major = m ? Number(m[1]) : 3;
  const minor = m?.[2] !== undefined ? Number(m[2]) : 0;
  if (major === 0 || (major === 1 && minor === 0)) return '1.0.2';
  if (major === 1) return '1.1.1';
  return '3.x';
}

// --- algorithm bits ------------------------------------------------------------------------------
// key exchange
const k = {
  RSA: 1 << 0,
  DHE: 1 << 1,
  ECDHE: 1 << 2,
  PSK: 1 << 3,
  GOST: 1 << 4,
  SRP: 1 << 5,
  RSAPSK: 1 << 6,
  ECDHEPSK: 1 << 7,
  DHEPSK: 1 << 8,
  // 1.0.2 only: static DH/ECDH by certificate type, Kerberos
  DHr: 1 << 9,
  DHd: 1 << 10,
  ECDHr: 1 << 11,
  ECDHe: 1 << 12,
  KRB5: 1 << 13,
} as const;
// authentication
const a = {
  RSA: 1 << 0,
  DSS: 1 << 1,
  NULL: 1 << 2,
  ECDSA: 1 << 3,
  PSK: 1 << 4,
  GOST01: 1 << 5,
  SRP: 1 << 6,
  GOST12: 1 << 7,
  DH: 1 << 8,
  ECDH: 1 << 9,
  KRB5: 1 << 10,
  GOST94: 1 << 11,
} as const;
// encryption
const e = {
  DES: 1 << 0,
  TDES: 1 << 1,
  RC4: 1 << 2,
  RC2: 1 << 3,
  IDEA: 1 << 4,
  NULL: 1 << 5,
  AES128: 1 << 6,
  AES256: 1 << 7,
  CAMELLIA128: 1 << 8,
  CAMELLIA256: 1 << 9,
  GOST89: 1 << 10,
  SEED: 1 << 11,
  AES128GCM: 1 << 12,
  AES256GCM: 1 << 13,
  AES128CCM: 1 << 14,
  AES256CCM: 1 << 15,
  AES128CCM8: 1 << 16,
  AES256CCM8: 1 << 17,
  GOST8912: 1 << 18,
  CHACHA20: 1 << 19,
  ARIA128GCM: 1 << 20,
  ARIA256GCM: 1 << 21,
} as const;
const E_AESGCM = e.AES128GCM | e.AES256GCM;
const E_AESCCM = e.AES128CCM | e.AES256CCM | e.AES128CCM8 | e.AES256CCM8;
const E_AES = e.AES128 | e.AES256 | E_AESGCM | E_AESCCM;
const E_CAMELLIA = e.CAMELLIA128 | e.CAMELLIA256;
const E_ARIA = e.ARIA128GCM | e.ARIA256GCM;
const E_CBC =
  e.DES | e.TDES | e.RC2 | e.IDEA | e.AES128 | e.AES256 | e.CAMELLIA128 | e.CAMELLIA256 | e.SEED;
// MAC
const m = {
  MD5: 1 << 0,
  SHA1: 1 << 1,
  GOST94: 1 << 2,
  GOST89MAC: 1 << 3,
  SHA256: 1 << 4,
  SHA384: 1 << 5,
  AEAD: 1 << 6,
  GOST12: 1 << 7,
} as const;
// strength classes (one mask group) and the DEFAULT / EXPORT groups
const s = {
  NONE: 1 << 0,
  LOW: 1 << 1,
  MEDIUM: 1 << 2,
  HIGH: 1 << 3,
  FIPS: 1 << 4,
  EXP40: 1 << 5,
  EXP56: 1 << 6,
  NOT_DEFAULT: 1 << 8,
  NOT_EXP: 1 << 10,
  EXPORT: 1 << 11,
} as const;
const STRONG_MASK = s.NONE | s.LOW | s.MEDIUM | s.HIGH | s.FIPS | s.EXP40 | s.EXP56;
const DEFAULT_MASK = s.NOT_DEFAULT;
const EXP_MASK = s.NOT_EXP | s.EXPORT;
// protocol: 1.1.1+ compare the minimum version exactly; 1.0.2 tests bits (TLSv1 == SSLv3 there)
const v = { SSL3: 0x0300, TLS1: 0x0301, TLS12: 0x0303 } as const;
const v102 = { SSLV2: 1, SSLV3: 2, TLSV12: 4 } as const;

/** A suite as the matcher sees it. */
export interface EngineCipher {
  suite: CipherSuite;
  name: string;
  id: number;
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  /** min_tls (1.1.1+) or algorithm_ssl bits (1.0.2). */
  proto: number;
  strength: number;
  strengthBits: number;
}

/** A named selector: fields set to 0 do not constrain. */
export interface Alias {
  name: string;
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  proto: number;
  strength: number;
  /** A name OpenSSL once had and this family keeps as a (matching-nothing) alias or ignores. */
  legacy?: boolean;
}

/** One step of OpenSSL's built-in ordering, run before the user's string. */
export type PreorderStep =
  | {
      op: 'add' | 'del' | 'ord' | 'bump';
      mkey?: number;
      auth?: number;
      enc?: number;
      mac?: number;
      proto?: number;
    }
  | { op: 'strength' };

export interface FamilyDefinition {
  family: OpenSslFamily;
  /** In the order OpenSSL collects them (before its preference rules). */
  ciphers: EngineCipher[];
  aliases: Alias[];
  /** The rule string DEFAULT stands for. */
  defaultRule: string;
  preorder: PreorderStep[];
  /** 1.1.1+: `min_tls` must equal; 1.0.2: bits must intersect. */
  protoMatch: 'equal' | 'bits';
  /** Groups of strength bits that are intersected separately (OpenSSL's masks). */
  strengthGroups: number[];
  /** The default TLS 1.3 suites (`TLS_DEFAULT_CIPHERSUITES`); none before 1.1.1. */
  tls13Default: CipherSuite[];
  /** TLS 1.3 suites the family knows by name. */
  tls13Known: CipherSuite[];
}

// --- per-suite bits from the table --------------------------------------------------------------

function encBits(suite: CipherSuite): number {
  const b = suite.bits;
  switch (suite.enc) {
    case 'None':
      return e.NULL;
    case 'DES':
      return e.DES;
    case '3DES':
      return e.TDES;
    case 'RC4':
      return e.RC4;
    case 'RC2':
      return e.RC2;
    case 'IDEA':
      return e.IDEA;
    case 'SEED':
      return e.SEED;
    case 'AES':
      return b === 128 ? e.AES128 : e.AES256;
    case 'AESGCM':
      return b === 128 ? e.AES128GCM : e.AES256GCM;
    case 'AESCCM':
      return b === 128 ? e.AES128CCM : e.AES256CCM;
    case 'AESCCM8':
      return b === 128 ? e.AES128CCM8 : e.AES256CCM8;
    case 'Camellia':
      return b === 128 ? e.CAMELLIA128 : e.CAMELLIA256;
    case 'ARIAGCM':
      return b === 128 ? e.ARIA128GCM : e.ARIA256GCM;
    case 'CHACHA20/POLY1305':
      return e.CHACHA20;
    case 'GOST89':
      return e.GOST89;
    default:
      return 0;
  }
}

function macBits(suite: CipherSuite): number {
  switch (suite.mac) {
    case 'MD5':
      return m.MD5;
    case 'SHA1':
      return m.SHA1;
    case 'SHA256':
      return m.SHA256;
    case 'SHA384':
      return m.SHA384;
    case 'AEAD':
      return m.AEAD;
    case 'GOST':
      return m.GOST94;
    default:
      return 0;
  }
}

function strengthBits(build: OpenSslBuild): number {
  const cls = { HIGH: s.HIGH, MEDIUM: s.MEDIUM, LOW: s.LOW, NONE: s.NONE }[build.s];
  return cls | (build.fips ? s.FIPS : 0) | (build.nd ? s.NOT_DEFAULT : 0);
}

/** kx/au bits for 1.1.1+ (static DH/ECDH do not exist there). */
function kxAu3(suite: CipherSuite): [number, number] {
  const au =
    { RSA: a.RSA, DSS: a.DSS, ECDSA: a.ECDSA, anon: a.NULL, PSK: a.PSK, SRP: a.SRP }[
      suite.au as string
    ] ?? 0;
  const kx =
    {
      RSA: k.RSA,
      DHE: k.DHE,
      ECDHE: k.ECDHE,
      PSK: k.PSK,
      'RSA-PSK': k.RSAPSK,
      'DHE-PSK': k.DHEPSK,
      'ECDHE-PSK': k.ECDHEPSK,
      SRP: k.SRP,
    }[suite.kx as string] ?? 0;
  return [kx, au];
}

/** kx/au bits for 1.0.2, where static DH/ECDH are selected by certificate type. */
function kxAu102(suite: CipherSuite): [number, number] {
  if (suite.kx === 'DH') return [suite.au === 'RSA' ? k.DHr : k.DHd, a.DH];
  if (suite.kx === 'ECDH') return [suite.au === 'RSA' ? k.ECDHr : k.ECDHe, a.ECDH];
  return kxAu3(suite);
}

function protoBits(build: OpenSslBuild, family: OpenSslFamily): number {
  if (family === '1.0.2') return build.p === 'TLSv1.2' ? v102.TLSV12 : v102.SSLV3;
  return build.p === 'TLSv1.2' ? v.TLS12 : build.p === 'TLSv1.0' ? v.TLS1 : v.SSL3;
}

/**
 * Suites a default 1.1.x build compiles that 3.0 no longer offers (their ciphers moved to the
 * legacy provider): SEED and IDEA, MEDIUM and NOT_DEFAULT, from SSLv3 (OpenSSL 1.1.1
 * ssl/s3_lib.c). Not checked against a live 1.1.1 binary; Debian's 1.1.1 builds `no-idea`.
 */
const MEDIUM_111: OpenSslBuild = {
  s: 'MEDIUM',
  fips: false,
  nd: true,
  sb: 128,
  ab: 128,
  p: 'SSLv3',
};
const ONLY_111 = new Set([0x0007, 0x0096, 0x0099, 0x009a, 0x009b]); // IDEA-CBC-SHA, (DHE-DSS-|DHE-RSA-|ADH-)SEED-SHA

function buildCiphers(family: OpenSslFamily): EngineCipher[] {
  const out: EngineCipher[] = [];
  for (const suite of CIPHER_SUITES) {
    const build =
      family === '1.0.2'
        ? suite.opensslBuilds?.v102
        : (suite.opensslBuilds?.v3 ??
          (family === '1.1.1' && ONLY_111.has(suite.code) ? MEDIUM_111 : undefined));
    if (!build || suite.tls13) continue;
    const [mkey, auth] = family === '1.0.2' ? kxAu102(suite) : kxAu3(suite);
    out.push({
      suite,
      name: build.name ?? suite.openssl!,
      id: suite.code,
      mkey,
      auth,
      enc: encBits(suite),
      mac: macBits(suite),
      proto: protoBits(build, family),
      // 1.0.2 also marks every non-export suite NOT_EXP
      strength: strengthBits(build) | (family === '1.0.2' ? s.NOT_EXP : 0),
      strengthBits: build.sb,
    });
  }
  // OpenSSL collects suites from its table back to front: 1.1.1+ sort that table by id, and
  // 1.0.2's table is (for the suites it compiles) in ascending id order, so: descending id.
  return out.sort((x, y) => y.id - x.id);
}

// --- aliases -------------------------------------------------------------------------------------

function alias(name: string, f: Partial<Omit<Alias, 'name'>>): Alias {
  return { name, mkey: 0, auth: 0, enc: 0, mac: 0, proto: 0, strength: 0, ...f };
}

const ALL32 = 0x7fffffff;

function aliases3(family: '1.1.1' | '3.x'): Alias[] {
  const list: Alias[] = [
    alias('ALL', { enc: ALL32 & ~e.NULL }),
    alias('COMPLEMENTOFALL', { enc: e.NULL }),
    alias('COMPLEMENTOFDEFAULT', { strength: s.NOT_DEFAULT }),
    alias('kRSA', { mkey: k.RSA }),
    alias('kEDH', { mkey: k.DHE }),
    alias('kDHE', { mkey: k.DHE }),
    alias('DH', { mkey: k.DHE }),
    alias('kEECDH', { mkey: k.ECDHE }),
    alias('kECDHE', { mkey: k.ECDHE }),
    alias('ECDH', { mkey: k.ECDHE }),
    alias('kPSK', { mkey: k.PSK }),
    alias('kRSAPSK', { mkey: k.RSAPSK }),
    alias('kECDHEPSK', { mkey: k.ECDHEPSK }),
    alias('kDHEPSK', { mkey: k.DHEPSK }),
    alias('kSRP', { mkey: k.SRP }),
    alias('kGOST', { mkey: k.GOST }),
    alias('aRSA', { auth: a.RSA }),
    alias('aDSS', { auth: a.DSS }),
    alias('DSS', { auth: a.DSS }),
    alias('aNULL', { auth: a.NULL }),
    alias('aECDSA', { auth: a.ECDSA }),
    alias('ECDSA', { auth: a.ECDSA }),
    alias('aPSK', { auth: a.PSK }),
    alias('aGOST01', { auth: a.GOST01 }),
    alias('aGOST12', { auth: a.GOST12 }),
    alias('aGOST', { auth: a.GOST01 | a.GOST12 }),
    alias('aSRP', { auth: a.SRP }),
    alias('EDH', { mkey: k.DHE, auth: ALL32 & ~a.NULL }),
    alias('DHE', { mkey: k.DHE, auth: ALL32 & ~a.NULL }),
    alias('EECDH', { mkey: k.ECDHE, auth: ALL32 & ~a.NULL }),
    alias('ECDHE', { mkey: k.ECDHE, auth: ALL32 & ~a.NULL }),
    alias('NULL', { enc: e.NULL }),
    alias('RSA', { mkey: k.RSA, auth: a.RSA }),
    alias('ADH', { mkey: k.DHE, auth: a.NULL }),
    alias('AECDH', { mkey: k.ECDHE, auth: a.NULL }),
    alias('PSK', { mkey: k.PSK | k.RSAPSK | k.ECDHEPSK | k.DHEPSK }),
    alias('SRP', { mkey: k.SRP }),
    alias('3DES', { enc: e.TDES }),
    alias('RC4', { enc: e.RC4 }),
    alias('RC2', { enc: e.RC2 }),
    alias('IDEA', { enc: e.IDEA }),
    alias('SEED', { enc: e.SEED }),
    alias('eNULL', { enc: e.NULL }),
    alias('GOST89', { enc: e.GOST89 | e.GOST8912 }),
    alias('AES128', { enc: e.AES128 | e.AES128GCM | e.AES128CCM | e.AES128CCM8 }),
    alias('AES256', { enc: e.AES256 | e.AES256GCM | e.AES256CCM | e.AES256CCM8 }),
    alias('AES', { enc: E_AES }),
    alias('AESGCM', { enc: E_AESGCM }),
    alias('AESCCM', { enc: E_AESCCM }),
    alias('AESCCM8', { enc: e.AES128CCM8 | e.AES256CCM8 }),
    alias('CAMELLIA128', { enc: e.CAMELLIA128 }),
    alias('CAMELLIA256', { enc: e.CAMELLIA256 }),
    alias('CAMELLIA', { enc: E_CAMELLIA }),
    alias('CHACHA20', { enc: e.CHACHA20 }),
    alias('ARIA', { enc: E_ARIA }),
    alias('ARIAGCM', { enc: E_ARIA }),
    alias('ARIA128', { enc: e.ARIA128GCM }),
    alias('ARIA256', { enc: e.ARIA256GCM }),
    ...(family === '3.x' ? [alias('CBC', { enc: E_CBC })] : []),
    alias('MD5', { mac: m.MD5 }),
    alias('SHA1', { mac: m.SHA1 }),
    alias('SHA', { mac: m.SHA1 }),
    alias('GOST94', { mac: m.GOST94 }),
    alias('GOST89MAC', { mac: m.GOST89MAC }),
    alias('SHA256', { mac: m.SHA256 }),
    alias('SHA384', { mac: m.SHA384 }),
    alias('GOST12', { mac: m.GOST12 }),
    alias('SSLv3', { proto: v.SSL3 }),
    alias('TLSv1', { proto: v.TLS1 }),
    alias('TLSv1.0', { proto: v.TLS1 }),
    alias('TLSv1.2', { proto: v.TLS12 }),
    alias('LOW', { strength: s.LOW }),
    alias('MEDIUM', { strength: s.MEDIUM }),
    alias('HIGH', { strength: s.HIGH }),
    alias('FIPS', { enc: ALL32 & ~e.NULL, strength: s.FIPS }),
    // the pre-1.1.0 EDH- names of the 3DES suites (not compiled by default any more)
    alias('EDH-DSS-DES-CBC3-SHA', {
      mkey: k.DHE,
      auth: a.DSS,
      enc: e.TDES,
      mac: m.SHA1,
      strength: s.HIGH | s.FIPS,
    }),
    alias('EDH-RSA-DES-CBC3-SHA', {
      mkey: k.DHE,
      auth: a.RSA,
      enc: e.TDES,
      mac: m.SHA1,
      strength: s.HIGH | s.FIPS,
    }),
  ];
  return list;
}

function aliases102(): Alias[] {
  const kDH = k.DHr | k.DHd;
  const kECDH = k.ECDHr | k.ECDHe;
  return [
    alias('ALL', { enc: ALL32 & ~e.NULL }),
    alias('COMPLEMENTOFALL', { enc: e.NULL }),
    alias('COMPLEMENTOFDEFAULT', {
      auth: a.NULL,
      enc: ALL32 & ~e.NULL,
      proto: ALL32 & ~v102.SSLV2,
      strength: EXP_MASK,
    }),
    alias('kRSA', { mkey: k.RSA }),
    alias('kDHr', { mkey: k.DHr }),
    alias('kDHd', { mkey: k.DHd }),
    alias('kDH', { mkey: kDH }),
    alias('kEDH', { mkey: k.DHE }),
    alias('kDHE', { mkey: k.DHE }),
    alias('DH', { mkey: kDH | k.DHE }),
    alias('kKRB5', { mkey: k.KRB5 }),
    alias('kECDHr', { mkey: k.ECDHr }),
    alias('kECDHe', { mkey: k.ECDHe }),
    alias('kECDH', { mkey: kECDH }),
    alias('kEECDH', { mkey: k.ECDHE }),
    alias('kECDHE', { mkey: k.ECDHE }),
    alias('ECDH', { mkey: kECDH | k.ECDHE }),
    alias('kPSK', { mkey: k.PSK }),
    alias('kSRP', { mkey: k.SRP }),
    alias('kGOST', { mkey: k.GOST }),
    alias('aRSA', { auth: a.RSA }),
    alias('aDSS', { auth: a.DSS }),
    alias('DSS', { auth: a.DSS }),
    alias('aKRB5', { auth: a.KRB5 }),
    alias('aNULL', { auth: a.NULL }),
    alias('aDH', { auth: a.DH }),
    alias('aECDH', { auth: a.ECDH }),
    alias('aECDSA', { auth: a.ECDSA }),
    alias('ECDSA', { auth: a.ECDSA }),
    alias('aPSK', { auth: a.PSK }),
    alias('aGOST94', { auth: a.GOST94 }),
    alias('aGOST01', { auth: a.GOST01 }),
    alias('aGOST', { auth: a.GOST94 | a.GOST01 }),
    alias('aSRP', { auth: a.SRP }),
    alias('EDH', { mkey: k.DHE, auth: ALL32 & ~a.NULL }),
    alias('DHE', { mkey: k.DHE, auth: ALL32 & ~a.NULL }),
    alias('EECDH', { mkey: k.ECDHE, auth: ALL32 & ~a.NULL }),
    alias('ECDHE', { mkey: k.ECDHE, auth: ALL32 & ~a.NULL }),
    alias('NULL', { enc: e.NULL }),
    alias('KRB5', { mkey: k.KRB5, auth: a.KRB5 }),
    alias('RSA', { mkey: k.RSA, auth: a.RSA }),
    alias('ADH', { mkey: k.DHE, auth: a.NULL }),
    alias('AECDH', { mkey: k.ECDHE, auth: a.NULL }),
    alias('PSK', { mkey: k.PSK, auth: a.PSK }),
    alias('SRP', { mkey: k.SRP }),
    alias('DES', { enc: e.DES }),
    alias('3DES', { enc: e.TDES }),
    alias('RC4', { enc: e.RC4 }),
    alias('RC2', { enc: e.RC2 }),
    alias('IDEA', { enc: e.IDEA }),
    alias('SEED', { enc: e.SEED }),
    alias('eNULL', { enc: e.NULL }),
    alias('AES128', { enc: e.AES128 | e.AES128GCM }),
    alias('AES256', { enc: e.AES256 | e.AES256GCM }),
    alias('AES', { enc: e.AES128 | e.AES256 | E_AESGCM }),
    alias('AESGCM', { enc: E_AESGCM }),
    alias('CAMELLIA128', { enc: e.CAMELLIA128 }),
    alias('CAMELLIA256', { enc: e.CAMELLIA256 }),
    alias('CAMELLIA', { enc: E_CAMELLIA }),
    alias('MD5', { mac: m.MD5 }),
    alias('SHA1', { mac: m.SHA1 }),
    alias('SHA', { mac: m.SHA1 }),
    alias('GOST94', { mac: m.GOST94 }),
    alias('GOST89MAC', { mac: m.GOST89MAC }),
    alias('SHA256', { mac: m.SHA256 }),
    alias('SHA384', { mac: m.SHA384 }),
    alias('SSLv2', { proto: v102.SSLV2 }),
    alias('SSLv3', { proto: v102.SSLV3 }),
    alias('TLSv1', { proto: v102.SSLV3 }),
    alias('TLSv1.2', { proto: v102.TLSV12 }),
    alias('EXP', { strength: s.EXPORT }),
    alias('EXPORT', { strength: s.EXPORT }),
    alias('EXPORT40', { strength: s.EXP40 }),
    alias('EXPORT56', { strength: s.EXP56 }),
    alias('LOW', { strength: s.LOW }),
    alias('MEDIUM', { strength: s.MEDIUM }),
    alias('HIGH', { strength: s.HIGH }),
    alias('FIPS', { enc: ALL32 & ~e.NULL, strength: s.FIPS }),
    alias('DHE-DSS-DES-CBC3-SHA', {
      mkey: k.DHE,
      auth: a.DSS,
      enc: e.TDES,
      mac: m.SHA1,
      proto: v102.SSLV3,
      strength: s.NOT_EXP | s.HIGH | s.FIPS,
    }),
    alias('DHE-RSA-DES-CBC3-SHA', {
      mkey: k.DHE,
      auth: a.RSA,
      enc: e.TDES,
      mac: m.SHA1,
      proto: v102.SSLV3,
      strength: s.NOT_EXP | s.HIGH | s.FIPS,
    }),
  ];
}

/**
 * Names OpenSSL once accepted that a family no longer has at all: OpenSSL silently ignores them,
 * and we report them as harmless no-ops rather than as typos.
 */
export const LEGACY_ALIAS_NAMES: ReadonlySet<string> = new Set([
  'EXP',
  'EXPORT',
  'EXPORT40',
  'EXPORT56',
  'DES',
  'SSLv2',
  'KRB5',
  'kKRB5',
  'aKRB5',
  'kDH',
  'kDHr',
  'kDHd',
  'kECDH',
  'kECDHr',
  'kECDHe',
  'aDH',
  'aECDH',
  'aGOST94',
  'kFZA',
  'aFZA',
  'eFZA',
  'FZA',
  'CBC',
  'AESCCM',
  'AESCCM8',
  'ARIA',
  'ARIAGCM',
  'ARIA128',
  'ARIA256',
  'CHACHA20',
  'kRSAPSK',
  'kECDHEPSK',
  'kDHEPSK',
  'TLSv1.0',
  'aGOST12',
  'GOST12',
  'GOST89',
]);

// --- built-in preference order -----------------------------------------------------------------

const PREORDER_3: PreorderStep[] = [
  { op: 'add', mkey: k.ECDHE, auth: a.ECDSA },
  { op: 'add', mkey: k.ECDHE },
  { op: 'del', mkey: k.ECDHE },
  { op: 'add', enc: E_AESGCM },
  { op: 'add', enc: e.CHACHA20 },
  { op: 'add', enc: E_AES & ~E_AESGCM },
  { op: 'add' },
  { op: 'ord', mac: m.MD5 },
  { op: 'ord', auth: a.NULL },
  { op: 'ord', mkey: k.RSA },
  { op: 'ord', mkey: k.PSK },
  { op: 'ord', enc: e.RC4 },
  { op: 'strength' },
  { op: 'bump', proto: v.TLS12 },
  { op: 'bump', mac: m.AEAD },
  { op: 'bump', mkey: k.DHE | k.ECDHE },
  { op: 'bump', mkey: k.DHE | k.ECDHE, mac: m.AEAD },
  { op: 'del' },
];

const PREORDER_102: PreorderStep[] = [
  { op: 'add', mkey: k.ECDHE },
  { op: 'del', mkey: k.ECDHE },
  { op: 'add', enc: e.AES128 | e.AES256 | E_AESGCM },
  { op: 'add' },
  { op: 'ord', mac: m.MD5 },
  { op: 'ord', auth: a.NULL },
  { op: 'ord', auth: a.ECDH },
  { op: 'ord', mkey: k.RSA },
  { op: 'ord', mkey: k.PSK },
  { op: 'ord', mkey: k.KRB5 },
  { op: 'ord', enc: e.RC4 },
  { op: 'strength' },
  { op: 'del' },
];

const TLS13_DEFAULT = [0x1302, 0x1303, 0x1301].map((c) => suiteByCode(c)!);
const TLS13_KNOWN = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305].map((c) => suiteByCode(c)!);

const cache = new Map<OpenSslFamily, FamilyDefinition>();

export function familyDefinition(family: OpenSslFamily): FamilyDefinition {
  let def = cache.get(family);
  if (def) return def;
  if (family === '1.0.2') {
    def = {
      family,
      ciphers: buildCiphers(family),
      aliases: aliases102(),
      defaultRule: 'ALL:!EXPORT:!LOW:!aNULL:!eNULL:!SSLv2',
      preorder: PREORDER_102,
      protoMatch: 'bits',
      strengthGroups: [EXP_MASK, STRONG_MASK],
      tls13Default: [],
      tls13Known: [],
    };
  } else {
    def = {
      family,
      ciphers: buildCiphers(family),
      aliases: aliases3(family),
      defaultRule: 'ALL:!COMPLEMENTOFDEFAULT:!eNULL',
      preorder: PREORDER_3,
      protoMatch: 'equal',
      strengthGroups: [STRONG_MASK, DEFAULT_MASK],
      tls13Default: TLS13_DEFAULT,
      tls13Known: TLS13_KNOWN,
    };
  }
  cache.set(family, def);
  return def;
}
