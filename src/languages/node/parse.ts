/**
 * Parses JavaScript/TypeScript into an ESTree `Program` with Babel (`estree` plugin), choosing
 * the syntax plugins by file extension. Syntax errors become a `LintError` with a location;
 * error recovery stays off so a broken file is reported instead of half-read.
 */
import { parse, type ParserPlugin } from '@babel/parser';
import path from 'node:path';
import type { LintError } from '../../model/finding.js';
import type { EsNode } from './ast.js';

export const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;

export function isNodeSourcePath(file: string): boolean {
  const lower = file.toLowerCase();
  if (lower.endsWith('.d.ts') || lower.endsWith('.d.mts') || lower.endsWith('.d.cts')) return false;
  return (NODE_EXTENSIONS as readonly string[]).includes(path.extname(lower));
}

function pluginsFor(ext: string, text: string): ParserPlugin[] {
  // Older import assertions (`assert { type: 'json' }`) still appear in Node 16–20 era code.
  const common: ParserPlugin[] = ['estree', 'decorators-legacy', 'importAttributes', 'deprecatedImportAssert'];
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

export type ParseOutcome = { ok: true; program: EsNode } | { ok: false; error: LintError };

export function parseNodeSource(file: string, text: string): ParseOutcome {
  const ext = path.extname(file).toLowerCase();
  // .cts files are CommonJS once compiled, but TypeScript writes them with import/export syntax.
  const sourceType = ext === '.cjs' ? 'script' : ext === '.mjs' || ext === '.mts' ? 'module' : 'unambiguous';
  try {
    const ast = parse(text, {
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
    return { ok: true, program: ast.program as unknown as EsNode };
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number }; reasonCode?: string };
    const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    return {
      ok: false,
      error: {
        file,
        message: `Syntax error: ${message}`,
        ...(err.loc && { line: err.loc.line, column: err.loc.column + 1 }),
      },
    };
  }
}
