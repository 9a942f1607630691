/**
 * The ESTree nodes the Node reader works on, typed with typescript-eslint's `TSESTree` (ESTree
 * plus the TypeScript node types: `TSAsExpression`, `TSSatisfiesExpression`…) and the few kinds
 * other producers emit that it does not describe (Babel's `StringLiteral`, `ClassProperty`,
 * `ParenthesizedExpression`, Flow's `TypeCastExpression`…). The extractor works on any ESTree
 * producer (Babel's `estree` plugin, espree/ESLint, typescript-eslint) and narrows by `type`.
 * Only the types come from `@typescript-eslint/types`: nothing of it is loaded at run time.
 */
import type { SourceRange } from '../../model/location.js';
import type * as TSESTree from './tsestree.js';
import { linesOf } from './lines.js';

export type * as TSESTree from './tsestree.js';

export interface EsPosition {
  line: number;
  /** 0-based, as in ESTree. */
  column: number;
}

/**
 * Where a node is, as each producer gives it: `loc` (Babel, espree, typescript-eslint), `range`
 * (espree, typescript-eslint) or `start`/`end` (Babel, oxc). TSESTree declares `loc` and `range`
 * always present; Babel omits `range`, oxc both, so positions are read through this looser view.
 */
export interface Positions {
  loc?: { start: EsPosition; end: EsPosition } | null;
  range?: [number, number];
  start?: number;
  end?: number;
}

/** Babel's `estree` plugin without `classFeatures`: `x = 1` and `#x = 1` in a class body. */
export interface ClassPropertyNode extends Positions {
  type: 'ClassProperty' | 'ClassPrivateProperty';
  key: EsNode;
  value: EsNode | null;
  computed?: boolean;
  static?: boolean;
}

/** `(x)` when the parser keeps parentheses (Babel's `createParenthesizedExpressions`). */
export interface ParenthesizedExpressionNode extends Positions {
  type: 'ParenthesizedExpression';
  expression: EsNode;
}

/** Flow's `(x: T)`. */
export interface TypeCastExpressionNode extends Positions {
  type: 'TypeCastExpression';
  expression: EsNode;
}

/** Babel's string literal (without the `estree` plugin). */
export interface StringLiteralNode extends Positions {
  type: 'StringLiteral';
  value: string;
}

/** Babel's `export * as ns from 'm'` specifier. */
export interface ExportNamespaceSpecifierNode extends Positions {
  type: 'ExportNamespaceSpecifier';
  exported: EsNode;
}

/** Babel's callee of `import(…)` written as a call (without `createImportExpressions`). */
export interface ImportCalleeNode extends Positions {
  type: 'Import';
}

/** Node kinds outside TSESTree that the reader recognises. */
export type OtherNode =
  | ClassPropertyNode
  | ParenthesizedExpressionNode
  | TypeCastExpressionNode
  | StringLiteralNode
  | ExportNamespaceSpecifierNode
  | ImportCalleeNode;

/** Any node the reader walks; narrow it by `type`. */
export type EsNode = TSESTree.Node | OtherNode;

/** The `type` of a node: `'CallExpression'`, `'StringLiteral'`… */
export type NodeType = EsNode['type'];

/** The node of a given `type`: `NodeOf<'CallExpression'>`. */
export type NodeOf<T extends NodeType> = Extract<EsNode, { type: T }>;

