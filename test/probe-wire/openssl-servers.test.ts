/**
 * rawScan against `openssl s_server`: the accepted suites must equal what OpenSSL says the
 * configuration accepts (and what s_client can confirm), and CertificateRequest must be seen in
 * TLS 1.2 and inside the encrypted TLS 1.3 flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteByCode } from '../../src/crypto/cipher-suites.js';
import { probeOnce, rawScan } from '../../src/probe/raw/index.js';
import { haveProgram } from '../support/system.js';
import {
  expectedSuites,
  makePki,
  sClientAccepts,
  startSServer,
  type SServer,
  type TestPki,
} from './local-servers.js';

const sorted = (codes: readonly number[] | undefined) => [...(codes ?? [])].sort((a, b) => a - b);

describe.skipIf(!haveProgram('openssl'))('openssl s_server', () => {
  let pki: TestPki;
  const servers: SServer[] = [];
  beforeAll(() => {
    pki = makePki();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    pki?.cleanup();
  });
  const start = async (args: string[]) => {
    const s = await startSServer(pki, args);
    servers.push(s);
    return s;
  };

  it('TLS 1.0 only with ALL:@SECLEVEL=0: exactly the suites OpenSSL lists, confirmed by s_client', async () => {
    const cipherString = 'ALL:@SECLEVEL=0';
    const server = await start(['-tls1', '-cipher', cipherString]);
    const result = await rawScan({ host: '127.0.0.1', port: server.port, timeoutMs: 5000 });
    expect(result.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': true,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': false,
    });
    const expected = expectedSuites('-tls1', cipherString);
    expect(expected.length).toBeGreaterThan(5);
    expect(sorted(result.ciphers['TLSv1.0'])).toEqual(sorted(expected));
    expect(result.serverPreference['TLSv1.0']).toBe(false);
    expect(result.dh?.bits).toBeGreaterThanOrEqual(1024);
    expect(result.ecdhCurves).toContain('x25519');
    expect(result.certificateRequest.tls12?.requested).toBe(false);
    expect(result.servedChain).toHaveLength(1);
    // s_client agrees on a sample: the first and last accepted suites, and one that was not found.
    const found = result.ciphers['TLSv1.0']!;
    for (const code of [found[0]!, found[found.length - 1]!]) {
      expect(sClientAccepts(server.port, '-tls1', suiteByCode(code)!.openssl!)).toBe(true);
    }
    expect(found).not.toContain(0x009c);
    expect(sClientAccepts(server.port, '-tls1', 'AES128-GCM-SHA256')).toBe(false);
  });

  it('NULL and anonymous suites in TLS 1.2, with server order', async () => {
    const cipherString = 'NULL:aNULL:@SECLEVEL=0';
    const server = await start(['-tls1_2', '-serverpref', '-cipher', cipherString]);
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 5000 },
      { versions: ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'] },
    );
    expect(result.protocols['TLSv1.2']).toBe(true);
    expect(result.protocols['TLSv1.3']).toBe(false);
    const expected = expectedSuites('-tls1_2', cipherString);
    expect(sorted(result.ciphers['TLSv1.2'])).toEqual(sorted(expected));
    expect(result.ciphers['TLSv1.2']).toContain(0x0002); // NULL-SHA
    expect(result.ciphers['TLSv1.2']).toContain(0x00a6); // ADH-AES128-GCM-SHA256
    expect(result.serverPreference['TLSv1.2']).toBe(true);
  });

  it('an anonymous suite first in the server order: the CertificateRequest is read from an authenticated flight', async () => {
    const server = await start([
      '-tls1_2',
      '-serverpref',
      '-cipher',
      'ADH-AES128-GCM-SHA256:AES128-GCM-SHA256:@SECLEVEL=0',
      '-verify',
      '1',
      '-CAfile',
      pki.clientCa,
    ]);
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 5000 },
      { versions: ['TLSv1.2'] },
    );
    expect(result.ciphers['TLSv1.2']).toEqual([0x00a6, 0x009c]);
    expect(result.certificateRequest.tls12).toMatchObject({
      requested: true,
      caNames: ['O=tls-lint tests, CN=Probe Test Client CA'],
    });
    expect(result.servedChain).toHaveLength(1);
  });

  it('-verify (optional): CertificateRequest with CA names in TLS 1.2 and in the encrypted TLS 1.3 flight', async () => {
    const server = await start(['-verify', '1', '-CAfile', pki.clientCa]);
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 5000 },
      { versions: ['TLSv1.2', 'TLSv1.3'] },
    );
    expect(result.protocols['TLSv1.2']).toBe(true);
    expect(result.protocols['TLSv1.3']).toBe(true);
    expect(result.certificateRequest.tls12).toMatchObject({
      requested: true,
      caNames: ['O=tls-lint tests, CN=Probe Test Client CA'],
    });
    expect(result.certificateRequest.tls12!.signatureAlgorithms.length).toBeGreaterThan(0);
    expect(result.certificateRequest.tls13).toMatchObject({
      requested: true,
      caNames: ['O=tls-lint tests, CN=Probe Test Client CA'],
    });
    expect(result.certificateRequest.tls13!.signatureAlgorithms).toContain(0x0804);
  });

  it('TLS 1.3 only with -Verify (required): the request is seen inside the encrypted flight', async () => {
    const server = await start(['-tls1_3', '-Verify', '1']);
    const result = await rawScan({ host: '127.0.0.1', port: server.port, timeoutMs: 5000 });
    expect(result.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': false,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': true,
    });
    expect(sorted(result.ciphers['TLSv1.3'])).toEqual([0x1301, 0x1302, 0x1303]);
    expect(result.certificateRequest.tls12).toBeNull();
    expect(result.certificateRequest.tls13?.requested).toBe(true);
    expect(result.certificateRequest.tls13?.caNames).toEqual([]);
    expect(result.servedChain).toHaveLength(1);
  });

  it('answers an SSL 2.0-compatible hello announcing TLS 1.2', async () => {
    const server = await start(['-tls1_2', '-cipher', 'ALL:@SECLEVEL=0']);
    const outcome = await probeOnce(
      { host: '127.0.0.1', port: server.port, timeoutMs: 5000 },
      { version: 'TLSv1.2', format: 'ssl2', cipherSuites: [0x002f, 0x0035] },
    );
    expect(outcome.kind).toBe('serverHello');
    expect(outcome.protocol).toBe('TLSv1.2');
    expect(outcome.cipherSuite).toBe(0x002f);
    expect(outcome.flight.complete).toBe(true);
    expect(outcome.flight.certificates).toHaveLength(1);
  });

  it('no client certificate asked: requested false in both versions', async () => {
    const server = await start([]);
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 5000 },
      { versions: ['TLSv1.2', 'TLSv1.3'] },
    );
    expect(result.certificateRequest.tls12?.requested).toBe(false);
    expect(result.certificateRequest.tls13?.requested).toBe(false);
  });
});
