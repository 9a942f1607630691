/**
 * Parses JavaScript/TypeScript into an ESTree `Program` with Babel (`estree` plugin), choosing
 * the syntax plugins by file extension. Syntax errors become a `LintError` with a location;
 * error recovery stays off so a broken file is reported instead of half-read.
 */
import type * as Babel from '@babel/parser';
import type { ParserPlugin } from '@babel/parser';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LintError } from '../../model/finding.js';
import type { TSESTree } from './ast.js';

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
      // Flow-typed sources (React Native and older React code) announce themselves with @flow.
      return /@flow\b/.test(text.slice(0, 2000)) ? [...common, 'jsx', 'flow'] : [...common, 'jsx'];
  }
}

let babel: typeof Babel | undefined;

/** Babel's parser (2 MB of code), loaded when the first file is parsed, not when the CLI starts. */
function babelParser(): typeof Babel {
  return (babel ??= createRequire(import.meta.url)('@babel/parser') as typeof Babel);
}

export type ParseOutcome =
  | { ok: true; program: TSESTree.Program }
  | { ok: false; error: LintError };

export function parseNodeSource(file: string, text: string): ParseOutcome {
  const ext = path.extname(file).toLowerCase();
  // .cts files are CommonJS once compiled, but TypeScript writes them with import/export syntax.
  const sourceType =
    ext === '.cjs' ? 'script' : ext === '.mjs' || ext === '.mts' ? 'module' : 'unambiguous';
  try {
    const ast = babelParser().parse(text, {
      sourceType,
      sourceFilename: file,
      plugins: pluginsFor(ext, text),
      ranges: true,
      errorRecovery: false,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: false,
      allowUndeclaredExports: true,
    });
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
 * How deep a source nests, for the "too deeply nested" message: brackets, or the length of the
 * longest run of binary operators when that is what nests (`'a' + 'b' + …` is a left-deep tree).
 * A rough count that skips nothing (strings included); it only sizes the message.
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
    else if (c === 43 || c === 45 || c === 42 || c === 124 || c === 38 || c === 63)
      maxChain = Math.max(maxChain, ++chain);
    else if (c === 59) chain = 0;
  }
  return Math.max(max, maxChain);
}
