import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  makeTestPki,
  startNodeTlsServer,
  startSilentServer,
  type RunningServer,
  type TestPki,
} from '../support/servers.js';
import { probeJson } from '../support/cli.js';
import { cliBuilt, runCliAsync } from './cli-run.js';

describe.skipIf(!cliBuilt)('tls-lint probe (CLI)', () => {
  let pki: TestPki;
  let clean: RunningServer;
  let optional: RunningServer;
  let silent: RunningServer;
  beforeAll(async () => {
    pki = makeTestPki();
    clean = await startNodeTlsServer({
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305',
    });
    optional = await startNodeTlsServer({
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      requestCert: true,
      rejectUnauthorized: false,
      ca: pki.clientCa.certPem,
    });
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await Promise.all([clean.close(), optional.close(), silent.close()]);
    pki.cleanup();
  });

  it('exit 0 and a readable report for a clean endpoint (with --ca)', async () => {
    const r = await runCliAsync([
      'probe',
      `127.0.0.1:${clean.port}`,
      '--ca',
      pki.file('serverCa', 'crt'),
      '--timeout',
      '3000',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`tls-lint probe 127.0.0.1:${clean.port}`);
    expect(r.stdout).toMatch(/TLS 1\.3 +accepted/);
    expect(r.stdout).toMatch(/Trusted +yes/);
    expect(r.stdout).toMatch(/Requested no/);
    expect(r.stdout).toMatch(/✔ 0 findings/);
  });

  it('exit 1 with findings, each with what was seen and what to change', async () => {
    const r = await runCliAsync([
      'probe',
      `localhost:${optional.port}`,
      '--ca',
      pki.file('serverCa', 'crt'),
      '--timeout',
      '3000',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /error +Client certificates are not verified .*observed: a self-signed client certificate was accepted.* \[client-certificate-not-verified\]/,
    );
    expect(r.stdout).toContain('Verified  no (an untrusted certificate is accepted)');
  });

  it('--cert/--key report whether the given certificate gets in', async () => {
    const r = await runCliAsync([
      'probe',
      `127.0.0.1:${optional.port}`,
      '--format',
      'json',
      '--cert',
      pki.file('client', 'crt'),
      '--key',
      pki.file('client', 'key'),
      '--timeout',
      '3000',
    ]);
    const json = probeJson(r.stdout);
    expect(json.clientAuth.givenCertificateAccepted).toBe(true);
  });

  it('exit 2 for a target that cannot be reached', async () => {
    const port = await freePort();
    const r = await runCliAsync(['probe', `127.0.0.1:${port}`, '--timeout', '1000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ECONNREFUSED');
    expect(r.stdout).toBe('');
  });

  it('exit 2 when nothing could be tested (a silent server), never a clean bill of health', async () => {
    const r = await runCliAsync([
      'probe',
      `127.0.0.1:${silent.port}`,
      '--timeout',
      '700',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was tested');
    const json = probeJson(r.stdout);
    expect(json.clientAuth).toMatchObject({ requested: null, required: null, verified: null });
    expect(Object.values(json.protocols).includes(true)).toBe(false);
  });

  it('exit 2 for usage errors', async () => {
    expect((await runCliAsync(['probe', 'host:99999'])).code).toBe(2);
    expect(
      (await runCliAsync(['probe', `127.0.0.1:${clean.port}`, '--cert', pki.file('client', 'crt')]))
        .code,
    ).toBe(2);
    expect(
      (await runCliAsync(['probe', `127.0.0.1:${clean.port}`, '--ca', '/nonexistent/ca.pem'])).code,
    ).toBe(2);
  });
});
