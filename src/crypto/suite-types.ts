/**
 * The shape of one row of the cipher-suite table (src/crypto/cipher-suites.ts). Kept apart from
 * the table so the generated data file can import the type without a cycle.
 */
import type { ProtocolVersion } from '../model/protocol.js';

/**
 * Key exchange. `DH`/`ECDH` are the static (certificate-bound, no forward secrecy) variants;
 * anonymous DH/ECDH count as `DHE`/`ECDHE` with `au: 'anon'`, as OpenSSL does. `any` = TLS 1.3.
 */
export type KeyExchange =
  | 'RSA'
  | 'DH'
  | 'DHE'
  | 'ECDH'
  | 'ECDHE'
  | 'PSK'
  | 'DHE-PSK'
  | 'ECDHE-PSK'
  | 'RSA-PSK'
  | 'SRP'
  | 'KRB5'
  | 'GOST'
  | 'ECCPWD'
  | 'NULL'
  | 'any'
  | 'unknown';

/** Server authentication. `anon` = none (ADH/AECDH); `any` = TLS 1.3 (decided by the certificate). */
export type Authentication =
  | 'RSA'
  | 'DSS'
  | 'ECDSA'
  | 'anon'
  | 'PSK'
  | 'SRP'
  | 'KRB5'
  | 'GOST'
  | 'ECCPWD'
  | 'NULL'
  | 'any'
  | 'unknown';

export type BulkCipher =
  | 'AES'
  | 'CHACHA20'
  | 'CAMELLIA'
  | 'ARIA'
  | '3DES'
  | 'DES'
  | 'RC4'
  | 'RC2'
  | 'IDEA'
  | 'SEED'
  | 'GOST'
  | 'SM4'
  | 'AEGIS'
  | 'NULL'
  | 'unknown';

export type CipherMode = 'AEAD' | 'CBC' | 'stream' | 'none';

export type MacAlgorithm =
  | 'AEAD'
  | 'MD5'
  | 'SHA1'
  | 'SHA256'
  | 'SHA384'
  | 'GOST'
  | 'NULL'
  | 'unknown';

/**
 * Facts a rule may judge. `forward-secrecy` = ephemeral key exchange (or TLS 1.3); `static-DH` =
 * DH/ECDH with certificate keys; `SCSV` = a signalling value, not a real suite.
 */
export const SUITE_FLAGS = [
  'TLS1.3',
  'NULL',
  'EXPORT',
  'anon',
  'RC4',
  'RC2',
  'DES',
  '3DES',
  'IDEA',
  'SEED',
  'CAMELLIA',
  'ARIA',
  'GOST',
  'CCM8',
  'MD5',
  'SHA1-MAC',
  'CBC',
  'static-DH',
  'forward-secrecy',
  'PSK',
  'SRP',
  'KRB5',
  'SCSV',
] as const;
export type SuiteFlag = (typeof SUITE_FLAGS)[number];

/**
 * How an OpenSSL family builds a suite (used by the cipher-string engine):
 * `s` strength class, `fips` in the FIPS alias, `nd` NOT_DEFAULT (in COMPLEMENTOFDEFAULT; 1.1.0+),
 * `sb`/`ab` strength and algorithm bits, `p` the minimum protocol OpenSSL records for it,
 * `name` where the family spelled it differently.
 */
export interface OpenSslBuild {
  s: 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE';
  fips: boolean;
  nd?: boolean;
  sb: number;
  ab: number;
  p: ProtocolVersion;
  name?: string;
}

export interface CipherSuite {
  /** Code point: 2 bytes (0xC02F) for SSLv3/TLS; 3 bytes (0x010080) for SSLv2 cipher kinds. */
  code: number;
  /** IANA registry name (or the draft name for the few unregistered legacy suites). */
  iana?: string;
  /** SSL 2.0 cipher-kind name (`SSL_CK_RC4_128_WITH_MD5`). */
  sslv2?: string;
  /** OpenSSL's name (`ECDHE-RSA-AES128-GCM-SHA256`); TLS 1.3 suites use the IANA name. */
  openssl?: string;
  /** Other OpenSSL spellings that select the same suite (`EDH-RSA-DES-CBC3-SHA`). */
  opensslAliases?: string[];
  /** Go crypto/tls constant names, the current one first, then legacy aliases. */
  go?: string[];
  /** BoringSSL (Envoy) name, when BoringSSL implements the suite. */
  boringssl?: string;
  kx: KeyExchange;
  au: Authentication;
  /** OpenSSL-style encryption label: `AESGCM`, `AES`, `CHACHA20/POLY1305`, `3DES`, `None`. */
  enc: string;
  cipher: BulkCipher;
  /** Key bits of the bulk cipher (3DES: 168, as OpenSSL prints it; EXPORT: 40/56). */
  bits: number;
  mode: CipherMode;
  mac: MacAlgorithm;
  /** The lowest protocol version the suite can be negotiated with. */
  minProtocol: ProtocolVersion;
  tls13: boolean;
  flags: SuiteFlag[];
  /** IANA "Recommended" column (Y). */
  ianaRecommended: boolean;
  /** false for the few suites that never had an IANA code point assigned (drafts, SSLv2). */
  ianaRegistered?: false;
  /** In Go's InsecureCipherSuites(). */
  goInsecure?: true;
  /** OpenSSL default builds that compile it: `v3` = 1.1.x and 3.x, `v102` = 1.0.2. */
  opensslBuilds?: { v3?: OpenSslBuild; v102?: OpenSslBuild };
}
