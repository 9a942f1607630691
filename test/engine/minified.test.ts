/**
 * Minified and generated bundles found in a tree walk are not linted, and one notice per run
 * names them all; a bundle named on the command line, `--include-minified` or the config's
 * `includeMinified` lints them.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { looksMinified, MIN_BYTES, MIN_MEAN_LINE } from '../../src/engine/minified.js';
import { jsonReport, runMain } from '../support/cli.js';
import { writeRepo } from '../support/trees.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const VERIFY_OFF = "new (require('https').Agent)({ rejectUnauthorized: false });";
/** 30 kB of code on one line, as a bundler writes it. */
const MINIFIED_CODE = Array.from(
  { length: 1000 },
  (_, i) => `function f${i}(a){return g(a,${i})}`,
).join(';');
/** A bundle: the TLS call among that code. */
const BUNDLE = `!function(){${MINIFIED_CODE};${VERIFY_OFF}}();\n`;
/** The same bytes written by hand: one statement a line. */
const HAND_WRITTEN = `${'// a comment line of an ordinary length, as people write them\n'.repeat(500)}${VERIFY_OFF}\n`;

describe('looksMinified', () => {
  it('tells bundles from hand-written code by size and line length', () => {
    expect(looksMinified('/p/app.js', BUNDLE)).toBe(true);
    expect(looksMinified('/p/app.js', HAND_WRITTEN)).toBe(false);
    // Small files are cheap to parse, whatever they look like.
    expect(looksMinified('/p/app.js', VERIFY_OFF)).toBe(false);
    expect(looksMinified('/p/app.min.js', VERIFY_OFF)).toBe(false);
  });

  it('counts the average line, so one long line in a long file is not a bundle', () => {
    const dataLine = `export const TEXTURE = ${JSON.stringify('A'.repeat(40_000))};\n`;
    const lines = Math.ceil(dataLine.length / MIN_MEAN_LINE) + 10;
    const source = dataLine + 'export const x = 1;\n'.repeat(lines);
    expect(source.length).toBeGreaterThan(MIN_BYTES);
    expect(looksMinified('/p/texture.js', source)).toBe(false);
    // Few lines, but the long one is data, not code.
    expect(looksMinified('/p/texture.js', dataLine + 'export const x = 1;\n'.repeat(10))).toBe(
      false,
    );
  });

  it('long lines of inlined data in a hand-written file are not a bundle', () => {
    const base64 = 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES';
    const pem = `-----BEGIN CERTIFICATE-----\\n${`${base64}\\n`.repeat(500)}-----END CERTIFICATE-----\\n`;
    const server = `const https = require('https');\nconst ca = "${pem}";\nhttps.createServer({ ca, rejectUnauthorized: false }, (q, s) => s.end()).listen(443);\n`;
    expect(server.length).toBeGreaterThan(MIN_BYTES);
    expect(looksMinified('/p/server.js', server)).toBe(false);
    const data = `module.exports = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i })))};\n`;
    expect(looksMinified('/p/data.js', data)).toBe(false);
    // The same server with its long line made of calls is a bundle.
    expect(looksMinified('/p/server.js', `${MINIFIED_CODE}\n${VERIFY_OFF}\n`)).toBe(true);
  });

  it('a *.min.js file over the size floor is a bundle even when wrapped', () => {
    expect(looksMinified('/p/lib.min.js', HAND_WRITTEN)).toBe(true);
    expect(looksMinified('/p/lib.min.mjs', HAND_WRITTEN)).toBe(true);
  });

  it('only JS/TS: a generated one-line JSON or YAML config is read as any other', () => {
    const json = JSON.stringify({ data: MINIFIED_CODE });
    expect(looksMinified('/p/envoy.json', json)).toBe(false);
    expect(looksMinified('/p/bundle.js', json)).toBe(true);
  });
});

describe('minified bundles in a lint run', () => {
  const tree = () =>
    writeRepo(
      'tls-lint-minified-',
      {
        'src/client.js': HAND_WRITTEN,
        'dist/app.js': BUNDLE,
        'dist/vendor.min.js': HAND_WRITTEN,
        // A bundle that names nothing TLS-related is dropped by the prefilter: no notice needed.
        'dist/plain.js': `!function(){var a=${JSON.stringify('y'.repeat(30_000))}}();\n`,
      },
      made,
    );

  it('a walk skips them with one notice naming each, and counts them as skipped', async () => {
    const root = tree();
    const r = await lint({ paths: [root], cwd: root });
    expect(r.findings.map((f) => path.relative(root, f.at.file))).toEqual(['src/client.js']);
    const minified = r.notices.filter((n) => n.message.includes('minified'));
    expect(minified).toHaveLength(1);
    expect(minified[0]!.message).toMatch(/^2 minified files were not linted: /);
    expect(minified[0]!.message).toContain('--include-minified');
    expect(minified[0]!.files?.map((f) => path.relative(root, f.file)).sort()).toEqual([
      'dist/app.js',
      'dist/vendor.min.js',
    ]);
    expect(r.filesLinted).toBe(2); // client.js, and plain.js (read, nothing to parse)
    expect(r.filesSkipped).toBe(2);
    // Not parsed, so not kept for code frames either.
    expect(r.sources.cachedText(path.join(root, 'dist/app.js'))).toBeUndefined();
  });

  it('one bundle gets its own notice', async () => {
    const root = writeRepo('tls-lint-minified-', { 'dist/app.js': BUNDLE }, made);
    const r = await lint({ paths: [root], cwd: root });
    expect(r.findings).toEqual([]);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]!.message).toMatch(/^a minified or generated bundle \(\d+ kB/);
    expect(r.notices[0]!.files).toBeUndefined();
  });

  it('a bundle named on the command line is linted', async () => {
    const root = tree();
    const r = await lint({ paths: [path.join(root, 'dist/app.js')], cwd: root });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['certificate-verification-disabled']);
    expect(r.notices).toEqual([]);
  });

  it('includeMinified lints them in a walk', async () => {
    const root = tree();
    const r = await lint({ paths: [root], cwd: root, includeMinified: true });
    expect(r.findings.map((f) => path.relative(root, f.at.file)).sort()).toEqual([
      'dist/app.js',
      'dist/vendor.min.js',
      'src/client.js',
    ]);
    expect(r.notices).toEqual([]);
  });

  it('--include-minified and "includeMinified" in the config file do the same from the CLI', async () => {
    const root = tree();
    const files = async (args: string[]) => {
      const r = await runMain(['--format', 'json', '--tests', 'report', ...args, '.'], {
        cwd: root,
      });
      const report = jsonReport(r.stdout);
      return {
        findings: [...new Set(report.findings.map((f) => f.file))].sort(),
        notices: (report.notices ?? []).map((n) => n.files?.length ?? 1),
      };
    };
    expect(await files([])).toEqual({ findings: ['src/client.js'], notices: [2] });
    const all = { findings: ['dist/app.js', 'dist/vendor.min.js', 'src/client.js'], notices: [] };
    expect(await files(['--include-minified'])).toEqual(all);
    writeFileSync(path.join(root, 'tls-lint.config.json'), '{ "includeMinified": true }\n');
    expect(await files([])).toEqual(all);
  });
});
