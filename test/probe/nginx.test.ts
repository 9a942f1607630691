import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/probe/index.js';
import type { ProtocolVersion } from '../../src/model/protocol.js';
import { execFile } from 'node:child_process';
import { haveProgram, whichProgram } from '../support/system.js';
import { makeTestPki, startNginx, type NginxServer, type TestPki } from '../support/servers.js';
import { probeJson } from '../support/cli.js';
import { cliBuilt, runCliAsync } from './cli-run.js';

/**
 * The real nginx, with `ssl_verify_client on|optional|optional_no_ca|off`. nginx finishes the
 * handshake and refuses at the HTTP layer (docs/platform-facts.md#nginx-client-certificates), which is what the probe must read.
 */
describe.skipIf(!haveProgram('nginx'))('probe against a real nginx', () => {
  let pki: TestPki;
  const servers: Record<string, NginxServer> = {};
  const CIPHERS_12 = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA';

  beforeAll(async () => {
    pki = makeTestPki();
    const ca = `ssl_client_certificate ${pki.file('clientCa', 'crt')};`;
    const common = `ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers ${CIPHERS_12};`;
    const started = await Promise.all([
      startNginx(pki, `${common} ssl_verify_client on; ${ca}`),
      startNginx(pki, `${common} ssl_verify_client optional; ${ca}`),
      startNginx(pki, `${common} ssl_verify_client optional_no_ca;`),
      startNginx(pki, common),
      startNginx(pki, `ssl_protocols TLSv1.3; ssl_verify_client on; ${ca}`),
    ]);
    [servers.on, servers.optional, servers.optional_no_ca, servers.off, servers.tls13only] =
      started;
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    pki?.cleanup();
  });

  const expectations = {
    on: { requested: true, required: true, verified: true },
    optional: { requested: true, required: false, verified: true },
    optional_no_ca: { requested: true, required: false, verified: false },
    off: { requested: false, required: false, verified: null },
  } as const;

  for (const [mode, expected] of Object.entries(expectations)) {
    it(`ssl_verify_client ${mode}: requested ${expected.requested}, required ${expected.required}, verified ${expected.verified}`, async () => {
      const r = await probe(`127.0.0.1:${servers[mode]!.port}`, {
        timeoutMs: 4000,
        ca: pki.serverCa.certPem,
      });
      expect({
        requested: r.clientAuth.requested.value,
        required: r.clientAuth.required.value,
        verified: r.clientAuth.verified.value,
      }).toEqual(expected);
      const ids = r.findings.map((f) => f.ruleId);
      if (mode === 'optional') expect(ids).toContain('client-certificate-not-required');
      if (mode === 'optional_no_ca') expect(ids).toContain('client-certificate-not-verified');
      if (mode === 'on' || mode === 'off') {
        expect(ids).not.toContain('client-certificate-not-required');
        expect(ids).not.toContain('client-certificate-not-verified');
      }
      if (mode === 'on')
        expect(r.clientAuth.required.evidence).toContain('No required SSL certificate was sent');
      if (mode === 'optional')
        expect(r.clientAuth.verified.evidence).toContain('The SSL certificate error');
      // The server certificate was issued for localhost/127.0.0.1 by the CA given as --ca.
      expect(r.certificates.hostname.matches).toBe(true);
      expect(r.certificates.trusted.value).toBe(true);
    });
  }

  it('a TLS 1.3-only server that requests a certificate is seen requesting one (in its encrypted flight)', async () => {
    const r = await probe(`127.0.0.1:${servers.tls13only!.port}`, {
      timeoutMs: 4000,
      ca: pki.serverCa.certPem,
    });
    expect(r.scan!.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': false,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': true,
    });
    expect(r.clientAuth.requested).toEqual({
      value: true,
      evidence: 'the TLS 1.3 (decrypted) server flight holds a CertificateRequest',
    });
    expect(r.clientAuth.caNames).toEqual(['O=tls-lint tests, CN=tls-lint Test Client CA']);
    expect(r.clientAuth.required.value).toBe(true);
    expect(r.clientAuth.verified.value).toBe(true);
    expect(r.scan!.certificateRequest.byVersion).toEqual({ 'TLSv1.3': true });
  });

  it('a real client certificate gets in where ssl_verify_client is on', async () => {
    const r = await probe(`127.0.0.1:${servers.on!.port}`, {
      timeoutMs: 4000,
      cert: pki.client.certPem,
      key: pki.client.keyPem,
    });
    expect(r.clientAuth.givenCertificate).toMatchObject({ value: true });
    expect(r.clientAuth.givenCertificate?.evidence).toContain('200');
  });

  describe('protocols and suites', () => {
    it('reports exactly the configured protocols and suites, and the advertised CA name', async () => {
      const r = await probe(`127.0.0.1:${servers.optional!.port}`, { timeoutMs: 4000 });
      expect(r.scan!.protocols).toEqual({
        SSLv2: false,
        SSLv3: false,
        'TLSv1.0': false,
        'TLSv1.1': false,
        'TLSv1.2': true,
        'TLSv1.3': true,
      });
      expect([...r.scan!.ciphers['TLSv1.2']!].sort()).toEqual([0xc014, 0xc02f].sort());
      // OpenSSL 3's default TLS 1.3 suites (ssl_ciphers does not touch TLS 1.3).
      expect([...r.scan!.ciphers['TLSv1.3']!].sort()).toEqual([0x1301, 0x1302, 0x1303]);
      expect(r.clientAuth.caNames).toEqual(['O=tls-lint tests, CN=tls-lint Test Client CA']);
    });

    it.skipIf(!haveProgram('sslscan'))(
      'sslscan (an independent scanner) sees the same protocols and suites',
      async () => {
        const port = servers.optional!.port;
        const r = await probe(`127.0.0.1:${port}`, { timeoutMs: 4000 });
        const xml = await new Promise<string>((resolve, reject) =>
          execFile(
            whichProgram('sslscan')!,
            ['--xml=-', '--no-colour', `127.0.0.1:${port}`],
            { timeout: 30_000 },
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error
            (e, stdout) => (e ? reject(e) : resolve(stdout)),
          ),
        );
        const enabled = [
          ...xml.matchAll(/<protocol type="(ssl|tls)" version="([\d.]+)" enabled="1"/g),
        ].map(([, type, v]) => `${type === 'ssl' ? 'SSLv' : 'TLSv'}${v}`);
        expect(enabled.sort()).toEqual(['TLSv1.2', 'TLSv1.3']);
        expect(
          Object.entries(r.scan!.protocols)
            .filter(([, on]) => on)
            .map(([v]) => v)
            .sort(),
        ).toEqual(enabled.sort());
        for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
          const theirs = [
            ...xml.matchAll(
              new RegExp(
                `<cipher status="\\w+" sslversion="${version.replace('.', '\\.')}"[^>]* id="0x([0-9a-fA-F]+)"`,
                'g',
              ),
            ),
          ].map((m) => parseInt(m[1]!, 16));
          expect(theirs.length).toBeGreaterThan(0);
          expect([...r.scan!.ciphers[version]!].sort((a, b) => a - b)).toEqual(
            theirs.sort((a, b) => a - b),
          );
        }
      },
    );

    it.skipIf(!cliBuilt)(
      'Done when: `tls-lint probe 127.0.0.1:PORT --format json` on ssl_verify_client optional',
      async () => {
        const res = await runCliAsync([
          'probe',
          `127.0.0.1:${servers.optional!.port}`,
          '--format',
          'json',
          '--timeout',
          '4000',
        ]);
        expect(res.code).toBe(1);
        const json = probeJson(res.stdout);
        expect(json.version).toBe(1);
        expect(json.target).toEqual({ host: '127.0.0.1', port: servers.optional!.port, sni: null });
        expect(json.protocols).toEqual({
          SSLv2: false,
          SSLv3: false,
          'TLSv1.0': false,
          'TLSv1.1': false,
          'TLSv1.2': true,
          'TLSv1.3': true,
        });
        const names = (v: ProtocolVersion) => json.ciphers[v]?.map((c) => c.openssl).sort();
        expect(names('TLSv1.2')).toEqual(['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-SHA']);
        expect(names('TLSv1.3')).toEqual([
          'TLS_AES_128_GCM_SHA256',
          'TLS_AES_256_GCM_SHA384',
          'TLS_CHACHA20_POLY1305_SHA256',
        ]);
        expect(json.ciphers['TLSv1.2']).toContainEqual({
          iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
          openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
          code: '0xC0,0x2F',
        });
        expect(json.clientAuth).toMatchObject({
          requested: true,
          required: false,
          verified: true,
          caNames: ['O=tls-lint tests, CN=tls-lint Test Client CA'],
        });
        expect(json.clientAuth.requestedByVersion).toEqual({ 'TLSv1.2': true, 'TLSv1.3': true });
        expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
          'client-certificate-not-required',
        );
        expect(json.handshakes).toBeGreaterThan(0);
        expect(typeof json.durationMs).toBe('number');
      },
    );
  });
});
