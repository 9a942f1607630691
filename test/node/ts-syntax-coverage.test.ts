/**
 * Every TypeScript syntax form is walked by the Node reader. The corpus in fixtures/ts-syntax/ is
 * checked against the TypeScript compiler's own SyntaxKind list: TypeScript's parser must find
 * every node kind a source file can contain (and every modifier keyword) somewhere in it, and
 * tls-lint must read each file without a reader error. The annotated TLS options inside the
 * forms are checked by the fixture harness (test/fixtures.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';

const CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/ts-syntax',
);
const files = readdirSync(CORPUS)
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => path.join(CORPUS, f));

/** Kinds a parsed .ts/.tsx file cannot contain: JSDoc (comments), compiler-synthesised and error-recovery nodes. */
const NOT_IN_SOURCE = new Set([
  'SyntheticExpression',
  'SyntheticReferenceExpression',
  'PartiallyEmittedExpression',
  'CommaListExpression',
  'NotEmittedStatement',
  'NotEmittedTypeElement',
  'SyntaxList',
  'Bundle',
  'MissingDeclaration',
  'SourceFile',
  // Deprecated spelling kept by TypeScript as an alias of the import-attributes nodes.
  'AssertClause',
  'AssertEntry',
  'ImportTypeAssertionContainer',
]);

/** Modifiers the issue names (abstract, declare, accessor…) and the rest of the modifier keywords. */
const MODIFIERS = [
  'AbstractKeyword',
  'AccessorKeyword',
  'AsyncKeyword',
  'ConstKeyword',
  'DeclareKeyword',
  'DefaultKeyword',
  'ExportKeyword',
  'InKeyword',
  'OutKeyword',
  'OverrideKeyword',
  'PrivateKeyword',
  'ProtectedKeyword',
  'PublicKeyword',
  'ReadonlyKeyword',
  'StaticKeyword',
] as const;

/** The canonical name of a kind (TypeScript's reverse map returns aliases such as FirstNode). */
function kindName(kind: ts.SyntaxKind): string {
  const names = Object.keys(ts.SyntaxKind).filter(
    (k) => (ts.SyntaxKind as unknown as Record<string, number>)[k] === kind,
  );
  return names.find((n) => !/^(First|Last)/.test(n)) ?? names[0]!;
}

function requiredKinds(): Map<number, string> {
  const out = new Map<number, string>();
  for (const value of Object.values(ts.SyntaxKind)) {
    if (
      typeof value !== 'number' ||
      value < ts.SyntaxKind.FirstNode ||
      value >= ts.SyntaxKind.Count
    )
      continue;
    const name = kindName(value);
    if (name.startsWith('JSDoc') || NOT_IN_SOURCE.has(name)) continue;
    out.set(value, name);
  }
  for (const m of MODIFIERS) out.set(ts.SyntaxKind[m], m);
  return out;
}

function kindsIn(file: string): { kinds: Set<number>; diagnostics: string[] } {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const kinds = new Set<number>();
  const visit = (node: ts.Node): void => {
    kinds.add(node.kind);
    // Modifiers are tokens that forEachChild visits through `modifiers`.
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const diagnostics = (
    (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? []
  ).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  return { kinds, diagnostics };
}

describe('TypeScript syntax coverage', () => {
  it('the corpus is valid TypeScript and holds every syntax kind of the compiler', () => {
    expect(files.length).toBeGreaterThan(3);
    const seen = new Set<number>();
    for (const file of files) {
      const { kinds, diagnostics } = kindsIn(file);
      expect(diagnostics, path.basename(file)).toEqual([]);
      for (const k of kinds) seen.add(k);
    }
    const missing = [...requiredKinds()].filter(([k]) => !seen.has(k)).map(([, name]) => name);
    expect(missing).toEqual([]);
  });

  for (const file of files) {
    it(`the Node reader reads ${path.basename(file)} without an error`, async () => {
      const result = await lint({ paths: [file], cwd: CORPUS });
      expect(result.errors).toEqual([]);
      expect(result.filesLinted).toBe(1);
      // Each corpus file holds at least one TLS option inside the forms it exercises.
      expect(result.findings.length).toBeGreaterThan(0);
    });
  }
});
