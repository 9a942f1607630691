/**
 * The hostile corpus: inputs an attacker (or an unlucky user) puts in a repository that
 * tls-lint is run on. Each case is generated at test time (FIFOs, device links, deep nesting and
 * include webs cannot live in git), states its expected outcome, and runs under a deadline: the
 * test's own timeout, far above what a case needs, so a hang fails instead of stalling the suite.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { MAX_EXPANDED_DIRECTIVES, MAX_INCLUDE_DEPTH } from '../../src/languages/nginx/includes.js';
import { runCli, jsonReport } from '../support/cli.js';
import { writeRepo } from '../support/trees.js';

const DEADLINE = 20_000;
/** Cases that start the CLI: a busy 2-core machine needs seconds per start. */
const CLI_DEADLINE = 90_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh repository (the linted tree is its work tree) with these files. */
function repo(files: Record<string, string> = {}): string {
  return writeRepo('tls-lint-hostile-', files, dirs);
}

const run = (root: string, extra: { followOutside?: boolean; paths?: string[] } = {}) =>
  lint({
    paths: extra.paths ?? ['.'],
    cwd: root,
    ...(extra.followOutside && { followOutside: true }),
  });
const kinds = (r: Awaited<ReturnType<typeof run>>) =>
  r.errors.map((e) => `${path.basename(e.file)}:${e.kind}`);
const rules = (r: Awaited<ReturnType<typeof run>>) =>
  r.findings.map((f) => `${path.basename(f.at.file)}:${f.ruleId}`);
const SERVER =
  'server { listen 443 ssl; ssl_certificate c.pem; ssl_certificate_key c.key; ssl_protocols SSLv3 TLSv1.2; }';
const main = (inside: string) => `events {}\nhttp {\n  ${inside}\n  ${SERVER}\n}\n`;

describe('special files are never read', () => {
  test(
    'include /dev/zero: outside the tree, not followed (a note); with --follow-outside, not a regular file (an error)',
    async () => {
      const root = repo({ 'nginx.conf': main('include /dev/zero;') });
      const r = await run(root);
      expect(r.errors).toEqual([]);
      expect(r.notices.map((n) => n.message)).toEqual([
        expect.stringContaining(
          'include "/dev/zero" (line 3) not followed: outside the linted tree',
        ),
      ]);
      expect(rules(r)).toContain('nginx.conf:insecure-protocol-version');
      const opted = await run(root, { followOutside: true });
      expect(opted.errors).toEqual([
        expect.objectContaining({
          kind: 'not-regular',
          line: 3,
          message:
            'include "/dev/zero": not a regular file (a character device), not read; what it would set is unknown',
        }),
      ]);
      expect(rules(opted)).toContain('nginx.conf:insecure-protocol-version');
    },
    DEADLINE,
  );

  test(
    'a FIFO named nginx.conf in a walked tree is an error, the other files are linted',
    async () => {
      const root = repo({ 'other/nginx.conf': main('') });
      mkdirSync(path.join(root, 'fifo'));
      execFileSync('mkfifo', [path.join(root, 'fifo/nginx.conf')]);
      const r = await run(root);
      expect(r.errors).toEqual([
        {
          file: path.join(root, 'fifo/nginx.conf'),
          kind: 'not-regular',
          message: 'Not checked: not a regular file (a FIFO), not read',
        },
      ]);
      expect(rules(r)).toContain('nginx.conf:insecure-protocol-version');
    },
    DEADLINE,
  );

  test(
    'a link to /dev/urandom included, a folder included, a FIFO matched by a glob: errors, never read',
    async () => {
      const root = repo({
        'nginx.conf': main('include conf.d/*.conf; include folder.conf;'),
        'conf.d/a.conf': '',
      });
      symlinkSync('/dev/urandom', path.join(root, 'conf.d/random.conf'));
      mkdirSync(path.join(root, 'folder.conf'));
      execFileSync('mkfifo', [path.join(root, 'conf.d/pipe.conf')]);
      const opted = await run(root, { followOutside: true });
      expect(opted.errors.map((e) => e.message).sort()).toEqual([
        'Not checked: not a regular file (a FIFO), not read',
        'include "conf.d/*.conf": not a regular file (a FIFO), not read; what it would set is unknown',
        'include "conf.d/*.conf": not a regular file (a character device), not read; what it would set is unknown',
        'include "folder.conf": not a regular file (a folder), not read; what it would set is unknown',
      ]);
      // Without the opt-in the link points outside the tree: not followed.
      expect((await run(root)).notices.map((n) => n.message)).toContain(
        'include "conf.d/*.conf" (line 3) not followed: outside the linted tree; what it would set is unknown (--follow-outside reads it)',
      );
    },
    DEADLINE,
  );
});

