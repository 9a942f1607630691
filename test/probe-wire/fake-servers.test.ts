/**
 * The probe against scripted servers: a legacy server speaking SSL 2.0/3.0, EXPORT and RC4 (which
 * no local OpenSSL can produce), and servers that misbehave (silent, garbage, reset, endless).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeOnce, rawScan } from '../../src/probe/raw/index.js';
import { HandshakeAssembler } from '../../src/probe/wire/records.js';
import { parseCertificate13 } from '../../src/probe/wire/server-messages.js';
import {
  startEndlessFlightServer,
  startEndlessRecordServer,
  startAlertServer,
  startClosingServer,
  startGarbageServer,
  startLegacyServer,
  startResetServer,
  startSilentServer,
  startTls13GroupServer,
  type RunningServer,
} from './fake-tls-server.js';
import { RFC8448, fromHex } from './rfc8448-vectors.js';

/** The RSA certificate of the RFC 8448 trace (CN=rsa), a real DER certificate that needs no tooling. */
const CERTIFICATE = parseCertificate13(
  new HandshakeAssembler().push(fromHex(RFC8448.serverFlightPlaintext))[1]!.body,
).certificates[0]!;
/** DER of the Name "O=Legacy Corp, CN=Legacy Client CA". */
const CA_NAME = Buffer.from(
  '303131143012060355040a0c0b4c656761637920436f72703119301706035504030c104c656761637920436c69656e74204341',
  'hex',
);

const LEGACY_SUITES = [0x0005, 0x0003, 0x0014, 0x0004, 0x0009]; // RC4-SHA, EXP-RC4-MD5, EXP-EDH-RSA-DES-CBC-SHA, RC4-MD5, DES-CBC-SHA
const TABLE_ORDER = [...LEGACY_SUITES].sort((a, b) => a - b);

describe('legacy server (SSL 3.0 / TLS 1.0, EXPORT and RC4), client order', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLegacyServer({
      versions: [0x0300, 0x0301],
      suites: LEGACY_SUITES,
      serverOrder: false,
      certificate: CERTIFICATE,
      dheSuites: { 0x0014: 512 },
      rsaExportSuites: [0x0003],
      ssl2Kinds: [0x010080, 0x020080, 0x0700c0],
    });
  });
  afterAll(() => server.close());

  it('reports SSLv2, SSLv3 and TLS 1.0 with every legacy suite', async () => {
    const result = await rawScan({ host: '127.0.0.1', port: server.port, timeoutMs: 3000 });
    expect(result.protocols).toEqual({
      SSLv2: true,
      SSLv3: true,
      'TLSv1.0': true,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': false,
    });
    expect(result.ciphers.SSLv2).toEqual([0x010080, 0x020080, 0x0700c0]);
    expect(result.ciphers.SSLv3).toEqual(TABLE_ORDER);
    expect(result.ciphers['TLSv1.0']).toEqual(TABLE_ORDER);
    expect(result.serverPreference.SSLv3).toBe(false);
    expect(result.serverPreference['TLSv1.0']).toBe(false);
    expect(result.dh).toEqual({ bits: 512 });
    expect(result.ecdhCurves).toEqual([]);
    expect(result.groups).toBeNull();
    expect(result.notes.join('\n')).toMatch(/groups could not be tested/);
    expect(result.notes.join('\n')).toMatch(
      /RSA_EXPORT suites sent a temporary RSA key of 512 bits/,
    );
    expect(result.certificateRequest.tls12).toEqual({
      requested: false,
      version: 'TLSv1.0',
      caNames: [],
      certificateTypes: [],
      signatureAlgorithms: [],
    });
    expect(result.certificateRequest.tls13).toBeNull();
    expect(result.certificateRequest.byVersion).toEqual({ SSLv3: false, 'TLSv1.0': false });
    expect(result.servedChain).toEqual([CERTIFICATE]);
    expect(result.handshakes).toBe(server.connections());
  });

  it('answers an SSL 2.0-compatible hello announcing SSL 3.0 with an SSL 3.0 ServerHello', async () => {
    const outcome = await probeOnce(
      { host: '127.0.0.1', port: server.port, timeoutMs: 3000 },
      { version: 'SSLv3', format: 'ssl2', cipherSuites: [0x0003, 0x0004] },
    );
    expect(outcome.kind).toBe('serverHello');
    expect(outcome.protocol).toBe('SSLv3');
    expect(outcome.cipherSuite).toBe(0x0003);
    expect(outcome.flight.serverKeyExchange).toEqual({ kind: 'rsa', modulusBits: 512 });
    expect(outcome.flight.complete).toBe(true);
  });
});