/** Whether a node is of the given `type`, narrowing it. */
export function isType<T extends NodeType>(
  node: EsNode | null | undefined,
  type: T,
): node is NodeOf<T> {
  return node?.type === type;
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

export function isNode(value: unknown): value is EsNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * Every field of a node with its value, whatever the node type, for walks that visit all
 * children: the values are unknown until checked (`isNode`, `Array.isArray`).
 */
export function fieldsOf(node: EsNode): Array<[string, unknown]> {
  // `Object.entries` types the values of an object without an index signature as `any`.
  return Object.entries(node) as Array<[string, unknown]>;
}

/** A node's fields by name, for walks that visit every key (no per-key allocation). */
function fieldRecord(node: EsNode): Readonly<Record<string, unknown>> {
  return node as unknown as Readonly<Record<string, unknown>>;
}

/** The body of a function-like node (a block or an arrow's expression); undefined for a signature without one. */
export function bodyOf(fn: EsNode): EsNode | undefined {
  return 'body' in fn && isNode(fn.body) ? fn.body : undefined;
}

/**
 * The child nodes of a node, in the order of its keys (`Object.keys`), whatever the producer.
 * The hottest function of the reader: most nodes take the fast path through `CHILD_KEYS`; a node
 * type the table does not list, or whose key order varies, takes the generic walk.
 */
export function childNodes(node: EsNode): EsNode[] {
  const keys = CHILD_KEYS.get(node.type);
  if (keys === undefined) return allChildNodes(node);
  const fields = fieldRecord(node);
  // Parsers put `decorators` before or after the other keys, node by node: only the generic walk
  // keeps their order. Most nodes have none (an absent key or an empty list).
  const decorators = fields['decorators'];
  if (Array.isArray(decorators) && decorators.length > 0) return allChildNodes(node);
  const out: EsNode[] = [];
  for (let i = 0; i < keys.length; i++) addNodes(fields[keys[i]!], out);
  return out;
}

/**
 * `childNodes` without the array: `visit` gets the same children in the same order. For the
 * walks over every node of a file (scope analysis), where an array per node is most of what
 * they allocate.
 */
export function forEachChildNode(node: EsNode, visit: (child: EsNode) => void): void {
  const keys = CHILD_KEYS.get(node.type);
  const fields = fieldRecord(node);
  const decorators = fields['decorators'];
  if (keys === undefined || (Array.isArray(decorators) && decorators.length > 0)) {
    for (const child of allChildNodes(node)) visit(child);
    return;
  }
  for (let i = 0; i < keys.length; i++) {
    const value = fields[keys[i]!];
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) if (isNode(item)) visit(item);
    } else if (isNode(value)) {
      visit(value);
    }
  }
}

/**
 * The number of nodes on the longest path from `root` down, counted without recursion: it sizes
 * the "too deeply nested" message of a tree the analysis could not follow.
 */
export function treeDepth(root: EsNode): number {
  let max = 0;
  const stack: Array<[EsNode, number]> = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > max) max = depth;
    forEachChildNode(node, (child) => stack.push([child, depth + 1]));
  }
  return max;
}

/** The child nodes of any node: every key but `SKIPPED_KEYS`, in `Object.keys` order. */
export function allChildNodes(node: EsNode): EsNode[] {
  const out: EsNode[] = [];
  // Object.keys and an indexed read, not Object.entries, which allocates a pair per key.
  const fields = fieldRecord(node);
  for (const key of Object.keys(fields)) if (!SKIPPED_KEYS.has(key)) addNodes(fields[key], out);
  return out;
}

/** The node, or the nodes of a list, a key holds. */
function addNodes(value: unknown, out: EsNode[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (isNode(item)) out.push(item);
  } else if (isNode(value)) {
    out.push(value);
  }
}

/**
 * The keys that may hold child nodes, by node type: the keys ESTree, TSESTree and Babel define
 * for the type, without `SKIPPED_KEYS`, in the order oxc, Babel's `estree` output and espree all
 * list them (so `childNodes` visits what `allChildNodes` would, in the same order, for each).
 * typescript-eslint lists keys alphabetically (`alternate` before `test`); through the table its
 * trees are walked in this same order, so the ESLint plugin sees calls in the order the CLI does.
 * Left out, so walked generically: types whose key order differs between those parsers
 * (`SwitchCase`, `LabeledStatement`, `TemplateLiteral`, JSX elements and fragments: Babel and
 * espree list `consequent`, `body`, `expressions` and `closingElement` earlier than oxc;
 * `ExportAllDeclaration`; `Program`, whose hashbang oxc lists after the body) or from node to
 * node (`TSInterfaceDeclaration`), types with a deprecated alias of a key in some parser
 * (typescript-eslint's `assertions` of imports and exports, `members` of enums, which would be
 * visited twice), and types Babel never produces.
 * `test/node/child-nodes.test.ts` checks the table on the repository's sources.
 */
