#!/usr/bin/env node
/**
 * Generates src/crypto/data/cipher-suites.generated.ts: one row per TLS cipher suite.
 *
 *   node scripts/generate-cipher-suites.mjs            (reads scripts/data/, writes the TS file)
 *   node scripts/generate-cipher-suites.mjs --check    (exit 1 when the committed file is stale)
 *
 * Inputs (scripts/data/, provenance in src/crypto/data/README.md):
 * - tls-parameters-4.csv: the IANA "TLS Cipher Suites" registry (code points, names, Recommended)
 * - ciphers.csv: `openssl ciphers -V -stdname 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'` of OpenSSL 3.0
 *   (kx, au, enc, bits, mac, minimum protocol of every suite that build compiles)
 * - alias-membership.tsv: which 3.0 suites each OpenSSL alias selects (HIGH, FIPS,
 *   COMPLEMENTOFDEFAULT give the per-suite strength flags)
 * - man-ciphers-suite-names-3.0.22.tsv: IANA <-> OpenSSL names from openssl-ciphers(1), including
 *   suites 3.0 no longer builds (RC4, 3DES, SEED, IDEA, GOST, CAMELLIA-CBC)
 * and, written out below with their sources, facts the data files do not hold: OpenSSL's names of
 * suites dropped before 3.0 (EXPORT, single DES, static DH, Kerberos, SSLv2), the suite set of the
 * OpenSSL 1.0.2 family, Go's constant names and BoringSSL's names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dataDir = path.join(here, 'data');
const outFile = path.join(root, 'src/crypto/data/cipher-suites.generated.ts');

// ---------------------------------------------------------------------------------------------
// Facts not in the data files.

/**
 * OpenSSL names of suites that OpenSSL 3.0's man page no longer lists. Source: OpenSSL 1.0.2
 * ssl/s3_lib.c, ssl/tls1.h, ssl/ssl3.h (EXPORT, single DES, static DH, Kerberos, EXPORT1024 drafts).
 */
const LEGACY_OPENSSL_NAMES = {
  0x0003: 'EXP-RC4-MD5',
  0x0006: 'EXP-RC2-CBC-MD5',
  0x0008: 'EXP-DES-CBC-SHA',
  0x0009: 'DES-CBC-SHA',
  0x000b: 'EXP-DH-DSS-DES-CBC-SHA',
  0x000c: 'DH-DSS-DES-CBC-SHA',
  0x000d: 'DH-DSS-DES-CBC3-SHA',
  0x000e: 'EXP-DH-RSA-DES-CBC-SHA',
  0x000f: 'DH-RSA-DES-CBC-SHA',
  0x0010: 'DH-RSA-DES-CBC3-SHA',
  0x0011: 'EXP-EDH-DSS-DES-CBC-SHA',
  0x0012: 'EDH-DSS-DES-CBC-SHA',
  0x0014: 'EXP-EDH-RSA-DES-CBC-SHA',
  0x0015: 'EDH-RSA-DES-CBC-SHA',
  0x0017: 'EXP-ADH-RC4-MD5',
  0x0019: 'EXP-ADH-DES-CBC-SHA',
  0x001a: 'ADH-DES-CBC-SHA',
  0x001e: 'KRB5-DES-CBC-SHA',
  0x001f: 'KRB5-DES-CBC3-SHA',
  0x0020: 'KRB5-RC4-SHA',
  0x0021: 'KRB5-IDEA-CBC-SHA',
  0x0022: 'KRB5-DES-CBC-MD5',
  0x0023: 'KRB5-DES-CBC3-MD5',
  0x0024: 'KRB5-RC4-MD5',
  0x0025: 'KRB5-IDEA-CBC-MD5',
  0x0026: 'EXP-KRB5-DES-CBC-SHA',
  0x0027: 'EXP-KRB5-RC2-CBC-SHA',
  0x0028: 'EXP-KRB5-RC4-SHA',
  0x0029: 'EXP-KRB5-DES-CBC-MD5',
  0x002a: 'EXP-KRB5-RC2-CBC-MD5',
  0x002b: 'EXP-KRB5-RC4-MD5',
  0x0030: 'DH-DSS-AES128-SHA',
  0x0031: 'DH-RSA-AES128-SHA',
  0x0036: 'DH-DSS-AES256-SHA',
  0x0037: 'DH-RSA-AES256-SHA',
  0x003e: 'DH-DSS-AES128-SHA256',
  0x003f: 'DH-RSA-AES128-SHA256',
  0x0042: 'DH-DSS-CAMELLIA128-SHA',
  0x0043: 'DH-RSA-CAMELLIA128-SHA',
  0x0068: 'DH-DSS-AES256-SHA256',
  0x0069: 'DH-RSA-AES256-SHA256',
  0x0085: 'DH-DSS-CAMELLIA256-SHA',
  0x0086: 'DH-RSA-CAMELLIA256-SHA',
  0x0097: 'DH-DSS-SEED-SHA',
  0x0098: 'DH-RSA-SEED-SHA',
  0x00a0: 'DH-RSA-AES128-GCM-SHA256',
  0x00a1: 'DH-RSA-AES256-GCM-SHA384',
  0x00a4: 'DH-DSS-AES128-GCM-SHA256',
  0x00a5: 'DH-DSS-AES256-GCM-SHA384',
  0x008a: 'PSK-RC4-SHA',
  0x008b: 'PSK-3DES-EDE-CBC-SHA',
  0xc001: 'ECDH-ECDSA-NULL-SHA',
  0xc00b: 'ECDH-RSA-NULL-SHA',
  0xc01a: 'SRP-3DES-EDE-CBC-SHA',
  0xc01b: 'SRP-RSA-3DES-EDE-CBC-SHA',
  0xc01c: 'SRP-DSS-3DES-EDE-CBC-SHA',
};

