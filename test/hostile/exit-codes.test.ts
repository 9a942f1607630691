/**
 * A gate never passes what it did not check: any file that could not be checked makes the run
 * exit 2, even with findings, and says how many and why; the files that could be read are still
 * judged in full.
 */
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import type { LanguageReader } from '../../src/languages/reader.js';
import { READERS } from '../../src/languages/index.js';
import { runCli, jsonReport } from '../support/cli.js';
import { writeTree } from '../support/trees.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  return writeTree('tls-lint-exit-', files, dirs);
}

const SSLV3 =
  'events {}\nhttp {\n  server {\n    listen 443 ssl;\n    ssl_certificate c.pem; ssl_certificate_key c.key;\n    ssl_protocols SSLv3 TLSv1.2;\n  }\n}\n';

describe('exit code 2 when a file could not be checked', () => {
  test('a syntax error next to findings: exit 2, the findings are still reported, the last line says why', () => {
    // It names something TLS-related (`tls`): a file that does not is never parsed.
    const root = tree({ 'nginx/nginx.conf': SSLV3, 'app/broken.js': 'const tls = {\n' });
    const r = runCli(['.'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('[insecure-protocol-version]');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      '✖ 1 file could not be checked (1 syntax error); exit code 2',
    );
    expect(r.stderr).toMatch(/^error app\/broken\.js:2:1 {2}Syntax error/m);
    const json = jsonReport(runCli(['--format', 'json', '.'], { cwd: root }).stdout);
    expect(json.errors).toEqual([
      expect.objectContaining({ file: 'app/broken.js', kind: 'syntax', line: 2 }),
    ]);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'insecure-protocol-version',
    );
  });

  test('a FIFO named on the command line is not read, and is an error (exit 2) with its reason', () => {
    const root = tree({ 'ok.js': "require('tls').connect({ host: 'a', port: 1 });\n" });
    execFileSync('mkfifo', [path.join(root, 'pipe.js')]);
    const r = runCli(['--format', 'json', 'ok.js', 'pipe.js'], { cwd: root, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(jsonReport(r.stdout).errors).toEqual([
      {
        file: 'pipe.js',
        kind: 'not-regular',
        message: 'Not checked: not a regular file (a FIFO), not read',
      },
    ]);
  });

  test('explicit binary and over-size files are errors; in a walk they are skipped silently', async () => {
    const root = tree({ 'bin.js': 'a\u0000b', 'big.js': `// ${'x'.repeat(200)}\n` });
    const named = await lint({ paths: ['bin.js', 'big.js'], cwd: root, maxFileBytes: 100 });
    expect(named.errors.map((e) => `${path.basename(e.file)}:${e.kind}`).sort()).toEqual([
      'big.js:too-large',
      'bin.js:binary',
    ]);
    expect((await lint({ paths: ['.'], cwd: root, maxFileBytes: 100 })).errors).toEqual([]);
  });

  test('a folder that cannot be listed is an error, not a silent gap (checked as a non-root user)', async (ctx) => {
    const root = tree({
      'a.js': '\n',
      'locked/b.js': "require('https').get({ rejectUnauthorized: false });\n",
    });
    chmodSync(path.join(root, 'locked'), 0o000);
    chmodSync(root, 0o755);
    try {
      if (process.getuid?.() === 0) {
        // root reads everything: run the CLI as nobody, when the system lets us.
        let out: string;
        try {
          chmodSync(root, 0o777);
          out = execFileSync(
            'setpriv',
            [
              '--reuid=65534',
              '--regid=65534',
              '--clear-groups',
              process.execPath,
              path.resolve('bin/tls-lint.js'),
              '--format',
              'json',
              root,
            ],
            { cwd: '/', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
          );
        } catch (e) {
          const err = e as { status?: number; stdout?: string };
          if (err.status !== 2 || !err.stdout) {
            ctx.skip(`cannot run as a non-root user here (setpriv: ${String(e)})`);
            return;
          }
          out = err.stdout;
        }
        const json = jsonReport(out);
        expect(json.errors).toEqual([
          expect.objectContaining({
            kind: 'unreadable',
            message: expect.stringContaining('Folder cannot be listed (permission denied)'),
          }),
        ]);
        return;
      }
      const r = await lint({ paths: ['.'], cwd: root });
      expect(r.errors).toEqual([
        expect.objectContaining({ file: path.join(root, 'locked'), kind: 'unreadable' }),
      ]);
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });

  test('a reader that throws on one file costs only that file: the other files of the same reader keep their findings', async () => {
    const root = tree({
      'good/nginx.conf': SSLV3,
      'evil/nginx.conf': SSLV3.replace('SSLv3', 'TLSv1'),
    });
    const nginx = READERS.find((r) => r.id === 'nginx')!;
    const fragile: LanguageReader = {
      ...nginx,
      read(files, ctx) {
        if (files.some((f) => f.path.includes('evil'))) throw new Error('boom');
        return nginx.read(files, ctx);
      },
    };
    const r = await lint({ paths: ['.'], cwd: root, readers: [fragile] });
    expect(r.errors).toEqual([
      {
        file: path.join(root, 'evil/nginx.conf'),
        kind: 'internal',
        message: 'Internal error in the nginx reader: boom; the file was not checked',
      },
    ]);
    expect(
      withoutDefaultCiphers(r.findings).map((f) => `${path.relative(root, f.at.file)}:${f.ruleId}`),
    ).toEqual(['good/nginx.conf:insecure-protocol-version']);
  });

  test('a certificate that exists but cannot be parsed is reported with the file and the reason', async () => {
    const root = tree({
      'nginx.conf': SSLV3,
      'c.pem': 'not a certificate\n',
      'c.key': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    });
    const r = await lint({ paths: ['.'], cwd: root });
    expect(r.errors.map((e) => `${path.basename(e.file)}: ${e.kind}: ${e.message}`)).toEqual([
      'c.key: unreadable: Private key (ssl_certificate_key, nginx.conf:5) could not be parsed: ' +
        r.errors[0]!.message.split('could not be parsed: ')[1]!,
      'c.pem: unreadable: Certificate (ssl_certificate, nginx.conf:5) could not be parsed: no certificate found',
    ]);
  });
});