const CHILD_KEYS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    ImportDefaultSpecifier: ['local'],
    Identifier: ['decorators'],
    Literal: [],
    ImportSpecifier: ['imported', 'local'],
    VariableDeclaration: ['declarations'],
    VariableDeclarator: ['id', 'init'],
    NewExpression: ['callee', 'arguments'],
    MemberExpression: ['object', 'property'],
    ObjectExpression: ['properties'],
    Property: ['key', 'value'],
    ConditionalExpression: ['test', 'consequent', 'alternate'],
    BinaryExpression: ['left', 'right'],
    ArrowFunctionExpression: ['params', 'body'],
    CallExpression: ['callee', 'arguments'],
    FunctionDeclaration: ['id', 'params', 'body'],
    BlockStatement: ['body', 'directives'],
    ReturnStatement: ['argument'],
    ExpressionStatement: ['expression'],
    AssignmentExpression: ['left', 'right'],
    TemplateElement: [],
    ImportNamespaceSpecifier: ['local'],
    ArrayExpression: ['elements'],
    ObjectPattern: ['properties', 'decorators'],
    UnaryExpression: ['argument'],
    IfStatement: ['test', 'consequent', 'alternate'],
    TSAsExpression: ['expression'],
    TSNonNullExpression: ['expression'],
    JSXOpeningElement: ['name', 'attributes'],
    JSXIdentifier: [],
    JSXAttribute: ['name', 'value'],
    JSXExpressionContainer: ['expression'],
    JSXClosingElement: ['name'],
    SpreadElement: ['argument'],
    LogicalExpression: ['left', 'right'],
    AwaitExpression: ['argument'],
    ImportExpression: ['source', 'options'],
    AssignmentPattern: ['left', 'right', 'decorators'],
    ClassDeclaration: ['id', 'superClass', 'body', 'mixins', 'decorators'],
    ClassBody: ['body'],
    MethodDefinition: ['key', 'value', 'decorators'],
    FunctionExpression: ['id', 'params', 'body'],
    ClassProperty: ['key', 'value', 'variance', 'decorators'],
    Decorator: ['expression'],
    TSDeclareFunction: ['id', 'params', 'body'],
    ClassPrivateProperty: ['key', 'value', 'variance', 'decorators'],
    PrivateName: ['id'],
    ThisExpression: [],
    TSImportEqualsDeclaration: ['id', 'moduleReference'],
    TSExternalModuleReference: ['expression'],
    TSSatisfiesExpression: ['expression'],
    TSTypeAssertion: ['expression'],
    TSParameterProperty: ['parameter', 'decorators'],
    TSExportAssignment: ['expression'],
    TSEnumMember: ['id', 'initializer'],
    ExportDefaultDeclaration: ['declaration'],
    ExportSpecifier: ['local', 'exported'],
    TSModuleDeclaration: ['id', 'body'],
    TSModuleBlock: ['body'],
    TSInterfaceBody: ['body'],
    TSPropertySignature: ['key'],
    ClassAccessorProperty: ['key', 'value', 'decorators'],
    TSIndexSignature: ['parameters'],
    StaticBlock: ['body'],
    TSExpressionWithTypeArguments: ['expression'],
    TSCallSignatureDeclaration: ['parameters', 'params'],
    TSConstructSignatureDeclaration: ['parameters', 'params'],
    TSMethodSignature: ['key', 'parameters', 'params'],
    TSTypeAliasDeclaration: ['id'],
    TSQualifiedName: ['left', 'right'],
    SequenceExpression: ['expressions'],
    JSXOpeningFragment: [],
    JSXClosingFragment: [],
    JSXText: [],
    JSXSpreadAttribute: ['argument'],
    JSXNamespacedName: ['namespace', 'name'],
    ImportAttribute: ['key', 'value'],
    TSNamespaceExportDeclaration: ['id'],
    WithStatement: ['object', 'body'],
    ArrayPattern: ['elements', 'decorators'],
    RestElement: ['argument', 'decorators'],
    ForStatement: ['init', 'test', 'update', 'body'],
    UpdateExpression: ['argument'],
    ContinueStatement: ['label'],
    BreakStatement: ['label'],
    ForInStatement: ['left', 'right', 'body'],
    ForOfStatement: ['left', 'right', 'body'],
    WhileStatement: ['test', 'body'],
    DoWhileStatement: ['body', 'test'],
    SwitchStatement: ['discriminant', 'cases'],
    TryStatement: ['block', 'handler', 'finalizer'],
    ThrowStatement: ['argument'],
    CatchClause: ['param', 'body'],
    EmptyStatement: [],
    YieldExpression: ['argument'],
    TaggedTemplateExpression: ['tag', 'quasi'],
    ChainExpression: ['expression'],
    MetaProperty: ['meta', 'property'],
    ClassExpression: ['id', 'superClass', 'body', 'mixins', 'decorators'],
    DebuggerStatement: [],
    Super: [],
    InterpreterDirective: [],
  }),
);

