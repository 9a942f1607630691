/**
 * Minified and generated bundles found in a tree walk are not linted, and one notice per run
 * names them all; a bundle named on the command line, `--include-minified` or the config's
 * `includeMinified` lints them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import {
  bundlerOf,
  looksMinified,
  MIN_BYTES,
  MIN_MEAN_LINE,
  MIN_RENAMED,
} from '../../src/engine/minified.js';
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

/** Ordinary hand-written lines, enough to pass the size floor. */
const PADDING =
  'module.exports.pad = function pad(s) {\n  return String(s).padStart(80);\n};\n'.repeat(
    Math.ceil(MIN_BYTES / 70),
  );
/** webpack 5.113's runtime (`--mode production --no-optimization-minimize`), abridged. */
const WEBPACK_RUNTIME = `/******/ (() => { // webpackBootstrap
/******/ 	var __webpack_modules__ = ({
/***/ 960
(module, __unused_webpack_exports, __webpack_require__) {
const https = __webpack_require__(692);
${VERIFY_OFF}
/***/ },
/******/ 	});
/******/ 	// The module cache
/******/ 	const __webpack_module_cache__ = {};
/******/ 	// The require function
/******/ 	function __webpack_require__(moduleId) {
/******/ 		const cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 	}
`;
/** browserify 17's prelude (browser-pack 6.1), and the one before it. */
const BROWSERIFY_PRELUDES = [
  `(function(){function r(e,n,t){function o(i,f){if(!n[i]){if(!e[i]){var c="function"==typeof require&&require;if(!f&&c)return c(i,!0);if(u)return u(i,!0);var a=new Error("Cannot find module '"+i+"'");throw a.code="MODULE_NOT_FOUND",a}var p=n[i]={exports:{}};e[i][0].call(p.exports,function(r){var n=e[i][1][r];return o(n||r)},p,p.exports,r,e,n,t)}return n[i].exports}for(var u="function"==typeof require&&require,i=0;i<t.length;i++)o(t[i]);return o}return r})()({1:[function(require,module,exports){\n`,
  `(function e(t,n,r){function s(o,u){if(!n[o]){if(!t[o]){var a=typeof require=="function"&&require;if(!u&&a)return a(o,!0);if(i)return i(o,!0);var f=new Error("Cannot find module '"+o+"'");throw f.code="MODULE_NOT_FOUND",f}var l=n[o]={exports:{}};t[o][0].call(l.exports,function(e){var n=t[o][1][e];return s(n?n:e)},l,l.exports,e,t,n,r)}return n[o].exports}var i=typeof require=="function"&&require;for(var o=0;o<r.length;o++)s(r[o]);return s})({1:[function(require,module,exports){\n`,
];

type Format = 'cjs' | 'esm' | 'iife';

/** Rolldown (the project's own bundler) bundling `input` for Node, its output in memory. */
async function bundleWithRolldown(input: string, format: Format): Promise<string> {
  const { build } = await import('rolldown');
  const out = await build({
    input,
    platform: 'node',
    logLevel: 'silent',
    write: false,
    output: { format, ...(format === 'iife' && { name: 'bundle' }) },
  });
  return out.output[0].code;
}

/** Rolldown bundling a small CommonJS project: a real bundle. */
async function rolldownBundle(dir: string, format: Format): Promise<string> {
  writeFileSync(path.join(dir, 'pad.js'), PADDING);
  writeFileSync(
    path.join(dir, 'entry.js'),
    `const pad = require('./pad.js');\nmodule.exports = () => pad.pad(1);\n${VERIFY_OFF}\n`,
  );
  return bundleWithRolldown(path.join(dir, 'entry.js'), format);
}

/**
 * Rolldown bundling ES modules that each declare the same top-level names (`renamed` modules of
 * `names` names), and the TLS call in the entry: a bundle with no module runtime, whose only
 * trace of its modules is the names the bundler renamed (`helper0$1`).
 */