/**
 * Suites outside the IANA registry that old servers and OpenSSL knew. The EXPORT1024 suites come
 * from draft-ietf-tls-56-bit-ciphersuites (OpenSSL 0.9.x–1.0.x, code points 0x0060–0x0066, which
 * IANA later reserved); SSLv2 "cipher kinds" are 3-byte codes (OpenSSL ssl/ssl2.h, RFC-less
 * Netscape SSL 2.0 spec). The names in `name` are descriptive, in IANA style.
 */
const NON_IANA_SUITES = [
  { code: 0x0060, name: 'TLS_RSA_EXPORT1024_WITH_RC4_56_MD5', openssl: 'EXP1024-RC4-MD5' },
  { code: 0x0061, name: 'TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5', openssl: 'EXP1024-RC2-CBC-MD5' },
  { code: 0x0062, name: 'TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA', openssl: 'EXP1024-DES-CBC-SHA' },
  {
    code: 0x0063,
    name: 'TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA',
    openssl: 'EXP1024-DHE-DSS-DES-CBC-SHA',
  },
  { code: 0x0064, name: 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA', openssl: 'EXP1024-RC4-SHA' },
  {
    code: 0x0065,
    name: 'TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA',
    openssl: 'EXP1024-DHE-DSS-RC4-SHA',
  },
  { code: 0x0066, name: 'TLS_DHE_DSS_WITH_RC4_128_SHA', openssl: 'DHE-DSS-RC4-SHA' },
  { code: 0x0081, name: 'TLS_GOSTR341001_WITH_28147_CNT_IMIT', openssl: 'GOST2001-GOST89-GOST89' },
  { code: 0x0083, name: 'TLS_GOSTR341001_WITH_NULL_GOSTR3411', openssl: 'GOST2001-NULL-GOST94' },
  { code: 0x010080, sslv2: 'SSL_CK_RC4_128_WITH_MD5', openssl: 'RC4-MD5' },
  { code: 0x020080, sslv2: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', openssl: 'EXP-RC4-MD5' },
  { code: 0x030080, sslv2: 'SSL_CK_RC2_128_CBC_WITH_MD5', openssl: 'RC2-CBC-MD5' },
  { code: 0x040080, sslv2: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', openssl: 'EXP-RC2-CBC-MD5' },
  { code: 0x050080, sslv2: 'SSL_CK_IDEA_128_CBC_WITH_MD5', openssl: 'IDEA-CBC-MD5' },
  { code: 0x060040, sslv2: 'SSL_CK_DES_64_CBC_WITH_MD5', openssl: 'DES-CBC-MD5' },
  { code: 0x0700c0, sslv2: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', openssl: 'DES-CBC3-MD5' },
  { code: 0x080080, sslv2: 'SSL_CK_RC4_64_WITH_MD5', openssl: 'RC4-64-MD5' },
];

/** OpenSSL ≥1.1.0 renamed EDH-* to DHE-* and kept the old names as aliases (ssl_ciph.c). */
const OPENSSL_NAME_ALIASES = {
  0x0013: ['EDH-DSS-DES-CBC3-SHA'],
  0x0016: ['EDH-RSA-DES-CBC3-SHA'],
};

/**
 * The suites an OpenSSL 1.0.2 default build (1.0.2g and later: no EXPORT/LOW, no SSLv2, no
 * Kerberos, GOST only with an engine) compiles, from 1.0.2's ssl/s3_lib.c, with the names 1.0.2
 * used where they differ from today's. 3DES is HIGH there (it became MEDIUM in 1.1.0).
 */
const OPENSSL_102_CODES = [
  0x01,
  0x02,
  0x04,
  0x05,
  0x07,
  0x0a,
  0x0d,
  0x10,
  0x13,
  0x16,
  0x18,
  0x1b,
  0x2f,
  0x30,
  0x31,
  0x32,
  0x33,
  0x34,
  0x35,
  0x36,
  0x37,
  0x38,
  0x39,
  0x3a,
  0x3b,
  0x3c,
  0x3d,
  0x3e,
  0x3f,
  0x40,
  0x41,
  0x42,
  0x43,
  0x44,
  0x45,
  0x46,
  0x67,
  0x68,
  0x69,
  0x6a,
  0x6b,
  0x6c,
  0x6d,
  0x84,
  0x85,
  0x86,
  0x87,
  0x88,
  0x89,
  0x8a,
  0x8b,
  0x8c,
  0x8d,
  0x96,
  0x97,
  0x98,
  0x99,
  0x9a,
  0x9b,
  0x9c,
  0x9d,
  0x9e,
  0x9f,
  0xa0,
  0xa1,
  0xa2,
  0xa3,
  0xa4,
  0xa5,
  0xa6,
  0xa7,
  ...range(0xc001, 0xc032),
];
const OPENSSL_102_NAMES = { 0x0013: 'EDH-DSS-DES-CBC3-SHA', 0x0016: 'EDH-RSA-DES-CBC3-SHA' };

/**
 * Go crypto/tls constant names (cipher_suites.go, Go 1.22), with the legacy aliases without the
 * `_SHA256` suffix, and the suites Go lists in InsecureCipherSuites().
 */
const GO_NAMES = {
  0x0005: ['TLS_RSA_WITH_RC4_128_SHA'],
  0x000a: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  0x002f: ['TLS_RSA_WITH_AES_128_CBC_SHA'],
  0x0035: ['TLS_RSA_WITH_AES_256_CBC_SHA'],
  0x003c: ['TLS_RSA_WITH_AES_128_CBC_SHA256'],
  0x009c: ['TLS_RSA_WITH_AES_128_GCM_SHA256'],
  0x009d: ['TLS_RSA_WITH_AES_256_GCM_SHA384'],
  0xc007: ['TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  0xc009: ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  0xc00a: ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  0xc011: ['TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  0xc012: ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  0xc013: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  0xc014: ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  0xc023: ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  0xc027: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  0xc02f: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  0xc02b: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  0xc030: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  0xc02c: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  0xcca8: ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305'],
  0xcca9: [
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  ],
  0x1301: ['TLS_AES_128_GCM_SHA256'],
  0x1302: ['TLS_AES_256_GCM_SHA384'],
  0x1303: ['TLS_CHACHA20_POLY1305_SHA256'],
  0x5600: ['TLS_FALLBACK_SCSV'],
};
const GO_INSECURE = new Set([0x0005, 0x000a, 0x003c, 0xc007, 0xc011, 0xc012, 0xc023, 0xc027]);

/** Suites BoringSSL (Envoy) implements, by code; BoringSSL spells them like OpenSSL (ssl/ssl_cipher.cc kCiphers). */
const BORINGSSL_CODES = new Set([
  0x000a, 0x002f, 0x0035, 0x008c, 0x008d, 0x009c, 0x009d, 0x1301, 0x1302, 0x1303, 0xc009, 0xc00a,
  0xc013, 0xc014, 0xc027, 0xc02b, 0xc02c, 0xc02f, 0xc030, 0xc035, 0xc036, 0xcca8, 0xcca9, 0xccac,
]);

// ---------------------------------------------------------------------------------------------

function range(from, to) {
  const out = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function readData(name) {
  return fs.readFileSync(path.join(dataDir, name), 'utf8');
}

/** RFC 4180 CSV (quoted fields may hold commas and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function codeFromHexPair(value) {
  const m = /^0x([0-9A-F]{2}),0x([0-9A-F]{2})$/i.exec(value.trim());
  return m ? (parseInt(m[1], 16) << 8) | parseInt(m[2], 16) : undefined;
}

// --- parse an IANA-style name into its parts --------------------------------------------------

const ENC_PATTERNS = [
  // [regex on the part after WITH_, enc label, cipher, bits, mode, mac-from-name?]
  [/^NULL_/, 'None', 'NULL', 0, 'none'],
  [/^NULL$/, 'None', 'NULL', 0, 'none'],
  [/^RC4_40_/, 'RC4', 'RC4', 40, 'stream'],
  [/^RC4_56_/, 'RC4', 'RC4', 56, 'stream'],
  [/^RC4_128_/, 'RC4', 'RC4', 128, 'stream'],
  [/^RC2_CBC_40_/, 'RC2', 'RC2', 40, 'CBC'],
  [/^RC2_CBC_56_/, 'RC2', 'RC2', 56, 'CBC'],
  [/^IDEA_CBC_/, 'IDEA', 'IDEA', 128, 'CBC'],
  [/^DES40_CBC_/, 'DES', 'DES', 40, 'CBC'],
  [/^DES_CBC_40_/, 'DES', 'DES', 40, 'CBC'],
  [/^DES_CBC_/, 'DES', 'DES', 56, 'CBC'],
  [/^3DES_EDE_CBC_/, '3DES', '3DES', 168, 'CBC'],
  [/^AES_(128|256)_CBC_/, 'AES', 'AES', null, 'CBC'],
  [/^AES_(128|256)_GCM_/, 'AESGCM', 'AES', null, 'AEAD'],
  [/^AES_(128|256)_CCM_8/, 'AESCCM8', 'AES', null, 'AEAD'],
  [/^AES_(128|256)_CCM/, 'AESCCM', 'AES', null, 'AEAD'],
  [/^CAMELLIA_(128|256)_CBC_/, 'Camellia', 'CAMELLIA', null, 'CBC'],
  [/^CAMELLIA_(128|256)_GCM_/, 'CamelliaGCM', 'CAMELLIA', null, 'AEAD'],
  [/^ARIA_(128|256)_CBC_/, 'ARIA', 'ARIA', null, 'CBC'],
  [/^ARIA_(128|256)_GCM_/, 'ARIAGCM', 'ARIA', null, 'AEAD'],
  [/^SEED_CBC_/, 'SEED', 'SEED', 128, 'CBC'],
  [/^CHACHA20_POLY1305/, 'CHACHA20/POLY1305', 'CHACHA20', 256, 'AEAD'],
  [/^28147_CNT_/, 'GOST89', 'GOST', 256, 'stream'],
  [/^KUZNYECHIK_CTR_OMAC/, 'KUZNYECHIK', 'GOST', 256, 'stream'],
  [/^MAGMA_CTR_OMAC/, 'MAGMA', 'GOST', 256, 'stream'],
  [/^KUZNYECHIK_MGM/, 'KUZNYECHIK-MGM', 'GOST', 256, 'AEAD'],
  [/^MAGMA_MGM/, 'MAGMA-MGM', 'GOST', 256, 'AEAD'],
  [/^SM4_GCM/, 'SM4GCM', 'SM4', 128, 'AEAD'],
  [/^AEGIS_256/, 'AEGIS', 'AEGIS', 256, 'AEAD'],
  [/^AEGIS_128L/, 'AEGIS', 'AEGIS', 128, 'AEAD'],
  [/^SM4_CCM/, 'SM4CCM', 'SM4', 128, 'AEAD'],
];

/** Key exchange and authentication from the part before `_WITH_`. */
function parseKx(kxPart) {
  const exp = /_EXPORT(1024)?(?=_|$)/.test(kxPart);
  const base = kxPart.replace(/_EXPORT(1024)?(?=_|$)/, '');
  const table = {
    NULL: ['NULL', 'NULL'],
    RSA: ['RSA', 'RSA'],
    DH_DSS: ['DH', 'DSS'],
    DH_RSA: ['DH', 'RSA'],
    DHE_DSS: ['DHE', 'DSS'],
    DHE_RSA: ['DHE', 'RSA'],
    DH_anon: ['DHE', 'anon'],
    KRB5: ['KRB5', 'KRB5'],
    PSK: ['PSK', 'PSK'],
    DHE_PSK: ['DHE-PSK', 'PSK'],
    PSK_DHE: ['DHE-PSK', 'PSK'],
    RSA_PSK: ['RSA-PSK', 'RSA'],
    ECDH_ECDSA: ['ECDH', 'ECDSA'],
    ECDHE_ECDSA: ['ECDHE', 'ECDSA'],
    ECDH_RSA: ['ECDH', 'RSA'],
    ECDHE_RSA: ['ECDHE', 'RSA'],
    ECDH_anon: ['ECDHE', 'anon'],
    SRP_SHA: ['SRP', 'SRP'],
    SRP_SHA_RSA: ['SRP', 'RSA'],
    SRP_SHA_DSS: ['SRP', 'DSS'],
    ECDHE_PSK: ['ECDHE-PSK', 'PSK'],
    ECCPWD: ['ECCPWD', 'ECCPWD'],
    GOSTR341001: ['GOST', 'GOST'],
    GOSTR341112_256: ['GOST', 'GOST'],
  };
  const hit = table[base];
  return { kx: hit?.[0] ?? 'unknown', au: hit?.[1] ?? 'unknown', exp };
}

function macFromName(rest, mode) {
  if (rest === 'NULL') return 'NULL';
  if (/_MD5$/.test(rest)) return 'MD5';
  if (/_SHA$/.test(rest)) return 'SHA1';
  if (mode === 'AEAD') return 'AEAD';
  if (/_SHA256$/.test(rest)) return 'SHA256';
  if (/_SHA384$/.test(rest)) return 'SHA384';
  if (/GOSTR3411$|_IMIT$|_OMAC$/.test(rest)) return 'GOST';
  return 'unknown';
}

const TLS13_NAMES =
  /^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256|AES_128_CCM_SHA256|AES_128_CCM_8_SHA256|SM4_GCM_SM3|SM4_CCM_SM3|SHA256_SHA256|SHA384_SHA384|AEGIS_256_SHA384|AEGIS_128L_SHA256)$|^TLS_GOSTR341112_256_WITH_(KUZNYECHIK|MAGMA)_MGM_[LS]$/;

/** Facts from a name in IANA style: kx, au, enc, bits, mode, mac, export, minimum protocol. */
function describeIanaName(name) {
  if (TLS13_NAMES.test(name)) {
    const m = /^TLS_(.*)$/.exec(name)[1];
    if (/^SHA(256|384)_SHA/.test(m)) {
      return {
        kx: 'any',
        au: 'any',
        enc: 'None',
        cipher: 'NULL',
        bits: 0,
        mode: 'none',
        mac: m.startsWith('SHA256') ? 'SHA256' : 'SHA384',
        exp: false,
        tls13: true,
      };
    }
    const enc = /_WITH_(.*)$/.exec(m)?.[1] ?? m;
    const e = matchEnc(enc + '_');
    return { kx: 'any', au: 'any', ...e, mac: 'AEAD', exp: false, tls13: true };
  }
  const m = /^TLS_(.+?)_WITH_(.+)$/.exec(name);
  if (!m) return undefined;
  const { kx, au, exp } = parseKx(m[1]);
  const e = matchEnc(m[2]);
  return { kx, au, ...e, mac: macFromName(m[2], e.mode), exp, tls13: false };
}

function matchEnc(rest) {
  for (const [re, enc, cipher, bits, mode] of ENC_PATTERNS) {
    const hit = re.exec(rest);
    if (hit) return { enc, cipher, bits: bits ?? parseInt(hit[1], 10), mode };
  }
  return { enc: 'unknown', cipher: 'unknown', bits: 0, mode: 'none' };
}

/** The lowest version a suite can be negotiated with, by its defining document's era. */
function guessMinProtocol(d, name) {
  if (d.tls13) return 'TLSv1.3';
  if (d.mode === 'AEAD' || d.mac === 'SHA256' || d.mac === 'SHA384' || d.cipher === 'ARIA')
    return 'TLSv1.2';
  if (/ECDH|ECCPWD|PSK|SRP|GOST/.test(name) && !/^TLS_PSK_WITH|^TLS_(DHE|RSA)_PSK/.test(name))
    return 'TLSv1.0';
  return 'SSLv3';
}

// --- assemble ---------------------------------------------------------------------------------

const rows = new Map();

function addRow(code, init) {
  const existing = rows.get(code);
  if (existing) Object.assign(existing, init);
  else rows.set(code, { code, ...init });
  return rows.get(code);
}

// 1. IANA registry: every assigned code point.
for (const [value, description, , recommended] of parseCsv(readData('tls-parameters-4.csv')).slice(
  1,
)) {
  const code = codeFromHexPair(value ?? '');
  if (code === undefined || !description || /^(Unassigned|Reserved)/.test(description)) continue;
  addRow(code, { iana: description.trim(), recommended: recommended === 'Y' });
}
for (const s of NON_IANA_SUITES) {
  addRow(
    s.code,
    s.name ? { iana: s.name, ianaRegistered: false } : { sslv2: s.sslv2, ianaRegistered: false },
  );
}

// 2. OpenSSL names from the man page and the legacy list.
for (const line of readData('man-ciphers-suite-names-3.0.22.tsv').split('\n').slice(1)) {
  const [, iana, openssl] = line.split('\t');
  if (!iana || !openssl) continue;
  const row = [...rows.values()].find((r) => r.iana === iana);
  if (row) row.openssl = openssl.trim();
  // else: the man page also lists names no registry assigned (draft SM4 suites, CCM variants
  // that were never registered); they cannot appear on the wire under a known code, so skip them.
}
for (const [code, name] of Object.entries(LEGACY_OPENSSL_NAMES)) {
  const row = rows.get(Number(code));
  if (!row) throw new Error(`legacy name for unknown code ${code}`);
  row.openssl ??= name;
}
for (const s of NON_IANA_SUITES) rows.get(s.code).openssl = s.openssl;
for (const [code, aliases] of Object.entries(OPENSSL_NAME_ALIASES))
  rows.get(Number(code)).opensslAliases = aliases;

// 3. OpenSSL 3.0 facts for the suites that build compiles.
const aliasMembers = new Map();
for (const line of readData('alias-membership.tsv').split('\n').slice(1)) {
  const [alias, count, list] = line.split('\t');
  if (!alias) continue;
  aliasMembers.set(alias, new Set(Number(count) > 0 ? list.split(':') : []));
}
const openssl3 = [];
for (const r of parseCsv(readData('ciphers.csv')).slice(1)) {
  if (r.length < 9) continue;
  const [hex, iana, openssl, proto, kx, au, enc, bits, mac] = r;
  const code = codeFromHexPair(hex);
  const row = rows.get(code);
  if (!row) throw new Error(`OpenSSL 3.0 suite ${iana} not in the IANA data`);
  if (row.iana !== iana)
    throw new Error(`name mismatch for ${hex}: IANA ${row.iana}, OpenSSL ${iana}`);
  row.openssl = openssl;
  row.o3 = {
    proto: proto === 'TLSv1' ? 'TLSv1.0' : proto,
    kx,
    au,
    enc,
    bits: bits === '' ? 0 : Number(bits),
    mac,
  };
  openssl3.push(code);
}

const suites = [];
for (const row of [...rows.values()].sort((a, b) => a.code - b.code)) {
  const isScsv = /_SCSV$/.test(row.iana ?? '');
  let d;
  if (row.sslv2) d = describeSslv2(row);
  else if (isScsv)
    d = {
      kx: 'NULL',
      au: 'NULL',
      enc: 'None',
      cipher: 'NULL',
      bits: 0,
      mode: 'none',
      mac: 'NULL',
      exp: false,
      tls13: false,
    };
  else d = describeIanaName(row.iana);
  if (!d) {
    console.warn(`cannot describe ${row.iana}; skipped`);
    continue;
  }
  const minProtocol = row.sslv2 ? 'SSLv2' : (row.o3?.proto ?? guessMinProtocol(d, row.iana));
  const flags = suiteFlags(row, d, isScsv);
  const suite = {
    code: row.code,
    ...(row.iana !== undefined && { iana: row.iana }),
    ...(row.sslv2 !== undefined && { sslv2: row.sslv2 }),
    ...(row.openssl !== undefined && { openssl: row.openssl }),
    ...(row.opensslAliases && { opensslAliases: row.opensslAliases }),
    ...(GO_NAMES[row.code] && { go: GO_NAMES[row.code] }),
    ...(BORINGSSL_CODES.has(row.code) && { boringssl: row.openssl }),
    kx: d.kx,
    au: d.au,
    enc: d.enc,
    cipher: d.cipher,
    bits: d.bits,
    mode: d.mode,
    mac: d.mac,
    minProtocol,
    tls13: d.tls13,
    flags,
    ianaRecommended: row.recommended === true,
    ...(row.ianaRegistered === false && { ianaRegistered: false }),
    ...(GO_INSECURE.has(row.code) && { goInsecure: true }),
  };
  const builds = opensslBuilds(row, d);
  if (builds) suite.opensslBuilds = builds;
  suites.push(suite);
}

function describeSslv2(row) {
  const n = row.sslv2;
  const exp = /EXPORT40/.test(n);
  if (/RC4_128|RC4_64/.test(n))
    return {
      kx: 'RSA',
      au: 'RSA',
      enc: 'RC4',
      cipher: 'RC4',
      bits: exp ? 40 : /RC4_64/.test(n) ? 64 : 128,
      mode: 'stream',
      mac: 'MD5',
      exp,
      tls13: false,
    };
  if (/RC2/.test(n))
    return {
      kx: 'RSA',
      au: 'RSA',
      enc: 'RC2',
      cipher: 'RC2',
      bits: exp ? 40 : 128,
      mode: 'CBC',
      mac: 'MD5',
      exp,
      tls13: false,
    };
  if (/IDEA/.test(n))
    return {
      kx: 'RSA',
      au: 'RSA',
      enc: 'IDEA',
      cipher: 'IDEA',
      bits: 128,
      mode: 'CBC',
      mac: 'MD5',
      exp,
      tls13: false,
    };
  if (/EDE3/.test(n))
    return {
      kx: 'RSA',
      au: 'RSA',
      enc: '3DES',
      cipher: '3DES',
      bits: 168,
      mode: 'CBC',
      mac: 'MD5',
      exp,
      tls13: false,
    };
  return {
    kx: 'RSA',
    au: 'RSA',
    enc: 'DES',
    cipher: 'DES',
    bits: 56,
    mode: 'CBC',
    mac: 'MD5',
    exp,
    tls13: false,
  };
}

function suiteFlags(row, d, isScsv) {
  const f = [];
  if (isScsv) return ['SCSV'];
  if (d.tls13) f.push('TLS1.3');
  if (d.cipher === 'NULL') f.push('NULL');
  if (d.exp) f.push('EXPORT');
  if (d.au === 'anon') f.push('anon');
  if (d.cipher === 'RC4') f.push('RC4');
  if (d.cipher === 'RC2') f.push('RC2');
  if (d.cipher === 'DES') f.push('DES');
  if (d.cipher === '3DES') f.push('3DES');
  if (d.cipher === 'IDEA') f.push('IDEA');
  if (d.cipher === 'SEED') f.push('SEED');
  if (d.cipher === 'CAMELLIA') f.push('CAMELLIA');
  if (d.cipher === 'ARIA') f.push('ARIA');
  if (d.cipher === 'GOST' || d.kx === 'GOST') f.push('GOST');
  if (d.enc === 'AESCCM8' || /CCM_8/.test(row.iana ?? '')) f.push('CCM8');
  if (d.mac === 'MD5') f.push('MD5');
  if (d.mac === 'SHA1') f.push('SHA1-MAC');
  if (d.mode === 'CBC') f.push('CBC');
  if (d.kx === 'DH' || d.kx === 'ECDH') f.push('static-DH');
  if (/^(DHE|ECDHE|DHE-PSK|ECDHE-PSK|ECCPWD)$/.test(d.kx) || d.tls13) f.push('forward-secrecy');
  if (/PSK/.test(d.kx)) f.push('PSK');
  if (d.kx === 'SRP') f.push('SRP');
  if (d.kx === 'KRB5') f.push('KRB5');
  return f;
}

/**
 * How each OpenSSL family builds the suite (absent: not compiled in a default build):
 * `s` strength class (HIGH/MEDIUM/LOW/NONE), `fips`, `nd` (NOT_DEFAULT: in COMPLEMENTOFDEFAULT),
 * `sb` strength bits, `ab` algorithm bits, `p` minimum protocol. 1.1.x and 3.x build the same set.
 */
function opensslBuilds(row, d) {
  const out = {};
  if (row.o3 && !d.tls13) {
    const name = row.openssl;
    const high = aliasMembers.get('HIGH').has(name);
    out.v3 = {
      s: d.cipher === 'NULL' ? 'NONE' : high ? 'HIGH' : 'MEDIUM',
      fips: aliasMembers.get('FIPS').has(name),
      nd: aliasMembers.get('COMPLEMENTOFDEFAULT').has(name),
      sb: row.o3.bits,
      ab: row.o3.bits,
      p: row.o3.proto,
    };
  }
  if (OPENSSL_102_CODES.includes(row.code)) {
    const s =
      d.cipher === 'NULL'
        ? 'NONE'
        : ['AES', 'CAMELLIA', '3DES'].includes(d.cipher)
          ? 'HIGH'
          : 'MEDIUM';
    const fips = ['AES', '3DES'].includes(d.cipher);
    out.v102 = {
      ...(OPENSSL_102_NAMES[row.code] && { name: OPENSSL_102_NAMES[row.code] }),
      s,
      fips,
      sb: d.cipher === '3DES' ? 112 : d.bits,
      ab: d.bits,
      // 1.0.2 marks suites SSLv3 or TLSv1.2 only (SSL_TLSV1 == SSL_SSLV3 there)
      p: d.mode === 'AEAD' || d.mac === 'SHA256' || d.mac === 'SHA384' ? 'TLSv1.2' : 'SSLv3',
    };
  }
  return Object.keys(out).length ? out : undefined;
}

// --- sanity checks against the data -------------------------------------------------------------

for (const code of openssl3) {
  const s = suites.find((x) => x.code === code);
  const o3 = rows.get(code).o3;
  if (s.tls13) continue;
  const want = {
    RSA: 'RSA',
    DH: 'DHE',
    ECDH: 'ECDHE',
    PSK: 'PSK',
    RSAPSK: 'RSA-PSK',
    DHEPSK: 'DHE-PSK',
    ECDHEPSK: 'ECDHE-PSK',
    SRP: 'SRP',
  }[o3.kx];
  if (want !== s.kx) throw new Error(`kx of ${s.iana}: parsed ${s.kx}, OpenSSL says ${o3.kx}`);
  if (o3.bits !== s.bits && s.cipher !== 'NULL')
    throw new Error(`bits of ${s.iana}: parsed ${s.bits}, OpenSSL says ${o3.bits}`);
  const macWant = o3.mac === 'SHA1' ? 'SHA1' : o3.mac;
  if (macWant !== s.mac)
    throw new Error(`mac of ${s.iana}: parsed ${s.mac}, OpenSSL says ${o3.mac}`);
}

// --- write --------------------------------------------------------------------------------------

const header = `/* eslint-disable */
// GENERATED by scripts/generate-cipher-suites.mjs from scripts/data/ — do not edit by hand.
// Provenance and licences: src/crypto/data/README.md.
import type { CipherSuite } from '../suite-types.js';

/** Every known TLS cipher suite (IANA registry + legacy OpenSSL/SSLv2), ordered by code point. */
export const GENERATED_SUITES: readonly CipherSuite[] = [
`;
const body = suites.map((s) => '  ' + toTs(s) + ',').join('\n');
const text = header + body + '\n];\n';

function toTs(value) {
  if (Array.isArray(value)) return '[' + value.map(toTs).join(', ') + ']';
  if (value && typeof value === 'object') {
    return (
      '{ ' +
      Object.entries(value)
        .map(([k, v]) => `${k}: ${k === 'code' ? hexCode(v) : toTs(v)}`)
        .join(', ') +
      ' }'
    );
  }
  return JSON.stringify(value).replace(/"/g, "'");
}
function hexCode(n) {
  return (
    '0x' +
    n
      .toString(16)
      .toUpperCase()
      .padStart(n > 0xffff ? 6 : 4, '0')
  );
}

if (process.argv.includes('--check')) {
  const current = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
  if (current !== text) {
    console.error(
      `${path.relative(root, outFile)} is stale; run node scripts/generate-cipher-suites.mjs`,
    );
    process.exit(1);
  }
  console.log(`${path.relative(root, outFile)} is up to date (${suites.length} suites)`);
} else {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, text);
  console.log(
    `wrote ${path.relative(root, outFile)}: ${suites.length} suites (${openssl3.length} built by OpenSSL 3.0)`,
  );
}
