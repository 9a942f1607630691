import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteByCode } from '../../src/crypto/cipher-suites.js';
import { probe } from '../../src/probe/index.js';
import { haveProgram, whichProgram } from '../support/system.js';
import {
  makeTestPki,
  startOpensslServer,
  type RunningServer,
  type TestPki,
} from '../support/servers.js';

/** `openssl s_client` as the referee for suites the local OpenSSL supports. */
function sClientNegotiates(
  port: number,
  versionFlag: string,
  opensslName: string,
): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(
      whichProgram('openssl')!,
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        versionFlag,
        '-cipher',
        `${opensslName}:@SECLEVEL=0`,
      ],
      {
        env: { ...process.env, OPENSSL_CONF: '/dev/null' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(new RegExp(`Cipher(?: is|\\s*:) ${opensslName.replace(/[-]/g, '\\-')}\\b`).test(out));
    });
  });
}

describe.skipIf(!haveProgram('openssl'))('probe against openssl s_server', () => {
  let pki: TestPki;
  const servers: Record<string, RunningServer> = {};

  const configs = (p: TestPki): Record<string, string[]> => ({
    tls10: ['-tls1', '-cipher', 'ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0'],
    nullAnon: [
      '-tls1_2',
      '-cipher',
      'ADH-AES128-GCM-SHA256:AECDH-AES128-SHA:NULL-SHA256:@SECLEVEL=0',
    ],
    verifyOptional: ['-verify', '1', '-CAfile', p.file('clientCa', 'crt')],
    verifyRequired: ['-Verify', '1', '-verify_return_error', '-CAfile', p.file('clientCa', 'crt')],
    verifyRequired13: [
      '-tls1_3',
      '-Verify',
      '1',
      '-verify_return_error',
      '-CAfile',
      p.file('clientCa', 'crt'),
    ],
    // Only RSA client certificates: the EC throwaway certificate is never sent.
    verifyRsaOnly: [
      '-tls1_2',
      '-Verify',
      '1',
      '-verify_return_error',
      '-client_sigalgs',
      'RSA+SHA256:RSA+SHA384',
      '-CAfile',
      p.file('clientCa', 'crt'),
    ],
  });

  beforeAll(async () => {
    pki = makeTestPki();
    for (const [name, args] of Object.entries(configs(pki)))
      servers[name] = await startOpensslServer(pki, args);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    pki?.cleanup();
  });

  const run = (name: string) =>
    probe(`127.0.0.1:${servers[name]!.port}`, { timeoutMs: 4000, ca: pki.serverCa.certPem });

  it('-verify (optional, errors ignored): requested, not required, not verified; both client-certificate findings', async () => {
    const r = await run('verifyOptional');
    expect([
      r.clientAuth.requested.value,
      r.clientAuth.required.value,
      r.clientAuth.verified.value,
    ]).toEqual([true, false, false]);
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).toContain('client-certificate-not-required');
    expect(ids).toContain('client-certificate-not-verified');
  });

  it('-Verify -verify_return_error: required (alert 116) and verified (alert 48)', async () => {
    const r = await run('verifyRequired');
    expect([
      r.clientAuth.requested.value,
      r.clientAuth.required.value,
      r.clientAuth.verified.value,
    ]).toEqual([true, true, true]);
    expect(r.clientAuth.required.evidence).toMatch(/alert 116/);
    expect(r.clientAuth.verified.evidence).toMatch(/alert 48/);
  });

  it('a server that allows only RSA client certificates is tested with an RSA throwaway certificate', async () => {
    const r = await run('verifyRsaOnly');
    expect(r.clientAuth.verified).toMatchObject({ value: true });
    expect(r.clientAuth.verified.evidence).toMatch(/alert 48/);
    expect(r.notes.join('\n')).toContain('repeated with an RSA certificate');
  });

  it('a TLS 1.3-only server that requests a certificate is seen as requesting one', async () => {
    const r = await run('verifyRequired13');
    expect(r.clientAuth.requested.value).toBe(true);
    expect(r.clientAuth.required.value).toBe(true);
    expect(r.scan!.certificateRequest.tls13?.requested).toBe(true);
    expect(r.scan!.protocols).toMatchObject({ 'TLSv1.2': false, 'TLSv1.3': true });
  });

  it('NULL and anonymous suites: the full handshakes retry with what the scan saw', async () => {
    const r = await run('nullAnon');
    expect(r.tested).toBe(true);
    expect(r.clientAuth.required.value).toBe(false);
    expect(r.notes.join('\n')).toContain('repeated offering only what the scan saw accepted');
    expect(r.notes.join('\n')).not.toContain('failed again');
    expect([...r.scan!.ciphers['TLSv1.2']!].sort()).toEqual([0x003b, 0x00a6, 0xc018].sort());
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).toContain('insecure-cipher-suite');
    // s_server's automatic DH group for anonymous DH at @SECLEVEL=0 is 1024 bits.
    expect(r.scan!.dh).toEqual({ bits: 1024 });
    expect(ids).toContain('weak-key');
  });

  it('TLS 1.0 with @SECLEVEL=0 is reported as accepted, with an insecure-protocol-version finding', async () => {
    const r = await run('tls10');
    expect(r.tested).toBe(true);
    expect(r.findings.map((f) => f.ruleId)).toContain('insecure-protocol-version');
    expect(r.scan!.protocols).toMatchObject({
      SSLv3: false,
      'TLSv1.0': true,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': false,
    });
    expect([...r.scan!.ciphers['TLSv1.0']!].sort()).toEqual([0x002f, 0xc013].sort());
  });

  it('openssl s_client confirms every suite the probe reports, and refuses one it does not', async () => {
    for (const [name, flag, version] of [
      ['tls10', '-tls1', 'TLSv1.0'],
      ['nullAnon', '-tls1_2', 'TLSv1.2'],
    ] as const) {
      const r = await run(name);
      const reported = r.scan!.ciphers[version] ?? [];
      expect(reported.length).toBeGreaterThan(0);
      for (const code of reported) {
        const suite = suiteByCode(code)!;
        expect(
          await sClientNegotiates(servers[name]!.port, flag, suite.openssl!),
          `${name} ${suite.openssl}`,
        ).toBe(true);
      }
      expect(
        await sClientNegotiates(servers[name]!.port, flag, 'ECDHE-RSA-AES256-GCM-SHA384'),
      ).toBe(false);
    }
  });
});
