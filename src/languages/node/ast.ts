/**
 * A loose view of ESTree nodes. The extractor works on any ESTree producer (Babel's `estree`
 * plugin, espree/ESLint, typescript-eslint), including their TypeScript node types
 * (`TSAsExpression`, `TSSatisfiesExpression`…), which `@types/estree` does not describe, so nodes
 * are typed loosely here and inspected by `type`.
 */
import type { SourceRange } from '../../model/location.js';

export interface EsPosition {
  line: number;
  /** 0-based, as in ESTree. */
  column: number;
}

export interface EsNode {
  type: string;
  loc?: { start: EsPosition; end: EsPosition } | null;
  range?: [number, number];
  start?: number;
  end?: number;
  // ESTree nodes carry many type-specific fields; they are read by name after checking `type`.
  [key: string]: any;
}

/**
 * Keys that never hold child nodes we want to visit (positions, parents, types, comments).
 * Decorators are visited: their arguments configure things (NestJS `@Module({ imports: [
 * TypeOrmModule.forRoot({ ssl: … }) ] })`).
 */
const SKIPPED_KEYS = new Set([
  'type',
  'loc',
  'range',
  'start',
  'end',
  'parent',
  'extra',
  'raw',
  'regex',
  'bigint',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'comments',
  'tokens',
  'typeAnnotation',
  'typeParameters',
  'typeArguments',
  'returnType',
  'superTypeParameters',
  'superTypeArguments',
  'predicate',
  'implements',
]);

function isNode(value: unknown): value is EsNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/** The child nodes of a node, in source order of their keys. */
export function childNodes(node: EsNode): EsNode[] {
  const out: EsNode[] = [];
  for (const key of Object.keys(node)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

/** Our 1-based, end-exclusive range for a node (ESTree columns are 0-based). */
export function rangeOf(node: EsNode, file: string): SourceRange {
  const loc = node.loc;
  const definedAt = (node as ForeignNode).definedAt;
  if (!loc) return { file, line: 1, column: 1, endLine: 1, endColumn: 2 };
  return {
    file,
    line: loc.start.line,
    column: loc.start.column + 1,
    endLine: loc.end.line,
    endColumn: loc.end.column + 1,
    ...(definedAt && { definedAt }),
  };
}

/**
 * A node of another module standing in at a use site (see `project-modules.ts`): it has the use
 * site's position and remembers where it was written.
 */
export interface ForeignNode extends EsNode {
  definedAt?: SourceRange;
}

/** Source offsets of a node: `range` (espree, ESLint) or `start`/`end` (Babel). */
export function offsetsOf(node: EsNode): [number, number] | undefined {
  if (node.range) return node.range;
  if (typeof node.start === 'number' && typeof node.end === 'number') return [node.start, node.end];
  return undefined;
}

/**
 * Expressions that only change the static type (`x as T`, `x satisfies T`, `x!`, `<T>x`) or
 * group (`(x)` when the parser keeps parentheses) are looked through.
 */
const TRANSPARENT = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TypeCastExpression',
  'ParenthesizedExpression',
  'TSInstantiationExpression',
  'ChainExpression',
]);

export function unwrap(node: EsNode): EsNode {
  let n = node;
  while (TRANSPARENT.has(n.type) && isNode(n.expression)) n = n.expression;
  return n;
}

/** The static name of a property key or member property: `a.b`, `a['b']`, `{ b: … }`, `{ 'b': … }`. */
export function staticKey(key: EsNode | undefined | null, computed: boolean): string | undefined {
  if (!key) return undefined;
  const k = unwrap(key);
  if (!computed && k.type === 'Identifier') return k.name as string;
  if (!computed && k.type === 'PrivateIdentifier') return undefined;
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number'))
    return String(k.value);
  if (k.type === 'StringLiteral') return k.value as string;
  if (k.type === 'TemplateLiteral' && k.expressions.length === 0) return templateText(k);
  return undefined;
}

export function templateText(node: EsNode): string {
  return (node.quasis as EsNode[])
    .map((q) => (q.value?.cooked ?? q.value?.raw ?? '') as string)
    .join('');
}

export function isFunctionNode(node: EsNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}
