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
}

/** A range that covers a whole line (or the start of a file when the line is unknown). */
export function lineRange(file: string, line = 1, column = 1, length = 1): SourceRange {
  return { file, line, column, endLine: line, endColumn: column + length };
}

export function compareRanges(a: SourceRange, b: SourceRange): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn;
}

/** Relative to the working directory, with forward slashes (the JSON contract). */
export function relativePath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}
