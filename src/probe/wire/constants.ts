/**
 * TLS registry numbers the probe speaks (IANA "TLS Parameters"). Names follow the IANA
 * registries; group names are the lower-case forms OpenSSL and Node print (x25519, secp256r1).
 */

export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
} as const;

export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  certificateStatus: 22,
  keyUpdate: 24,
  /** RFC 8446 §4.4.1: stands in for ClientHello1 in the transcript after a HelloRetryRequest. */
  messageHash: 254,
} as const;

export const ExtensionType = {
  serverName: 0,
  statusRequest: 5,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  alpn: 16,
  signedCertificateTimestamp: 18,
  padding: 21,
  encryptThenMac: 22,
  extendedMasterSecret: 23,
  sessionTicket: 35,
  supportedVersions: 43,
  cookie: 44,
  pskKeyExchangeModes: 45,
  certificateAuthorities: 47,
  signatureAlgorithmsCert: 50,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const;

/** Alert descriptions (RFC 8446 §6, RFC 5246 §7.2, RFC 6101 for no_certificate). */
const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export function alertName(description: number): string {
  return ALERT_NAMES[description] ?? `alert_${description}`;
}

/** Supported groups / named curves (IANA "TLS Supported Groups"). */
const NAMED_GROUPS: Readonly<Record<number, string>> = {
  1: 'sect163k1',
  2: 'sect163r1',
  3: 'sect163r2',
  4: 'sect193r1',
  5: 'sect193r2',
  6: 'sect233k1',
  7: 'sect233r1',
  8: 'sect239k1',
  9: 'sect283k1',
  10: 'sect283r1',
  11: 'sect409k1',
  12: 'sect409r1',
  13: 'sect571k1',
  14: 'sect571r1',
  15: 'secp160k1',
  16: 'secp160r1',
  17: 'secp160r2',
  18: 'secp192k1',
  19: 'secp192r1',
  20: 'secp224k1',
  21: 'secp224r1',
  22: 'secp256k1',
  23: 'secp256r1',
  24: 'secp384r1',
  25: 'secp521r1',
  26: 'brainpoolP256r1',
  27: 'brainpoolP384r1',
  28: 'brainpoolP512r1',
  29: 'x25519',
  30: 'x448',
  31: 'brainpoolP256r1tls13',
  32: 'brainpoolP384r1tls13',
  33: 'brainpoolP512r1tls13',
  256: 'ffdhe2048',
  257: 'ffdhe3072',
  258: 'ffdhe4096',
  259: 'ffdhe6144',
  260: 'ffdhe8192',
  0x11eb: 'SecP256r1MLKEM768',
  0x11ec: 'X25519MLKEM768',
  0x11ed: 'SecP384r1MLKEM1024',
  0x6399: 'X25519Kyber768Draft00',
};

export function groupName(code: number): string {
  return NAMED_GROUPS[code] ?? `group_0x${code.toString(16).padStart(4, '0')}`;
}

export const Group = {
  secp256r1: 23,
  secp384r1: 24,
  secp521r1: 25,
  x25519: 29,
  x448: 30,
} as const;

const FFDHE = [256, 257, 258, 259, 260];
const HYBRID = [0x11ec, 0x11eb, 0x11ed, 0x6399];
const LEGACY_CURVES = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
];
const MODERN_EC = [29, 23, 30, 24, 25, 26, 27, 28];

/**
 * Groups offered in a TLS ≤ 1.2 hello: every named curve, but no FFDHE codes — a server that
 * implements RFC 7919 would otherwise refuse DHE suites whose custom group is not in our list.
 */
export const GROUPS_TLS12: readonly number[] = [...MODERN_EC, ...LEGACY_CURVES];
/** Every group a TLS 1.3 server could pick (for group enumeration, answered by HelloRetryRequest). */
export const GROUPS_TLS13_ALL: readonly number[] = [
  ...HYBRID,
  29,
  23,
  30,
  24,
  25,
  31,
  32,
  33,
  ...FFDHE,
  26,
  27,
  28,
  22,
];

/** Signature schemes: modern first, then the SHA-1/MD5 pairs old servers still need. */
export const SIGNATURE_SCHEMES_ALL: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x081a,
  0x081b, 0x081c, 0x0401, 0x0501, 0x0601, 0x0402, 0x0502, 0x0602, 0x0303, 0x0301, 0x0302, 0x0203,
  0x0201, 0x0202, 0x0101, 0x0102,
];

/** The RFC 8446 HelloRetryRequest marker: SHA-256("HelloRetryRequest") as ServerHello.random. */
export const HELLO_RETRY_REQUEST_RANDOM = Buffer.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
  'hex',
);

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746) — the SSLv3 way to signal secure renegotiation. */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
// TLS_FALLBACK_SCSV (0x5600, RFC 7507) is never sent by the probe: it would make servers refuse
// the old versions it asks for.

/** SSL 2.0 cipher kinds (3 bytes each, RFC-less; from the SSL 2.0 draft). */
export const SSL2_CIPHER_KINDS: Readonly<Record<number, string>> = {
  0x010080: 'SSL_CK_RC4_128_WITH_MD5',
  0x020080: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5',
  0x030080: 'SSL_CK_RC2_128_CBC_WITH_MD5',
  0x040080: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5',
  0x050080: 'SSL_CK_IDEA_128_CBC_WITH_MD5',
  0x060040: 'SSL_CK_DES_64_CBC_WITH_MD5',
  0x0700c0: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5',
};
