/**
 * Line and column of a source offset, for parsers that give offsets only (oxc-parser gives
 * `start`/`end`, no `loc`). The line table of a file is built once when it is parsed, remembered
 * by file name, and read by `rangeOf` (ast.ts) for the few nodes that are reported: no walk over
 * the AST to add `loc` to every node.
 *
 * Lines end where Babel ends them (`\n`, `\r\n`, `\r`, U+2028, U+2029) and columns count UTF-16
 * code units, as Babel's `loc` and oxc's JavaScript offsets do, so a position is the same
 * whichever parser read the file.
 */
import type { EsPosition } from './ast.js';

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: Uint32Array;

  constructor(text: string) {
    this.starts = lineStarts(text);
  }

  /** The 1-based line and 0-based column (ESTree's `loc` convention) of an offset. */
  position(offset: number): EsPosition {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! };
  }
}

function lineStarts(text: string): Uint32Array {
  const starts = [0];
  if (!/[\r\u2028\u2029]/.test(text)) {
    // The common case: `\n` only, found by the engine's search rather than a loop over characters.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return Uint32Array.from(starts);
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */ && text.charCodeAt(i + 1) === 10) continue; // \r\n: one break, at the \n
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return Uint32Array.from(starts);
}

/** Line tables of the files parsed into offsets-only ASTs, by file name (the latest parse wins). */
const indexes = new Map<string, LineIndex>();

/** Remembers the line table of a file just parsed into an AST with offsets only. */
export function rememberLines(file: string, text: string): void {
  indexes.set(file, new LineIndex(text));
}

/** Forgets a file's line table: its AST came from a parser that gives `loc` (Babel). */
export function forgetLines(file: string): void {
  indexes.delete(file);
}

/** The line table of a file parsed into an offsets-only AST, if it was. */
export function linesOf(file: string): LineIndex | undefined {
  return indexes.get(file);
}
