/**
 * What a command loads when it starts, from the sources: the modules reached from its entry
 * files through the imports that run at load time — static value imports, side-effect imports
 * and re-exports — but not `import type`, imports used only as types (the compiler drops them),
 * `import()` or `createRequire`, which is how a command defers what it may not need.
 *
 * What counts as a load-time import is what the TypeScript emit keeps, the same as in dist/
 * (a test compares the two).
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { resolve } from './architecture.js';

export interface LoadGraph {
  /** Own files reached, relative to the root with forward slashes, in the order found. */
  files: string[];
  /** Packages reached (`commander`, `@babel/parser`). */
  packages: string[];
  /** How each file or package was reached: the chain of imports from an entry, as text. */
  chain(node: string): string;
}

/** Names a file uses as values: identifiers outside types, property names and declarations of types. */
function valueNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isTypeNode(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isImportDeclaration(node)
    )
      return;
    if (ts.isExportDeclaration(node) && (node.isTypeOnly || node.moduleSpecifier)) return;
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return;
    if (ts.isExportSpecifier(node) && node.isTypeOnly) return;
    if (ts.isPropertyAccessExpression(node)) {
      visit(node.expression);
      return;
    }
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/**
 * The specifiers a module imports at load time, as the TypeScript emit decides without type
 * information: a side-effect import, `export … from`, or an import with a binding used as a
 * value; not `import type`, `{ type X }` or a binding used only in types.
 */
export function loadTimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const used = valueNames(source);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      if (clause?.phaseModifier === ts.SyntaxKind.TypeKeyword) continue;
      const bindings = clause
        ? [
            ...(clause.name ? [clause.name.text] : []),
            ...(clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)
              ? [clause.namedBindings.name.text]
              : []),
            ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings)
              ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => e.name.text)
              : []),
          ]
        : undefined;
      if (bindings === undefined || bindings.some((b) => used.has(b)))
        out.push(statement.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.isTypeOnly
    ) {
      const elements =
        statement.exportClause && ts.isNamedExports(statement.exportClause)
          ? statement.exportClause.elements
          : undefined;
      if (!elements || elements.some((e) => !e.isTypeOnly))
        out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

/** The command paths share most of their files. */
const importsCache = new Map<string, { text: string; imports: string[] }>();

function cachedImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const hit = importsCache.get(file);
  if (hit?.text === text) return hit.imports;
  const imports = loadTimeImports(file, text);
  importsCache.set(file, { text, imports });
  return imports;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** The load-time closure of `entries` (paths relative to `root`). */
export function loadGraph(root: string, entries: readonly string[]): LoadGraph {
  const parent = new Map<string, string | undefined>();
  const files: string[] = [];
  const packages: string[] = [];
  const queue = [...entries];
  for (const e of entries) parent.set(e, undefined);
  while (queue.length) {
    const file = queue.shift()!;
    files.push(file);
    if (!/\.(m|c)?ts$/.test(file)) continue; // JSON data: a leaf
    for (const specifier of cachedImports(path.join(root, file))) {
      if (isBuiltin(specifier)) continue;
      const node = specifier.startsWith('.')
        ? resolve(root, file, specifier)
        : packageName(specifier);
      if (node === undefined || parent.has(node)) continue;
      parent.set(node, file);
      if (specifier.startsWith('.')) queue.push(node);
      else packages.push(node);
    }
  }
  const chain = (node: string): string => {
    const steps = [node];
    for (let p = parent.get(node); p !== undefined; p = parent.get(p)) steps.unshift(p);
    return steps.join(' → ');
  };
  return { files, packages, chain };
}

/** What a command path must not load, and why. */
export interface Forbidden {
  /** A file prefix (`src/languages/`) or a package name (`@babel/parser`). */
  match: string;
  why: string;
}

/** One line per forbidden module in the closure: the chain of imports that reaches it, and why. */
export function forbiddenLoads(graph: LoadGraph, forbidden: readonly Forbidden[]): string[] {
  const out: string[] = [];
  for (const node of [...graph.files, ...graph.packages]) {
    const hit = forbidden.find(
      (f) => node === f.match || (f.match.endsWith('/') && node.startsWith(f.match)),
    );
    if (hit) out.push(`${graph.chain(node)}: ${hit.why}`);
  }
  return out;
}
