/**
 * Python syntax for the reader: the tree-sitter parse turned into a small plain tree (`PyNode`)
 * right away, so the wasm tree is freed at once and the reader never holds native memory. Only
 * named nodes are kept; operators that matter (`|=`, `&=`, `~`, `|`, comparison) survive as the
 * `op` of their node.
 */
import type { SourceRange } from '../../model/location.js';
import type { Positions } from '../tree-sitter/index.js';

export interface PyNode {
  type: string;
  /** Source text (kept for leaves and short nodes; `textOf` slices the source for the rest). */
  start: number;
  end: number;
  /** 0-based row and UTF-16 column, as tree-sitter gives them. */
  row: number;
  column: number;
  endRow: number;
  endColumn: number;
  /** Named children in order. */
  children: PyNode[];
  /** The field name of each child (same index), when the grammar names it. */
  fields: Array<string | undefined>;
  /** The operator token of operator nodes (`|=`, `&=`, `~`, `|`, `==`, `not`…). */
  op?: string;
  parent?: PyNode;
}

/** The tree-sitter node shape this module reads (web-tree-sitter `Node`). */
export interface TsNode {
  type: string;
  isNamed: boolean;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
  childCount: number;
  child(i: number): TsNode | null;
  fieldNameForChild(i: number): string | null;
  hasError?: boolean;
  isMissing?: boolean;
}

const OPERATOR_PARENTS = new Set([
  'augmented_assignment',
  'binary_operator',
  'unary_operator',
  'boolean_operator',
  'comparison_operator',
  'not_operator',
]);

/** Deep trees (generated code) must not overflow the stack: converted with an explicit stack. */
export function toPlainTree(root: TsNode): { root: PyNode; firstError?: PyNode } {
  let firstError: PyNode | undefined;
  const make = (n: TsNode): PyNode => ({
    type: n.type,
    start: n.startIndex,
    end: n.endIndex,
    row: n.startPosition.row,
    column: n.startPosition.column,
    endRow: n.endPosition.row,
    endColumn: n.endPosition.column,
    children: [],
    fields: [],
  });
  const top = make(root);
  const stack: Array<[TsNode, PyNode]> = [[root, top]];
  while (stack.length > 0) {
    const [ts, plain] = stack.pop()!;
    if ((ts.type === 'ERROR' || ts.isMissing) && !firstError) firstError = plain;
    const count = ts.childCount;
    for (let i = 0; i < count; i++) {
      const c = ts.child(i);
      if (!c) continue;
      if (!c.isNamed) {
        if (
          OPERATOR_PARENTS.has(ts.type) &&
          plain.op === undefined &&
          c.type !== '(' &&
          c.type !== ')'
        )
          plain.op = c.type;
        else if (ts.type === 'comparison_operator' && plain.op !== undefined)
          plain.op += ` ${c.type}`;
        if (c.isMissing && !firstError) firstError = plain;
        continue;
      }
      const child = make(c);
      child.parent = plain;
      plain.children.push(child);
      plain.fields.push(ts.fieldNameForChild(i) ?? undefined);
      stack.push([c, child]);
    }
  }
  return { root: top, ...(firstError && { firstError }) };
}

export function field(node: PyNode, name: string): PyNode | undefined {
  const i = node.fields.indexOf(name);
  return i < 0 ? undefined : node.children[i];
}

export function fieldAll(node: PyNode, name: string): PyNode[] {
  return node.children.filter((_, i) => node.fields[i] === name);
}

export class PySource {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly positions: Positions,
  ) {}

  textOf(node: PyNode): string {
    return this.text.slice(node.start, node.end);
  }

  /** From the start of `node` to the end of `endNode`, through the host's positions (Markdown offsets included). */
  range(node: PyNode, endNode: PyNode = node): SourceRange {
    return this.positions.range({ startIndex: node.start, endIndex: endNode.end });
  }
}
