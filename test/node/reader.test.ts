/**
 * The Node readers inside the engine: routing by file name, syntax errors as LintErrors that
 * leave the other files' findings alone, targets from package.json engines.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tls-lint-node-'));
  const files: Record<string, string> = {
    'src/broken.ts': "import tls from 'tls';\nconst x = {\n  rejectUnauthorized: false,\n;\n",
    'src/client.mjs':
      "import https from 'node:https';\nhttps.get({ host: 'x', rejectUnauthorized: false });\n",
    'src/server.cjs':
      "const tls = require('tls');\nmodule.exports = tls.createServer({ key: 'k', cert: 'c' });\n",
    'src/types.d.ts': 'export declare const rejectUnauthorized: false;\n',
    'src/view.tsx':
      "import tls from 'tls';\nexport const App = () => <div>{String(tls.connect({ rejectUnauthorized: false }))}</div>;\n",
    '.env': 'NODE_TLS_REJECT_UNAUTHORIZED=0\n',
    'package.json': JSON.stringify({ name: 'fixture', engines: { node: '>=10' } }),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Node readers in the engine', () => {
  it('reports a syntax error with its location and still lints the other files', async () => {
    const result = await lint({ paths: [dir], cwd: dir });
    expect(result.errors).toEqual([
      {
        file: path.join(dir, 'src/broken.ts'),
        kind: 'syntax',
        message: expect.stringContaining('Syntax error'),
        line: 4,
        column: 1,
      },
    ]);
    const found = result.findings.map(
      (f) => `${path.relative(dir, f.at.file)}:${f.at.line} ${f.ruleId} ${f.language}`,
    );
    expect(found).toContain('src/client.mjs:2 certificate-verification-disabled node');
    expect(found).toContain('src/view.tsx:2 certificate-verification-disabled node');
    expect(found).toContain('.env:1 certificate-verification-disabled env');
    // engines.node ">=10" admits Node 10 (past its end of life, default minimum TLSv1): said once,
    // at package.json; the server is judged on the oldest supported line the range admits.
    expect(found).toContain('package.json:1 insecure-protocol-version node');
    expect(found).not.toContain('src/server.cjs:2 insecure-protocol-version node');
    expect(found.some((f) => f.startsWith('src/types.d.ts'))).toBe(false);
  });

  it('an explicit --target wins over engines.node', async () => {
    const result = await lint({
      paths: [path.join(dir, 'src/server.cjs')],
      cwd: dir,
      targets: new Map([['node', '20']]),
      rules: ['insecure-protocol-version'],
    });
    expect(result.findings).toEqual([]);
  });
});
