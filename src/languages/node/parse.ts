/**
 * Parses JavaScript/TypeScript into an ESTree `Program`. oxc-parser (native, TS-ESTree with
 * offsets) reads the files it parses without an error; Babel (`estree` plugin, syntax plugins by
 * file extension) reads the rest and gives the messages of syntax errors, which become a
 * `LintError` with a location. Error recovery stays off so a broken file is reported instead of
 * half-read. Babel also reads Flow files (oxc has no Flow), and every file when oxc's binding
 * cannot load on this platform or `TLS_LINT_PARSER=babel` is set.
 *
 * Both give the same ESTree the extractor reads, at the same positions: oxc's nodes carry UTF-16
 * offsets and no `loc`, so the file's line table is remembered (lines.ts) for `rangeOf`.
 */
import type * as Babel from '@babel/parser';
import type { ParserPlugin } from '@babel/parser';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type * as Oxc from 'oxc-parser';
import type { LintError } from '../../model/finding.js';
import type { TSESTree } from './ast.js';
import { forgetLines, rememberLines } from './lines.js';

const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;

export function isNodeSourcePath(file: string): boolean {
  const lower = file.toLowerCase();
  if (lower.endsWith('.d.ts') || lower.endsWith('.d.mts') || lower.endsWith('.d.cts')) return false;
  return (NODE_EXTENSIONS as readonly string[]).includes(path.extname(lower));
}

function pluginsFor(ext: string, text: string): ParserPlugin[] {
  // Older import assertions (`assert { type: 'json' }`) still appear in Node 16–20 era code.
  // Stage-3 syntax that compilers already accept: `accessor` fields, `using` declarations, `#x in obj` destructuring.
  const common: ParserPlugin[] = [
    'estree',
    'decorators-legacy',
    'decoratorAutoAccessors',
    'explicitResourceManagement',
    'destructuringPrivate',
    'importAttributes',
    'deprecatedImportAssert',
  ];
  switch (ext) {
    // `<T>x` type assertions and JSX cannot share a file, hence no `jsx` for .ts.
    case '.ts':
    case '.mts':
    case '.cts':
      return [...common, 'typescript'];
    case '.tsx':
      return [...common, 'typescript', 'jsx'];
    default:
      return isFlow(ext, text) ? [...common, 'jsx', 'flow'] : [...common, 'jsx'];
  }
}

/** Flow-typed sources (React Native and older React code) announce themselves with @flow. */
function isFlow(ext: string, text: string): boolean {
  return !TS_EXTENSIONS.has(ext) && /@flow\b/.test(text.slice(0, 2000));
}

const TS_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.cts', '.tsx']);

let babel: typeof Babel | undefined;

/** Babel's parser (2 MB of code), loaded when the first file is parsed, not when the CLI starts. */
function babelParser(): typeof Babel {
  return (babel ??= createRequire(import.meta.url)('@babel/parser') as typeof Babel);
}

/**
 * oxc-parser's native parse and its decoder of the program's JSON. Its `parseSync` also turns
 * the comments and the module record of every file into JS objects, which the reader never
 * reads: 18% of the parse of the benchmark tree's kept files. Unread, they stay in native memory
 * until the result object is collected (its finalizer runs on an event-loop turn after a GC):
 * the files parsed between two turns, a chunk in the pipeline; in a run without workers, the
 * files it parses (1% of a tree under 4,000 JS/TS files, or every file named on the command
 * line), until it ends.
 */
interface OxcNative {
  parseSync(
    file: string,
    text: string,
    options: Oxc.ParserOptions,
  ): { readonly program: string; readonly errors: readonly unknown[] };
}
interface OxcParser {
  native: OxcNative;
  /** The program's JSON as oxc-parser's own `parseSync` decodes it (BigInt and RegExp values). */
  decode(json: string): unknown;
}

/** oxc-parser, loaded when the first file is parsed; null when its binding cannot load here. */
let oxc: OxcParser | null | undefined;

function oxcParser(): OxcParser | null {
  if (oxc !== undefined) return oxc;
  try {
    // ES modules without top-level await: `require` loads them (Node 20.19+, 22.12+). Both
    // paths are in the package's exports, and its version is pinned.
    const load = createRequire(import.meta.url);
    const native = load('oxc-parser/src-js/bindings') as OxcNative;
    const wrap = load('oxc-parser/src-js/wrap.js') as { jsonParseAst(json: string): unknown };
    oxc = { native, decode: (json) => wrap.jsonParseAst(json) };
  } catch {
    // No prebuilt binding for this platform, or the optional dependency was not installed.
    oxc = null;
  }
  return oxc;
}

