import { describe, expect, it } from 'vitest';
import { treeDepth } from '../../src/languages/node/ast.js';
import { isNodeSourcePath, nestingDepth, parseNodeSource } from '../../src/languages/node/parse.js';

describe('parsing by extension', () => {
  it('accepts each syntax where it belongs', () => {
    const cases: Array<[string, string]> = [
      [
        'a.ts',
        'const x = <boolean>y; enum E { A } @dec class C { constructor(private p: string) {} }',
      ],
      ['a.tsx', 'const el = <div>{(x as number) + 1}</div>;'],
      ['a.jsx', 'const el = <App {...props} />;'],
      ['a.cjs', 'return module.exports;'],
      ['a.mjs', 'const tls = await import("tls"); export default tls;'],
      ['a.js', '#!/usr/bin/env node\nconst x = require("x");'],
      ['a.js', '// @flow\ntype T = { a: number };\nconst x: T = { a: 1 };'],
      [
        'a.mts',
        'import type { ConnectionOptions } from "tls"; export const o: ConnectionOptions = {};',
      ],
      // CommonJS once compiled, written with TypeScript's import/export forms.
      [
        'a.cts',
        'import tls = require("node:tls"); import { readFileSync } from "fs"; export = tls.connect({});',
      ],
      ['a.cts', 'const tls = require("tls"); module.exports = tls;'],
    ];
    for (const [file, text] of cases)
      expect(parseNodeSource(`/p/${file}`, text).ok, `${file}: ${text}`).toBe(true);
  });

  it('reports a syntax error with a 1-based location', () => {
    const result = parseNodeSource('/p/a.js', 'const a = 1;\nconst b = {\n  c: 1,\n;\n');
    expect(result).toEqual({
      ok: false,
      error: {
        file: '/p/a.js',
        kind: 'syntax',
        message: expect.stringMatching(/^Syntax error: Unexpected token/),
        line: 4,
        column: 1,
      },
    });
  });

  it('skips declaration files', () => {
    expect(['a.ts', 'a.d.ts', 'a.d.mts', 'a.JS', 'a.json', 'a.vue'].map(isNodeSourcePath)).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
  });
});

describe('the depth named by "too deeply nested"', () => {
  const n = 500;
  it('counts chains that nest without brackets, not only brackets and binary operators', () => {
    // Before, `a = a = …`, `!!…` and `typeof typeof …` were "depth 1".
    expect(nestingDepth(`a = ${'a = '.repeat(n)}1;`)).toBeGreaterThanOrEqual(n);
    expect(nestingDepth(`x = ${'!'.repeat(n)}1;`)).toBeGreaterThanOrEqual(n);
    expect(nestingDepth(`x = ${'typeof '.repeat(n)}1;`)).toBeGreaterThanOrEqual(n);
    expect(nestingDepth(`if (x) {}${' else if (x) {}'.repeat(n)}`)).toBeGreaterThanOrEqual(n);
    expect(nestingDepth(`x = ${'f('.repeat(n)}${')'.repeat(n)};`)).toBe(n);
  });

  it('does not add up statements that follow each other, nor keywords inside words', () => {
    const lines = Array.from({ length: n }, (_, i) => `const v${i} = a + b`).join('\n');
    expect(nestingDepth(lines)).toBeLessThan(5);
    expect(nestingDepth('renewal = elsewhere;\n'.repeat(n))).toBeLessThan(5);
  });

  it('is exact on a parsed tree', () => {
    const parsed = parseNodeSource('/p/a.js', `x = ${'!'.repeat(n)}1;`);
    if (!parsed.ok) throw new Error(parsed.error.message);
    // Program > ExpressionStatement > AssignmentExpression > n UnaryExpressions > Literal.
    expect(treeDepth(parsed.program)).toBe(n + 4);
  });
});
