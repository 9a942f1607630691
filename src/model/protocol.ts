/**
 * The one home of protocol versions: canonical ids, wire codes, order, and the names each
 * platform spells them with. Everything else imports from here.
 */

/** Canonical ids, as used in the JSON outputs (`"TLSv1.0"`, not nginx's `"TLSv1"`). */
export const PROTOCOL_VERSIONS = [
  'SSLv2',
  'SSLv3',
  'TLSv1.0',
  'TLSv1.1',
  'TLSv1.2',
  'TLSv1.3',
] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

/** Versions insecure under every profile; TLS 1.0/1.1 (legacy) are tolerated by Mozilla's `old`. */
export const BROKEN_PROTOCOLS: readonly ProtocolVersion[] = ['SSLv2', 'SSLv3'];
export const LEGACY_PROTOCOLS: readonly ProtocolVersion[] = ['TLSv1.0', 'TLSv1.1'];

/** Every version insecure-protocol-version reports (the probe report colours them with it). */
export const INSECURE_PROTOCOLS: readonly ProtocolVersion[] = [
  ...BROKEN_PROTOCOLS,
  ...LEGACY_PROTOCOLS,
];

/** Wire version (ProtocolVersion in the record layer / ServerHello). SSLv2 has its own format. */
export const PROTOCOL_WIRE_CODE: Readonly<Record<ProtocolVersion, number>> = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  'TLSv1.0': 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

export function protocolFromWireCode(code: number): ProtocolVersion | undefined {
  return PROTOCOL_VERSIONS.find((v) => PROTOCOL_WIRE_CODE[v] === code);
}

/** Human name for messages: "TLS 1.0", "SSL 3.0". */
export const PROTOCOL_DISPLAY: Readonly<Record<ProtocolVersion, string>> = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  'TLSv1.0': 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

export function protocolRank(v: ProtocolVersion): number {
  return PROTOCOL_VERSIONS.indexOf(v);
}

/** Versions from `min` to `max` inclusive, in order. */
export function protocolRange(min: ProtocolVersion, max: ProtocolVersion): ProtocolVersion[] {
  const lo = protocolRank(min);
  const hi = protocolRank(max);
  return PROTOCOL_VERSIONS.filter((_, i) => i >= lo && i <= hi);
}

export function sortProtocols(set: Iterable<ProtocolVersion>): ProtocolVersion[] {
  return [...new Set(set)].sort((a, b) => protocolRank(a) - protocolRank(b));
}

/**
 * How each platform spells versions. Adapters translate their platform's spelling through these
 * tables so that a new spelling is added in one place.
 */
export const PLATFORM_PROTOCOL_NAMES = {
  /** Node `minVersion`/`maxVersion` strings (`tls.DEFAULT_MIN_VERSION` style). */
  node: {
    SSLv3: 'SSLv3',
    TLSv1: 'TLSv1.0',
    'TLSv1.1': 'TLSv1.1',
    'TLSv1.2': 'TLSv1.2',
    'TLSv1.3': 'TLSv1.3',
  },
  /** OpenSSL's own names (`MinProtocol`/`MaxProtocol` conf commands, Mozilla guideline JSON). */
  openssl: {
    SSLv3: 'SSLv3',
    TLSv1: 'TLSv1.0',
    'TLSv1.1': 'TLSv1.1',
    'TLSv1.2': 'TLSv1.2',
    'TLSv1.3': 'TLSv1.3',
  },
  /** nginx `ssl_protocols` words (also Apache `SSLProtocol`, case-insensitive there). */
  nginx: {
    SSLv2: 'SSLv2',
    SSLv3: 'SSLv3',
    TLSv1: 'TLSv1.0',
    'TLSv1.1': 'TLSv1.1',
    'TLSv1.2': 'TLSv1.2',
    'TLSv1.3': 'TLSv1.3',
  },
  /** Envoy `TlsParameters.TlsProtocol` enum names. */
  envoy: { TLSv1_0: 'TLSv1.0', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2', TLSv1_3: 'TLSv1.3' },
  /** Go `tls.VersionXXX` constants. */
  go: {
    VersionSSL30: 'SSLv3',
    VersionTLS10: 'TLSv1.0',
    VersionTLS11: 'TLSv1.1',
    VersionTLS12: 'TLSv1.2',
    VersionTLS13: 'TLSv1.3',
  },
  /** Python `ssl.TLSVersion` members. */
  python: {
    SSLv3: 'SSLv3',
    TLSv1: 'TLSv1.0',
    TLSv1_1: 'TLSv1.1',
    TLSv1_2: 'TLSv1.2',
    TLSv1_3: 'TLSv1.3',
  },
} as const satisfies Record<string, Record<string, ProtocolVersion>>;

export type ProtocolNamingPlatform = keyof typeof PLATFORM_PROTOCOL_NAMES;

export function protocolFromPlatformName(
  platform: ProtocolNamingPlatform,
  name: string,
): ProtocolVersion | undefined {
  const table = PLATFORM_PROTOCOL_NAMES[platform] as Record<string, ProtocolVersion>;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** The platform's own spelling of a canonical version, for messages quoting the config. */
export function platformProtocolName(platform: ProtocolNamingPlatform, v: ProtocolVersion): string {
  const table = PLATFORM_PROTOCOL_NAMES[platform] as Record<string, ProtocolVersion>;
  return Object.keys(table).find((k) => table[k] === v) ?? v;
}