describe('nothing outside the linted tree is read or printed', () => {
  test(
    'include /etc/passwd, ../../etc/passwd and a symbolic link to it: notes, no content, exit by the findings alone',
    () => {
      const root = repo({
        'nginx.conf': main(
          'include /etc/passwd; include ../../../../../../../../etc/passwd; include linked.conf;',
        ),
      });
      symlinkSync('/etc/passwd', path.join(root, 'linked.conf'));
      for (const format of ['stylish', 'json']) {
        const r = runCli(['--format', format, '.'], { cwd: root, timeoutMs: CLI_DEADLINE });
        expect(r.code, format).toBe(1);
        expect(r.stdout + r.stderr).not.toMatch(/root:|nologin|\/bin\/(ba)?sh/);
        if (format === 'stylish')
          expect(r.stdout.match(/not followed: outside the linted tree/g)).toHaveLength(3);
      }
    },
    CLI_DEADLINE,
  );

  test(
    'a certificate path outside the tree is not read (a note); over the size cap it says so',
    async () => {
      const root = repo({
        'nginx.conf': `events {}\nhttp { server { listen 443 ssl; ssl_certificate ../../../../../../etc/passwd; ssl_certificate_key big.key; } }\n`,
        'big.key': 'x'.repeat(5000),
      });
      const r = await lint({ paths: ['.'], cwd: root, maxFileBytes: 4096 });
      expect(r.notices.map((n) => n.message)).toContain(
        'Certificate "../../../../../../etc/passwd" (ssl_certificate, nginx.conf:2) not followed: outside the linted tree (--follow-outside reads it)',
      );
      expect(r.errors).toEqual([
        expect.objectContaining({
          file: path.join(root, 'big.key'),
          kind: 'too-large',
          message: expect.stringContaining(
            'too large to check (5000 bytes; the limit is 4096 bytes)',
          ),
        }),
      ]);
    },
    DEADLINE,
  );

  test(
    'package.json and nginx.conf above the work tree are not looked at',
    async () => {
      const outer = mkdtempSync(path.join(tmpdir(), 'tls-lint-outer-'));
      dirs.push(outer);
      writeFileSync(
        path.join(outer, 'package.json'),
        JSON.stringify({ engines: { node: '>=10' } }),
      );
      writeFileSync(
        path.join(outer, 'nginx.conf'),
        'events {}\nhttp { ssl_protocols SSLv3; include inner/site.conf; }\n',
      );
      mkdirSync(path.join(outer, 'inner/.git'), { recursive: true });
      writeFileSync(path.join(outer, 'inner/app.js'), "require('https').get({ host: 'a' });\n");
      writeFileSync(
        path.join(outer, 'inner/site.conf'),
        'server { listen 443 ssl; ssl_certificate c.pem; ssl_certificate_key c.key; }\n',
      );
      const r = await lint({ paths: ['.'], cwd: path.join(outer, 'inner') });
      // Node 10 from the outer package.json would make TLS 1.0 a finding; the outer nginx.conf would make SSLv3 one.
      expect(r.findings).toEqual([]);
    },
    DEADLINE,
  );
});

