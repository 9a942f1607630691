/**
 * ClientHello construction for every version the probe speaks: SSL 3.0 (no extensions, SCSV for
 * secure renegotiation), TLS 1.0–1.2 (legacy_version negotiation), TLS 1.3 (supported_versions +
 * key_share) and the SSL 2.0 record format (a real SSL 2.0 hello, or the "v2-compatible" hello
 * old clients used to announce SSL 3.0/TLS).
 */
import crypto from 'node:crypto';
import { PROTOCOL_WIRE_CODE, type ProtocolVersion } from '../../model/protocol.js';
import { WireError, u16, u16s, u8, vec16, vec8 } from './bytes.js';
import {
  ContentType,
  EMPTY_RENEGOTIATION_INFO_SCSV,
  ExtensionType,
  GROUPS_TLS12,
  Group,
  HandshakeType,
  SIGNATURE_SCHEMES_ALL,
  SSL2_CIPHER_KINDS,
} from './constants.js';
import { makeKeyShare, type KeyShare } from './key-share.js';
import { encodeHandshake, encodeRecords } from './records.js';

export interface ClientHelloOptions {
  /** Highest version offered. TLS 1.3 is offered through supported_versions only. */
  version: ProtocolVersion;
  /** IANA cipher suite codes, in our order of preference. */
  cipherSuites: readonly number[];
  /** SNI host name (never an IP literal, RFC 6066 §3). */
  serverName?: string;
  /** supported_groups; default: all curves for ≤ 1.2, the key-share groups plus FFDHE for 1.3. */
  groups?: readonly number[];
  /** TLS 1.3 key shares to send (default [x25519]); [] sends an empty key_share (server answers HelloRetryRequest). */
  keyShareGroups?: readonly number[];
  signatureAlgorithms?: readonly number[];
  alpn?: readonly string[];
  /** supported_versions list; default [0x0304] for a TLS 1.3 hello, none below. */
  supportedVersions?: readonly number[];
  /** Send extensions at all (default: yes, except for SSL 3.0 and SSL 2.0 formats). */
  extensions?: boolean;
  /** 'ssl2': SSL 2.0 record format; with version SSLv2 a real SSL 2.0 hello, else v2-compatible. */
  format?: 'tls' | 'ssl2';
  /** SSL 2.0 cipher kinds (3-byte codes) for an SSL 2.0 hello; default all seven. */
  ssl2CipherKinds?: readonly number[];
  /** Stop reading at the ServerHello ('serverHello') or read the whole server flight ('flight', default). */
  stopAfter?: 'serverHello' | 'flight';
  /** Fixed random / session id (tests and the second hello after a HelloRetryRequest). */
  random?: Buffer;
  sessionId?: Buffer;
  /** Cookie echoed from a HelloRetryRequest. */
  cookie?: Buffer;
  /** Pre-made key shares (reused by tests); otherwise fresh ones are generated. */
  keyShares?: readonly KeyShare[];
}

export interface BuiltClientHello {
  /** Bytes to write on the socket (record-framed). */
  wire: Buffer;
  /** The handshake message with its 4-byte header (transcript input); for SSL 2.0 the v2 message. */
  message: Buffer;
  random: Buffer;
  sessionId: Buffer;
  keyShares: KeyShare[];
}

const DEFAULT_TLS13_GROUPS: readonly number[] = [
  Group.x25519,
  Group.secp256r1,
  Group.x448,
  Group.secp384r1,
  Group.secp521r1,
  256,
  257,
  258,
  259,
  260,
];

function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}

/** Record-layer version for our first flight: 0x0300 for SSL 3.0, 0x0301 otherwise (the interoperable choice). */
function recordVersionFor(version: ProtocolVersion): number {
  return version === 'SSLv3' ? 0x0300 : 0x0301;
}

