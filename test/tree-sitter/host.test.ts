import { describe, expect, it } from 'vitest';
import {
  descendants,
  loadGrammar,
  matches,
  overlapsAny,
  TreeSitterParseError,
  walk,
  withTree,
} from '../../src/languages/tree-sitter/index.js';

describe('tree-sitter host', () => {
  it('loads each grammar once and shares it', async () => {
    const [a, b] = await Promise.all([loadGrammar('go'), loadGrammar('go')]);
    expect(a).toBe(b);
    expect(await loadGrammar('python')).not.toBe(a);
    expect((await loadGrammar('bash')).name).toBe('bash');
  });

  it('maps nodes to 1-based ranges in UTF-16 columns, with line and column offsets', async () => {
    const go = await loadGrammar('go');
    const text = 'package main\n// é😀\nvar s, t = "é😀", 1\n';
    const ranges = withTree(go, text, '/x/a.go', (p) =>
      descendants(p.root, 'int_literal').map((n) => p.range(n)),
    );
    expect(ranges).toEqual([{ file: '/x/a.go', line: 3, column: 19, endLine: 3, endColumn: 20 }]);
    const shifted = withTree(
      go,
      text,
      '/x/README.md',
      (p) => p.range(descendants(p.root, 'int_literal')[0]!),
      { line: 10, column: 2 },
    );
    expect(shifted).toMatchObject({ line: 13, column: 21 });
  });

  it('keeps a tree with ERROR nodes usable and lists the broken regions', async () => {
    const go = await loadGrammar('go');
    const text = 'package main\nvar x = tls.Config{MinVersion: 1}\nfunc (\n';
    const { lits, errors } = withTree(go, text, 'a.go', (p) => ({
      lits: descendants(p.root, 'composite_literal').length,
      errors: p.errors,
    }));
    expect(lits).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.line).toBe(3);
    expect(
      overlapsAny({ file: 'a.go', line: 2, column: 1, endLine: 2, endColumn: 5 }, errors),
    ).toBe(false);
    expect(
      overlapsAny({ file: 'a.go', line: 3, column: 1, endLine: 3, endColumn: 9 }, errors),
    ).toBe(true);
  });

  it('runs cached queries and walks in source order', async () => {
    const py = await loadGrammar('python');
    const text = 'import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\n';
    const q = '(assignment left: (attribute attribute: (identifier) @attr) right: (_) @value)';
    const found = withTree(py, text, 'a.py', (p) =>
      matches(py, p.root, q).map((m) => `${m.attr!.text}=${m.value!.text}`),
    );
    expect(found).toEqual(['check_hostname=False']);
    expect(py.query(q)).toBe(py.query(q));
    const order: string[] = [];
    withTree(py, text, 'a.py', (p) =>
      walk(p.root, (n) => {
        if (n.type === 'identifier') order.push(n.text);
      }),
    );
    expect(order).toEqual(['ssl', 'ctx', 'ssl', 'create_default_context', 'ctx', 'check_hostname']);
  });

  it('has a typed error for a parse that yields no tree', () => {
    const e = new TreeSitterParseError('no tree', 'a.go');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TreeSitterParseError');
    expect(e.file).toBe('a.go');
  });
});
