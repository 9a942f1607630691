import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/probe/index.js';
import { formatProbeStylish, toProbeJson } from '../../src/probe/report.js';
import { paletteFor } from '../../src/report/colors.js';
import { makeIdentity } from '../../src/probe/x509-builder.js';
import { useNodeTlsServers, type TestPki } from '../support/servers.js';
import { fakeRawScanner } from './fake-raw.js';

/**
 * Client-certificate verdicts against Node `tls` servers. The raw scan is faked (it is tested on
 * its own); these tests pin the full-handshake checks and how they combine with the scan.
 */
describe('probe against Node tls servers', () => {
  const servers = useNodeTlsServers();
  let pki: TestPki;
  beforeAll(() => {
    pki = servers.pki();
  });
  async function serve(options: tls.TlsOptions): Promise<number> {
    return (await servers.serve(options)).port;
  }

  it('a server that asks for nothing: not requested, not required, verification not testable', async () => {
    const port = await serve({});
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested12: false, requested13: false }),
      ca: pki.serverCa.certPem,
    });
    expect(r.clientAuth.requested.value).toBe(false);
    expect(r.clientAuth.required.value).toBe(false);
    expect(r.clientAuth.verified.value).toBeNull();
    expect(r.findings.map((f) => f.ruleId)).not.toContain('client-certificate-not-required');
  });

  it('TLS 1.3 requestCert + rejectUnauthorized: required (alert 116 after the handshake) and verified', async () => {
    const port = await serve({
      requestCert: true,
      rejectUnauthorized: true,
      ca: pki.clientCa.certPem,
    });
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested13: true, requested12: true }),
      cert: pki.client.certPem,
      key: pki.client.keyPem,
    });
    expect(r.clientAuth.required).toMatchObject({ value: true });
    expect(r.clientAuth.required.evidence).toMatch(/alert 116/);
    expect(r.clientAuth.verified.value).toBe(true);
    expect(r.clientAuth.givenCertificate?.value).toBe(true);
    expect(r.findings.map((f) => f.ruleId)).not.toContain('client-certificate-not-required');
    expect(r.findings.map((f) => f.ruleId)).not.toContain('client-certificate-not-verified');
  });

  it('TLS 1.3 server requesting a certificate is seen as requesting one even when the scan could not tell', async () => {
    const port = await serve({
      requestCert: true,
      rejectUnauthorized: true,
      ca: pki.clientCa.certPem,
      minVersion: 'TLSv1.3',
    });
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested13: null }),
    });
    expect(r.clientAuth.requested.value).toBe(true);
    expect(r.clientAuth.required.value).toBe(true);
  });

  it('TLS 1.2 only, required: alert 40 in the handshake counts as required once the request is seen', async () => {
    const port = await serve({
      requestCert: true,
      rejectUnauthorized: true,
      ca: pki.clientCa.certPem,
      maxVersion: 'TLSv1.2',
    });
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({
        protocols: { 'TLSv1.3': false },
        requested12: true,
        caNames: ['O=tls-lint tests, CN=tls-lint Test Client CA'],
      }),
    });
    expect(r.clientAuth.required.value).toBe(true);
    expect(r.clientAuth.required.evidence).toMatch(/alert 40/);
    expect(r.clientAuth.verified.value).toBe(true);
    expect(r.clientAuth.caNames).toEqual(['O=tls-lint tests, CN=tls-lint Test Client CA']);
  });

  it('alert 40 without knowing that a certificate was requested stays "could not test"', async () => {
    const port = await serve({
      requestCert: true,
      rejectUnauthorized: true,
      ca: pki.clientCa.certPem,
      maxVersion: 'TLSv1.2',
    });
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ protocols: { 'TLSv1.3': false }, requested12: null }),
    });
    expect(r.clientAuth.required.value).toBeNull();
    expect(r.findings.map((f) => f.ruleId)).not.toContain('client-certificate-not-required');
  });

  it('requestCert without rejectUnauthorized: optional and unverified, with both findings from the rules', async () => {
    const port = await serve({
      requestCert: true,
      rejectUnauthorized: false,
      ca: pki.clientCa.certPem,
    });
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested13: true, requested12: true }),
    });
    expect(r.clientAuth.requested.value).toBe(true);
    expect(r.clientAuth.required.value).toBe(false);
    expect(r.clientAuth.verified.value).toBe(false);
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).toContain('client-certificate-not-verified');
    const f = r.findings.find((x) => x.ruleId === 'client-certificate-not-verified')!;
    expect(f.at.file).toBe(`127.0.0.1:${port}`);
    expect(f.language).toBe('probe');
    expect(f.message).toMatch(/observed/);
  });

  it('a server asking in TLS 1.2 only: the TLS 1.3 handshake never sends the certificate, so verification is not judged from it', async () => {
    // Node asks in both versions or in none; the scan says TLS 1.2 asks and TLS 1.3 does not, as
    // a front end that asks per version would. The full handshakes negotiate TLS 1.3.
    const port = await serve({});
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested12: true, requested13: false }),
    });
    expect(r.clientAuth.requested.value).toBe(true);
    expect(r.clientAuth.required.value).toBe(false);
    expect(r.clientAuth.verified.value).toBeNull();
    expect(r.clientAuth.verified.evidence).toMatch(
      /^the TLS 1\.3 server flight holds no CertificateRequest, so the self-signed certificate was never sent in the TLS 1\.3 handshake; that TLS 1\.3 handshake completed/,
    );
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('client-certificate-not-verified');
    expect(ids).toContain('client-certificate-not-required');
    const stylish = formatProbeStylish(r, paletteFor({ isTTY: false }, {}));
    expect(stylish).toMatch(/Requested yes — .*\n +per version: TLS 1\.2 yes, TLS 1\.3 no\n/);
    expect(toProbeJson(r).clientAuth.requestedByVersion).toEqual({
      'TLSv1.2': true,
      'TLSv1.3': false,
    });
  });

  it('--mtls required flags a server that does not ask for certificates', async () => {
    const port = await serve({});
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested12: false, requested13: false }),
      policy: { mtls: 'required' },
    });
    expect(r.findings.map((f) => f.ruleId)).toContain('client-certificate-not-required');
  });

  it('--sni is sent by every connection and the certificate is matched against it', async () => {
    const named = makeIdentity({
      subject: { commonName: 'api.example' },
      altNames: ['api.example'],
      issuer: pki.serverCa,
      key: { type: 'rsa' },
    });
    const namedContext = tls.createSecureContext({ key: named.keyPem, cert: named.certPem });
    const port = await serve({
      SNICallback: (name, cb) => cb(null, name === 'api.example' ? namedContext : undefined),
    });
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      sni: 'api.example',
      ca: pki.serverCa.certPem,
      rawScan: fakeRawScanner({ requested13: false }),
    });
    expect(r.endpoint.sni).toBe('api.example');
    expect(r.certificates.chain[0]!.subject).toBe('CN=api.example');
    expect(r.certificates.hostname).toMatchObject({ name: 'api.example', matches: true });
    expect(r.certificates.trusted.value).toBe(true);
    expect(r.findings.map((f) => f.ruleId)).not.toContain('hostname-verification-disabled');

    const without = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 3000,
      rawScan: fakeRawScanner({ requested13: false }),
    });
    expect(without.certificates.chain[0]!.subject).toBe('CN=localhost');
  });

  it('a server that streams without end after the handshake does not hold the probe', async () => {
    const server = tls.createServer(
      { key: pki.server.keyPem, cert: pki.server.certPem },
      (socket) => {
        socket.on('error', () => undefined);
        const chunk = Buffer.alloc(8192, 0x41);
        const pump = () => {
          while (!socket.destroyed && socket.write(chunk));
        };
        socket.on('drain', pump);
        pump();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await probe(`127.0.0.1:${port}`, {
        timeoutMs: 3000,
        rawScan: fakeRawScanner({ requested13: false }),
      });
      expect(r.clientAuth.required).toMatchObject({ value: false });
      expect(r.clientAuth.required.evidence).toContain('application data');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('with the real scan: protocols and suites equal what the Node server was configured to accept', async () => {
    const port = await serve({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA',
      honorCipherOrder: true,
    });
    const r = await probe(`127.0.0.1:${port}`, { timeoutMs: 3000, ca: pki.serverCa.certPem });
    expect(r.scan!.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': false,
      'TLSv1.1': false,
      'TLSv1.2': true,
      'TLSv1.3': false,
    });
    expect(r.scan!.ciphers['TLSv1.2']).toEqual([0xc030, 0xc013]);
    expect(r.scan!.serverPreference['TLSv1.2']).toBe(true);
    expect(r.clientAuth.requested.value).toBe(false);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['cbc-cipher-suite']);
  });
});