/** The parser asked for by `TLS_LINT_PARSER` (`babel` to read every file with Babel, for debugging). */
function babelOnly(): boolean {
  return process.env.TLS_LINT_PARSER === 'babel';
}

export type ParseOutcome =
  | { ok: true; program: TSESTree.Program }
  | { ok: false; error: LintError };

type SourceType = 'script' | 'module' | 'unambiguous';

function sourceTypeOf(ext: string): SourceType {
  // .cts files are CommonJS once compiled, but TypeScript writes them with import/export syntax.
  return ext === '.cjs' ? 'script' : ext === '.mjs' || ext === '.mts' ? 'module' : 'unambiguous';
}

export function parseNodeSource(file: string, text: string): ParseOutcome {
  const ext = path.extname(file).toLowerCase();
  const program =
    babelOnly() || isFlow(ext, text) || !isWellFormed(text) || mayNestTooDeep(text)
      ? undefined
      : parseWithOxc(file, text, ext);
  if (program) {
    rememberLines(file, text);
    return { ok: true, program };
  }
  forgetLines(file);
  return parseWithBabel(file, text);
}

/**
 * The outcome of `parseNodeSource(file, text)` from a tree it made earlier for the same file and
 * text (a project module's): the file's line table is left as that parse leaves it.
 */
export function parsedAgain(file: string, text: string, program: TSESTree.Program): ParseOutcome {
  // oxc's trees carry offsets only; Babel's carry `loc`.
  if ((program as { loc?: unknown }).loc === undefined) rememberLines(file, text);
  else forgetLines(file);
  return { ok: true, program };
}

/**
 * Whether a text holds no lone surrogate. oxc reads UTF-8 and would read one as U+FFFD, where
 * Babel keeps it: such a text (never one decoded from a file, a malformed UTF-16 one aside) goes
 * to Babel. `String.prototype.isWellFormed` (Node 20) is not in the ES2023 library the build
 * targets.
 */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/**
 * oxc's native parser recurses on the thread's stack and has no depth guard: a file nested a
 * few thousand levels deep (2,000 nested functions, 3,000 parentheses or `else if`s, 30,000 `+`
 * in a worker thread's 4 MB stack) ends the process with a segmentation fault, which no `try`
 * can catch. Babel reads such a file instead: it parses it, or its RangeError becomes the
 * "too deeply nested" error.
 *
 * An upper bound of the syntax tree's depth, in one pass over the characters: open brackets
 * count twice (a level costs oxc up to 2.4 KB of stack), and every operator character, opening
 * bracket and word (keywords nest too: `else if`, `new new`, `x as T as U`) counts once along
 * the chain of an expression or statement. The chain restarts where its siblings do — at a `,`
 * or `;` directly inside a bracket, from where it stood when the bracket opened — so long flat
 * lists and statement sequences cost nothing. Over-counting only sends a file to Babel.
 */
function mayNestTooDeep(text: string): boolean {
  if (text.length < SHALLOW_TEXT) return false;
  const maxScore = maxNestingScore();
  let depth = 0;
  let chain = 0;
  /** The chain where each open bracket started, and whether it was a parenthesis. */
  const savedChain: number[] = [0];
  const isParen: boolean[] = [false];
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const wordChar =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
    if (wordChar) {
      if (!inWord && 2 * depth + ++chain > maxScore) return true;
      inWord = true;
      continue;
    }
    inWord = false;
    switch (c) {
      case 40: // (
      case 91: // [
      case 123: // {
        savedChain.push(chain);
        isParen.push(c === 40);
        depth++;
        chain++;
        if (2 * depth + chain > maxScore) return true;
        break;
      case 41: // )
      case 93: // ]
      case 125: // }
        if (depth > 0) {
          depth--;
          // The bracketed part is one more link of the chain it stood in (`a()()()`).
          chain = savedChain.pop()! + 1;
          isParen.pop();
          // A block followed by a word begins the next statement, a sibling, unless the word
          // may go on nesting: `else`, `as`, `satisfies`, `in`, `instanceof`.
          if (c === 125 && !isParen[isParen.length - 1] && startsStatement(text, i + 1))
            chain = savedChain[savedChain.length - 1]!;
        }
        break;
      case 44: // ,
        chain = savedChain[savedChain.length - 1]!;
        break;
      case 59: // ; (not a `for (;;)` header's)
        if (!isParen[isParen.length - 1]) chain = savedChain[savedChain.length - 1]!;
        break;
      case 43: // + - * / % & | ^ ! ~ ? = < > .
      case 45:
      case 42:
      case 47:
      case 37:
      case 38:
      case 124:
      case 94:
      case 33:
      case 126:
      case 63:
      case 61:
      case 60:
      case 62:
      case 46:
        chain++;
        if (2 * depth + chain > maxScore) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/**
 * Whether the word after `from` (spaces skipped) begins a statement rather than continuing a
 * chain: any word but `else`, `as`, `satisfies`, `in` and `instanceof`.
 */
function startsStatement(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) <= 32 || text.charCodeAt(i) === 0xa0)) i++;
  const c = text.charCodeAt(i);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return false;
  const word = /^[A-Za-z]+/.exec(text.slice(i, i + 12))![0];
  return !CHAIN_WORDS.has(word);
}

