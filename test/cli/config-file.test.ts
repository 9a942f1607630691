/**
 * The project config file end to end: found upwards from the linted path (tls-lint.config.json,
 * .yaml, package.json "tls-lint"), every key doing what the README says, flags winning over it,
 * a bad file being a usage error (exit 2) that names the key, and the shipped JSON Schema being
 * what the loader checks with.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, validateConfig } from '../../src/config/config-file.js';
import type { JsonFinding } from '../../src/report/json.js';
import { checkSchema } from '../../src/config/schema-check.js';
import { MTLS_MODES, PROFILES } from '../../src/config/policy.js';
import { TARGET_PLATFORMS } from '../../src/config/targets.js';
import { TEST_MODES } from '../../src/config/test-code.js';
import { SEVERITIES } from '../../src/model/finding.js';
import { ROOT, runCli, runMain, jsonReport } from '../support/cli.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const temp = mkdtempSync(path.join(tmpdir(), 'tls-lint-config-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let n = 0;
let dir: string;

const VERIFY_OFF =
  "const https = require('https');\nmodule.exports = new https.Agent({ rejectUnauthorized: false });\n";
const TLS10 = "const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1' });\n";
const SELF_SIGNED_OK =
  "const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1.2' });\n";

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

/** Findings of a run, without the default-cipher-list ones every server gets (not what these tests are about). */
async function lintJson(
  args: string[],
  cwd = dir,
): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  const r = await runMain(['--format', 'json', ...args], { cwd });
  let findings: JsonFinding[] = [];
  try {
    findings = withoutDefaultCiphers(jsonReport(r.stdout).findings);
  } catch {
    /* usage errors print nothing on stdout */
  }
  return { code: r.code, findings, stderr: r.stderr };
}

beforeEach(() => {
  dir = path.join(temp, `p${++n}`);
  mkdirSync(path.join(dir, '.git'), { recursive: true }); // a repository root: the search stops here
  write('src/client.js', VERIFY_OFF);
  write('src/server.js', TLS10);
  write('src/fine.js', SELF_SIGNED_OK);
});

describe('config file discovery', () => {
  it('tls-lint.config.json above the linted folder turns a rule off and sets another severity', async () => {
    write(
      'tls-lint.config.json',
      JSON.stringify({
        rules: {
          'certificate-verification-disabled': 'off',
          'insecure-protocol-version': 'warning',
        },
      }),
    );
    const r = await lintJson(['src']);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['insecure-protocol-version']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.code).toBe(1);
  });

  it('reads tls-lint.config.yaml, and package.json\'s "tls-lint" key when there is no config file', async () => {
    write(
      'tls-lint.config.yaml',
      '# comment\nrules:\n  certificate-verification-disabled: "off"\n',
    );
    expect((await lintJson(['.'])).findings.map((f) => f.ruleId)).toEqual([
      'insecure-protocol-version',
    ]);
    rmSync(path.join(dir, 'tls-lint.config.yaml'));
    write(
      'package.json',
      JSON.stringify({ name: 'x', 'tls-lint': { rules: { 'insecure-protocol-version': 'off' } } }),
    );
    expect((await lintJson(['.'])).findings.map((f) => f.ruleId)).toEqual([
      'certificate-verification-disabled',
    ]);
  });

  it('the nearest config wins, and the search stops at the repository root', async () => {
    write(
      'tls-lint.config.json',
      JSON.stringify({ rules: { 'insecure-protocol-version': 'off' } }),
    );
    write(
      'src/tls-lint.config.json',
      JSON.stringify({ rules: { 'certificate-verification-disabled': 'off' } }),
    );
    expect((await lintJson(['src'])).findings.map((f) => f.ruleId)).toEqual([
      'insecure-protocol-version',
    ]);
    // A config above the repository root is not this project's.
    const inner = path.join(dir, 'nested-repo');
    mkdirSync(path.join(inner, '.git'), { recursive: true });
    writeFileSync(path.join(inner, 'a.js'), TLS10);
    expect((await lintJson(['.'], inner)).findings.map((f) => f.ruleId)).toEqual([
      'insecure-protocol-version',
    ]);
  });

  it('--config names the file explicitly', async () => {
    write('conf/strict.json', JSON.stringify({ rules: { 'insecure-protocol-version': 'off' } }));
    expect(
      (await lintJson(['--config', 'conf/strict.json', 'src'])).findings.map((f) => f.ruleId),
    ).toEqual(['certificate-verification-disabled']);
  });
});

