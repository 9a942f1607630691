/**
 * Output for daily use: docs at hand (hyperlinked rule ids, `tls-lint explain`, one home for the
 * URL), the top-level help, wrapping, progress only on a terminal, SARIF for code scanning, and
 * the GitHub Action definition.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { createProgress } from '../../src/cli/progress.js';
import { REPOSITORY_URL, ruleDocsUrl } from '../../src/engine/rule-api.js';
import { hyperlinksFor } from '../../src/report/colors.js';
import { fixSection, ruleReadme } from '../../src/report/rule-docs.js';
import { ROOT, runCli } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(
    path.join(dir, 'client.js'),
    "const https = require('https');\nmodule.exports = new https.Agent({ rejectUnauthorized: false });\n",
  );
});

describe('docs at hand', () => {
  it('each stylish finding ends with its rule id, an OSC 8 hyperlink to its README where the terminal has them, else the URLs are listed', () => {
    const plain = runCli(['client.js'], { cwd: dir, env: { FORCE_HYPERLINK: '0' } });
    expect(plain.stdout).toMatch(
      /is accepted {2}\[certificate-verification-disabled\]\n {19}help: remove it .* NODE_EXTRA_CA_CERTS$/m,
    );
    expect(plain.stdout).toContain(
      `Rule docs:\n  certificate-verification-disabled  ${ruleDocsUrl('certificate-verification-disabled')}\n`,
    );
    const linked = runCli(['client.js'], { cwd: dir, env: { FORCE_HYPERLINK: '1' } });
    expect(linked.stdout).toContain(
      `[\u001b]8;;${ruleDocsUrl('certificate-verification-disabled')}\u001b\\certificate-verification-disabled\u001b]8;;\u001b\\]`,
    );
    expect(hyperlinksFor({ isTTY: false }, {})).toBe(false);
    expect(hyperlinksFor({ isTTY: true }, { TERM_PROGRAM: 'iTerm.app' })).toBe(true);
    expect(hyperlinksFor({ isTTY: true }, { TERM: 'dumb', TERM_PROGRAM: 'iTerm.app' })).toBe(false);
  });

  it('tls-lint explain prints the rule README; an unknown id is a usage error', () => {
    const r = runCli(['explain', 'weak-key']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WEAK-KEY');
    expect(r.stdout).toContain('How to fix');
    expect(r.stdout.trimEnd().endsWith(ruleDocsUrl('weak-key'))).toBe(true);
    expect(
      runCli(['explain', 'weak-key', '--markdown']).stdout.startsWith(
        ruleReadme('weak-key')!.trimEnd(),
      ),
    ).toBe(true);
    expect(runCli(['explain', 'weak'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('did you mean "weak-key"'),
    });
  });

  it('package.json repository, homepage and bugs, SARIF and the docs URLs share one home', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.repository.url).toBe(`git+${REPOSITORY_URL}.git`);
    expect(pkg.homepage.startsWith(REPOSITORY_URL)).toBe(true);
    expect(pkg.bugs.url).toBe(`${REPOSITORY_URL}/issues`);
    for (const r of RULES)
      expect(ruleDocsUrl(r.meta.id)).toBe(
        `${REPOSITORY_URL}/blob/main/rules/${r.meta.id}/README.md`,
      );
  });
});

describe('help and wrapping', () => {
  it('tls-lint --help shows the lint options', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const o of [
      '--format',
      '--fail-on',
      '--target',
      '--profile',
      '--exclude',
      '--tests',
      '--baseline',
      '--write-baseline',
      '--config',
    ])
      expect(r.stdout).toContain(o);
  });

  it('long messages wrap to the terminal width under their own column, the rule id last', async () => {
    const { formatStylish } = await import('../../src/report/stylish.js');
    const { PLAIN } = await import('../../src/report/colors.js');
    const at = { file: path.join(dir, 'a.js'), line: 1, column: 1, endLine: 1, endColumn: 2 };
    const finding = {
      ruleId: 'weak-key',
      severity: 'error' as const,
      message: 'word '.repeat(40).trim(),
      at,
      language: 'node' as const,
      precision: 'high' as const,
      fingerprint: 'x',
    };
    const out = formatStylish([finding], [], {
      cwd: dir,
      palette: PLAIN,
      sourceOf: () => undefined,
      width: 80,
    });
    const lines = out.split('\n').filter((l) => l.includes('word') || l.includes('[weak-key]'));
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines.slice(1).every((l) => l.startsWith(' '.repeat(19)))).toBe(true);
    expect(lines.at(-1)!.trimEnd().endsWith('[weak-key]')).toBe(true);
  });
});

describe('progress and summary', () => {
  const fakeTerminal = (isTTY: boolean) => {
    const out: string[] = [];
    return { stream: { isTTY, columns: 80, write: (s: string) => out.push(s) }, out };
  };

  it('on a terminal: nothing in the first second, then files done/total, erased, and a closing summary', () => {
    let now = 0;
    const t = fakeTerminal(true);
    const p = createProgress(t.stream, true, () => now);
    p.update('read', 1, 10);
    expect(t.out).toEqual([]);
    now = 1500;
    p.update('read', 5, 10);
    expect(t.out.join('')).toContain('tls-lint: reading 5/10 files');
    now = 1550;
    p.update('read', 6, 10); // throttled
    expect(t.out).toHaveLength(1);
    now = 2000;
    p.update('analyse', 4, 4);
    expect(t.out.join('')).toContain('analysing 4/4 files');
    p.clear();
    expect(t.out.at(-1)).toBe('\r\u001b[K');
    p.summary(4, 6);
    expect(t.out.at(-1)).toMatch(/^Linted 4 files, skipped 6 .* in 2\.0s\n$/);
  });

  it('never when stderr is not a terminal, or when turned off', () => {
    let now = 0;
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const t = fakeTerminal(isTTY);
      const p = createProgress(t.stream, enabled, () => now);
      now = 5000;
      p.update('read', 1, 2);
      p.clear();
      p.summary(1, 1);
      expect(t.out).toEqual([]);
    }
    // The CLI under test has no terminal: stderr stays clean.
    expect(runCli(['client.js'], { cwd: dir }).stderr).toBe('');
  });
});

describe('SARIF for code scanning', () => {
  it('rules carry security-severity and the fix text in help; results carry the test context', () => {
    mkdirSync(path.join(dir, 'test'), { recursive: true });
    writeFileSync(
      path.join(dir, 'test', 'server.js'),
      "const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1' });\n",
    );
    const r = runCli(['--format', 'sarif', '.'], { cwd: dir });
    const run = JSON.parse(r.stdout).runs[0];
    for (const rule of run.tool.driver.rules as Array<{
      id: string;
      properties: Record<string, string>;
      help: { text: string; markdown: string };
    }>) {
      const sev = Number(rule.properties['security-severity']);
      expect(sev, rule.id).toBeGreaterThan(0);
      expect(sev).toBeLessThanOrEqual(10);
      const fix = fixSection(ruleReadme(rule.id) ?? '');
      if (fix) expect(rule.help.text).toContain(fix.slice(0, 60));
      expect(rule.help.markdown).toContain(ruleDocsUrl(rule.id));
    }
    const verification = run.tool.driver.rules.find(
      (x: { id: string }) => x.id === 'certificate-verification-disabled',
    );
    expect(Number(verification.properties['security-severity'])).toBeGreaterThanOrEqual(7);
    const testResult = run.results.find(
      (x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
        x.locations[0]!.physicalLocation.artifactLocation.uri === 'test/server.js',
    );
    expect(testResult).toMatchObject({ level: 'note', properties: { context: 'test' } });
  });

  it('action.yml runs the CLI from its own checkout and writes SARIF; the README workflow uses it and uploads', () => {
    const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.format.default).toBe('sarif');
    const script = action.runs.steps.map((s: { run: string }) => s.run).join('\n');
    expect(script).toContain('npm ci --omit=dev');
    expect(script).toContain('$GITHUB_ACTION_PATH/bin/tls-lint.js');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const workflow = parseYaml(
      /```yaml\n(# \.github\/workflows\/tls-lint\.yml[\s\S]*?)```/.exec(readme)![1]!,
    );
    const steps = workflow.jobs['tls-lint'].steps as Array<{
      uses?: string;
      with?: Record<string, string>;
    }>;
    expect(steps.some((s) => s.uses?.startsWith('tls-lint/tls-lint@'))).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.with?.sarif_file).toBe(action.inputs.output.default);
    expect(workflow.permissions['security-events']).toBe('write');
  });

  it('the action script, run as GitHub would, writes a SARIF log and fails the step on findings', async () => {
    const { spawnSync } = await import('node:child_process');
    const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const lint = action.runs.steps.find((s: { id?: string }) => s.id === 'lint');
    const outputFile = path.join(dir, 'gh-output');
    writeFileSync(outputFile, '');
    const r = spawnSync('bash', ['-c', lint.run], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_OUTPUT: outputFile,
        TLS_LINT_PATHS: 'client.js',
        TLS_LINT_FORMAT: 'sarif',
        TLS_LINT_OUTPUT: 'out.sarif',
        TLS_LINT_ARGS: '',
        TLS_LINT_FAIL: 'true',
      },
    });
    expect(r.status).toBe(1);
    expect(readFileSync(outputFile, 'utf8')).toContain('exit-code=1');
    expect(
      JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).runs[0].results,
    ).toHaveLength(1);
  });
});
