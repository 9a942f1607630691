/** Unit tests of the wire layer: ClientHello building, record framing, message parsers, DNs. */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ByteReader, WireError } from '../../src/probe/wire/bytes.js';
import { buildClientHello } from '../../src/probe/wire/client-hello.js';
import { ExtensionType, HELLO_RETRY_REQUEST_RANDOM } from '../../src/probe/wire/constants.js';
import { describeDistinguishedName, formatDistinguishedName } from '../../src/probe/wire/dn.js';
import {
  HandshakeAssembler,
  RecordBuffer,
  encodeRecords,
  parseAlert,
} from '../../src/probe/wire/records.js';
import {
  bitLength,
  parseCertificate12,
  parseCertificateRequest12,
  parseCertificateRequest13,
  parseServerHello,
  parseServerKeyExchange,
  parseSsl2ServerHello,
} from '../../src/probe/wire/server-messages.js';
import { parseClientHelloBytes } from './fake-tls-server.js';
import { RFC8448, fromHex } from './rfc8448-vectors.js';

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const vec = (n: number, b: Buffer) => {
  const h = Buffer.alloc(n);
  h.writeUIntBE(b.length, 0, n);
  return Buffer.concat([h, b]);
};
const u16list = (data: Buffer) => new ByteReader(data).u16List(data, 'list');

describe('ClientHello', () => {
  it('TLS 1.3: supported_versions, key_share, SNI, groups, signature algorithms, ALPN', () => {
    const built = buildClientHello({
      version: 'TLSv1.3',
      cipherSuites: [0x1301, 0x1303],
      serverName: 'example.com',
      keyShareGroups: [29, 23],
      alpn: ['h2', 'http/1.1'],
    });
    const hello = parseClientHelloBytes(built.wire)!;
    expect(hello.recordVersion).toBe(0x0301);
    expect(hello.clientVersion).toBe(0x0303);
    expect(hello.cipherSuites).toEqual([0x1301, 0x1303]);
    expect(hello.sessionId).toHaveLength(32);
    const sv = hello.extensions.get(ExtensionType.supportedVersions)!;
    expect(sv.toString('hex')).toBe('020304');
    const sni = hello.extensions.get(ExtensionType.serverName)!;
    expect(sni.subarray(5).toString()).toBe('example.com');
    const shares = hello.extensions.get(ExtensionType.keyShare)!;
    const r = new ByteReader(new ByteReader(shares).vec16());
    expect(r.u16()).toBe(29);
    expect(r.vec16()).toHaveLength(32);
    expect(r.u16()).toBe(23);
    expect(r.vec16()).toHaveLength(65);
    expect(built.keyShares.map((k) => k.group)).toEqual([29, 23]);
    expect(u16list(hello.extensions.get(ExtensionType.supportedGroups)!.subarray(2))).toContain(29);
    expect(u16list(hello.extensions.get(ExtensionType.signatureAlgorithms)!.subarray(2))).toContain(
      0x0804,
    );
    expect(hello.extensions.get(ExtensionType.alpn)!.toString('latin1')).toContain('http/1.1');
    expect(hello.extensions.has(ExtensionType.renegotiationInfo)).toBe(true);
    // The handshake message kept for the transcript is the record payload.
    expect(built.message.equals(built.wire.subarray(5))).toBe(true);
  });

  it('TLS 1.0: legacy version, no supported_versions or signature_algorithms; padded past 256–511 bytes', () => {
    const hello = parseClientHelloBytes(
      buildClientHello({
        version: 'TLSv1.0',
        cipherSuites: Array.from({ length: 60 }, (_, i) => i + 1),
      }).wire,
    )!;
    expect(hello.clientVersion).toBe(0x0301);
    expect(hello.extensions.has(ExtensionType.supportedVersions)).toBe(false);
    expect(hello.extensions.has(ExtensionType.signatureAlgorithms)).toBe(false);
    expect(hello.extensions.has(ExtensionType.ecPointFormats)).toBe(true);
    const padded = buildClientHello({
      version: 'TLSv1.2',
      cipherSuites: Array.from({ length: 100 }, (_, i) => i + 1),
    });
    expect(padded.message.length).toBe(512);
  });

  it('SSL 3.0: no extensions, the renegotiation SCSV instead', () => {
    const built = buildClientHello({ version: 'SSLv3', cipherSuites: [0x0004, 0x0005] });
    const hello = parseClientHelloBytes(built.wire)!;
    expect(hello.recordVersion).toBe(0x0300);
    expect(hello.clientVersion).toBe(0x0300);
    expect(hello.cipherSuites).toEqual([0x0004, 0x0005, 0x00ff]);
    expect(hello.extensions.size).toBe(0);
  });

  it('SSL 2.0 and v2-compatible hellos', () => {
    const v2 = parseClientHelloBytes(
      buildClientHello({ version: 'SSLv2', cipherSuites: [] }).wire,
    )!;
    expect(v2.format).toBe('ssl2');
    expect(v2.clientVersion).toBe(0x0002);
    expect(v2.cipherSuites).toContain(0x010080);
    expect(v2.random).toHaveLength(16);
    const compat = parseClientHelloBytes(
      buildClientHello({ version: 'TLSv1.0', format: 'ssl2', cipherSuites: [0x002f, 0x0035] }).wire,
    )!;
    expect(compat.format).toBe('ssl2');
    expect(compat.clientVersion).toBe(0x0301);
    expect(compat.cipherSuites).toEqual([0x002f, 0x0035]);
  });

  it('a second hello after HelloRetryRequest keeps random and session id and echoes the cookie', () => {
    const first = buildClientHello({ version: 'TLSv1.3', cipherSuites: [0x1301] });
    const second = buildClientHello({
      version: 'TLSv1.3',
      cipherSuites: [0x1301],
      random: first.random,
      sessionId: first.sessionId,
      keyShareGroups: [24],
      cookie: Buffer.from('c00k1e'),
    });
    const hello = parseClientHelloBytes(second.wire)!;
    expect(hello.random.equals(first.random)).toBe(true);
    expect(hello.sessionId.equals(first.sessionId)).toBe(true);
    expect(hello.extensions.get(ExtensionType.cookie)!.subarray(2).toString()).toBe('c00k1e');
  });

  it('refuses an empty suite list', () => {
    expect(() => buildClientHello({ version: 'TLSv1.2', cipherSuites: [] })).toThrow(WireError);
    expect(() =>
      buildClientHello({ version: 'SSLv2', cipherSuites: [], ssl2CipherKinds: [] }),
    ).toThrow(WireError);
  });
});

