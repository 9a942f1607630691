import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x25519KeyShareFromPrivate } from '../../src/probe/wire/key-share.js';
import { HandshakeAssembler, RecordBuffer } from '../../src/probe/wire/records.js';
import {
  parseCertificate13,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseServerHello,
} from '../../src/probe/wire/server-messages.js';
import {
  RecordDecrypter,
  Transcript,
  deriveHandshakeSecrets,
  tls13Suite,
  trafficKeys,
} from '../../src/probe/wire/tls13.js';
import { RFC8448, fromHex } from './rfc8448-vectors.js';

describe('TLS 1.3 key schedule (RFC 8448 §3)', () => {
  const suite = tls13Suite(0x1301)!;

  it('derives the x25519 public key and shared secret', () => {
    const share = x25519KeyShareFromPrivate(fromHex(RFC8448.clientPrivate));
    expect(share.publicKey.toString('hex')).toBe(RFC8448.clientPublic);
    expect(share.computeSecret(fromHex(RFC8448.serverPublic)).toString('hex')).toBe(
      RFC8448.sharedSecret,
    );
  });

  it('derives early, handshake and traffic secrets, key and iv', () => {
    const transcript = new Transcript();
    transcript.add(fromHex(RFC8448.clientHello));
    transcript.add(fromHex(RFC8448.serverHello));
    const secrets = deriveHandshakeSecrets(
      suite,
      fromHex(RFC8448.sharedSecret),
      transcript.digest('sha256'),
    );
    expect(secrets.earlySecret.toString('hex')).toBe(RFC8448.earlySecret);
    expect(secrets.handshakeSecret.toString('hex')).toBe(RFC8448.handshakeSecret);
    expect(secrets.clientHandshakeTrafficSecret.toString('hex')).toBe(
      RFC8448.clientHandshakeTrafficSecret,
    );
    expect(secrets.serverHandshakeTrafficSecret.toString('hex')).toBe(
      RFC8448.serverHandshakeTrafficSecret,
    );
    const keys = trafficKeys(suite, secrets.serverHandshakeTrafficSecret);
    expect(keys.key.toString('hex')).toBe(RFC8448.serverHandshakeKey);
    expect(keys.iv.toString('hex')).toBe(RFC8448.serverHandshakeIv);
  });

  it('parses the ServerHello', () => {
    const sh = parseServerHello(fromHex(RFC8448.serverHello).subarray(4));
    expect(sh.version).toBe(0x0304);
    expect(sh.cipherSuite).toBe(0x1301);
    expect(sh.isHelloRetryRequest).toBe(false);
    expect(sh.keyShare?.group).toBe(29);
    expect(sh.keyShare?.keyExchange?.toString('hex')).toBe(RFC8448.serverPublic);
  });

  it('decrypts the server flight record and parses its messages', () => {
    const buffer = new RecordBuffer();
    const wire = fromHex(RFC8448.serverFlightRecord);
    // Delivered in awkward pieces: the record layer must reassemble it.
    buffer.push(wire.subarray(0, 3));
    expect(buffer.next()).toBeUndefined();
    buffer.push(wire.subarray(3, 400));
    expect(buffer.next()).toBeUndefined();
    buffer.push(wire.subarray(400));
    const record = buffer.next()!;
    const decrypter = new RecordDecrypter(suite, fromHex(RFC8448.serverHandshakeTrafficSecret));
    const inner = decrypter.decrypt(record);
    expect(inner.type).toBe(22);
    expect(inner.content.toString('hex')).toBe(RFC8448.serverFlightPlaintext);

    const messages = new HandshakeAssembler().push(inner.content);
    expect(messages.map((m) => m.type)).toEqual([8, 11, 15, 20]);
    expect(parseEncryptedExtensions(messages[0]!.body).supportedGroups).toEqual([
      29, 23, 24, 25, 256, 257, 258, 259, 260,
    ]);
    const certs = parseCertificate13(messages[1]!.body).certificates;
    expect(certs).toHaveLength(1);
    expect(new X509Certificate(certs[0]!).subject).toBe('CN=rsa');
    expect(parseCertificateVerify(messages[2]!.body).scheme).toBe(0x0804);
  });

  it('rejects a tampered record', () => {
    const wire = Buffer.from(fromHex(RFC8448.serverFlightRecord));
    wire[100]! ^= 1;
    const buffer = new RecordBuffer();
    buffer.push(wire);
    const decrypter = new RecordDecrypter(suite, fromHex(RFC8448.serverHandshakeTrafficSecret));
    expect(() => decrypter.decrypt(buffer.next()!)).toThrow(/failed to decrypt/);
  });
});
