/**
 * The shared tree-sitter host for the readers that parse a general-purpose language (Go, Python,
 * shell). Language-neutral: it knows grammars, trees, ranges and queries, nothing of TLS.
 *
 * Runtime and grammars come from `@vscode/tree-sitter-wasm` (pinned in package.json): the
 * web-tree-sitter runtime and prebuilt grammar `.wasm` files in one package, no native build.
 * Everything is loaded from the installed package, never the network, and each grammar once
 * per process (the promise is cached, so concurrent readers share one load).
 *
 * Trees live in WebAssembly memory: use {@link withTree}, which frees the tree when the callback
 * returns, rather than keeping nodes around.
 *
 * A tree with ERROR/MISSING nodes is still returned and usable; {@link ParsedSource.errors}
 * lists the broken regions so a reader can tell whether one of them hides what it looks for.
 * Only a parse that produces no tree at all throws {@link TreeSitterParseError}.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SourceRange } from '../../model/location.js';
import type * as TS from '@vscode/tree-sitter-wasm';

export type SyntaxNode = TS.Node;

/** Grammars shipped by the pinned package that tls-lint readers use. */
export const GRAMMARS = {
  go: 'tree-sitter-go.wasm',
  python: 'tree-sitter-python.wasm',
  bash: 'tree-sitter-bash.wasm',
} as const;
export type GrammarName = keyof typeof GRAMMARS;

/** A parse that produced no tree (the parser refused the input or ran out of its budget). */
export class TreeSitterParseError extends Error {
  override name = 'TreeSitterParseError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

const require = createRequire(import.meta.url);
type Runtime = typeof TS;
let runtime: Promise<{ ts: Runtime; dir: string }> | undefined;
const grammars = new Map<GrammarName, Promise<Grammar>>();

function loadRuntime(): Promise<{ ts: Runtime; dir: string }> {
  runtime ??= (async () => {
    const ts = require('@vscode/tree-sitter-wasm') as Runtime;
    const dir = path.dirname(require.resolve('@vscode/tree-sitter-wasm'));
    await ts.Parser.init({ locateFile: (file: string) => path.join(dir, file) });
    return { ts, dir };
  })();
  return runtime;
}

/** A loaded grammar with one parser and a cache of compiled queries. */
export class Grammar {
  private readonly parser: TS.Parser;
  private readonly queries = new Map<string, TS.Query>();

  constructor(
    readonly name: GrammarName,
    private readonly ts: Runtime,
    readonly language: TS.Language,
  ) {
    this.parser = new ts.Parser();
    this.parser.setLanguage(language);
  }

  /** A compiled query, compiled once per grammar and source text. Throws on a bad query (a programming error). */
  query(source: string): TS.Query {
    let q = this.queries.get(source);
    if (!q) {
      q = new this.ts.Query(this.language, source);
      this.queries.set(source, q);
    }
    return q;
  }

  /** Parses `text`; the caller must call `tree.delete()` (or use {@link withTree}). */
  parse(text: string, file: string): TS.Tree {
    this.parser.reset();
    let tree: TS.Tree | null;
    try {
      tree = this.parser.parse(text);
    } catch (e) {
      throw new TreeSitterParseError(
        `tree-sitter (${this.name}) could not parse: ${(e as Error).message}`,
        file,
      );
    }
    if (!tree) throw new TreeSitterParseError(`tree-sitter (${this.name}) produced no tree`, file);
    return tree;
  }
}

/** Loads a grammar (once per process). */
export function loadGrammar(name: GrammarName): Promise<Grammar> {
  let g = grammars.get(name);
  if (!g) {
    g = (async () => {
      const { ts, dir } = await loadRuntime();
      const language = await ts.Language.load(path.join(dir, GRAMMARS[name]));
      return new Grammar(name, ts, language);
    })();
    grammars.set(name, g);
  }
  return g;
}

/**
 * Maps tree-sitter positions to {@link SourceRange}s. Tree-sitter counts `startIndex` in UTF-16
 * code units of the JS string it was given; columns are computed from those, so they match what
 * editors show. `lineOffset` shifts every line (a fenced block inside a Markdown file), and
 * `firstLineColumnOffset`/`columnOffset` shift columns (an indented block).
 */
export class Positions {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly file: string,
    private readonly lineOffset = 0,
    private readonly columnOffset = 0,
  ) {
    for (let i = 0; i < text.length; i++)
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 0-based line and column of a UTF-16 index. */
  private locate(index: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: index - this.lineStarts[lo]! };
  }