describe('records and handshake messages', () => {
  it('reassembles a fragmented record and splits coalesced ones', () => {
    const a = encodeRecords(22, 0x0303, Buffer.from('0200000401020304', 'hex'));
    const b = encodeRecords(21, 0x0303, Buffer.from([2, 40]));
    const all = Buffer.concat([a, b]);
    const buffer = new RecordBuffer();
    buffer.push(all.subarray(0, 4));
    expect(buffer.next()).toBeUndefined();
    buffer.push(all.subarray(4));
    expect(buffer.next()!.type).toBe(22);
    const alert = buffer.next()!;
    expect(parseAlert(alert.fragment)).toEqual({ level: 2, description: 40 });
    expect(buffer.next()).toBeUndefined();
  });

  it('splits payloads over 16 KiB into several records', () => {
    const wire = encodeRecords(22, 0x0303, Buffer.alloc(40000, 7));
    const buffer = new RecordBuffer();
    buffer.push(wire);
    const lengths: number[] = [];
    for (let r = buffer.next(); r; r = buffer.next()) lengths.push(r.fragment.length);
    expect(lengths).toEqual([16384, 16384, 7232]);
  });

  it('rejects bytes that are not TLS at once', () => {
    const buffer = new RecordBuffer();
    buffer.push(Buffer.from('HTTP/1.1 400'));
    expect(() => buffer.next()).toThrow(/not a TLS record/);
    const oversized = new RecordBuffer();
    oversized.push(Buffer.from('16030350000000', 'hex'));
    expect(() => oversized.next()).toThrow(/exceeds/);
  });

  it('assembles handshake messages across records and caps their size', () => {
    const messages = Buffer.concat([
      Buffer.from('0b000003aabbcc', 'hex'),
      Buffer.from('0e000000', 'hex'),
    ]);
    const assembler = new HandshakeAssembler();
    expect(assembler.push(messages.subarray(0, 5))).toEqual([]);
    const out = assembler.push(messages.subarray(5));
    expect(out.map((m) => m.type)).toEqual([11, 14]);
    expect(out[0]!.body.toString('hex')).toBe('aabbcc');
    expect(() => new HandshakeAssembler(1000).push(Buffer.from('0b100000', 'hex'))).toThrow(
      /exceeds/,
    );
  });
});