const CHAIN_WORDS: ReadonlySet<string> = new Set(['else', 'as', 'satisfies', 'in', 'instanceof']);

/**
 * A score oxc's deepest tree per point (nested functions) still parses in a 4 MB stack, a
 * worker thread's. Measured on Node 20 (x64 Linux): the shape that crashes soonest, `for (;;)`
 * nested, crashes at a score of 5,700; nested functions at 10,000.
 */
const MAX_NESTING_SCORE = 1000;
/** Text too short to reach the score: one point takes at least one character. */
const SHALLOW_TEXT = MAX_NESTING_SCORE;
/**
 * The main thread has the process's stack, 8 MB by default on Linux, and oxc crashed there at
 * twice the depth of every shape it crashed at in a worker: the score doubles with the same
 * margin (a 746 kB bundle such as mqtt's `dist/mqtt.js` scores 1,590). Elsewhere, or with a
 * smaller `ulimit -s`, the worker's score stands.
 */
const MAIN_THREAD_STACK = 8 * 1024 * 1024;

let nestingLimit: number | undefined;

function maxNestingScore(): number {
  return (nestingLimit ??=
    isMainThread && mainThreadStack() >= MAIN_THREAD_STACK
      ? 2 * MAX_NESTING_SCORE
      : MAX_NESTING_SCORE);
}

/** The main thread's stack limit in bytes (Linux: the soft RLIMIT_STACK), 0 when unknown. */
function mainThreadStack(): number {
  if (process.platform !== 'linux') return 0;
  try {
    const limit = /^Max stack size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return limit === 'unlimited' ? Infinity : Number(limit ?? 0) || 0;
  } catch {
    return 0;
  }
}

/**
 * The Program oxc parses without any error, or undefined (Babel then parses the file: its
 * messages and positions are the ones reported, and it accepts what oxc may not).
 */
/**
 * The options the reader gives oxc-parser for a file.
 * @public bench/parse-bench.mjs imports it from dist/ (it measures the reader's own parse).
 */
export function oxcOptionsFor(file: string): Oxc.ParserOptions {
  const ext = path.extname(file).toLowerCase();
  const ts = TS_EXTENSIONS.has(ext);
  const sourceType = sourceTypeOf(ext);
  return {
    // Babel reads every JavaScript file with JSX on, and .ts without it (`<T>x` casts).
    lang: ext === '.tsx' ? 'tsx' : ts ? 'ts' : 'jsx',
    // TS-ESTree for TypeScript (parameter properties, `declare`, `export type`…); plain ESTree
    // for JavaScript, a third smaller to build, with no field the reader reads left out.
    astType: ts ? 'ts' : 'js',
    // oxc's `commonjs` is a script with a top-level `return` (Babel: allowReturnOutsideFunction).
    sourceType: sourceType === 'script' ? 'commonjs' : sourceType,
    // As Babel: `(x)` is `x`, no ParenthesizedExpression.
    preserveParens: false,
    // Babel reports early errors (a name declared twice…) as syntax errors; so must oxc.
    showSemanticErrors: true,
  };
}

