/**
 * The readers' prefilters must be safe: linting every fixture, example and the project's own
 * sources with the prefilters gives exactly what it gives without them (contexts, findings,
 * errors, notices). And what a prefilter drops is not kept: its text is not held for the run.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../../src/engine/lint.js';
import { READERS } from '../../src/languages/index.js';
import { mayConfigureTls } from '../../src/languages/node/prefilter.js';
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
    expect(mayConfigureTls('const agent = new https.Agent({ keepAlive: true });')).toBe(true);
    expect(mayConfigureTls("fetch(url, { protocol: 'https:' })")).toBe(true);
    expect(
      mayConfigureTls(
        'const isUrl = /^https?:\\/\\//;\nel.classList.add(x);\ncrypto.randomUUID();',
      ),
    ).toBe(false);
    expect(mayConfigureTls('new Pool({ connectionString, ssl: true })')).toBe(true);
    expect(mayConfigureTls('const o = crypto.constants.SSL_OP_NO_TLSv1;')).toBe(true);
    expect(mayConfigureTls('const c = crypto.createCredentials({ key });')).toBe(true);
    expect(mayConfigureTls('new Client({ useSsl: true })')).toBe(true);
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
