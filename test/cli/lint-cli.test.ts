import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, runCli, runMain, jsonReport } from '../support/cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-cli-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(
    path.join(dir, 'src', 'client.js'),
    [
      "const https = require('https');",
      '',
      'const agent = new https.Agent({',
      '  rejectUnauthorized: false,',
      '});',
      'module.exports = agent;',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'src', 'server.mjs'),
    [
      "import tls from 'node:tls';",
      "tls.createServer({ minVersion: 'TLSv1', ciphers: 'ECDHE+AESGCM' });",
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'src', 'broken.ts'),
    ['const x = {', '  rejectUnauthorized: false', '', 'function (', ''].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'src', 'clean.js'),
    ["const tls = require('tls');", "tls.connect({ host: 'a', port: 443 });", ''].join('\n'),
  );
  mkdirSync(path.join(dir, 'ignored'));
  writeFileSync(
    path.join(dir, 'ignored', 'bad.js'),
    "require('https').get({ rejectUnauthorized: false });\n",
  );
  writeFileSync(path.join(dir, '.tls-lintignore'), 'ignored/\n');
  mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(
    path.join(dir, 'node_modules', 'dep', 'index.js'),
    "require('https').get({ rejectUnauthorized: false });\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tls-lint CLI', () => {
  it('JSON output follows the contract, with relative forward-slash paths and 1-based positions', async () => {
    const r = await runMain(['--format', 'json', '.'], { cwd: dir });
    // src/broken.ts could not be checked: exit 2 even with findings.
    expect(r.code).toBe(2);
    const report = jsonReport(r.stdout);
    expect(report.version).toBe(1);
    expect(Array.isArray(report.findings)).toBe(true);
    const verify = report.findings.find((f) => f.ruleId === 'certificate-verification-disabled')!;
    expect(verify).toMatchObject({
      severity: 'error',
      file: 'src/client.js',
      line: 4,
      column: 3,
      endLine: 4,
      language: 'node',
    });
    expect(verify.endColumn).toBeGreaterThan(verify.column);
    expect(verify.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(verify.message).toContain('rejectUnauthorized');
    const protocol = report.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'insecure-protocol-version',
    );
    expect(protocol).toMatchObject({ file: 'src/server.mjs', line: 2 });
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'ruleId',
          'severity',
          'message',
          'file',
          'line',
          'column',
          'endLine',
          'endColumn',
          'language',
          'fingerprint',
        ]),
      );
    }
  });

  it('a syntax error is an errors[] entry with its location while the other files are still linted', async () => {
    const r = await runMain(['--format', 'json', 'src'], { cwd: dir });
    const report = jsonReport(r.stdout);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: 'src/broken.ts', kind: 'syntax' });
    expect(report.errors[0]!.line).toBeGreaterThan(0);
    expect(report.findings.map((f: { file: string }) => f.file).sort()).toEqual([
      'src/client.js',
      'src/server.mjs',
    ]);
    // A gate never passes what it did not check.
    expect(r.code).toBe(2);
  });

  it('honours .tls-lintignore and never enters node_modules', async () => {
    const r = await runMain(['--format', 'json', '.'], { cwd: dir });
    const files = jsonReport(r.stdout).findings.map((f: { file: string }) => f.file);
    expect(
      files.some((f: string) => f.startsWith('ignored/') || f.startsWith('node_modules/')),
    ).toBe(false);
  });

  it('a file named explicitly is linted even when ignored (pre-commit passes staged files)', async () => {
    const r = await runMain(['--format', 'json', 'ignored/bad.js'], { cwd: dir });
    expect(jsonReport(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'certificate-verification-disabled',
    ]);
  });

  it('a mistyped path is a usage error (exit 2), even next to good paths; a lone broken file is no tick', async () => {
    const r = await runMain(['src/client.js', 'no-such-dir/'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or directory: no-such-dir/');
    expect(r.stdout).toContain('certificate-verification-disabled');
    const broken = await runMain(['src/broken.ts'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toMatch(
      /^⚠ No TLS problems found in what could be checked\n✖ 1 file could not be checked \(1 syntax error\); exit code 2\n$/m,
    );
  });

  it('exit code 0 for a clean file, 1 for findings, 2 for usage errors', async () => {
    expect((await runMain(['src/clean.js'], { cwd: dir })).code).toBe(0);
    expect((await runMain(['src/client.js'], { cwd: dir })).code).toBe(1);
    const bad = await runMain(['--target', 'nodejs=18', 'src'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown platform "nodejs"');
    expect((await runMain(['--format', 'xml', 'src'], { cwd: dir })).code).toBe(2);
    expect((await runMain(['--rule', 'no-such-rule', 'src'], { cwd: dir })).code).toBe(2);
  });

  it('--max-warnings and --fail-on decide whether warnings fail the run', async () => {
    writeFileSync(
      path.join(dir, 'warn.js'),
      "const tls = require('tls');\ntls.createServer({ secureProtocol: 'TLSv1_2_method', ciphers: 'ECDHE+AESGCM' });\n",
    );
    const strict = await runMain(['--format', 'json', 'warn.js'], { cwd: dir });
    const ids = jsonReport(strict.stdout).findings.map(
      (f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`,
    );
    expect(ids).toEqual(['deprecated-tls-api:warning']);
    expect(strict.code).toBe(1);
    expect((await runMain(['--max-warnings', '1', 'warn.js'], { cwd: dir })).code).toBe(0);
    expect((await runMain(['--max-warnings', '0', 'warn.js'], { cwd: dir })).code).toBe(1);
    expect((await runMain(['--fail-on', 'error', 'warn.js'], { cwd: dir })).code).toBe(0);
    expect((await runMain(['--quiet', 'warn.js'], { cwd: dir })).stdout).toContain(
      'No TLS problems found',
    );
  });

  it('stylish output groups by file with line:col, severity, message, rule id, a code frame and a summary', async () => {
    const r = await runMain(['src'], { cwd: dir });
    expect(r.stdout).toMatch(/^src\/client\.js$/m);
    expect(r.stdout).toMatch(
      /^ {2}4:3 +error +Server certificate verification is disabled.*\[certificate-verification-disabled\]$/m,
    );
    expect(r.stdout).toMatch(/> 4 \| {3}rejectUnauthorized: false,/);
    expect(r.stdout).toMatch(/\^{25}/);
    expect(r.stdout).toMatch(
      /✖ 2 problems \(2 errors, 0 warnings\) in 2 files\n✖ 1 file could not be checked \(1 syntax error\); exit code 2\n$/,
    );
    expect(r.stderr).toMatch(/error src\/broken\.ts:\d+/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('colours only when forced or on a terminal, never with NO_COLOR', async () => {
    expect(
      (
        await runMain(['src/client.js'], {
          cwd: dir,
          env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
        })
      ).stdout,
    ).toMatch(/\u001b\[31m/);
    expect(
      (await runMain(['src/client.js'], { cwd: dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }))
        .stdout,
    ).not.toMatch(/\u001b\[/);
    expect(
      (await runMain(['src/client.js'], { cwd: dir, env: { NO_COLOR: undefined } })).stdout,
    ).not.toMatch(/\u001b\[/);
  });

  it('--target node=10 applies the old default minimum (TLS 1.0) and says so', async () => {
    const r = await runMain(['--format', 'json', '--target', 'node=10', 'src/clean.js'], {
      cwd: dir,
    });
    const f = jsonReport(r.stdout).findings;
    expect(f.map((x: { ruleId: string }) => x.ruleId)).toEqual(['insecure-protocol-version']);
    expect(f[0]!.message).toContain('Node');
  });

  it('--help names the assumed target versions, at the top level and for lint', async () => {
    for (const args of [['--help'], ['lint', '--help']]) {
      const r = await runMain(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/node=22 +Node\.js 22 is the oldest release line/);
      expect(r.stdout).toMatch(/nginx=1\.22 +nginx 1\.22 is what Debian 12/);
    }
  });
});

describe('nginx site files linted without their nginx.conf', () => {
  it('say so in a note (stylish, JSON), and are judged in full next to the nginx.conf that includes them', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'tls-lint-frag-'));
    mkdirSync(path.join(d, 'conf.d'));
    writeFileSync(
      path.join(d, 'conf.d', 'site.conf'),
      'server {\n    listen 443 ssl;\n    location / { proxy_pass https://10.0.0.1:8443; }\n}\n',
    );
    const alone = await runMain(['conf.d/site.conf'], { cwd: d });
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(
      /^note {2}conf\.d\/site\.conf {2}linted as a fragment: no nginx\.conf above it includes it/m,
    );
    expect(alone.stdout).toContain('1 note above on how files were judged');
    expect(
      jsonReport((await runMain(['--format', 'json', '.'], { cwd: d })).stdout).notices,
    ).toEqual([expect.objectContaining({ file: 'conf.d/site.conf' })]);
    writeFileSync(path.join(d, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    const whole = jsonReport((await runMain(['--format', 'json', '.'], { cwd: d })).stdout);
    expect(whole.notices).toBeUndefined();
    expect(whole.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'certificate-verification-disabled',
    );
    rmSync(d, { recursive: true, force: true });
  });
});

describe('SARIF output', () => {
  it('has one run with the rules, results with regions and fingerprints, and parse errors as notifications', async () => {
    const r = await runMain(['--format', 'sarif', 'src'], { cwd: dir });
    expect(r.code).toBe(2);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('tls-lint');
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toContain(
      'certificate-verification-disabled',
    );
    const result = run.results.find(
      (x: { ruleId: string }) => x.ruleId === 'certificate-verification-disabled',
    );
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'src/client.js' },
      region: { startLine: 4, startColumn: 3 },
    });
    expect(result.partialFingerprints['tlsLint/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('certificate-verification-disabled');
    expect(
      run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation
        .artifactLocation.uri,
    ).toBe('src/broken.ts');
    expect(run.invocations[0].toolExecutionNotifications[0].properties).toEqual({ kind: 'syntax' });
    // A file could not be checked: the run was not successful (and exits 2).
    expect(run.invocations[0].executionSuccessful).toBe(false);
    const clean = JSON.parse(
      (await runMain(['--format', 'sarif', 'src/client.js'], { cwd: dir })).stdout,
    );
    expect(clean.runs[0].invocations[0].executionSuccessful).toBe(true);
  });
});

// A few runs of the real program (bin/tls-lint.js over dist/): the exit status a shell sees, the
// streams, colour decided by the child's own environment, and start-up without the test runner.
describe('tls-lint CLI, end to end (spawned)', () => {
  it('exits 0 for a clean file, 1 for findings and 2 for a usage error, with the message on stderr', () => {
    expect(runCli(['src/clean.js'], { cwd: dir })).toMatchObject({ code: 0, stderr: '' });
    const findings = runCli(['--format', 'json', 'src/client.js'], { cwd: dir });
    expect(findings.code).toBe(1);
    expect(jsonReport(findings.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'certificate-verification-disabled',
    ]);
    const bad = runCli(['--target', 'nodejs=18', 'src'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('unknown platform "nodejs"');
  });

  it('stylish output with a parse error on stderr (exit 2), and colour only when the environment forces it', () => {
    const plain = runCli(['src'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stdout).toMatch(/^src\/client\.js$/m);
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect(plain.stderr).toMatch(/error src\/broken\.ts:\d+/);
    expect(
      runCli(['src/client.js'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })
        .stdout,
    ).toMatch(/\u001b\[31m/);
  });

  it('a reader that closes the pipe early (`tls-lint rules | head -1`) ends the output quietly', () => {
    // The shell's pipeline: tls-lint's stdout goes to `head -1`, which exits after one line.
    const piped = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" rules | head -1 >/dev/null`],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(piped.stderr).not.toMatch(/EPIPE|internal error|Unhandled/);
    expect(piped.status).toBe(0);
  });
});

describe('dogfood', () => {
  it("tls-lint's own sources parse and lint clean: its deliberate exceptions (the probe's permissive client) carry suppressions", async () => {
    const r = await runMain([
      '--format',
      'json',
      'src',
      'rules',
      'eslint-plugin',
      'bench',
      'scripts',
    ]);
    const report = jsonReport(r.stdout);
    expect(report.errors).toEqual([]);
    expect(
      report.findings.map(
        (f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`,
      ),
    ).toEqual([]);
    expect(r.code).toBe(0);
    // About 11 s idle (all our sources, imports followed); a busy 2-core CI machine can take
    // several times that, which is not a failure of what this test checks.
  }, 180_000);
});