async function rolldownEsmBundle(
  dir: string,
  format: Format,
  modules: number,
  names: number,
): Promise<string> {
  const imports: string[] = [];
  for (let m = 0; m < modules; m++) {
    const decls = Array.from(
      { length: names },
      (_, n) =>
        `const helper${n} = (x) => x + ${m};\nfunction format${n}(v) { return helper${n}(v) * ${n}; }`,
    );
    const uses = Array.from({ length: names }, (_, n) => `format${n}(k)`).join(' + ');
    writeFileSync(
      path.join(dir, `m${m}.js`),
      `${decls.join('\n')}\nexport function use${m}(k) { return ${uses}; }\n`,
    );
    imports.push(`import { use${m} } from './m${m}.js';`);
  }
  const uses = Array.from({ length: modules }, (_, m) => `use${m}`).join(', ');
  const rows = Math.ceil(MIN_BYTES / 60);
  writeFileSync(
    path.join(dir, 'padding.js'),
    `export const pad = [\n${"  'a row of the table that pads the bundle out to its size',\n".repeat(rows)}];\n`,
  );
  writeFileSync(
    path.join(dir, 'esm-entry.js'),
    `${imports.join('\n')}\nimport { pad } from './padding.js';\nimport { Agent } from 'https';\nexport const all = [${uses}, pad];\nexport const agent = new Agent({ rejectUnauthorized: false });\n`,
  );
  return bundleWithRolldown(path.join(dir, 'esm-entry.js'), format);
}

describe('bundlerOf: bundles of ES modules by the names the bundler renamed', () => {
  it("knows Rolldown's real output, in every format", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-rolldown-'));
    made.push(dir);
    for (const format of ['esm', 'cjs', 'iife'] as const) {
      // Five modules of two names each: each name renamed in four of them.
      const code = await rolldownEsmBundle(dir, format, 5, 2);
      expect(code, format).toContain('helper0$1');
      expect(code, format).not.toContain('__commonJS');
      expect(code.length, format).toBeGreaterThan(MIN_BYTES);
      expect(looksMinified('/p/bundle.js', code), format).toBe(false);
      expect(bundlerOf('/p/bundle.js', code), format).toBe('Rollup or Rolldown');
    }
  });

  it('a bundle that renamed fewer names is linted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-rolldown-'));
    made.push(dir);
    // Two modules of three names: three renamed.
    const code = await rolldownEsmBundle(dir, 'esm', 2, 3);
    expect(code).toContain('helper0$1');
    expect(bundlerOf('/p/bundle.js', code)).toBeUndefined();
  });

  it('hand-written code with `$1` in it is not a bundle', () => {
    const cases = {
      // Replacement patterns and template text are not declarations.
      'replace.js': `const out = s.replace(/(a)(b)/g, '$1-$2');\nconst t = \`$1 \${x}\`;\n`.repeat(
        MIN_RENAMED * 2,
      ),
      // Names with `$` elsewhere, and a few renamed ones (a vendored library), under the count.
      'names.js': `${Array.from({ length: MIN_RENAMED - 1 }, (_, i) => `const html$${i + 1} = ${i};`).join('\n')}\nconst $el = $1; let jq$ = 2; var a$b1 = 3;\nfunction $1x() {}\n`,
      // Used, not declared.
      'uses.js': Array.from({ length: MIN_RENAMED * 2 }, (_, i) => `call(helper$${i + 1});`).join(
        '\n',
      ),
    };
    for (const [name, text] of Object.entries(cases))
      expect(bundlerOf(`/p/${name}`, text + PADDING), name).toBeUndefined();
  });
});

