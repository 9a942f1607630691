import { describe, expect, it } from 'vitest';
import { isNodeSourcePath, parseNodeSource } from '../../src/languages/node/parse.js';

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