function parseWithOxc(file: string, text: string, ext: string): TSESTree.Program | undefined {
  const parser = oxcParser();
  if (!parser) return undefined;
  const ts = TS_EXTENSIONS.has(ext);
  try {
    const result = parser.native.parseSync(file, text, oxcOptionsFor(file));
    if (result.errors.length > 0) return undefined;
    // The nodes are TS-ESTree.
    const program = parser.decode(result.program) as TSESTree.Program;
    if (ts && text.includes('`')) templateElementsWithoutDelimiters(program);
    return program;
  } catch {
    // Nested beyond the native parser's limit, or a binding failure: Babel decides.
    return undefined;
  }
}

/**
 * TS-ESTree spans a template's quasi with its delimiters (`` `a${ ``, `` }b` ``); Babel and
 * ESTree do not (`a`, `b`), and a connection string in a template is reported at its quasi.
 * Only TypeScript files holding a backquote are walked.
 */
function templateElementsWithoutDelimiters(program: TSESTree.Program): void {
  const stack: unknown[] = [program];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    const node = value as Record<string, unknown>;
    if (node.type === 'TemplateElement') {
      const quasi = node as { start: number; end: number; tail: boolean };
      // From after the opening `` ` `` or `}` to before the closing `` ` `` or `${`.
      quasi.start += 1;
      quasi.end -= quasi.tail ? 1 : 2;
      continue;
    }
    for (const key in node) {
      const child = node[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
}

/**
 * The options the reader gives Babel for a file.
 * @public bench/parse-bench.mjs imports it from dist/ (it measures the reader's own parse).
 */
export function babelOptionsFor(file: string, text: string): Babel.ParserOptions {
  const ext = path.extname(file).toLowerCase();
  return {
    sourceType: sourceTypeOf(ext),
    sourceFilename: file,
    plugins: pluginsFor(ext, text),
    ranges: true,
    errorRecovery: false,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: false,
    allowUndeclaredExports: true,
  };
}

function parseWithBabel(file: string, text: string): ParseOutcome {
  try {
    const ast = babelParser().parse(text, babelOptionsFor(file, text));
    // Babel types its `estree` output as Babel's own AST; the nodes are ESTree (see ast.ts).
    return { ok: true, program: ast.program as unknown as TSESTree.Program };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // Valid code nested beyond what the parser's recursion can follow is not a syntax error.
      return {
        ok: false,
        error: {
          file,
          kind: 'too-deep',
          message: `Too deeply nested to analyse (depth ${nestingDepth(text)}); the file was not checked`,
        },
      };
    }
    const err = e as Error & { loc?: { line: number; column: number }; reasonCode?: string };
    const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    return {
      ok: false,
      error: {
        file,
        kind: 'syntax',
        message: `Syntax error: ${message}`,
        ...(err.loc && { line: err.loc.line, column: err.loc.column + 1 }),
      },
    };
  }
}

/**
 * How deep a source nests, for the "too deeply nested" message when no syntax tree was made (the
 * parser itself ran out of stack): brackets, or the longest chain of operators and of keywords
 * that nest without brackets (`a = a = …`, `!!…x`, `typeof typeof …`, `else if … else if`, `'a'
 * + 'b' + …`, a left-deep tree). A chain ends at a `;` or a line break, so statements that follow
 * each other do not add up. A rough count that skips nothing (strings included); it only sizes the
 * message. When a tree exists, `treeDepth` counts exactly.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let chain = 0;
  let maxChain = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (CHAIN_OPERATORS.has(c)) maxChain = Math.max(maxChain, ++chain);
    else if (c === 59 || c === 10) chain = 0;
    else if (c >= 97 && c <= 122 && (i === 0 || !isWordCode(text.charCodeAt(i - 1)))) {
      let end = i + 1;
      while (end < text.length && isWordCode(text.charCodeAt(end))) end++;
      if (NESTING_KEYWORDS.has(text.slice(i, end))) maxChain = Math.max(maxChain, ++chain);
      i = end - 1;
    }
  }
  return Math.max(max, maxChain);
}

/** `= + - * / % & | ^ ! ~ ? < >`: each nests the operand after it one level deeper. */
const CHAIN_OPERATORS: ReadonlySet<number> = new Set(
  Array.from({ length: 14 }, (_, i) => '=+-*/%&|^!~?<>'.charCodeAt(i)),
);
/** Words that take an expression or statement after them without a bracket. */
const NESTING_KEYWORDS: ReadonlySet<string> = new Set([
  'typeof',
  'void',
  'delete',
  'await',
  'new',
  'yield',
  'else',
]);

function isWordCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36
  );
}
