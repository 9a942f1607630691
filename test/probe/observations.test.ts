import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/probe/index.js';
import { buildProbeContext } from '../../src/probe/observations.js';
import { formatProbeStylish, toProbeJson } from '../../src/probe/report.js';
import { makeIdentity } from '../../src/probe/x509-builder.js';
import { PLAIN } from '../../src/report/colors.js';
import { startNodeTlsServer, type RunningServer } from '../support/servers.js';
import { fakeRawScanner, fakeScanResult } from './fake-raw.js';

describe('observations become a TlsContext judged by the static rules', () => {
  let server: RunningServer;
  const weak = makeIdentity({
    subject: { commonName: 'other.example' },
    altNames: ['other.example'],
    key: { type: 'rsa', bits: 1024 },
    hash: 'sha1',
    notBefore: new Date(Date.now() - 400 * 86400_000),
    notAfter: new Date(Date.now() - 86400_000),
  });
  beforeAll(async () => {
    server = await startNodeTlsServer({
      key: weak.keyPem,
      cert: weak.certPem,
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
  });
  afterAll(() => server.close());

  const legacyScan = {
    protocols: { 'TLSv1.0': true, 'TLSv1.1': null, 'TLSv1.3': false },
    // ECDHE-RSA-AES128-SHA (CBC), RC4-SHA, DES-CBC3-SHA, AES128-GCM-SHA256 (static RSA)
    ciphers: { 'TLSv1.0': [0xc013, 0x0005], 'TLSv1.2': [0xc02f, 0x000a, 0x009c] },
    requested12: false,
    dhBits: 1024,
  } as const;

  it('builds observed settings with evidence', () => {
    const context = buildProbeContext({
      endpoint: { host: 'h', port: 1 },
      scan: fakeScanResult(legacyScan),
      clientAuth: {
        requested: { value: false, evidence: 'no CertificateRequest in the TLS 1.2 server flight' },
        required: { value: false, evidence: 'x' },
        verified: { value: null, evidence: 'y' },
        caNames: [],
        handshakes: 2,
      },
      certificates: {
        chain: [],
        source: 'none',
        hostname: { name: 'h', matches: null, evidence: '' },
        trusted: { value: null, evidence: '', anchors: 'node-roots' },
        unreadable: [],
      },
    });
    expect(context).toMatchObject({
      language: 'probe',
      role: 'server',
      at: { file: 'h:1', line: 1 },
    });
    expect(context.protocols).toMatchObject({ origin: 'observed', value: ['TLSv1.0', 'TLSv1.2'] });
    expect(context.protocols?.origin === 'observed' && context.protocols.evidence).toMatch(
      /TLS 1.1 could not be tested/,
    );
    expect(context.ciphers).toMatchObject({
      origin: 'observed',
      value: {
        syntax: 'suites',
        text: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:TLS_RSA_WITH_RC4_128_SHA:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:TLS_RSA_WITH_3DES_EDE_CBC_SHA:TLS_RSA_WITH_AES_128_GCM_SHA256',
      },
    });
    expect(context.clientAuth).toMatchObject({ origin: 'observed', value: 'none' });
    expect(context.clientVerify).toBeUndefined();
    expect(context.material).toEqual([
      expect.objectContaining({ purpose: 'dhparam', summary: { kind: 'dh-params', dhBits: 1024 } }),
    ]);
  });

  it('an unknown client-auth verdict stays unknown (never "required")', () => {
    const context = buildProbeContext({
      endpoint: { host: 'h', port: 1 },
      clientAuth: {
        requested: { value: null, evidence: 'scan failed' },
        required: { value: null, evidence: 'timeout' },
        verified: { value: null, evidence: 'timeout' },
        caNames: [],
        handshakes: 2,
      },
      certificates: {
        chain: [],
        source: 'none',
        hostname: { name: 'h', matches: null, evidence: '' },
        trusted: { value: null, evidence: '', anchors: 'node-roots' },
        unreadable: [],
      },
    });
    expect(context.clientAuth).toMatchObject({ origin: 'unknown' });
    expect(context.clientVerify).toMatchObject({ origin: 'unknown' });
    expect(context.protocols).toMatchObject({ origin: 'unknown' });
  });

  it('judges a legacy endpoint with the same rule ids as the static linter', async () => {
    const r = await probe(`127.0.0.1:${server.port}`, {
      timeoutMs: 3000,
      sni: 'api.example',
      rawScan: fakeRawScanner(legacyScan),
    });
    const ids = new Set(r.findings.map((f) => f.ruleId));
    // Every id the issue lists for the probe, from one badly configured endpoint.
    expect([...ids].sort()).toEqual([
      'cbc-cipher-suite',
      'certificate-validity',
      'hostname-verification-disabled',
      'insecure-cipher-suite',
      'insecure-protocol-version',
      'no-forward-secrecy',
      'self-signed-certificate',
      'weak-key',
      'weak-signature-algorithm',
    ]);
    expect(r.errors).toEqual([]);
    const protocol = r.findings.find((f) => f.ruleId === 'insecure-protocol-version')!;
    expect(protocol.message).toMatch(/TLS 1\.0 accepted/);
    expect(protocol.at).toMatchObject({ file: `127.0.0.1:${server.port}`, line: 1 });
    const hostname = r.findings.find((f) => f.ruleId === 'hostname-verification-disabled')!;
    expect(hostname.message).toContain('"api.example"');
    expect(hostname.message).toContain('DNS:other.example');
    for (const f of r.findings) expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);

    // The served certificate is summarized for the certificate rules.
    const leaf = r.certificates.chain[0]!;
    expect(leaf).toMatchObject({
      selfSigned: true,
      key: { type: 'rsa', bits: 1024 },
      signatureHash: 'sha1',
      subject: 'CN=other.example',
    });
    expect(r.certificates.source).toBe('full-handshake');
    expect(r.certificates.trusted.value).toBe(false);

    const json = toProbeJson(r);
    expect(json.version).toBe(1);
    expect(json.target).toEqual({ host: '127.0.0.1', port: server.port, sni: 'api.example' });
    expect(json.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': true,
      'TLSv1.1': null,
      'TLSv1.2': true,
      'TLSv1.3': false,
    });
    expect(json.ciphers['TLSv1.0']).toEqual([
      {
        iana: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
        openssl: 'ECDHE-RSA-AES128-SHA',
        code: '0xC0,0x13',
      },
      { iana: 'TLS_RSA_WITH_RC4_128_SHA', openssl: 'RC4-SHA', code: '0x00,0x05' },
    ]);
    expect(
      json.findings.every((f) => f.file === `127.0.0.1:${server.port}` && f.language === 'probe'),
    ).toBe(true);
    expect(json.handshakes).toBe(12);

    const text = formatProbeStylish(r, PLAIN);
    expect(text).toContain('TLS 1.0  accepted');
    expect(text).toContain('TLS 1.1  could not test');
    expect(text).toContain('does NOT match "api.example"');
    expect(text).toContain('[insecure-protocol-version]');
  });
});
