/**
 * `childNodes` takes a table of child keys per node type (`CHILD_KEYS` in ast.ts) instead of
 * reading every key of every node. The table must never change a walk: for every node of the
 * repository's own sources and fixtures, under each parser the reader meets (Babel for the CLI,
 * espree and typescript-eslint in the ESLint plugin), it gives the nodes the generic walk gives,
 * in the same order.
 */
import * as espree from 'espree';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import {
  allChildNodes,
  childNodes,
  forEachChildNode,
  type EsNode,
} from '../../src/languages/node/ast.js';
import { parseNodeSource } from '../../src/languages/node/parse.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !SOURCE.test(entry.name) || /\.d\.[cm]?ts$/.test(entry.name)) continue;
    out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

const FILES = [...sourcesUnder('fixtures'), ...sourcesUnder('examples'), ...sourcesUnder('src')];

/** Constructs whose key order differs between the parsers, in a module every parser takes. */
const CONSTRUCTS = `
import def, { a as b } from 'm';
import * as ns from 'n';
export { b as c };
export * as all from 'o';
export * from 'p';
export const d = \`x\${def}y\${ns}z\`;
export default function f() {}
outer: for (const k in ns) { if (k) continue outer; else break outer; }
switch (def) { case f(): g(); break; default: h(); }
label: { tag\`t\${d}\`; }
class K extends f { static { this.x = 1; } #p = 2; get q() { return this.#p; } }
try { f(); } catch ({ message }) { g(message); } finally { h(); }
do { f(); } while (g());
const { x = 1, ...rest } = ns, [y, , ...more] = [def];
new (f())(...more, x?.y?.[0], a ?? b, !c, typeof d, void 0, (e, f));
async function* gen() { yield* gen(); await f(); }
`;

/** Node types whose walk differed, with a file where it did. */
function differences(
  program: EsNode,
  file: string,
  into: Map<string, string>,
  anyOrder: boolean,
): number {
  let nodes = 0;
  const visit = (node: EsNode): void => {
    nodes++;
    const fast = childNodes(node);
    const generic = allChildNodes(node);
    const same = anyOrder
      ? fast.length === generic.length && generic.every((n) => fast.includes(n))
      : fast.length === generic.length && fast.every((n, i) => n === generic[i]);
    if (!same) into.set(node.type, path.relative(ROOT, file));
    // The walk without an array visits what `childNodes` lists, in its order.
    const each: EsNode[] = [];
    forEachChildNode(node, (child) => each.push(child));
    if (each.length !== fast.length || each.some((n, i) => n !== fast[i]))
      into.set(`${node.type} (forEachChildNode)`, path.relative(ROOT, file));
    for (const child of generic) visit(child);
  };
  visit(program);
  return nodes;
}

/** typescript-eslint's parser, as ESLint calls it (its exported type leaves the options out). */
const tsParser = tseslint.parser as unknown as {
  parseForESLint(text: string, options: Record<string, unknown>): { ast: unknown };
};

/** The Program the reader parses, as the CLI does. */
function parsed(file: string, text: string): EsNode | undefined {
  const outcome = parseNodeSource(file, text);
  return outcome.ok ? outcome.program : undefined;
}

function tryParse(parse: () => unknown): EsNode | undefined {
  try {
    return parse() as EsNode;
  } catch {
    return undefined; // deliberately broken fixtures, syntax one parser lacks
  }
}

describe('childNodes', () => {
  it('has sources to check', () => {
    expect(FILES.length).toBeGreaterThan(100);
  });

  // typescript-eslint lists keys alphabetically: the table walks its nodes in the others' order.
  it.each([
    ['oxc (Babel for what oxc rejects)', false, (file: string, text: string) => parsed(file, text)],
    [
      'Babel',
      false,
      (file: string, text: string) => {
        const saved = process.env.TLS_LINT_PARSER;
        process.env.TLS_LINT_PARSER = 'babel';
        try {
          return parsed(file, text);
        } finally {
          if (saved === undefined) delete process.env.TLS_LINT_PARSER;
          else process.env.TLS_LINT_PARSER = saved;
        }
      },
    ],
    [
      'espree',
      false,
      (file: string, text: string) =>
        /\.[cm]?jsx?$/.test(file)
          ? (tryParse(() =>
              espree.parse(text, {
                ecmaVersion: 'latest',
                sourceType: file.endsWith('.cjs') ? 'script' : 'module',
                ecmaFeatures: { jsx: true },
                loc: true,
                range: true,
              }),
            ) ??
            tryParse(() =>
              espree.parse(text, {
                ecmaVersion: 'latest',
                sourceType: 'script',
                ecmaFeatures: { jsx: true },
                loc: true,
                range: true,
              }),
            ))
          : undefined,
    ],
    [
      'typescript-eslint',
      true,
      (file: string, text: string) =>
        tryParse(
          () =>
            tsParser.parseForESLint(text, {
              ecmaFeatures: { jsx: /x$/.test(file) },
              sourceType: 'module',
              range: true,
              loc: true,
            }).ast,
        ),
    ],
  ] as const)('walks %s output like the generic walk (any order: %s)', (_name, anyOrder, parse) => {
    const differing = new Map<string, string>();
    let nodes = 0;
    for (const [file, text] of [
      ...FILES.map((f) => [f, readFileSync(f, 'utf8')] as const),
      [path.join(ROOT, 'constructs.mjs'), CONSTRUCTS] as const,
    ]) {
      const program = parse(file, text);
      if (program) nodes += differences(program, file, differing, anyOrder);
    }
    expect(nodes).toBeGreaterThan(1_000);
    expect(Object.fromEntries(differing)).toEqual({});
  });

  it('walks decorated nodes generically, keeping the parser order', () => {
    const text = '@first() class A { @second() method() { call(); } }';
    const program = parsed('/x/a.ts', text);
    if (!program) throw new Error('parse failed');
    const order: string[] = [];
    const visit = (node: EsNode): void => {
      if (node.type === 'Identifier') order.push(node.name);
      for (const child of childNodes(node)) visit(child);
    };
    visit(program);
    const generic: string[] = [];
    const visitAll = (node: EsNode): void => {
      if (node.type === 'Identifier') generic.push(node.name);
      for (const child of allChildNodes(node)) visitAll(child);
    };
    visitAll(program);
    expect(order).toEqual(generic);
    expect(order).toEqual(expect.arrayContaining(['first', 'second', 'method', 'call', 'A']));
  });

  it('walks node types it has no table entry for', () => {
    const node = {
      type: 'SomeFutureExpression',
      start: 0,
      end: 3,
      left: { type: 'Identifier', name: 'a' },
      parts: [{ type: 'Identifier', name: 'b' }, null, 1],
    } as unknown as EsNode;
    expect(childNodes(node).map((n) => (n as { name: string }).name)).toEqual(['a', 'b']);
  });
});
