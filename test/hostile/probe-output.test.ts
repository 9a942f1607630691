/**
 * A probed server cannot write to the user's terminal: certificate subjects and CA names with
 * control characters print as visible escapes. The probe's time options are validated and the
 * whole probe has a deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdentity } from '../../src/probe/x509-builder.js';
import { startNodeTlsServer, startSilentServer, type RunningServer } from '../support/servers.js';
import { probeJson } from '../support/cli.js';
import { cliBuilt, runCliAsync } from '../probe/cli-run.js';

const EVIL = 'evil\u001b[2J\u001b[31mRED\rforged line\nerror fake\u009b1m';

describe.skipIf(!cliBuilt)('probe output from a hostile server', () => {
  let server: RunningServer;
  let silent: RunningServer;
  beforeAll(async () => {
    const ca = makeIdentity({ subject: { commonName: `CA ${EVIL}` }, isCA: true });
    const leaf = makeIdentity({
      subject: { commonName: EVIL, organization: 'Org\u001b]0;title\u0007' },
      issuer: ca,
      altNames: ['localhost'],
    });
    server = await startNodeTlsServer({
      key: leaf.keyPem,
      cert: leaf.certPem,
      requestCert: true,
      rejectUnauthorized: false,
      ca: ca.certPem,
    });
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await Promise.all([server.close(), silent.close()]);
  });

  it('prints a certificate subject and CA names with ESC, CR, LF and C1 bytes as visible escapes', async () => {
    const r = await runCliAsync(['probe', `127.0.0.1:${server.port}`, '--timeout', '3000'], 60_000);
    expect(r.stdout).toContain('tls-lint probe 127.0.0.1');
    // NO_COLOR is set: not one raw control character but the line ends may reach the terminal.
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('evil\\e[2J\\e[31mRED\\rforged line\\nerror fake\\x9b1m');
    // Node's subject text already escapes as OpenSSL does (\1B); whatever is left is ours (\x9b).
    expect(r.stdout).toMatch(/^ {2}Subject .*evil\\(1B|e)\[2J.*fake\\x9b1m$/m);
    expect(r.stdout).toMatch(/^ {2}CA names .*"[^"\n]*CA evil\\e\[2J/m);
    expect(r.stdout).not.toMatch(/^forged line|^error fake/m);
    // JSON carries the real value, validly escaped.
    const json = probeJson(
      (
        await runCliAsync(
          ['probe', `127.0.0.1:${server.port}`, '--timeout', '3000', '--format', 'json'],
          60_000,
        )
      ).stdout,
    );
    expect(JSON.stringify(json)).toContain('evil\\u001b[2J');
  }, 90_000);

  it('--timeout outside 1 ms–10 min and a bad --deadline are usage errors (exit 2)', async () => {
    for (const args of [
      ['--timeout', '0'],
      ['--timeout', '600001'],
      ['--timeout', '1e3'],
      ['--deadline', '0'],
      ['--deadline', 'soon'],
    ]) {
      const r = await runCliAsync(['probe', '127.0.0.1:1', ...args], 30_000);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/is in milliseconds, from 1 to \d+/);
      expect(r.stdout).toBe('');
    }
  }, 90_000);

  it('--deadline ends the whole probe of a server that never answers, as could not test (exit 2)', async () => {
    // Every step alone could wait 10 s; the whole probe may take 1.5 s.
    const r = await runCliAsync(
      [
        'probe',
        `127.0.0.1:${silent.port}`,
        '--timeout',
        '10000',
        '--deadline',
        '1500',
        '--format',
        'json',
      ],
      30_000,
    );
    expect(r.code).toBe(2);
    const json = probeJson(r.stdout);
    expect(Object.values(json.protocols).includes(true)).toBe(false);
    expect(json.notes.join('\n')).toContain('overall deadline (1500 ms, --deadline) was reached');
  }, 40_000);
});