describe('legacy server with its own order and a CertificateRequest', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLegacyServer({
      versions: [0x0300],
      suites: LEGACY_SUITES,
      serverOrder: true,
      certificate: CERTIFICATE,
      certificateRequestCaNames: [CA_NAME],
    });
  });
  afterAll(() => server.close());

  it('keeps the server order and reads the requested CA names', async () => {
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 3000 },
      { versions: ['SSLv3', 'TLSv1.0', 'TLSv1.2'] },
    );
    expect(result.protocols.SSLv3).toBe(true);
    expect(result.protocols['TLSv1.0']).toBe(false);
    expect(result.protocols.SSLv2).toBeNull();
    expect(result.ciphers.SSLv3).toEqual(LEGACY_SUITES);
    expect(result.serverPreference.SSLv3).toBe(true);
    expect(result.certificateRequest.byVersion).toEqual({ SSLv3: true });
    expect(result.certificateRequest.tls12).toEqual({
      requested: true,
      version: 'SSLv3',
      caNames: ['O=Legacy Corp, CN=Legacy Client CA'],
      certificateTypes: [1, 2],
      signatureAlgorithms: [],
    });
  });
});

describe('legacy server that drops hellos with more than 100 suites', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLegacyServer({
      versions: [0x0301],
      suites: [0x0005, 0x002f, 0x0035, 0x000a],
      serverOrder: true,
      certificate: CERTIFICATE,
      maxOfferedSuites: 100,
    });
  });
  afterAll(() => server.close());

  it('falls back to a short offer and enumerates in batches', async () => {
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 3000 },
      { versions: ['TLSv1.0', 'TLSv1.2'] },
    );
    expect(result.protocols['TLSv1.0']).toBe(true);
    expect(result.protocols['TLSv1.2']).toBe(false);
    expect(result.ciphers['TLSv1.0']).toEqual([0x0005, 0x002f, 0x0035, 0x000a]);
    expect(result.serverPreference['TLSv1.0']).toBe(true);
    expect(result.notes.join('\n')).toMatch(
      /TLSv1.0: the server refused a hello with all \d+ suites .* enumerated in batches of 96/,
    );
  });
});

describe('legacy server that resets hellos for versions it has disabled', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLegacyServer({
      versions: [0x0301],
      suites: [0x002f],
      serverOrder: false,
      certificate: CERTIFICATE,
      resetVersions: [0x0300],
    });
  });
  afterAll(() => server.close());

  it('counts the reset as a refusal because other versions were answered, and says so', async () => {
    const result = await rawScan(
      { host: '127.0.0.1', port: server.port, timeoutMs: 3000 },
      { versions: ['SSLv3', 'TLSv1.0'] },
    );
    expect(result.protocols.SSLv3).toBe(false);
    expect(result.protocols['TLSv1.0']).toBe(true);
    expect(result.notes).toContain(
      'SSLv3: the server reset the connection instead of answering; counted as refused because it answered other versions',
    );
    expect(result.notes.join('\n')).not.toMatch(/SSLv3 could not be tested/);
  });

  it('a server that resets every hello stays "could not test"', async () => {
    const all = await startLegacyServer({
      versions: [0x0301],
      suites: [0x002f],
      serverOrder: false,
      certificate: CERTIFICATE,
      resetVersions: [0x0300, 0x0301, 0x0302, 0x0303],
    });
    try {
      const result = await rawScan(
        { host: '127.0.0.1', port: all.port, timeoutMs: 3000 },
        { versions: ['SSLv3', 'TLSv1.0', 'TLSv1.2'] },
      );
      expect(result.protocols.SSLv3).toBeNull();
      expect(result.protocols['TLSv1.0']).toBeNull();
    } finally {
      await all.close();
    }
  });
});

describe('TLS 1.3 group enumeration', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it.each([false, true])(
    'finds the groups (server refusing an empty key_share: %s)',
    async (rejectEmptyKeyShare) => {
      const server = await startTls13GroupServer({
        groups: [24, 256, 29, 0x11ec],
        rejectEmptyKeyShare,
      });
      servers.push(server);
      const result = await rawScan(
        { host: '127.0.0.1', port: server.port, timeoutMs: 3000 },
        { versions: ['TLSv1.3'] },
      );
      expect(result.protocols['TLSv1.3']).toBe(true);
      expect([...result.groups!].sort()).toEqual([
        'X25519MLKEM768',
        'ffdhe2048',
        'secp384r1',
        'x25519',
      ]);
      // This server never sends its encrypted flight, so the CertificateRequest stays untested.
      expect(result.certificateRequest.tls13?.requested).toBeNull();
    },
  );
});