describe('config keys', () => {
  it('profile, mtls, targets and failOn apply, and command-line flags win over them', async () => {
    // node=10 would make TLS 1.0 the default; no finding here comes from that, so use failOn.
    write(
      'tls-lint.config.json',
      JSON.stringify({
        failOn: 'error',
        rules: {
          'certificate-verification-disabled': 'warning',
          'insecure-protocol-version': 'warning',
        },
      }),
    );
    expect((await lintJson(['src'])).code, 'warnings do not fail with failOn: error').toBe(0);
    expect((await lintJson(['--fail-on', 'warning', 'src'])).code, 'the flag wins').toBe(1);

    write('tls-lint.config.json', JSON.stringify({ targets: { nginx: '1.14' } }));
    write(
      'site/nginx.conf',
      'events {}\nhttp {\n  server {\n    listen 443 ssl;\n    ssl_certificate a.pem;\n    ssl_certificate_key a.key;\n  }\n}\n',
    );
    const old = (await lintJson(['site'])).findings.filter(
      (f) => f.ruleId === 'insecure-protocol-version',
    );
    expect(old.length, 'nginx 1.14 enables TLS 1.0 by default').toBeGreaterThan(0);
    const newer = (await lintJson(['--target', 'nginx=1.28', 'site'])).findings.filter(
      (f) => f.ruleId === 'insecure-protocol-version',
    );
    expect(newer, '--target wins over the file').toEqual([]);
  });

  it('profile from the file changes severities; --profile wins', async () => {
    write(
      'cbc.js',
      "const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-GCM-SHA256' });\n",
    );
    const severity = async (args: string[]) =>
      (await lintJson([...args, 'cbc.js'])).findings.find((f) => f.ruleId === 'cbc-cipher-suite')
        ?.severity;
    const byDefault = await severity([]);
    write('tls-lint.config.json', JSON.stringify({ profile: 'old' }));
    const old = await severity([]);
    expect(old).not.toBe(byDefault);
    expect(await severity(['--profile', 'intermediate'])).toBe(byDefault);
  });

  it('ignore globs leave files out, even when named explicitly (pre-commit); --exclude adds more', async () => {
    write('vendor/lib.js', VERIFY_OFF);
    write('tls-lint.config.json', JSON.stringify({ ignore: ['vendor/'] }));
    const files = async (args: string[]) =>
      [...new Set((await lintJson(args)).findings.map((f) => f.file))].sort();
    expect(await files(['.'])).toEqual(['src/client.js', 'src/server.js']);
    expect(await files(['vendor/lib.js', 'src/client.js'])).toEqual(['src/client.js']);
    expect(await files(['--exclude', 'src/server.js', '--exclude', '**/client.js', '.'])).toEqual(
      [],
    );
  });

  it('overrides set a severity or rules per folder; later entries win', async () => {
    write('legacy/old.js', TLS10);
    write('legacy/keep/strict.js', TLS10);
    write(
      'tls-lint.config.json',
      JSON.stringify({
        overrides: [
          { files: 'legacy/**', severity: 'info' },
          { files: ['legacy/keep/**'], rules: { 'insecure-protocol-version': 'error' } },
          { files: 'src/server.js', rules: { 'insecure-protocol-version': 'off' } },
        ],
      }),
    );
    const r = await lintJson(['.']);
    const at = (file: string) =>
      r.findings.filter((f) => f.file === file).map((f) => `${f.ruleId}:${f.severity}`);
    expect(at('legacy/old.js')).toEqual(['insecure-protocol-version:info']);
    expect(at('legacy/keep/strict.js')).toEqual(['insecure-protocol-version:error']);
    expect(at('src/server.js')).toEqual([]);
    expect(at('src/client.js')).toEqual(['certificate-verification-disabled:error']);
  });
});

