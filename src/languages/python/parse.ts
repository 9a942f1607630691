/**
 * Parses Python source with tree-sitter-python (the shared host) into the reader's plain tree.
 * tree-sitter recovers from syntax errors: the rest of the file is still read, and the first
 * broken region is reported so the run says the file was not read whole.
 */
import type { LintError } from '../../model/finding.js';
import { loadGrammar, withTree } from '../tree-sitter/index.js';
import { PySource, toPlainTree, type PyNode } from './syntax.js';

export interface PythonParse {
  root: PyNode;
  source: PySource;
  error?: LintError;
}

export function isPythonSourcePath(file: string): boolean {
  return /\.pyw?$/i.test(file);
}

/** `offsets` place an embedded block (a Markdown fence) in its file. */
export async function parsePython(
  file: string,
  text: string,
  offsets: { line?: number; column?: number } = {},
): Promise<PythonParse> {
  const grammar = await loadGrammar('python');
  return withTree(
    grammar,
    text,
    file,
    (parsed) => {
      const { root } = toPlainTree(parsed.root);
      const source = new PySource(file, text, parsed.positions);
      const first = parsed.errors[0];
      return {
        root,
        source,
        ...(first && {
          error: {
            file,
            kind: 'syntax',
            message: 'Python syntax error (the rest of the file was still read)',
            line: first.line,
            column: first.column,
          },
        }),
      };
    },
    offsets,
  );
}
