/**
 * Parsers for what a server sends in its first flight: ServerHello / HelloRetryRequest,
 * Certificate (TLS ≤ 1.2 and 1.3 forms), ServerKeyExchange (DH prime size, ECDH curve, RSA-export
 * modulus), CertificateRequest (both forms), EncryptedExtensions, CertificateVerify, and the
 * SSL 2.0 SERVER-HELLO. All parsers throw WireError on malformed input.
 */
import { ByteReader, WireError } from './bytes.js';
import { ExtensionType, HELLO_RETRY_REQUEST_RANDOM, groupName } from './constants.js';
import { describeDistinguishedName } from './dn.js';

export interface Extension {
  type: number;
  data: Buffer;
}

function parseExtensions(block: Buffer): Extension[] {
  const reader = new ByteReader(block);
  const out: Extension[] = [];
  while (!reader.atEnd()) {
    const type = reader.u16('extension type');
    out.push({ type, data: reader.vec16('extension data') });
  }
  return out;
}

export interface ServerHello {
  legacyVersion: number;
  /** The negotiated version: supported_versions when present (TLS 1.3), else legacy_version. */
  version: number;
  random: Buffer;
  sessionId: Buffer;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
  /** RFC 8446 §4.1.3: a ServerHello whose random is the HelloRetryRequest marker. */
  isHelloRetryRequest: boolean;
  /** key_share: for a ServerHello the server's share; for a HelloRetryRequest the selected group only. */
  keyShare?: { group: number; keyExchange?: Buffer };
  cookie?: Buffer;
  alpn?: string;
  /** renegotiation_info present (RFC 5746). */
  secureRenegotiation: boolean;
}