  /** The 1-based range of a node (or of a UTF-16 index span). */
  range(node: SyntaxNode | { startIndex: number; endIndex: number }): SourceRange {
    const s = this.locate(node.startIndex);
    const e = this.locate(node.endIndex);
    return {
      file: this.file,
      line: s.line + 1 + this.lineOffset,
      column: s.column + 1 + this.columnOffset,
      endLine: e.line + 1 + this.lineOffset,
      endColumn: e.column + 1 + this.columnOffset,
    };
  }
}

/** What a reader gets for one file. */
export interface ParsedSource {
  root: SyntaxNode;
  positions: Positions;
  /** ERROR and MISSING regions, in source order (empty for a clean parse). */
  errors: SourceRange[];
  /** Shortcut for `positions.range(node)`. */
  range(node: SyntaxNode): SourceRange;
}

/**
 * Parses `text` with the grammar, runs `fn` on the tree, and frees the tree afterwards. Returns
 * what `fn` returns; nodes must not escape `fn`.
 */
export function withTree<T>(
  grammar: Grammar,
  text: string,
  file: string,
  fn: (parsed: ParsedSource) => T,
  offsets: { line?: number; column?: number } = {},
): T {
  const tree = grammar.parse(text, file);
  try {
    const positions = new Positions(text, file, offsets.line ?? 0, offsets.column ?? 0);
    const root = tree.rootNode;
    const errors = root.hasError ? errorRegions(root).map((n) => positions.range(n)) : [];
    return fn({ root, positions, errors, range: (n) => positions.range(n) });
  } finally {
    tree.delete();
  }
}

/** The outermost ERROR and MISSING nodes under `root`. */
export function errorRegions(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode): void => {
    if (n.isError || n.isMissing) {
      out.push(n);
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) if (c) visit(c);
  };
  visit(root);
  return out;
}

/** Whether a range lies within (or overlaps) any of the error regions. */
export function overlapsAny(r: SourceRange, regions: readonly SourceRange[]): boolean {
  return regions.some(
    (e) =>
      !(
        e.endLine < r.line ||
        (e.endLine === r.line && e.endColumn <= r.column) ||
        e.line > r.endLine ||
        (e.line === r.endLine && e.column >= r.endColumn)
      ),
  );
}

/**
 * Depth-first walk in source order. `visit` returns `false` to skip a node's children. Iterative,
 * so deeply nested input cannot overflow the stack.
 */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a visitor returns nothing, or false to skip the children
export function walk(root: SyntaxNode, visit: (node: SyntaxNode) => boolean | void): void {
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids = n.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
}

/** Every named descendant of one of the given types, in source order. */
export function descendants(root: SyntaxNode, ...types: string[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  walk(root, (n) => {
    if (types.includes(n.type)) out.push(n);
  });
  return out;
}

/** The named children of a node (without nulls). */
export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

/**
 * Runs a query and returns, per match, its captures by name (the first node of each capture).
 * The query is compiled once per grammar.
 */
export function matches(
  grammar: Grammar,
  root: SyntaxNode,
  source: string,
): Array<Record<string, SyntaxNode>> {
  return grammar
    .query(source)
    .matches(root)
    .map((m) => {
      const out: Record<string, SyntaxNode> = {};
      for (const c of m.captures) if (!(c.name in out)) out[c.name] = c.node;
      return out;
    });
}