export function buildClientHello(options: ClientHelloOptions): BuiltClientHello {
  if (options.format === 'ssl2' || options.version === 'SSLv2')
    return buildSsl2ClientHello(options);
  const version = options.version;
  const isTls13 = version === 'TLSv1.3';
  const legacyVersion = isTls13 ? 0x0303 : PROTOCOL_WIRE_CODE[version];
  const random = options.random ?? crypto.randomBytes(32);
  const sessionId = options.sessionId ?? (isTls13 ? crypto.randomBytes(32) : Buffer.alloc(0));
  const withExtensions = options.extensions ?? version !== 'SSLv3';

  const suites = [...options.cipherSuites];
  // Without extensions, secure renegotiation is signalled with the SCSV (RFC 5746 §3.3).
  if (!withExtensions && !suites.includes(EMPTY_RENEGOTIATION_INFO_SCSV))
    suites.push(EMPTY_RENEGOTIATION_INFO_SCSV);
  if (suites.length === 0) throw new WireError('a ClientHello needs at least one cipher suite');

  const keyShares: KeyShare[] = [];
  const extensions: Buffer[] = [];
  if (withExtensions) {
    if (options.serverName) {
      const name = Buffer.from(options.serverName, 'ascii');
      extensions.push(extension(ExtensionType.serverName, vec16(u8(0), vec16(name))));
    }
    const groups = options.groups ?? (isTls13 ? DEFAULT_TLS13_GROUPS : GROUPS_TLS12);
    if (groups.length > 0)
      extensions.push(extension(ExtensionType.supportedGroups, vec16(u16s(groups))));
    extensions.push(extension(ExtensionType.ecPointFormats, vec8(Buffer.from([0, 1, 2]))));
    if (version === 'TLSv1.2' || isTls13) {
      const schemes = options.signatureAlgorithms ?? SIGNATURE_SCHEMES_ALL;
      extensions.push(extension(ExtensionType.signatureAlgorithms, vec16(u16s(schemes))));
    }
    if (options.alpn && options.alpn.length > 0) {
      extensions.push(
        extension(
          ExtensionType.alpn,
          vec16(...options.alpn.map((p) => vec8(Buffer.from(p, 'ascii')))),
        ),
      );
    }
    extensions.push(extension(ExtensionType.renegotiationInfo, vec8()));
    extensions.push(extension(ExtensionType.extendedMasterSecret, Buffer.alloc(0)));
    const supportedVersions = options.supportedVersions ?? (isTls13 ? [0x0304] : []);
    if (supportedVersions.length > 0) {
      extensions.push(extension(ExtensionType.supportedVersions, vec8(u16s(supportedVersions))));
    }
    if (isTls13 || supportedVersions.includes(0x0304)) {
      if (options.keyShares) keyShares.push(...options.keyShares);
      else
        for (const g of options.keyShareGroups ?? [Group.x25519]) keyShares.push(makeKeyShare(g));
      extensions.push(
        extension(
          ExtensionType.keyShare,
          vec16(...keyShares.map((k) => Buffer.concat([u16(k.group), vec16(k.publicKey)]))),
        ),
      );
      extensions.push(extension(ExtensionType.pskKeyExchangeModes, vec8(u8(1))));
      if (options.cookie) extensions.push(extension(ExtensionType.cookie, vec16(options.cookie)));
    }
  }

  const head = Buffer.concat([
    u16(legacyVersion),
    random,
    vec8(sessionId),
    vec16(u16s(suites)),
    vec8(u8(0)),
  ]);
  let extensionBytes = Buffer.concat(extensions);
  if (withExtensions) {
    // Some TLS stacks hang on ClientHellos of 256–511 bytes; pad past them (RFC 7685).
    const length = 4 + head.length + 2 + extensionBytes.length;
    if (length >= 256 && length < 512) {
      const padLength = Math.max(0, 512 - length - 4);
      extensionBytes = Buffer.concat([
        extensionBytes,
        extension(ExtensionType.padding, Buffer.alloc(padLength)),
      ]);
    }
  }
  const body = withExtensions ? Buffer.concat([head, vec16(extensionBytes)]) : head;
  const message = encodeHandshake(HandshakeType.clientHello, body);
  return {
    wire: encodeRecords(ContentType.handshake, recordVersionFor(version), message),
    message,
    random,
    sessionId,
    keyShares,
  };
}

/**
 * An SSL 2.0-format CLIENT-HELLO. With `version: 'SSLv2'` it offers SSL 2.0 cipher kinds only;
 * with a later version it is the v2-compatible hello (TLS suites written as 0x00XXXX).
 */
function buildSsl2ClientHello(options: ClientHelloOptions): BuiltClientHello {
  const isSsl2 = options.version === 'SSLv2';
  const versionCode = isSsl2
    ? 0x0002
    : options.version === 'TLSv1.3'
      ? 0x0303
      : PROTOCOL_WIRE_CODE[options.version];
  const specs: number[] = isSsl2
    ? [...(options.ssl2CipherKinds ?? Object.keys(SSL2_CIPHER_KINDS).map(Number))]
    : [...options.cipherSuites, ...(options.ssl2CipherKinds ?? [])];
  if (specs.length === 0) throw new WireError('an SSL 2.0 hello needs at least one cipher spec');
  const challenge = options.random?.subarray(0, 32) ?? crypto.randomBytes(isSsl2 ? 16 : 32);
  const specBytes = Buffer.concat(
    specs.map((s) => Buffer.from([(s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff])),
  );
  const message = Buffer.concat([
    u8(1), // CLIENT-HELLO
    u16(versionCode),
    u16(specBytes.length),
    u16(0), // session id length
    u16(challenge.length),
    specBytes,
    challenge,
  ]);
  if (message.length > 0x7fff) throw new WireError('SSL 2.0 hello too long');
  const header = Buffer.from([0x80 | (message.length >> 8), message.length & 0xff]);
  const random = Buffer.concat([Buffer.alloc(32 - challenge.length), challenge]);
  return {
    wire: Buffer.concat([header, message]),
    message,
    random,
    sessionId: Buffer.alloc(0),
    keyShares: [],
  };
}