describe('server messages', () => {
  it('recognises a HelloRetryRequest and its selected group and cookie', () => {
    const body = Buffer.concat([
      u16(0x0303),
      HELLO_RETRY_REQUEST_RANDOM,
      vec(1, Buffer.alloc(0)),
      u16(0x1302),
      Buffer.from([0]),
      vec(
        2,
        Buffer.concat([
          u16(43),
          vec(2, u16(0x0304)),
          u16(51),
          vec(2, u16(24)),
          u16(44),
          vec(2, vec(2, Buffer.from('xyz'))),
        ]),
      ),
    ]);
    const hello = parseServerHello(body);
    expect(hello.isHelloRetryRequest).toBe(true);
    expect(hello.version).toBe(0x0304);
    expect(hello.keyShare).toEqual({ group: 24 });
    expect(hello.cookie?.toString()).toBe('xyz');
  });

  it('a TLS 1.0 ServerHello without extensions', () => {
    const hello = parseServerHello(
      Buffer.concat([
        u16(0x0301),
        Buffer.alloc(32, 1),
        vec(1, Buffer.alloc(0)),
        u16(0x0005),
        Buffer.from([0]),
      ]),
    );
    expect(hello.version).toBe(0x0301);
    expect(hello.cipherSuite).toBe(5);
    expect(hello.secureRenegotiation).toBe(false);
  });

  it('ServerKeyExchange: DH prime size, ECDH curve, RSA export modulus', () => {
    const p = Buffer.concat([Buffer.from([0x00, 0x80]), Buffer.alloc(127, 0xff)]); // a leading zero byte does not count
    const dh = Buffer.concat([
      vec(2, p),
      vec(2, Buffer.from([2])),
      vec(2, Buffer.alloc(128, 1)),
      vec(2, Buffer.alloc(64)),
    ]);
    expect(parseServerKeyExchange(dh, 'dhe')).toEqual({
      kind: 'dhe',
      primeBits: 1024,
      generator: 2,
    });
    expect(parseServerKeyExchange(dh)).toMatchObject({ kind: 'dhe', primeBits: 1024 });
    const ec = Buffer.concat([
      Buffer.from([3]),
      u16(24),
      vec(1, Buffer.alloc(97, 4)),
      u16(0x0503),
      vec(2, Buffer.alloc(70)),
    ]);
    expect(parseServerKeyExchange(ec, 'ecdhe')).toEqual({
      kind: 'ecdhe',
      group: 24,
      groupName: 'secp384r1',
    });
    expect(parseServerKeyExchange(ec)).toEqual({
      kind: 'ecdhe',
      group: 24,
      groupName: 'secp384r1',
    });
    const rsa = Buffer.concat([
      vec(2, Buffer.concat([Buffer.from([0x80]), Buffer.alloc(63)])),
      vec(2, Buffer.from([1, 0, 1])),
    ]);
    expect(parseServerKeyExchange(rsa, 'rsa')).toEqual({ kind: 'rsa', modulusBits: 512 });
    expect(bitLength(Buffer.from([0, 0, 1]))).toBe(1);
    expect(() => parseServerKeyExchange(Buffer.from([0, 5, 1]), 'dhe')).toThrow(WireError);
  });

  it('TLS 1.2 CertificateRequest: types, signature algorithms, CA names as DNs', () => {
    const flight = fromHex(RFC8448.serverFlightPlaintext);
    const start = flight.indexOf(Buffer.from('308201ac', 'hex'));
    const cert = new X509Certificate(flight.subarray(start, start + 4 + 0x1ac));
    const subjectDer = Buffer.from('300e310c300a06035504031303727361', 'hex'); // CN=rsa
    const body = Buffer.concat([
      vec(1, Buffer.from([1, 64])),
      vec(2, Buffer.concat([u16(0x0804), u16(0x0403)])),
      vec(2, vec(2, subjectDer)),
    ]);
    const cr = parseCertificateRequest12(body, 0x0303);
    expect(cr.certificateTypes).toEqual([1, 64]);
    expect(cr.signatureAlgorithms).toEqual([0x0804, 0x0403]);
    expect(cr.caNames).toEqual([cert.subject]);
    // TLS 1.0/1.1 have no signature algorithms field.
    const old = parseCertificateRequest12(
      Buffer.concat([vec(1, Buffer.from([1])), vec(2, Buffer.alloc(0))]),
      0x0301,
    );
    expect(old).toMatchObject({ certificateTypes: [1], signatureAlgorithms: [], caNames: [] });
  });

  it('TLS 1.3 CertificateRequest with signature_algorithms and certificate_authorities', () => {
    const dn = Buffer.from(
      '303131143012060355040a0c0b4c656761637920436f72703119301706035504030c104c656761637920436c69656e74204341',
      'hex',
    );
    const body = Buffer.concat([
      vec(1, Buffer.alloc(0)),
      vec(
        2,
        Buffer.concat([
          u16(13),
          vec(2, vec(2, Buffer.concat([u16(0x0804), u16(0x0403)]))),
          u16(47),
          vec(2, vec(2, vec(2, dn))),
        ]),
      ),
    ]);
    const cr = parseCertificateRequest13(body);
    expect(cr.signatureAlgorithms).toEqual([0x0804, 0x0403]);
    expect(cr.caNames).toEqual(['O=Legacy Corp, CN=Legacy Client CA']);
    expect(cr.extensionTypes).toEqual([13, 47]);
  });

  it('Certificate (TLS ≤ 1.2) and SSL 2.0 SERVER-HELLO', () => {
    const body = vec(
      3,
      Buffer.concat([vec(3, Buffer.from('aa', 'hex')), vec(3, Buffer.from('bbcc', 'hex'))]),
    );
    expect(parseCertificate12(body).map((c) => c.toString('hex'))).toEqual(['aa', 'bbcc']);
    const ssl2 = Buffer.concat([
      Buffer.from([4, 0, 1]),
      u16(2),
      u16(1),
      u16(6),
      u16(16),
      Buffer.from([0xdd]),
      Buffer.from('010080020080', 'hex'),
      Buffer.alloc(16),
    ]);
    expect(parseSsl2ServerHello(ssl2)).toMatchObject({
      version: 2,
      cipherKinds: [0x010080, 0x020080],
    });
  });
});

