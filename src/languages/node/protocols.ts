/**
 * Node's protocol-version semantics: `minVersion`/`maxVersion`, `secureProtocol` methods and
 * `secureOptions` `SSL_OP_NO_*` flags, by Node version. Facts: docs/platform-facts.md#nodejs, re-checked on
 * Node 20.20 (see the comments on each table).
 */
import { compareVersions } from '../../config/targets.js';
import {
  protocolFromPlatformName,
  protocolRange,
  type ProtocolVersion,
} from '../../model/protocol.js';

/**
 * `crypto.constants.SSL_OP_*` as Node 20 (OpenSSL 3.0) reports them (`node -p crypto.constants`).
 * The `SSL_OP_NO_<version>` bits are the same in OpenSSL 1.0.2 and 1.1.1.
 */
export const NODE_SSL_OP_CONSTANTS: Readonly<Record<string, number>> = {
  SSL_OP_ALL: 2147485776,
  SSL_OP_ALLOW_NO_DHE_KEX: 1024,
  SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION: 262144,
  SSL_OP_CIPHER_SERVER_PREFERENCE: 4194304,
  SSL_OP_CISCO_ANYCONNECT: 32768,
  SSL_OP_COOKIE_EXCHANGE: 8192,
  SSL_OP_CRYPTOPRO_TLSEXT_BUG: 2147483648,
  SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS: 2048,
  SSL_OP_LEGACY_SERVER_CONNECT: 4,
  SSL_OP_NO_COMPRESSION: 131072,
  SSL_OP_NO_ENCRYPT_THEN_MAC: 524288,
  SSL_OP_NO_QUERY_MTU: 4096,
  SSL_OP_NO_RENEGOTIATION: 1073741824,
  SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION: 65536,
  SSL_OP_NO_SSLv2: 0,
  SSL_OP_NO_SSLv3: 33554432,
  SSL_OP_NO_TICKET: 16384,
  SSL_OP_NO_TLSv1: 67108864,
  SSL_OP_NO_TLSv1_1: 268435456,
  SSL_OP_NO_TLSv1_2: 134217728,
  SSL_OP_NO_TLSv1_3: 536870912,
  SSL_OP_PRIORITIZE_CHACHA: 2097152,
  SSL_OP_TLS_ROLLBACK_BUG: 8388608,
};

/** The version each `SSL_OP_NO_*` bit turns off. */
const NO_VERSION_FLAGS: ReadonlyArray<[number, ProtocolVersion]> = [
  [NODE_SSL_OP_CONSTANTS.SSL_OP_NO_SSLv3!, 'SSLv3'],
  [NODE_SSL_OP_CONSTANTS.SSL_OP_NO_TLSv1!, 'TLSv1.0'],
  [NODE_SSL_OP_CONSTANTS.SSL_OP_NO_TLSv1_1!, 'TLSv1.1'],
  [NODE_SSL_OP_CONSTANTS.SSL_OP_NO_TLSv1_2!, 'TLSv1.2'],
  [NODE_SSL_OP_CONSTANTS.SSL_OP_NO_TLSv1_3!, 'TLSv1.3'],
];

export function versionsDisabledBy(secureOptions: number): ProtocolVersion[] {
  return NO_VERSION_FLAGS.filter(([bit]) => (secureOptions & bit) !== 0).map(([, v]) => v);
}

/** Node's default `minVersion`/`maxVersion` for a Node version. */
export interface NodeProtocolDefaults {
  min: ProtocolVersion;
  max: ProtocolVersion;
  /** How Node spells them (`"TLSv1"`), for messages. */
  minName: string;
  maxName: string;
}

/**
 * - Node ≥ 12: TLSv1.2–TLSv1.3 (`tls.DEFAULT_MIN_VERSION`, added in 11.4 with 'TLSv1.2').
 * - Node 11.4–11.x: TLSv1.2 only (no TLS 1.3 before Node 12).
 * - older: TLSv1–TLSv1.2.
 */
