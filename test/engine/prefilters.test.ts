/**
 * The readers' prefilters must be safe: linting every fixture, example and the project's own
 * sources with the prefilters gives exactly what it gives without them (contexts, findings,
 * errors, notices). And what a prefilter drops is not kept: its text is not held for the run.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../../src/engine/lint.js';
import { READERS } from '../../src/languages/index.js';
import { mayConfigureTls, mayReceiveTls } from '../../src/languages/node/prefilter.js';
import { ROOT } from '../support/cli.js';
import { writeRepo } from '../support/trees.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TREES = ['fixtures', 'examples', 'src', 'rules', 'eslint-plugin/src'];

function summary(r: LintResult) {
  const rel = (f: string) => path.relative(ROOT, f);
  return {
    contexts: r.contexts
      .map((c) => `${rel(c.at.file)}:${c.at.line}:${c.at.column} ${c.api} ${c.label}`)
      .sort(),
    findings: r.findings.map(
      (f) => `${rel(f.at.file)}:${f.at.line}:${f.at.column} ${f.ruleId} ${f.severity} ${f.message}`,
    ),
    errors: r.errors.map((e) => `${rel(e.file)}:${e.line ?? ''} ${e.kind ?? ''} ${e.message}`),
    notices: r.notices.map((n) => `${rel(n.file)} ${n.message}`).sort(),
    filesLinted: r.filesLinted,
  };
}

describe('reader prefilters', () => {
  it('at least the Node reader has one, and it drops files here', () => {
    expect(READERS.some((r) => r.prefilter)).toBe(true);
    expect(
      mayConfigureTls('// See https://example.com/license\nexport const add = (a, b) => a + b;\n'),
    ).toBe(false);
    expect(mayConfigureTls("import https from 'node:https';")).toBe(true);
    expect(mayConfigureTls("const mod = require('https');")).toBe(true);
    expect(mayConfigureTls('new Pool({ connectionString, ssl: true })')).toBe(true);
    expect(mayConfigureTls('const c = crypto.createCredentials({ key });')).toBe(true);
  });

  it('change nothing on every fixture, example and the project sources', async () => {
    const paths = TREES.map((t) => path.join(ROOT, t));
    const withPrefilters = await lint({ paths, cwd: ROOT });
    const without = await lint({
      paths,
      cwd: ROOT,
      readers: READERS.map(({ prefilter: _p, ...r }) => r),
    });
    expect(withPrefilters.contexts.length).toBeGreaterThan(100);
    expect(summary(withPrefilters)).toEqual(summary(without));
  }, 120_000);

  it('a module without TLS words still gives its values to the file that uses them', async () => {
    const constants = 'export const CHECK_PEER = false;\nexport const FLOOR = "TL" + "Sv1";\n';
    expect(mayConfigureTls(constants)).toBe(false);
    const root = writeRepo(
      'tls-lint-prefilter-',
      {
        'tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "strict": true } }\n',
        'src/constants.ts': constants,
        'src/client.ts':
          "import https from 'node:https';\nimport { CHECK_PEER } from './constants.js';\nexport const agent = new https.Agent({ rejectUnauthorized: CHECK_PEER });\n",
      },
      made,
    );
    const result = await lint({ paths: [root], cwd: root });
    const finding = result.findings.find((f) => f.ruleId === 'certificate-verification-disabled');
    expect(finding?.at.file).toBe(path.join(root, 'src/client.ts'));
    expect(finding?.at.definedAt?.file).toBe(path.join(root, 'src/constants.ts'));
  });

  describe('values from other modules', () => {
    const OPTIONS = 'export const opts = { rejectUnauthorized: false };\n';
    // Callees are not followed across modules (values.ts): a wrapper only passes the test.
    const WRAPPER = "import https from 'node:https';\nexport const request = https.request;\n";
    const files = {
      'src/options.ts': OPTIONS,
      // Re-exports, no TLS word of its own.
      'src/index.ts': "export * from './options.js';\nexport { request } from './wrapper.js';\n",
      'src/wrapper.ts': WRAPPER,
      // No TLS word either: what makes them TLS comes from the modules they import.
      'src/client.ts':
        "import { opts } from './index.js';\nimport { Client } from 'some-db';\nexport const c = new Client(opts);\n",
      'src/plain.ts': "import { add } from './math.js';\nexport const two = add(1, 1);\n",
      'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
    };
    const tsconfig = '{ "compilerOptions": { "module": "nodenext", "strict": true } }\n';
    const readText = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
    const withoutPrefilters = READERS.map(({ prefilter: _p, ...r }) => r);

    it('a file without TLS words is kept when a module it imports (or theirs) has them', async () => {
      const root = writeRepo('tls-lint-prefilter-', { 'tsconfig.json': tsconfig, ...files }, made);
      const withPrefilters = await lint({ paths: [root], cwd: root });
      const files_ = (r: LintResult) =>
        [...new Set(r.findings.map((f) => path.relative(root, f.at.file)))].sort();
      expect(files_(withPrefilters)).toEqual(['src/client.ts']);
      expect(summary(withPrefilters)).toEqual(
        summary(await lint({ paths: [root], cwd: root, readers: withoutPrefilters })),
      );
      const ctx = { readText, cwd: root };
      const receives = (rel: string) =>
        mayReceiveTls(path.join(root, rel), files[rel as keyof typeof files], ctx);
      expect(receives('src/client.ts')).toBe(true);
      expect(receives('src/plain.ts')).toBe(false);
      expect(
        mayReceiveTls(path.join(root, 'src/plain.ts'), files['src/plain.ts'], {
          ...ctx,
          project: false,
        }),
      ).toBe(false);
      // A caller that cannot read other files keeps every file that imports something.
      expect(mayReceiveTls(path.join(root, 'src/plain.ts'), files['src/plain.ts'])).toBe(true);
      expect(mayReceiveTls(path.join(root, 'src/math.ts'), files['src/math.ts'])).toBe(false);
    });

    it('answers each file alike whatever was asked before it (import cycles included)', () => {
      const cycle = {
        // Names TLS itself, and imports a module that imports it back.
        'src/agent.ts':
          "import https from 'node:https';\nimport { x } from './back.js';\nexport const a = new https.Agent({}), y = x;\n",
        'src/back.ts': "import { a } from './agent.js';\nexport const x = 1, b = a;\n",
        'src/user.ts': "import { b } from './back.js';\nexport const u = b;\n",
        'src/lone.ts': "import { add } from './math.js';\nexport const l = add(1, 2);\n",
        'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
        'src/far.ts': "import { l } from './lone.js';\nexport const f = l;\n",
      };
      const root = writeRepo('tls-lint-prefilter-', { 'tsconfig.json': tsconfig, ...cycle }, made);
      // One context is one run: what a question found is kept for the next ones.
      const run = { readText, cwd: root };
      const receives = (rel: keyof typeof cycle, ctx = run) =>
        mayReceiveTls(path.join(root, rel), cycle[rel], ctx);
      // From agent.ts, back.ts leads back only to agent.ts itself: nothing else names TLS…
      expect(receives('src/agent.ts')).toBe(false);
      // …yet from user.ts it leads to agent.ts, which does.
      expect(receives('src/user.ts')).toBe(true);
      expect(receives('src/user.ts', { readText, cwd: root })).toBe(true);
      expect(receives('src/lone.ts')).toBe(false);
      expect(receives('src/far.ts')).toBe(false);
    });

    it('a type-only import brings no value: it does not keep a file', async () => {
      const typed = {
        'src/options.ts': OPTIONS,
        'src/math.ts': files['src/math.ts'],
      };
      const root = writeRepo('tls-lint-prefilter-', { 'tsconfig.json': tsconfig, ...typed }, made);
      const ctx = { readText, cwd: root };
      const receives = (text: string) => mayReceiveTls(path.join(root, 'src/user.ts'), text, ctx);
      const typeOnly = [
        "import type { opts } from './options.js';",
        "import type Options from './options.js';",
        "import type * as options from './options.js';",
        "import type {\n  opts,\n  other as renamed,\n} from './options.js';",
        "import { type opts } from './options.js';",
        "import { type opts, type other as o, } from './options.js';",
        "export type { opts } from './options.js';",
        "export type * from './options.js';",
        "export type * as options from './options.js';",
      ];
      for (const line of typeOnly) {
        expect(receives(`${line}\nexport const u = 1;\n`), line).toBe(false);
        // The same file with a value import beside it is kept.
        expect(receives(`${line}\nimport { add } from './options.js';\n`), line).toBe(true);
      }
      const values = [
        "import { opts } from './options.js';",
        // A value named `type`: the default export, and a named one.
        "import type from './options.js';",
        "import type, { add } from './math.js';\nimport './options.js';",
        "import { type as t } from './options.js';",
        "import { type opts, other } from './options.js';",
        "import type { opts } from './math.js';\nconst o = require('./options.js');",
        "export { opts } from './options.js';",
        "export * from './options.js';",
      ];
      for (const line of values) expect(receives(`${line}\n`), line).toBe(true);
      // And the run agrees: the type import's file is not read, the value import's is.
      const run = writeRepo(
        'tls-lint-prefilter-',
        {
          'tsconfig.json': tsconfig,
          ...typed,
          'src/typed.ts':
            "import type { opts } from './options.js';\nimport { Client } from 'some-db';\nexport const c = (o: typeof opts) => new Client(o);\n",
          'src/valued.ts':
            "import { opts } from './options.js';\nimport { Client } from 'some-db';\nexport const c = new Client(opts);\n",
        },
        made,
      );
      const result = await lint({ paths: [run], cwd: run });
      expect(result.sources.cachedText(path.join(run, 'src/typed.ts'))).toBeUndefined();
      expect(result.sources.cachedText(path.join(run, 'src/valued.ts'))).toBeDefined();
      expect(result.findings.map((f) => path.relative(run, f.at.file))).toEqual(['src/valued.ts']);
      expect(summary(result)).toEqual(
        summary(await lint({ paths: [run], cwd: run, readers: withoutPrefilters })),
      );
    });

    it('without a tsconfig.json no value crosses a module, and nothing is kept for one', async () => {
      const root = writeRepo('tls-lint-prefilter-', files, made);
      const ctx = { readText, cwd: root };
      expect(mayReceiveTls(path.join(root, 'src/client.ts'), files['src/client.ts'], ctx)).toBe(
        false,
      );
      const r = await lint({ paths: [root], cwd: root });
      expect(summary(r)).toEqual(
        summary(await lint({ paths: [root], cwd: root, readers: withoutPrefilters })),
      );
    });
  });

  it('keeps the text of the files that matter, not of every file read', async () => {
    const root = writeRepo(
      'tls-lint-prefilter-',
      {
        'plain.js': '// https://example.com\nexport const add = (a, b) => a + b;\n',
        'agent.js':
          "import https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n",
      },
      made,
    );
    const result = await lint({ paths: [root], cwd: root });
    expect(result.filesLinted).toBe(2);
    expect(result.findings.map((f) => path.basename(f.at.file))).toContain('agent.js');
    expect(result.sources.cachedText(path.join(root, 'agent.js'))).toContain('rejectUnauthorized');
    expect(result.sources.cachedText(path.join(root, 'plain.js'))).toBeUndefined();
  });

  it('still parses a file named on the command line, for its syntax errors', async () => {
    const root = writeRepo(
      'tls-lint-prefilter-',
      { 'broken.js': 'export const add = (a, b) => ;\n' },
      made,
    );
    const walked = await lint({ paths: [root], cwd: root });
    expect(walked.errors).toEqual([]);
    const named = await lint({ paths: [path.join(root, 'broken.js')], cwd: root });
    expect(named.errors.map((e) => e.kind)).toEqual(['syntax']);
  });
});