describe('a bad config file is a usage error naming the key', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'tls-lint.config.json',
      JSON.stringify({ profiel: 'modern' }),
      /tls-lint\.config\.json: "profiel" unknown key/,
    ],
    [
      'tls-lint.config.json',
      JSON.stringify({ profile: 'strict' }),
      /"profile" expected one of "modern", "intermediate", "old", got "strict"/,
    ],
    [
      'tls-lint.config.json',
      JSON.stringify({ rules: { 'weak-key': 'high' } }),
      /"rules\.weak-key" expected one of "off", "info", "warning", "error", got "high"/,
    ],
    [
      'tls-lint.config.json',
      JSON.stringify({ rules: { 'no-such-rule': 'off' } }),
      /"rules\.no-such-rule" is not a rule/,
    ],
    [
      'tls-lint.config.json',
      JSON.stringify({ targets: { nodejs: '18' } }),
      /"targets\.nodejs" unknown key/,
    ],
    [
      'tls-lint.config.json',
      JSON.stringify({ ignore: 'vendor/' }),
      /"ignore" expected a list of strings, got "vendor\/"/,
    ],
    [
      'tls-lint.config.json',
      JSON.stringify({ overrides: [{ rules: {} }] }),
      /"overrides\[0\]\.files" is required/,
    ],
    ['tls-lint.config.json', JSON.stringify({ expiryDays: -1 }), /"expiryDays" must be at least 0/],
    ['tls-lint.config.json', '{ "rules": ', /tls-lint\.config\.json: not valid JSON/],
    ['tls-lint.config.yaml', 'rules: [unclosed', /tls-lint\.config\.yaml:\d+: not valid YAML/],
    [
      'package.json',
      JSON.stringify({ 'tls-lint': { tests: 'hide' } }),
      /package\.json "tls-lint": "tests" expected one of "report", "info", "skip"/,
    ],
  ];
  for (const [index, [file, text, message]] of cases.entries()) {
    it(`${file}: ${text.slice(0, 50)}${index === 0 ? ' (spawned, end to end)' : ''}`, async () => {
      write(file, text);
      const r = index === 0 ? runCli(['src'], { cwd: dir }) : await runMain(['src'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it('two config files in one folder are ambiguous', async () => {
    write('tls-lint.config.json', '{}');
    write('tls-lint.config.yaml', '{}');
    const r = await runMain(['src'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('both configure tls-lint; keep one');
  });
});

describe('the shipped JSON Schema', () => {
  const schema = configSchema();

  it('is the file package.json ships, and a valid draft 2020-12 document of the keywords the loader knows', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('schema/');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    // checkSchema throws on a keyword it does not implement: the loader checks all of the schema.
    expect(() =>
      checkSchema(
        { overrides: [{ files: 'a' }], rules: { x: 'off' }, targets: { node: '18' } },
        schema,
      ),
    ).not.toThrow();
  });

  it('lists the same values as the code (profiles, mtls modes, severities, test modes, target platforms)', () => {
    const props = schema.properties as Record<
      string,
      { enum?: unknown[]; propertyNames?: { enum: unknown[] } }
    >;
    const defs = schema.$defs as Record<string, { enum?: unknown[] }>;
    expect(props.profile!.enum).toEqual([...PROFILES]);
    expect(props.mtls!.enum).toEqual([...MTLS_MODES]);
    expect(props.failOn!.enum).toEqual([...SEVERITIES]);
    expect(defs.tests!.enum).toEqual([...TEST_MODES]);
    expect(defs.level!.enum).toEqual(['off', ...[...SEVERITIES].reverse()]);
    expect(props.targets!.propertyNames!.enum).toEqual([...TARGET_PLATFORMS]);
  });

  it('accepts the README example and every key, rejects what the loader rejects', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const json = /```json\n(\{\n {2}"\$schema"[\s\S]*?)```/.exec(readme)?.[1];
    const yaml = /```yaml\n# tls-lint\.config\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(json, 'README shows a tls-lint.config.json').toBeDefined();
    expect(yaml, 'README shows a tls-lint.config.yaml').toBeDefined();
    expect(checkSchema(JSON.parse(json!), schema)).toEqual([]);
    expect(checkSchema(parseYaml(yaml!), schema)).toEqual([]);
    expect(() => validateConfig(JSON.parse(json!), 'x')).not.toThrow();
    expect(checkSchema({ rules: { 'Weak Key': 'off' } }, schema)[0]!.key).toBe('rules.Weak Key');
    expect(checkSchema({ overrides: [{ files: [] }] }, schema)[0]!.key).toBe('overrides[0].files');
  });
});
