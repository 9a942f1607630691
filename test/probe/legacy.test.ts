import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandshakeAssembler } from '../../src/probe/wire/records.js';
import { parseCertificate13 } from '../../src/probe/wire/server-messages.js';
import { startLegacyServer, type RunningServer } from '../probe-wire/fake-tls-server.js';
import { RFC8448, fromHex } from '../probe-wire/rfc8448-vectors.js';
import { probe } from '../../src/probe/index.js';
import { toProbeJson } from '../../src/probe/report.js';
import { probeJson } from '../support/cli.js';
import { cliBuilt, runCliAsync } from './cli-run.js';

/**
 * The whole `tls-lint probe --format json` against the raw-TLS work's scripted legacy server
 * (SSL 2.0/3.0, EXPORT, RC4, a 512-bit DHE group): what the local OpenSSL cannot speak must be
 * reported and judged, and the client-certificate checks Node cannot run must say so.
 */
const CERTIFICATE = parseCertificate13(
  new HandshakeAssembler().push(fromHex(RFC8448.serverFlightPlaintext))[1]!.body,
).certificates[0]!;
const SUITES = [0x0005, 0x0003, 0x0014, 0x0004, 0x0009]; // RC4-SHA, EXP-RC4-MD5, EXP-EDH-RSA-DES-CBC-SHA, RC4-MD5, DES-CBC-SHA

describe.skipIf(!cliBuilt)('tls-lint probe against a legacy SSLv3/EXPORT/RC4 server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLegacyServer({
      versions: [0x0300, 0x0301],
      suites: SUITES,
      serverOrder: true,
      certificate: CERTIFICATE,
      dheSuites: { 0x0014: 512 },
      rsaExportSuites: [0x0003],
      ssl2Kinds: [0x010080, 0x020080],
    });
  });
  afterAll(() => server.close());

  it('stylish output says what was seen and what to change', async () => {
    const res = await runCliAsync(['probe', `127.0.0.1:${server.port}`, '--timeout', '3000']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/SSL 3\.0 +accepted/);
    expect(res.stdout).toMatch(/0x00,0x03 +TLS_RSA_EXPORT_WITH_RC4_40_MD5 +EXP-RC4-MD5/);
    expect(res.stdout).toMatch(
      /error +SSL 2\.0, SSL 3\.0 and TLS 1\.0 accepted .* \[insecure-protocol-version\]/,
    );
    expect(res.stdout).toMatch(
      /Client-certificate checks by full handshake: this server accepts only SSL 2\.0 \(.*\), SSL 3\.0 \(.*\) and TLS 1\.0 \(.*\), which Node's TLS \(OpenSSL 3\) cannot speak/,
    );
  });

  it('reports the legacy protocols and suites and judges them with the static rules', async () => {
    const res = await runCliAsync([
      'probe',
      `127.0.0.1:${server.port}`,
      '--format',
      'json',
      '--timeout',
      '3000',
    ]);
    expect(res.code).toBe(1);
    const json = probeJson(res.stdout);
    expect(json.protocols).toEqual({
      SSLv2: true,
      SSLv3: true,
      'TLSv1.0': true,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': false,
    });
    const ssl3 = json.ciphers.SSLv3?.map((c) => c.openssl);
    expect(ssl3).toEqual([
      'RC4-SHA',
      'EXP-RC4-MD5',
      'EXP-EDH-RSA-DES-CBC-SHA',
      'RC4-MD5',
      'DES-CBC-SHA',
    ]);
    expect(json.ciphers.SSLv3).toContainEqual({
      iana: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5',
      openssl: 'EXP-RC4-MD5',
      code: '0x00,0x03',
    });
    expect(json.ciphers.SSLv2?.map((c) => c.code)).toEqual(['0x01,0x00,0x80', '0x02,0x00,0x80']);
    expect(json.serverPreference).toMatchObject({ SSLv3: true, 'TLSv1.0': true });
    expect(json.dh).toEqual({ bits: 512 });
    const ids = json.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toContain('insecure-protocol-version');
    expect(ids).toContain('weak-key');
    expect(ids).toContain('insecure-cipher-suite');
    const weakSuites = json.findings
      .filter((f: { ruleId: string }) => f.ruleId === 'insecure-cipher-suite')
      .map((f: { message: string }) => f.message)
      .join('\n');
    expect(weakSuites).toMatch(/EXP-RC4-MD5/);
    expect(weakSuites).toMatch(/RC4-SHA/);
    const protocol = json.findings.find((f) => f.ruleId === 'insecure-protocol-version')!;
    expect(protocol.message).toMatch(/SSL 2\.0, SSL 3\.0 and TLS 1\.0 accepted/);
    expect(protocol.severity).toBe('error');
    // The raw flight shows no CertificateRequest; Node cannot finish a handshake with this server,
    // so whether a presented certificate would be verified stays "could not test".
    expect(json.clientAuth).toMatchObject({ requested: false, required: false, verified: null });
    expect(json.clientAuth.evidence.requested).toBe(
      'no CertificateRequest in the TLS 1.0 server flight',
    );
    expect(json.clientAuth.requestedByVersion).toEqual({ SSLv3: false, 'TLSv1.0': false });
  });
});

describe('client certificates on a server Node cannot speak to', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // SSL 3.0 with RC4 only, asking for a client certificate: Node's own hellos end in alert 40
    // (no shared cipher), which must not be read as "a certificate is required".
    server = await startLegacyServer({
      versions: [0x0300],
      suites: [0x0005, 0x0004],
      serverOrder: true,
      certificate: CERTIFICATE,
      certificateRequestCaNames: [],
    });
  });
  afterAll(() => server.close());

  it('the request is seen; required and verified are "could not test", with the reason', async () => {
    const r = await probe(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
    expect(r.clientAuth.requested).toEqual({
      value: true,
      evidence: 'the SSL 3.0 server flight holds a CertificateRequest',
    });
    expect(r.clientAuth.required.value).toBeNull();
    expect(r.clientAuth.verified.value).toBeNull();
    for (const check of [r.clientAuth.required, r.clientAuth.verified]) {
      expect(check.evidence).toBe(
        "the SSL 3.0 server flight holds a CertificateRequest, but this server accepts only SSL 3.0 (RC4-SHA, RC4-MD5), which Node's TLS (OpenSSL 3) cannot speak, so no full handshake was possible",
      );
    }
    const json = toProbeJson(r);
    expect(json.clientAuth.requestedByVersion).toEqual({ SSLv3: true });
    expect(json.clientAuth.certificateRequest?.tls12).toMatchObject({
      requested: true,
      version: 'SSLv3',
    });
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).toContain('insecure-protocol-version');
    expect(ids).not.toContain('client-certificate-not-required');
    expect(ids).not.toContain('client-certificate-not-verified');
  });
});