/**
 * Our 1-based, end-exclusive range for a node (ESTree columns are 0-based): from its `loc`, or,
 * from a parser that gives offsets only (oxc), from its offsets and the line table of its file.
 */
export function rangeOf(
  node: Positions & { definedAt?: SourceRange | undefined },
  file: string,
): SourceRange {
  const loc = locOf(node, file);
  const definedAt = node.definedAt;
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

/** A node's ESTree `loc`: its own, or computed from its offsets when its parser gave none. */
export function locOf(
  node: Positions,
  file: string,
): { start: EsPosition; end: EsPosition } | null | undefined {
  if (node.loc !== undefined) return node.loc;
  const lines = linesOf(file);
  const offsets = lines && offsetsOf(node);
  if (!offsets) return undefined;
  return { start: lines.position(offsets[0]), end: lines.position(offsets[1]) };
}

/**
 * A node of another module standing in at a use site (see `project-modules.ts`): it has the use
 * site's position and remembers where it was written.
 */
export type ForeignNode = EsNode & { definedAt?: SourceRange };

/** Where a node of another module was written, when it stands in at a use site. */
export function definedAtOf(node: ForeignNode | undefined): SourceRange | undefined {
  return node?.definedAt;
}

/** Source offsets of a node: `range` (espree, ESLint) or `start`/`end` (Babel, oxc). */
export function offsetsOf(node: Positions): [number, number] | undefined {
  if (node.range) return node.range;
  if (typeof node.start === 'number' && typeof node.end === 'number') return [node.start, node.end];
  return undefined;
}

/**
 * Expressions that only change the static type (`x as T`, `x satisfies T`, `x!`, `<T>x`) or
 * group (`(x)` when the parser keeps parentheses) are looked through.
 */
const TRANSPARENT: ReadonlySet<string> = new Set<NodeType>([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TypeCastExpression',
  'ParenthesizedExpression',
  'TSInstantiationExpression',
  'ChainExpression',
]);

type TransparentNode = NodeOf<
  | 'TSAsExpression'
  | 'TSSatisfiesExpression'
  | 'TSNonNullExpression'
  | 'TSTypeAssertion'
  | 'TypeCastExpression'
  | 'ParenthesizedExpression'
  | 'TSInstantiationExpression'
  | 'ChainExpression'
>;

function isTransparent(node: EsNode): node is TransparentNode {
  return TRANSPARENT.has(node.type);
}

export function unwrap(node: EsNode): EsNode {
  let n = node;
  while (isTransparent(n) && isNode(n.expression)) n = n.expression;
  return n;
}

/** The static name of a property key or member property: `a.b`, `a['b']`, `{ b: … }`, `{ 'b': … }`. */
export function staticKey(key: EsNode | undefined | null, computed: boolean): string | undefined {
  if (!key) return undefined;
  const k = unwrap(key);
  if (!computed && k.type === 'Identifier') return k.name;
  if (!computed && k.type === 'PrivateIdentifier') return undefined;
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number'))
    return String(k.value);
  if (k.type === 'StringLiteral') return k.value;
  if (k.type === 'TemplateLiteral' && k.expressions.length === 0) return templateText(k);
  return undefined;
}

export function templateText(node: TSESTree.TemplateLiteral): string {
  return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join('');
}

/** A call (`f()`, `new F()`, `import()`). */
export type CallNode = TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.ImportExpression;

/** A call with a callee and arguments (`f()`, `new F()`). */
export type Invocation = TSESTree.CallExpression | TSESTree.NewExpression;

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunctionNode(node: EsNode | null | undefined): node is FunctionNode {
  return (
    node?.type === 'FunctionDeclaration' ||
    node?.type === 'FunctionExpression' ||
    node?.type === 'ArrowFunctionExpression'
  );
}
