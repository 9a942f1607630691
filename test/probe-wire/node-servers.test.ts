/**
 * rawScan against Node `tls.createServer` with several configurations: exact suite lists and
 * orders, TLS 1.3-only with a CertificateRequest, restricted groups (forcing a HelloRetryRequest
 * before the flight can be decrypted), DHE parameters.
 */
import fs from 'node:fs';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteByOpenSslName } from '../../src/crypto/cipher-suites.js';
import { probeOnce, rawScan, suitesForVersion } from '../../src/probe/raw/index.js';
import { haveProgram } from '../support/system.js';
import { makePki, type TestPki } from './local-servers.js';

const code = (name: string) => suiteByOpenSslName(name)!.code;
const sortedNumbers = (codes: readonly number[] | undefined) =>
  [...(codes ?? [])].sort((a, b) => a - b);

describe.skipIf(!haveProgram('openssl'))('Node tls servers', () => {
  let pki: TestPki;
  const servers: tls.Server[] = [];
  beforeAll(() => {
    pki = makePki();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    pki?.cleanup();
  });

  async function start(options: tls.TlsOptions): Promise<number> {
    const server = tls.createServer({
      key: fs.readFileSync(pki.serverKey),
      cert: fs.readFileSync(pki.serverCert),
      ...options,
    });
    server.on('tlsClientError', () => {});
    server.on('secureConnection', (socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  const ORDERED = [
    'ECDHE-RSA-AES256-GCM-SHA384',
    'AES128-SHA',
    'ECDHE-RSA-CHACHA20-POLY1305',
    'ECDHE-RSA-AES128-GCM-SHA256',
  ];

  it('TLS 1.2 with the server order: the exact list, in the server order', async () => {
    const port = await start({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: ORDERED.join(':'),
      honorCipherOrder: true,
      ecdhCurve: 'secp384r1:prime256v1',
    });
    const result = await rawScan({ host: '127.0.0.1', port, timeoutMs: 5000 });
    expect(result.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': false,
      'TLSv1.1': false,
      'TLSv1.2': true,
      'TLSv1.3': false,
    });
    expect(result.ciphers['TLSv1.2']).toEqual(ORDERED.map(code));
    expect(result.serverPreference['TLSv1.2']).toBe(true);
    expect([...result.groups!].sort()).toEqual(['secp256r1', 'secp384r1']);
    expect(result.ecdhCurves.every((c) => c === 'secp256r1' || c === 'secp384r1')).toBe(true);
    expect(result.dh).toBeNull();
    expect(result.certificateRequest.tls12?.requested).toBe(false);
    expect(new X509Certificate(result.servedChain[0]!).subject).toBe('CN=localhost');
  });

  it('TLS 1.2 following the client order: same set, our order, no server preference', async () => {
    const port = await start({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: ORDERED.join(':'),
      honorCipherOrder: false,
    });
    const result = await rawScan(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      { versions: ['TLSv1.2', 'TLSv1.3'] },
    );
    const ours = suitesForVersion('TLSv1.2');
    expect(result.ciphers['TLSv1.2']).toEqual(
      ORDERED.map(code).sort((a, b) => ours.indexOf(a) - ours.indexOf(b)),
    );
    expect(result.serverPreference['TLSv1.2']).toBe(false);
  });

  it('TLS 1.3 only, asking for a client certificate: seen in the decrypted flight with the CA names', async () => {
    const port = await start({
      minVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256',
      requestCert: true,
      rejectUnauthorized: true,
      ca: [fs.readFileSync(pki.clientCa)],
    });
    const result = await rawScan({ host: '127.0.0.1', port, timeoutMs: 5000 });
    expect(result.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': false,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': true,
    });
    expect(sortedNumbers(result.ciphers['TLSv1.3'])).toEqual([0x1301, 0x1303]);
    expect(result.certificateRequest.tls12).toBeNull();
    expect(result.certificateRequest.tls13).toMatchObject({
      requested: true,
      caNames: ['O=tls-lint tests, CN=Probe Test Client CA'],
    });
    expect(result.servedChain).toHaveLength(1);
  });

  it('groups the client shares are not accepted: HelloRetryRequest, then the flight is decrypted', async () => {
    const port = await start({ minVersion: 'TLSv1.3', ecdhCurve: 'P-384:X448' });
    const outcome = await probeOnce(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      { version: 'TLSv1.3', cipherSuites: suitesForVersion('TLSv1.3'), keyShareGroups: [29] },
    );
    expect(outcome.helloRetryRequest).toBeDefined();
    expect(outcome.flight.complete).toBe(true);
    expect(outcome.flight.messageTypes).toEqual([8, 11, 15, 20]);
    const result = await rawScan(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      { versions: ['TLSv1.3'] },
    );
    expect([...result.groups!].sort()).toEqual(['secp384r1', 'x448']);
    expect(result.certificateRequest.tls13?.requested).toBe(false);
  });

  it('TLS 1.3 with FFDHE groups only: HelloRetryRequest to ffdhe2048, then the flight is decrypted (CertificateRequest seen)', async () => {
    const port = await start({
      minVersion: 'TLSv1.3',
      ecdhCurve: 'ffdhe2048:ffdhe3072',
      requestCert: true,
      rejectUnauthorized: true,
      ca: [fs.readFileSync(pki.clientCa)],
    });
    const outcome = await probeOnce(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      {
        version: 'TLSv1.3',
        cipherSuites: [0x1301],
        stopAfter: 'flight',
        keyShareGroups: [29],
        groups: [29, 256],
      },
    );
    expect(outcome.helloRetryRequest?.keyShare?.group).toBe(256);
    expect(outcome.group).toBe(256);
    expect(outcome.flight.error).toBeUndefined();
    expect(outcome.flight.complete).toBe(true);
    const result = await rawScan(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      { versions: ['TLSv1.2', 'TLSv1.3'] },
    );
    expect(result.protocols['TLSv1.3']).toBe(true);
    expect(result.protocols['TLSv1.2']).toBe(false);
    expect(sortedNumbers(result.ciphers['TLSv1.3'])).toEqual([0x1301, 0x1302, 0x1303]);
    expect([...result.groups!].sort()).toEqual(['ffdhe2048', 'ffdhe3072']);
    expect(result.certificateRequest.tls13).toMatchObject({
      requested: true,
      caNames: ['O=tls-lint tests, CN=Probe Test Client CA'],
    });
    expect(result.certificateRequest.byVersion).toEqual({ 'TLSv1.3': true });
    expect(result.servedChain).toHaveLength(1);
  });

  it('DHE suites: the prime size from ServerKeyExchange', async () => {
    const port = await start({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'DHE-RSA-AES128-GCM-SHA256',
      dhparam: 'auto',
    });
    const result = await rawScan(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      { versions: ['TLSv1.2'] },
    );
    expect(result.ciphers['TLSv1.2']).toEqual([code('DHE-RSA-AES128-GCM-SHA256')]);
    expect(result.dh).toEqual({ bits: 2048 });
    expect(result.serverPreference['TLSv1.2']).toBeNull();
    expect(result.notes.join('\n')).toMatch(/only one cipher suite is accepted/);
    expect(result.groups).toBeNull();
  });

  it('an SNI name is sent', async () => {
    let seen: string | undefined;
    const port = await start({
      SNICallback: (name, cb) => {
        seen = name;
        cb(
          null,
          tls.createSecureContext({
            key: fs.readFileSync(pki.serverKey),
            cert: fs.readFileSync(pki.serverCert),
          }),
        );
      },
    });
    const outcome = await probeOnce(
      { host: '127.0.0.1', port, sni: 'probe.example', timeoutMs: 5000 },
      { version: 'TLSv1.2', cipherSuites: suitesForVersion('TLSv1.2') },
    );
    expect(outcome.kind).toBe('serverHello');
    expect(seen).toBe('probe.example');
    // Without --sni, a host name is its own SNI; an IP literal never is.
    seen = undefined;
    await probeOnce(
      { host: 'localhost', port, timeoutMs: 5000 },
      { version: 'TLSv1.2', cipherSuites: suitesForVersion('TLSv1.2') },
    );
    expect(seen).toBe('localhost');
    seen = undefined;
    await probeOnce(
      { host: '127.0.0.1', port, timeoutMs: 5000 },
      { version: 'TLSv1.2', cipherSuites: suitesForVersion('TLSv1.2') },
    );
    expect(seen).toBeUndefined();
  });
});
