/**
 * Test code kept apart and baselines, end to end through the CLI: the adoption path of the
 * README (write a baseline, then fail only on new findings) and test findings reported apart.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedPath, isTestPath } from '../../src/config/test-code.js';
import { ROOT, runCli, runMain } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-daily-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VERIFY_OFF =
  "const https = require('https');\nmodule.exports = new https.Agent({ rejectUnauthorized: false });\n";
function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}
async function json(args: string[]) {
  const r = await runMain(['--format', 'json', ...args], { cwd: dir });
  return {
    ...r,
    report: JSON.parse(r.stdout) as {
      findings: Array<{ file: string; severity: string; context?: string; fingerprint: string }>;
      baseline?: { known: number; gone: number };
    },
  };
}

beforeAll(() => {
  mkdirSync(path.join(dir, '.git'));
  write('src/client.js', VERIFY_OFF);
  write('test/helpers/client.js', VERIFY_OFF);
  write('src/client.spec.ts', VERIFY_OFF);
  write('examples/demo.js', VERIFY_OFF);
  write('bench-suite/load.js', VERIFY_OFF);
});

describe('test code classification', () => {
  it('knows the conventions, by segments below the root', () => {
    for (const p of [
      'test/a.js',
      'tests/a.js',
      'src/__tests__/a.js',
      'a.test.ts',
      'a.spec.mjs',
      'fixtures/x/nginx.conf',
      'examples/a.js',
      'benchmarks/a.js',
      'bench/a.js',
      'pkg/a_test.go',
      'test_a.py',
      'conftest.py',
    ]) {
      expect(isTestPath(p), p).toBe(true);
    }
    for (const p of [
      'src/a.js',
      'testing-lib/a.js',
      'contest.py',
      'latest/a.js',
      'src/attest.js',
      'a.go',
      'deploy/nginx.conf',
    ])
      expect(isTestPath(p), p).toBe(false);
    // The linted root itself is never a reason: `tls-lint examples/`.
    expect(isTestPath(classifiedPath('/r/examples/node/a.js', '/r/examples', '/r'))).toBe(false);
    expect(isTestPath(classifiedPath('/r/examples/node/a.js', '/r', '/r'))).toBe(true);
    // Explicit files (pre-commit) by their path from the working directory.
    expect(isTestPath(classifiedPath('/r/test/a.js', undefined, '/r'))).toBe(true);
    expect(isTestPath(classifiedPath('/r/test/a.js', undefined, '/r/test'))).toBe(false);
  });

  it('lowers test findings to info with context "test", counts them on one line, and passes the run', async () => {
    const { code, report } = await json(['.']);
    const byFile = Object.fromEntries(report.findings.map((f) => [f.file, f]));
    expect(byFile['src/client.js']).toMatchObject({ severity: 'error' });
    expect(byFile['src/client.js']!.context).toBeUndefined();
    for (const f of [
      'test/helpers/client.js',
      'src/client.spec.ts',
      'examples/demo.js',
      'bench-suite/load.js',
    ])
      expect(byFile[f], f).toMatchObject({ severity: 'info', context: 'test' });
    expect(code).toBe(1); // src/client.js
    const stylish = await runMain(['.'], { cwd: dir });
    expect(stylish.stdout).toContain('✖ 1 problem (1 error, 0 warnings) in 1 file');
    expect(stylish.stdout).toContain(
      'ℹ 4 findings in test, example or benchmark code (4 files) lowered to info',
    );
    // Production files first, test code after them.
    expect(stylish.stdout.indexOf('src/client.js\n')).toBeLessThan(
      stylish.stdout.indexOf('examples/demo.js'),
    );
    expect(
      (await runMain(['--exclude', 'src/client.js', '.'], { cwd: dir })).code,
      'only test code: nothing fails',
    ).toBe(0);
  });

  it('--tests report and skip, and the config key, change that; the flag wins', async () => {
    expect(
      (await json(['--tests', 'report', '.'])).report.findings.filter(
        (f) => f.severity === 'error',
      ),
    ).toHaveLength(5);
    // The summary counts what it judged: never a tick above five errors.
    const reported = await runMain(['--tests', 'report', '.'], { cwd: dir });
    expect(reported.code).toBe(1);
    expect(reported.stdout).toContain('✖ 5 problems (5 errors, 0 warnings) in 5 files');
    expect(reported.stdout).not.toContain('No TLS problems found');
    expect((await json(['--tests', 'skip', '.'])).report.findings.map((f) => f.file)).toEqual([
      'src/client.js',
    ]);
    write(
      'tls-lint.config.json',
      JSON.stringify({ tests: 'skip', overrides: [{ files: 'examples/**', tests: 'report' }] }),
    );
    try {
      const files = (await json(['.'])).report.findings
        .map((f) => `${f.file}:${f.severity}`)
        .sort();
      expect(files).toEqual(['examples/demo.js:error', 'src/client.js:error']);
      expect((await json(['--tests', 'info', '.'])).report.findings).toHaveLength(5);
    } finally {
      rmSync(path.join(dir, 'tls-lint.config.json'));
    }
  });

  it('a linted root named examples/ or fixtures/ is linted as asked (the README quick start)', async () => {
    const r = await json(['examples']);
    expect(r.report.findings[0]).toMatchObject({ file: 'examples/demo.js', severity: 'error' });
    expect(r.code).toBe(1);
    const quickStart = await runMain(['examples/'], { cwd: ROOT });
    expect(quickStart.code).toBe(1);
    expect(quickStart.stdout).not.toContain('lowered to info');
  });

  it('a file named explicitly is classified from the working directory (pre-commit passes staged files)', async () => {
    const r = await json(['test/helpers/client.js', 'src/client.js']);
    expect(r.report.findings.map((f) => `${f.file}:${f.severity}`).sort()).toEqual([
      'src/client.js:error',
      'test/helpers/client.js:info',
    ]);
  });
});

describe('baseline', () => {
  it('records findings (spawned, end to end), then fails only on new ones, stable when unrelated lines move, and counts the gone ones', async () => {
    const written = runCli(['--write-baseline', 'baseline.json', '.'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('recorded 5 findings in baseline.json');
    const saved = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8'));
    expect(saved).toMatchObject({ tool: 'tls-lint', version: 2 });
    // paths from the baseline's folder
    expect(saved.findings.map((e: { file: string }) => e.file)).toContain('test/helpers/client.js');
    expect(saved.findings).toHaveLength(5);

    const same = await runMain(['--baseline', 'baseline.json', '.'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('✔ No TLS problems found');
    expect(same.stdout).toContain('5 findings known from the baseline not shown');

    // Unrelated lines added above: still known. A new finding: reported, exit 1.
    write('src/client.js', `// a comment\n\n${VERIFY_OFF}`);
    write('src/new.js', VERIFY_OFF);
    const moved = await json(['--baseline', 'baseline.json', '.']);
    expect(moved.report.findings.map((f) => f.file)).toEqual(['src/new.js']);
    expect(moved.report.baseline).toEqual({ known: 5, gone: 0 });
    expect(moved.code).toBe(1);

    // A baselined finding fixed: said so.
    write(
      'examples/demo.js',
      "const https = require('https');\nmodule.exports = new https.Agent();\n",
    );
    const fixed = await runMain(
      ['--baseline', 'baseline.json', 'src', 'examples', 'test', 'bench-suite'],
      { cwd: dir },
    );
    expect(fixed.stdout).toContain('1 baselined finding no longer found');
  });

  it("matches from another working directory: paths are relative to the baseline file's folder", async () => {
    const repo = path.join(dir, 'subtree-repo');
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      writeFileSync(path.join(repo, rel), text);
    };
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    put('services/api/client.js', VERIFY_OFF);
    put('services/api/other.js', VERIFY_OFF);
    put('services/web/client.js', VERIFY_OFF);
    const sub = path.join(repo, 'services');
    const check = async (cwd: string, baseline: string, target: string) =>
      JSON.parse(
        (await runMain(['--format', 'json', '--baseline', baseline, target], { cwd })).stdout,
      ) as { findings: Array<{ file: string }>; baseline: { known: number; gone: number } };

    // written at the root, checked from a subfolder (and from a folder outside the tree)
    expect(
      (await runMain(['--write-baseline', '.tls-lint-baseline.json', '.'], { cwd: repo })).code,
    ).toBe(0);
    put('services/api/new.js', VERIFY_OFF);
    const fromSub = await check(sub, '../.tls-lint-baseline.json', '.');
    expect(fromSub.findings.map((f) => f.file)).toEqual(['api/new.js']);
    expect(fromSub.baseline).toEqual({ known: 3, gone: 0 });
    const fromAbove = await check(dir, 'subtree-repo/.tls-lint-baseline.json', 'subtree-repo');
    expect(fromAbove.findings.map((f) => f.file)).toEqual(['subtree-repo/services/api/new.js']);

    // written from a subfolder into the root, checked from the root: the same
    rmSync(path.join(repo, 'services/api/new.js'));
    expect(
      (await runMain(['--write-baseline', '../.tls-lint-baseline.json', '.'], { cwd: sub })).code,
    ).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(repo, '.tls-lint-baseline.json'), 'utf8')) as {
      findings: Array<{ file: string }>;
    };
    expect(saved.findings.map((e) => e.file).sort()).toEqual([
      'services/api/client.js',
      'services/api/other.js',
      'services/web/client.js',
    ]);
    put('services/web/new.js', VERIFY_OFF);
    const fromRoot = await check(repo, '.tls-lint-baseline.json', '.');
    expect(fromRoot.findings.map((f) => f.file)).toEqual(['services/web/new.js']);
    expect(fromRoot.baseline).toEqual({ known: 3, gone: 0 });
    // a file that moves is a new finding there (its path is part of the fingerprint)
    rmSync(path.join(repo, 'services/web/new.js'));
    expect((await check(sub, '../.tls-lint-baseline.json', 'api')).baseline).toEqual({
      known: 2,
      gone: 1,
    });
  });

  it('reads a version 1 baseline (fingerprints from the working directory it was written in)', async () => {
    const current = await json(['.']);
    write(
      'v1.json',
      JSON.stringify({
        tool: 'tls-lint',
        version: 1,
        findings: current.report.findings.map((f) => ({
          fingerprint: f.fingerprint,
          ruleId: 'x',
          file: f.file,
          message: '',
        })),
      }),
    );
    const r = await json(['--baseline', 'v1.json', '.']);
    expect(r.report.findings).toEqual([]);
    expect(r.report.baseline).toEqual({ known: current.report.findings.length, gone: 0 });
  });

  it('a missing or foreign baseline file is a usage error', async () => {
    expect(await runMain(['--baseline', 'nope.json', '.'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--write-baseline'),
    });
    write('foreign.json', '{"version":2}');
    expect(await runMain(['--baseline', 'foreign.json', '.'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a tls-lint baseline'),
    });
  });
});