export function nodeProtocolDefaults(nodeVersion: string): NodeProtocolDefaults {
  if (compareVersions(nodeVersion, '12') >= 0)
    return { min: 'TLSv1.2', max: 'TLSv1.3', minName: 'TLSv1.2', maxName: 'TLSv1.3' };
  if (compareVersions(nodeVersion, '11.4') >= 0)
    return { min: 'TLSv1.2', max: 'TLSv1.2', minName: 'TLSv1.2', maxName: 'TLSv1.2' };
  return { min: 'TLSv1.0', max: 'TLSv1.2', minName: 'TLSv1', maxName: 'TLSv1.2' };
}

/**
 * Whether a Node version has the `minVersion`/`maxVersion` options: added in 11.4.0
 * (nodejs/node#24405) and backported to 10.16.0 (nodejs/node#26270); older versions only have
 * `secureProtocol`.
 */
function nodeHasMinVersionOption(nodeVersion: string): boolean {
  return (
    compareVersions(nodeVersion, '11.4') >= 0 ||
    (compareVersions(nodeVersion, '10.16') >= 0 && compareVersions(nodeVersion, '11') < 0)
  );
}

/** The way to allow only TLS 1.2 (and later) on a Node version without `minVersion`; undefined with it. */
export function nodeProtocolFixWithoutMinVersion(nodeVersion: string): string | undefined {
  if (nodeHasMinVersionOption(nodeVersion)) return undefined;
  return `secureProtocol: "TLSv1_2_method": Node ${nodeVersion} has no minVersion (added in 10.16 and 11.4), and speaks at most TLS 1.2`;
}

/** The highest version a Node release can speak. */
function nodeMaxSupported(nodeVersion: string): ProtocolVersion {
  return compareVersions(nodeVersion, '12') >= 0 ? 'TLSv1.3' : 'TLSv1.2';
}

/** A `minVersion`/`maxVersion` string; undefined when Node rejects it. */
export function nodeVersionFromName(name: string): ProtocolVersion | undefined {
  const v = protocolFromPlatformName('node', name);
  // Node knows the name 'SSLv3' but throws ERR_TLS_INVALID_PROTOCOL_VERSION for it.
  return v === 'SSLv3' ? undefined : v;
}

export type SecureProtocolMeaning =
  | { kind: 'versions'; versions: ProtocolVersion[] }
  | { kind: 'rejected'; reason: string };

/**
 * What a `secureProtocol` method allows [docs/platform-facts.md#nodejs; re-checked on Node 20.20]:
 * - `TLSv1_method`, `TLSv1_1_method`, `TLSv1_2_method` (and `_server_`/`_client_` variants) pin
 *   one version;
 * - `TLS_method` lifts Node's default minimum: TLSv1 up to the highest version Node speaks;
 * - `SSLv23_method` keeps the default minimum but caps the maximum at TLSv1.2;
 * - `SSLv2_method`/`SSLv3_method` and unknown names make Node throw.
 */
export function secureProtocolMeaning(method: string, nodeVersion: string): SecureProtocolMeaning {
  const m = /^(TLSv1(?:_[12])?|TLS|SSLv23|SSLv[23])_(?:server_|client_)?method$/.exec(method);
  // DTLS methods, TLSv1_3_method and any other name (verified on Node 20.20).
  if (!m)
    return {
      kind: 'rejected',
      reason: `Node throws ERR_TLS_INVALID_PROTOCOL_METHOD ("Unknown method: ${method}")`,
    };
  const defaults = nodeProtocolDefaults(nodeVersion);
  switch (m[1]) {
    case 'TLSv1':
      return { kind: 'versions', versions: ['TLSv1.0'] };
    case 'TLSv1_1':
      return { kind: 'versions', versions: ['TLSv1.1'] };
    case 'TLSv1_2':
      return { kind: 'versions', versions: ['TLSv1.2'] };
    case 'TLS':
      return {
        kind: 'versions',
        versions: protocolRange('TLSv1.0', nodeMaxSupported(nodeVersion)),
      };
    case 'SSLv23':
      return { kind: 'versions', versions: protocolRange(defaults.min, 'TLSv1.2') };
    default:
      return {
        kind: 'rejected',
        reason: `Node throws ERR_TLS_INVALID_PROTOCOL_METHOD ("${m[1]!} methods disabled")`,
      };
  }
}
