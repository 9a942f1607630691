/**
 * Where something is in a source file. Lines and columns are 1-based, `endColumn` is exclusive
 * (the column just after the last character), like ESLint and SARIF.
 *
 * `file` is the absolute path while the engine runs; the reporters make it relative to the
 * working directory with forward slashes (relativePath).
 */
import path from 'node:path';

export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /**
   * Where the value used here was written, when that is another file (a constant imported from
   * another module): findings stay at the use site and name this place as related.
   */
  definedAt?: SourceRange;
}

/** A range that covers a whole line (or the start of a file when the line is unknown). */
export function lineRange(file: string, line = 1, column = 1, length = 1): SourceRange {
  return { file, line, column, endLine: line, endColumn: column + length };
}

export function compareRanges(a: SourceRange, b: SourceRange): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn
  );
}

/** Relative to the working directory, with forward slashes (the JSON contract). */
export function relativePath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}

/**
 * ` from /abs/src/constants.ts:2` when the value used at `at` was written in another file, for
 * messages. The path is absolute while the engine runs; hosts show it relative to their working
 * directory (`relativizeMessage` in the engine).
 */
export function definedElsewhere(at: SourceRange): string {
  const d = at.definedAt;
  return d && d.file !== at.file ? ` from ${d.file}:${d.line}` : '';
}