describe('servers that misbehave end as "could not test" within the deadline', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const start = async (make: () => Promise<RunningServer>) => {
    const s = await make();
    servers.push(s);
    return s;
  };
  const hello = { version: 'TLSv1.2', cipherSuites: [0xc02f, 0x002f] } as const;

  it('silent server: timeout', async () => {
    const s = await start(startSilentServer);
    const o = await probeOnce({ host: '127.0.0.1', port: s.port, timeoutMs: 400 }, { ...hello });
    expect(o.kind).toBe('timeout');
    const scan = await rawScan({ host: '127.0.0.1', port: s.port, timeoutMs: 400 });
    expect(Object.values(scan.protocols)).toEqual([null, null, null, null, null, null]);
    expect(scan.notes.join('\n')).toMatch(
      /TLSv1.2 could not be tested: no complete ServerHello within 400 ms/,
    );
    expect(scan.certificateRequest).toEqual({ tls12: null, tls13: null, byVersion: {} });
  });

  it('garbage server: garbage', async () => {
    const s = await start(startGarbageServer);
    const o = await probeOnce({ host: '127.0.0.1', port: s.port, timeoutMs: 2000 }, { ...hello });
    expect(o.kind).toBe('garbage');
    expect(o.detail).toMatch(/not a TLS answer/);
    const scan = await rawScan({ host: '127.0.0.1', port: s.port, timeoutMs: 2000 });
    expect(scan.protocols['TLSv1.2']).toBeNull();
    expect(scan.protocols['TLSv1.3']).toBeNull();
  });

  it('server closing every connection unanswered: not "all refused" but could not test', async () => {
    const s = await start(startClosingServer);
    const o = await probeOnce({ host: '127.0.0.1', port: s.port, timeoutMs: 2000 }, { ...hello });
    expect(o).toMatchObject({ kind: 'closed', bytesReceived: 0 });
    const scan = await rawScan({ host: '127.0.0.1', port: s.port, timeoutMs: 2000 });
    expect(Object.values(scan.protocols).every((p) => p === null)).toBe(true);
    expect(scan.notes.join('\n')).toMatch(/closed every connection without answering/);
  });

  it('an alert that is not about the offer (unrecognized_name) is could-not-test, not a refusal', async () => {
    const s = await start(() => startAlertServer(112));
    const scan = await rawScan(
      { host: '127.0.0.1', port: s.port, timeoutMs: 2000 },
      { versions: ['TLSv1.2', 'TLSv1.3'] },
    );
    expect(scan.protocols['TLSv1.2']).toBeNull();
    expect(scan.protocols['TLSv1.3']).toBeNull();
    expect(scan.notes.join('\n')).toMatch(
      /TLSv1.2 could not be tested: alert unrecognized_name \(112\)/,
    );
  });

  it('server resetting mid-handshake: reset, not a refusal', async () => {
    const s = await start(startResetServer);
    const o = await probeOnce({ host: '127.0.0.1', port: s.port, timeoutMs: 2000 }, { ...hello });
    expect(o.kind).toBe('reset');
    expect(o.bytesReceived).toBeGreaterThan(0);
    const scan = await rawScan(
      { host: '127.0.0.1', port: s.port, timeoutMs: 2000 },
      { versions: ['TLSv1.2'] },
    );
    expect(scan.protocols['TLSv1.2']).toBeNull();
    expect(scan.notes.join('\n')).toMatch(/connection reset/);
  });

  it('endless record: timeout at the deadline', async () => {
    const s = await start(startEndlessRecordServer);
    const o = await probeOnce({ host: '127.0.0.1', port: s.port, timeoutMs: 500 }, { ...hello });
    expect(o.kind).toBe('timeout');
  });

  it('endless flight: stopped by the size cap', async () => {
    const s = await start(startEndlessFlightServer);
    const o = await probeOnce({ host: '127.0.0.1', port: s.port, timeoutMs: 5000 }, { ...hello });
    expect(o.kind).toBe('serverHello');
    expect(o.flight.complete).toBe(false);
    expect(o.flight.error).toMatch(/more than \d+ bytes/);
  });

  it('closed port: connectFailed, one note', async () => {
    const s = await start(startSilentServer);
    const port = s.port;
    await s.close();
    servers.pop();
    const o = await probeOnce({ host: '127.0.0.1', port, timeoutMs: 1000 }, { ...hello });
    expect(o.kind).toBe('connectFailed');
    const scan = await rawScan({ host: '127.0.0.1', port, timeoutMs: 1000 });
    expect(Object.values(scan.protocols).every((p) => p === null)).toBe(true);
    expect(scan.notes).toEqual([
      expect.stringMatching(/could not connect to 127.0.0.1:\d+: connect failed \(ECONNREFUSED\)/),
    ]);
  });
});
