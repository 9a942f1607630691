/**
 * The "done when", from the README alone: a repository with findings in production and in
 * test code adds the README's config file, adopts tls-lint with the README's baseline commands,
 * and sees test findings apart. Every command and file comes out of README.md, so a README step
 * that stops working fails here. (The pre-commit route runs with the real pre-commit in
 * test/install/pre-commit.test.ts; the GitHub Action in everyday-output.test.ts.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runMain } from '../support/cli.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VERIFY_OFF =
  "const https = require('https');\nmodule.exports = new https.Agent({ rejectUnauthorized: false });\n";
// An AEAD-only list: this test follows the README's config steps, not Node's default cipher list.
const TLS10 =
  "const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1', ciphers: 'ECDHE+AESGCM' });\n";

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

/** The body of the first fenced block after `heading` whose first line matches `first`. */
function block(heading: string, first: RegExp): string {
  const section = README.slice(README.indexOf(heading));
  expect(section.length, `README has "${heading}"`).toBeLessThan(README.length);
  const fence = [...section.matchAll(/```\w*\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => first.test(b));
  expect(fence, `a code block under "${heading}"`).toBeDefined();
  return fence!;
}

/** `tls-lint …` command lines of a shell block, as argument lists (comments dropped). */
function commands(sh: string): string[][] {
  return sh
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('tls-lint '))
    .map((l) => l.split(/\s+/).slice(1));
}

beforeAll(() => {
  mkdirSync(path.join(dir, '.git'));
  write('src/client.js', VERIFY_OFF);
  write('src/server.js', TLS10);
  write('test/client.test.js', VERIFY_OFF);
  write('examples/demo.js', VERIFY_OFF);
  write(
    'src/cbc.js',
    "const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-GCM-SHA256' });\n",
  );
  write('vendor/lib.js', VERIFY_OFF);
});

describe('the README, followed by a new user', () => {
  it('the config file of the README applies (rules turned off, severities set)', async () => {
    const config = JSON.parse(block('### Configuration file', /^\{\n\s+"\$schema"/)) as {
      rules: Record<string, string>;
      ignore: string[];
    };
    expect(config.rules['cbc-cipher-suite']).toBe('error');
    expect(config.ignore).toContain('vendor/');
    write('tls-lint.config.json', JSON.stringify(config));
    const r = await runMain(['--format', 'json', '.'], { cwd: dir });
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ ruleId: string; file: string; severity: string; context?: string }>;
    };
    // vendor/ ignored; CBC raised from warning to error by "rules"
    expect(
      report.findings
        .filter((f) => f.context !== 'test')
        .map((f) => `${f.file} ${f.ruleId} ${f.severity}`)
        .sort(),
    ).toEqual([
      'src/cbc.js cbc-cipher-suite error',
      'src/client.js certificate-verification-disabled error',
      'src/server.js insecure-protocol-version error',
    ]);
    expect(r.code).toBe(1);
  });

  it('test findings are apart: at info, after production code, on their own summary line', async () => {
    const r = await runMain(['.'], { cwd: dir });
    expect(r.stdout).toMatch(/✖ 3 problems \(3 errors, 0 warnings\)/);
    expect(r.stdout).toMatch(/ℹ 2 findings in test, example or benchmark code \(2 files\)/);
    expect(r.stdout.indexOf('src/server.js')).toBeLessThan(r.stdout.indexOf('test/client.test.js'));
  });

  it('the baseline commands of the README adopt it: recorded, then only new findings fail', async () => {
    const steps = commands(block('### Adopting tls-lint', /--write-baseline/));
    expect(steps.map((s) => s[0])).toEqual(['--write-baseline', '--baseline']);
    const [write1, check] = steps as [string[], string[]];
    expect((await runMain(write1, { cwd: dir })).code, 'writing a baseline exits 0').toBe(0);
    const clean = await runMain(check, { cwd: dir });
    expect(clean.code, clean.stdout).toBe(0);
    write('src/new-client.js', VERIFY_OFF);
    const fresh = await runMain(check, { cwd: dir });
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toContain('src/new-client.js');
    expect(fresh.stdout).not.toContain('src/server.js');
    // and from a subfolder, with the same file (paths are relative to the baseline's folder)
    const sub = await runMain(['--baseline', '../.tls-lint-baseline.json', '.'], {
      cwd: path.join(dir, 'src'),
    });
    expect(sub.stdout).toContain('new-client.js');
    expect(sub.stdout).not.toContain('server.js');
  });
});