describe('distinguished names', () => {
  it('formats like X509Certificate.subject joined with ", "', () => {
    const name = Buffer.from(
      '303131143012060355040a0c0b4c656761637920436f72703119301706035504030c104c656761637920436c69656e74204341',
      'hex',
    );
    expect(formatDistinguishedName(name)).toBe('O=Legacy Corp, CN=Legacy Client CA');
    expect(() => formatDistinguishedName(Buffer.from('3005', 'hex'))).toThrow(WireError);
    expect(describeDistinguishedName(Buffer.from('3005', 'hex'))).toBe('#3005');
  });

  it('decodes BMPString values and unknown attribute OIDs', () => {
    // SET { SEQ { OID 1.2.3.4, BMPString "Zé" } }
    const atv = Buffer.concat([
      Buffer.from('0603', 'hex'),
      Buffer.from([0x2a, 0x03, 0x04]),
      Buffer.from('1e04005a00e9', 'hex'),
    ]);
    const rdn = Buffer.concat([Buffer.from([0x31, atv.length + 2, 0x30, atv.length]), atv]);
    const name = Buffer.concat([Buffer.from([0x30, rdn.length]), rdn]);
    expect(formatDistinguishedName(name)).toBe('1.2.3.4=Zé');
  });
});

describe('probeOnce with impossible options', () => {
  it('rejects before connecting', async () => {
    const { probeOnce } = await import('../../src/probe/raw/index.js');
    await expect(
      probeOnce(
        { host: '127.0.0.1', port: 9, timeoutMs: 100 },
        { version: 'TLSv1.3', cipherSuites: [0x1301], keyShareGroups: [0x11ec] },
      ),
    ).rejects.toThrow(/no key share implementation for group 4588/);
  });
});
