/**
 * What a reader reports when reading one file (or package) throws, so that one input it cannot
 * handle never hides the others and the error says why: a stack overflow is nesting too deep to
 * follow (`too-deep`), a parser that gives up is a `syntax` error, anything else is a bug
 * (`internal`).
 */
import type { LintError } from '../model/finding.js';
import { TreeSitterParseError } from './tree-sitter/index.js';

export function readFailure(reader: string, file: string, e: unknown, what = 'file'): LintError {
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return {
      file,
      kind: 'too-deep',
      message: `Too deeply nested to analyse; the ${what} was not checked`,
    };
  if (e instanceof TreeSitterParseError) return { file, kind: 'syntax', message: e.message };
  return {
    file,
    kind: 'internal',
    message: `Internal error in the ${reader} reader: ${e instanceof Error ? e.message : String(e)}`,
  };
}