describe('bundlerOf: unminified bundles by their module runtime', () => {
  it("knows webpack's, browserify's and Rolldown's real output", async () => {
    expect(bundlerOf('/p/main.js', WEBPACK_RUNTIME + PADDING)).toBe('webpack');
    for (const prelude of BROWSERIFY_PRELUDES)
      expect(bundlerOf('/p/bundle.js', prelude + PADDING)).toBe('browserify');
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-rolldown-'));
    made.push(dir);
    for (const format of ['cjs', 'esm', 'iife'] as const) {
      const code = await rolldownBundle(dir, format);
      expect(code).toContain('rejectUnauthorized');
      expect(looksMinified('/p/bundle.js', code)).toBe(false);
      expect(bundlerOf('/p/bundle.js', code)).toBe('esbuild or Rolldown');
    }
    // esbuild 0.28 (`--bundle --format=iife`): its helpers indented in the IIFE.
    const esbuild = `(() => {\n  var __commonJS = (cb, mod) => function __require() {\n    return mod;\n  };\n${PADDING}})();\n`;
    expect(bundlerOf('/p/bundle.js', esbuild)).toBe('esbuild or Rolldown');
  });

  it('a small bundle is cheap to parse: linted', () => {
    expect(bundlerOf('/p/main.js', WEBPACK_RUNTIME)).toBeUndefined();
  });

  it('hand-written code that names a runtime is not a bundle', () => {
    const cases = {
      // webpack's own source writes its runtime as strings.
      'JavascriptModulesPlugin.js': `source.add("/******/ (() => { // webpackBootstrap\\n");\nconst lines = [\n  "function __webpack_require__(moduleId) {",\n  "var __commonJS = (cb, mod) => {",\n];\n`,
      // A server that escapes webpack's require.
      'server.js': `const load = typeof __webpack_require__ === 'function' ? __non_webpack_require__ : require;\nconst https = load('https');\n`,
      // tsc's per-file helpers.
      'compiled.js': `var __importDefault = (this && this.__importDefault) || function (mod) {\n  return mod;\n};\nvar __createBinding = (this && this.__createBinding) || Object.create;\nfunction __export(m) {}\n`,
    };
    for (const [name, text] of Object.entries(cases))
      expect(bundlerOf(`/p/${name}`, text + PADDING), name).toBeUndefined();
    // Only JS/TS.
    expect(bundlerOf('/p/notes.md', WEBPACK_RUNTIME + PADDING)).toBeUndefined();
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

  it('an unminified bundle is skipped in a walk for its runtime, and linted when named', async () => {
    const root = writeRepo('tls-lint-minified-', { 'src/client.js': HAND_WRITTEN }, made);
    const bundleDir = mkdtempSync(path.join(tmpdir(), 'tls-lint-rolldown-'));
    made.push(bundleDir);
    writeFileSync(path.join(root, 'dist-bundle.js'), await rolldownBundle(bundleDir, 'cjs'));
    const walked = await lint({ paths: [root], cwd: root });
    expect(walked.findings.map((f) => path.relative(root, f.at.file))).toEqual(['src/client.js']);
    expect(walked.notices.map((n) => [path.relative(root, n.file), n.message])).toEqual([
      [
        'dist-bundle.js',
        expect.stringMatching(
          /^a minified or generated bundle \(\d+ kB, with esbuild or Rolldown's module runtime\): not linted; .*--include-minified/,
        ),
      ],
    ]);
    const named = await lint({ paths: [path.join(root, 'dist-bundle.js')], cwd: root });
    expect(named.findings.map((f) => f.ruleId)).toEqual(['certificate-verification-disabled']);
    const included = await lint({ paths: [root], cwd: root, includeMinified: true });
    expect(included.findings).toHaveLength(2);
  });

  it('a bundle of ES modules is skipped in a walk for its renamed bindings, and linted when named', async () => {
    const root = writeRepo('tls-lint-minified-', { 'src/client.js': HAND_WRITTEN }, made);
    const bundleDir = mkdtempSync(path.join(tmpdir(), 'tls-lint-rolldown-'));
    made.push(bundleDir);
    writeFileSync(path.join(root, 'index.mjs'), await rolldownEsmBundle(bundleDir, 'esm', 5, 2));
    const walked = await lint({ paths: [root], cwd: root });
    expect(walked.findings.map((f) => path.relative(root, f.at.file))).toEqual(['src/client.js']);
    expect(walked.notices.map((n) => [path.relative(root, n.file), n.message])).toEqual([
      [
        'index.mjs',
        expect.stringMatching(
          /^a minified or generated bundle \(\d+ kB, with Rollup or Rolldown's renamed bindings\): not linted; /,
        ),
      ],
    ]);
    const named = await lint({ paths: [path.join(root, 'index.mjs')], cwd: root });
    expect(named.findings.map((f) => f.ruleId)).toEqual(['certificate-verification-disabled']);
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