export function parseServerHello(body: Buffer): ServerHello {
  const r = new ByteReader(body);
  const legacyVersion = r.u16('server_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.vec8('session_id');
  const cipherSuite = r.u16('cipher_suite');
  const compressionMethod = r.u8('compression_method');
  const extensions = r.atEnd() ? [] : parseExtensions(r.vec16('extensions'));
  const isHelloRetryRequest = random.equals(HELLO_RETRY_REQUEST_RANDOM);
  const hello: ServerHello = {
    legacyVersion,
    version: legacyVersion,
    random,
    sessionId,
    cipherSuite,
    compressionMethod,
    extensions,
    isHelloRetryRequest,
    secureRenegotiation: false,
  };
  for (const ext of extensions) {
    const er = new ByteReader(ext.data);
    switch (ext.type) {
      case ExtensionType.supportedVersions:
        hello.version = er.u16('selected_version');
        break;
      case ExtensionType.keyShare: {
        const group = er.u16('key_share group');
        hello.keyShare = isHelloRetryRequest
          ? { group }
          : { group, keyExchange: er.vec16('key_exchange') };
        break;
      }
      case ExtensionType.cookie:
        hello.cookie = er.vec16('cookie');
        break;
      case ExtensionType.alpn: {
        const list = new ByteReader(er.vec16('alpn list'));
        hello.alpn = list.vec8('alpn protocol').toString('latin1');
        break;
      }
      case ExtensionType.renegotiationInfo:
        hello.secureRenegotiation = true;
        break;
    }
  }
  return hello;
}

/** TLS ≤ 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
export function parseCertificate12(body: Buffer): Buffer[] {
  const list = new ByteReader(new ByteReader(body).vec24('certificate_list'));
  const out: Buffer[] = [];
  while (!list.atEnd()) out.push(Buffer.from(list.vec24('certificate')));
  return out;
}

/** TLS 1.3 Certificate: context, then CertificateEntry { cert_data, extensions }. */
export function parseCertificate13(body: Buffer): { context: Buffer; certificates: Buffer[] } {
  const r = new ByteReader(body);
  const context = r.vec8('certificate_request_context');
  const list = new ByteReader(r.vec24('certificate_list'));
  const certificates: Buffer[] = [];
  while (!list.atEnd()) {
    certificates.push(Buffer.from(list.vec24('cert_data')));
    list.vec16('entry extensions');
  }
  return { context, certificates };
}

/** The key exchange family that decides ServerKeyExchange's layout (from the cipher suite). */
export type KeyExchangeKind =
  | 'dhe'
  | 'ecdhe'
  | 'rsa'
  | 'dhe_psk'
  | 'ecdhe_psk'
  | 'psk'
  | 'rsa_psk'
  | 'srp'
  | 'other';

export type ServerKeyExchange =
  | { kind: 'dhe'; primeBits: number; generator: number }
  | { kind: 'ecdhe'; group: number; groupName: string }
  /** Temporary RSA key of an RSA_EXPORT suite. */
  | { kind: 'rsa'; modulusBits: number }
  | { kind: 'other' };

export function bitLength(magnitude: Buffer): number {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  if (i === magnitude.length) return 0;
  return (magnitude.length - i - 1) * 8 + (32 - Math.clz32(magnitude[i]!));
}

function readDh(r: ByteReader): ServerKeyExchange {
  const p = r.vec16('dh_p');
  const g = r.vec16('dh_g');
  r.vec16('dh_Ys');
  // An empty generator is malformed (found by the property tests: it used to throw a RangeError).
  if (g.length === 0) throw new WireError('empty dh_g in ServerKeyExchange');
  return {
    kind: 'dhe',
    primeBits: bitLength(p),
    generator: g.length <= 4 ? g.readUIntBE(0, g.length) : -1,
  };
}

function readEcdh(r: ByteReader): ServerKeyExchange {
  const curveType = r.u8('curve_type');
  if (curveType !== 3)
    throw new WireError(
      `ECDH parameters with curve_type ${curveType} (only named_curve is supported)`,
    );
  const group = r.u16('named_curve');
  r.vec8('ec point');
  return { kind: 'ecdhe', group, groupName: groupName(group) };
}

/**
 * Parses ServerKeyExchange. `kind` comes from the negotiated suite; without it, the layout is
 * guessed (named_curve marker 3 + a known curve → ECDHE, else DH).
 */
export function parseServerKeyExchange(body: Buffer, kind?: KeyExchangeKind): ServerKeyExchange {
  const r = new ByteReader(body);
  switch (kind) {
    case 'dhe':
      return readDh(r);
    case 'ecdhe':
      return readEcdh(r);
    case 'dhe_psk':
      r.vec16('psk_identity_hint');
      return readDh(r);
    case 'ecdhe_psk':
      r.vec16('psk_identity_hint');
      return readEcdh(r);
    case 'rsa': {
      const modulus = r.vec16('rsa_modulus');
      return { kind: 'rsa', modulusBits: bitLength(modulus) };
    }
    case undefined: {
      if (body.length > 4 && body[0] === 3) {
        try {
          return readEcdh(new ByteReader(body));
        } catch {
          /* fall through to DH */
        }
      }
      return readDh(r);
    }
    default:
      return { kind: 'other' };
  }
}

export interface CertificateRequest12 {
  certificateTypes: number[];
  /** TLS 1.2 only (empty before). */
  signatureAlgorithms: number[];
  /** CA names as readable DNs. */
  caNames: string[];
  caNamesDer: Buffer[];
}

function readCaNames(block: Buffer): Buffer[] {
  const r = new ByteReader(block);
  const out: Buffer[] = [];
  while (!r.atEnd()) out.push(Buffer.from(r.vec16('DistinguishedName')));
  return out;
}

/** TLS ≤ 1.2 CertificateRequest; `version` is the negotiated wire version. */
export function parseCertificateRequest12(body: Buffer, version: number): CertificateRequest12 {
  const r = new ByteReader(body);
  const certificateTypes = [...r.vec8('certificate_types')];
  const signatureAlgorithms =
    version >= 0x0303
      ? r.u16List(r.vec16('supported_signature_algorithms'), 'signature algorithms')
      : [];
  const caNamesDer = readCaNames(r.vec16('certificate_authorities'));
  return {
    certificateTypes,
    signatureAlgorithms,
    caNamesDer,
    caNames: caNamesDer.map(describeDistinguishedName),
  };
}

export interface CertificateRequest13 {
  context: Buffer;
  signatureAlgorithms: number[];
  signatureAlgorithmsCert: number[];
  caNames: string[];
  caNamesDer: Buffer[];
  extensionTypes: number[];
}

export function parseCertificateRequest13(body: Buffer): CertificateRequest13 {
  const r = new ByteReader(body);
  const context = r.vec8('certificate_request_context');
  const extensions = parseExtensions(r.vec16('extensions'));
  const out: CertificateRequest13 = {
    context,
    signatureAlgorithms: [],
    signatureAlgorithmsCert: [],
    caNames: [],
    caNamesDer: [],
    extensionTypes: extensions.map((e) => e.type),
  };
  for (const ext of extensions) {
    const er = new ByteReader(ext.data);
    if (ext.type === ExtensionType.signatureAlgorithms)
      out.signatureAlgorithms = er.u16List(
        er.vec16('signature algorithms'),
        'signature algorithms',
      );
    else if (ext.type === ExtensionType.signatureAlgorithmsCert)
      out.signatureAlgorithmsCert = er.u16List(
        er.vec16('signature algorithms cert'),
        'signature algorithms cert',
      );
    else if (ext.type === ExtensionType.certificateAuthorities) {
      out.caNamesDer = readCaNames(er.vec16('certificate_authorities'));
      out.caNames = out.caNamesDer.map(describeDistinguishedName);
    }
  }
  return out;
}

export interface EncryptedExtensions {
  extensionTypes: number[];
  alpn?: string;
  /** Groups the server lists as supported (RFC 8446 §4.2.7), when it sends them. */
  supportedGroups?: number[];
}

export function parseEncryptedExtensions(body: Buffer): EncryptedExtensions {
  const extensions = parseExtensions(new ByteReader(body).vec16('extensions'));
  const out: EncryptedExtensions = { extensionTypes: extensions.map((e) => e.type) };
  for (const ext of extensions) {
    const er = new ByteReader(ext.data);
    if (ext.type === ExtensionType.alpn)
      out.alpn = new ByteReader(er.vec16('alpn list')).vec8('alpn').toString('latin1');
    else if (ext.type === ExtensionType.supportedGroups)
      out.supportedGroups = er.u16List(er.vec16('groups'), 'groups');
  }
  return out;
}

/** CertificateVerify: the signature scheme used. */
export function parseCertificateVerify(body: Buffer): { scheme: number } {
  return { scheme: new ByteReader(body).u16('signature scheme') };
}

export interface Ssl2ServerHello {
  sessionIdHit: boolean;
  certificateType: number;
  version: number;
  certificate: Buffer;
  cipherKinds: number[];
}

/** SSL 2.0 SERVER-HELLO (message type 4), given the record body. */
export function parseSsl2ServerHello(message: Buffer): Ssl2ServerHello {
  const r = new ByteReader(message);
  const type = r.u8('msg_type');
  if (type !== 4)
    throw new WireError(`SSL 2.0 message type ${type} where SERVER-HELLO was expected`);
  const sessionIdHit = r.u8('session_id_hit') !== 0;
  const certificateType = r.u8('certificate_type');
  const version = r.u16('server_version');
  const certLength = r.u16('certificate_length');
  const specsLength = r.u16('cipher_specs_length');
  const connectionIdLength = r.u16('connection_id_length');
  const certificate = Buffer.from(r.bytes(certLength, 'certificate'));
  const specs = r.bytes(specsLength, 'cipher_specs');
  r.bytes(connectionIdLength, 'connection_id');
  if (specs.length % 3 !== 0) throw new WireError('SSL 2.0 cipher specs not a multiple of 3 bytes');
  const cipherKinds: number[] = [];
  for (let i = 0; i < specs.length; i += 3) cipherKinds.push(specs.readUIntBE(i, 3));
  return { sessionIdHit, certificateType, version, certificate, cipherKinds };
}