describe('bounded work', () => {
  test(
    'eight files including each other through a glob: one "include cycle" error, at once',
    async () => {
      const files: Record<string, string> = { 'ok/nginx.conf': main('') };
      for (const n of 'abcdefgh')
        files[`web/${n}.conf`] = 'include *.conf;\nssl_protocols TLSv1;\n';
      const r = await run(repo(files));
      expect(r.errors.map((e) => `${e.kind}: ${e.message}`)).toEqual([
        'include-cycle: include cycle: a.conf → a.conf; nginx cannot load this configuration, so it was not checked',
      ]);
      // The unrelated configuration keeps its finding.
      expect(rules(r)).toContain('nginx.conf:insecure-protocol-version');
    },
    DEADLINE,
  );

  test(
    'a fan-out of includes without a cycle stops at the budget',
    async () => {
      const files: Record<string, string> = { 'nginx.conf': main('include l1.conf;') };
      const levels = 7;
      for (let i = 1; i <= levels; i++)
        files[`l${i}.conf`] =
          i < levels ? `include l${i + 1}.conf;\n`.repeat(10) : 'ssl_session_timeout 5m;\n';
      const r = await run(repo(files));
      expect(r.errors).toEqual([
        expect.objectContaining({
          kind: 'budget',
          message: expect.stringMatching(/more than (5000 files|\d+ directives)/),
        }),
      ]);
      expect(MAX_EXPANDED_DIRECTIVES).toBeGreaterThan(1000);
    },
    DEADLINE,
  );

  test(
    'includes nested deeper than the limit: too deeply nested, not a crash',
    async () => {
      const files: Record<string, string> = { 'nginx.conf': main('include i0.conf;') };
      for (let i = 0; i < MAX_INCLUDE_DEPTH + 5; i++)
        files[`i${i}.conf`] = `include i${i + 1}.conf;\n`;
      const r = await run(repo(files));
      expect(r.errors).toEqual([
        expect.objectContaining({
          kind: 'too-deep',
          message: expect.stringContaining('too deeply nested to analyse (includes'),
        }),
      ]);
    },
    DEADLINE,
  );

  test(
    'blocks nested across includes count as one depth',
    async () => {
      const r = await run(
        repo({
          'nginx.conf': main(`${'location / { '.repeat(60)}include deeper.conf;${' }'.repeat(60)}`),
          'deeper.conf': `${'location / { '.repeat(60)}${' }'.repeat(60)}\n`,
        }),
      );
      expect(kinds(r)).toEqual(['deeper.conf:too-deep']);
      expect(r.errors[0]!.message).toMatch(
        /too deeply nested to analyse \(depth 101 through includes/,
      );
    },
    DEADLINE,
  );

  test(
    'deep JS/TS, long string chains and deep package.json arrays: analysed or "too deeply nested (depth N)", never a syntax or internal error',
    async () => {
      const root = repo({
        'deep-array.js': `const x = ${'['.repeat(20_000)}${']'.repeat(20_000)};\n`,
        'deep-object.ts': `const o = ${'{a:'.repeat(5000)}1${'}'.repeat(5000)};\n`,
        'chain.js': `const c = ${Array.from({ length: 25_000 }, () => "'a'").join(' + ')};\nrequire('tls').connect({ ciphers: c });\n`,
        'short-chain.js': `const c = ${Array.from({ length: 300 }, () => "'RC4'").join(" + ':' + ")};\nrequire('tls').connect({ host: 'x', ciphers: c, rejectUnauthorized: false });\n`,
        'package.json': `{"name":"x","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
        'fine.js': "require('https').get({ rejectUnauthorized: false });\n",
      });
      const r = await run(root);
      for (const e of r.errors) {
        expect(e.kind, e.message).toBe('too-deep');
        expect(e.message).toMatch(/^Too deeply nested to analyse \(depth \d+\)/);
      }
      expect(rules(r)).toContain('fine.js:certificate-verification-disabled');
      expect(rules(r)).toContain('short-chain.js:certificate-verification-disabled');
    },
    DEADLINE * 2,
  );

  test(
    'a 1 MB cipher string and a 40,000-character .gitignore line are handled',
    async () => {
      const ciphers = Array.from(
        { length: 120_000 },
        (_, i) => ['HIGH', '!aNULL', 'RC4-SHA', '+3DES'][i % 4],
      )
        .join(':')
        .slice(0, 1 << 20);
      const root = repo({
        'nginx.conf': `events {}\nhttp { server { listen 443 ssl; ssl_certificate c.pem; ssl_certificate_key c.key; ssl_ciphers "${ciphers}"; } }\n`,
        '.gitignore': `${'x/'.repeat(20_000)}\nignored.js\n`,
        'ignored.js': "require('https').get({ rejectUnauthorized: false });\n",
        'app.js': "require('https').get({ rejectUnauthorized: false });\n",
      });
      const r = await run(root);
      expect(r.errors).toEqual([]);
      expect(r.notices.map((n) => n.message)).toContain(
        'line 1 is longer than 4096 characters (no path is that long); 1 such line not applied',
      );
      // The string is read and judged whole (RC4-SHA is unknown to OpenSSL 3: an invalid item).
      expect(rules(r)).toEqual(
        expect.arrayContaining(['nginx.conf:invalid-cipher-string', 'nginx.conf:cbc-cipher-suite']),
      );
      expect(rules(r)).toContain('app.js:certificate-verification-disabled');
      expect(rules(r).some((x) => x.startsWith('ignored.js'))).toBe(false);
    },
    DEADLINE,
  );
  test(
    "import lines that never close, under a tsconfig: the prefilter's import check stays linear",
    async () => {
      // No TLS word of its own, so the import check reads its imports: 60,000 `import type {`
      // that no `}` ever closes once took minutes to match (each scanned to the end of the file).
      const unclosed = 'import type {\n'.repeat(60_000);
      const root = repo({
        'tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "strict": true } }\n',
        'src/unclosed.ts': unclosed,
        'src/ok.ts': `${'import type { A,\n'.repeat(20_000)}import { opts } from './options.js';\nexport const o = opts;\n`,
        'src/options.ts': 'export const opts = { rejectUnauthorized: false };\n',
        'src/app.ts':
          "import https from 'node:https';\nhttps.get({ rejectUnauthorized: false });\n",
      });
      const r = await run(root);
      expect(rules(r)).toContain('app.ts:certificate-verification-disabled');
      // Read for their syntax (neither parses) only when the check keeps them: ok.ts imports a
      // module with TLS words, unclosed.ts imports nothing.
      expect(kinds(r)).toEqual(['ok.ts:syntax']);
    },
    DEADLINE,
  );
});

describe('file names', () => {
  test(
    'names with ESC, newlines and a leading "-" are linted and shown escaped, one line each',
    () => {
      // The broken files name something TLS-related (`tls`): a file that does not is never parsed.
      const root = repo({
        'a\u001b[31mred.js': "require('https').get({ rejectUnauthorized: false });\n",
        'two\nlines.js': 'const tls = {\n',
        '-rf.js': "require('https').get({ rejectUnauthorized: false });\n",
      });
      const r = runCli(['.'], { cwd: root, timeoutMs: CLI_DEADLINE });
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/^a\\e\[31mred\.js$/m);
      expect(r.stdout).toMatch(/^\.\/-rf\.js$/m);
      expect(r.stderr).toMatch(/^error two\\nlines\.js:2:1 {2}Syntax error/m);
      expect(r.stdout + r.stderr).not.toMatch(/\u001b/);
      const json = jsonReport(
        runCli(['--format', 'json', '--', '-rf.js', 'two\nlines.js'], {
          cwd: root,
          timeoutMs: CLI_DEADLINE,
        }).stdout,
      );
      expect(json.findings.map((f: { file: string }) => f.file)).toEqual(['-rf.js']);
      expect(json.errors.map((e: { file: string }) => e.file)).toEqual(['two\nlines.js']);
    },
    CLI_DEADLINE,
  );

  test(
    'names that are not UTF-8 are linted, shown with \\xNN for each byte that is not',
    async () => {
      const root = repo();
      const bad = (name: number[]) => Buffer.from(name);
      // "café.js" in Latin-1, and a folder "\xff" holding a file.
      writeFileSync(
        Buffer.concat([Buffer.from(`${root}/`), bad([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x73])]),
        "require('https').get({ rejectUnauthorized: false });\n",
      );
      mkdirSync(Buffer.concat([Buffer.from(`${root}/`), bad([0xff])]));
      writeFileSync(
        Buffer.concat([Buffer.from(`${root}/`), bad([0xff, 0x2f]), Buffer.from('in.js')]),
        'const tls = {\n',
      );
      // A UTF-8 name that holds U+FFFD itself, beside them: read by its name as it is.
      writeFileSync(
        path.join(root, 'r\uFFFDsum\u00e9.js'),
        "require('https').get({ rejectUnauthorized: false });\n",
      );
      const r = await run(root);
      expect(r.findings.map((f) => path.relative(root, f.at.file))).toEqual([
        'caf\\xe9.js',
        'r\uFFFDsum\u00e9.js',
      ]);
      expect(r.errors.map((e) => `${path.relative(root, e.file)} ${e.kind}`)).toEqual([
        '\\xff/in.js syntax',
      ]);
    },
    DEADLINE,
  );
});
