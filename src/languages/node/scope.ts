/**
 * Scope analysis over ESTree: which declaration an identifier refers to (respecting block scopes
 * and shadowing), what each binding was initialised with, and every later write to it. Enough to
 * resolve values within one file; not a type checker.
 */
import {
  bodyOf,
  childNodes,
  forEachChildNode,
  isFunctionNode,
  staticKey,
  unwrap,
  type CallNode,
  type EsNode,
  type NodeOf,
  type TSESTree,
} from './ast.js';
import { mayBeKeyValueConnectionString } from './connection-strings.js';

export interface Scope {
  node: EsNode;
  parent: Scope | undefined;
  /** Function (or module) scope: `var` and parameters live here. */
  isFunction: boolean;
  bindings: Map<string, Binding>;
}

/** One step from a declarator's initialiser to a name inside a destructuring pattern. */
export type PatternStep =
  | { kind: 'key'; key: string | undefined }
  | { kind: 'index'; index: number }
  /** `...rest` of an object pattern: everything but the keys named beside it. */
  | { kind: 'rest'; exclude?: string[] }
  | { kind: 'default'; value: EsNode };

export type BindingKind =
  | 'var'
  | 'let'
  | 'const'
  | 'param'
  | 'function'
  | 'class'
  | 'import'
  | 'catch'
  | 'other';

export interface Binding {
  name: string;
  kind: BindingKind;
  id: TSESTree.Identifier;
  scope: Scope;
  /** Declarator initialiser (or the function node for `function f(){}`). */
  init?: EsNode;
  /** Path from `init` to this name through destructuring. */
  path: PatternStep[];
  /** `import x from 'm'` → { source: 'm', imported: 'default' }; `* as` → '*'. */
  importOf?: { source: string; imported: string };
  /** Declared in a for-in/for-of head: a new value every iteration. */
  loop?: boolean;
  /** Later assignments to the name itself. `value` undefined = not a plain `=` (`+=`, `++`, loop). */
  writes: Array<{ node: EsNode; value?: EsNode; path: PatternStep[]; unconditional?: boolean }>;
  /** `name.key = value` writes (options objects filled in after creation). */
  memberWrites: MemberWrite[];
}

export interface MemberWrite {
  key: string;
  value: EsNode;
  /** The assignment expression (or the property of an `Object.assign` source). */
  node: EsNode;
  /** Runs whenever the declaration does (same function, not under if/loop/switch/&&/?:). */
  unconditional: boolean;
}

/** What the extractor wants to visit afterwards, collected during the same walk. */
/** A URL, or a `Key=Value;…` string with a switch (`connection-strings.ts`). */
function mayBeConnectionString(text: string): boolean {
  return text.includes('://') || mayBeKeyValueConnectionString(text);
}

export interface FileFacts {
  calls: CallNode[];
  assignments: TSESTree.AssignmentExpression[];
  /** Values leaving the file or a function: `export default x`, `module.exports = x`, `return x`. */
  sinks: Sink[];
  /** `super(…)` calls and the class they call. */
  superClassOf: Map<EsNode, EsNode>;
  /**
   * String literals and template parts that may be connection strings (`://`, or a
   * `TrustServerCertificate=` key), in walk order.
   */
  urlStrings: Array<NodeOf<'Literal' | 'TemplateElement'>>;
  /** The class whose instance each `this` is (in methods, constructors, field initialisers). */
  thisClassOf: Map<EsNode, EsNode>;
}

/** Where a value goes, for labels: "exported options object", "options returned from a function". */
export interface Sink {
  node: EsNode;
  kind: 'export' | 'return' | 'field' | 'assignment';
  /** The target of an assignment as written (`this.ssl`), when short. */
  target?: EsNode;
}

export class ScopeAnalysis {
  readonly root: Scope;
  private readonly scopeByNode = new Map<EsNode, Scope>();
  private readonly scopeOfIdentifier = new Map<EsNode, Scope>();
  readonly facts: FileFacts = {
    calls: [],
    assignments: [],
    sinks: [],
    superClassOf: new Map(),
    urlStrings: [],
    thisClassOf: new Map(),
  };

  constructor(program: EsNode) {
    this.root = this.newScope(program, undefined, true);
    this.declareIn(program, this.root);
    this.referencesIn(program, this.root, { functionScope: this.root, branchDepth: 0 }, false);
  }

  /** The binding an identifier (in expression position) refers to; undefined for globals. */
  resolve(identifier: TSESTree.Identifier): Binding | undefined {
    let scope = this.scopeOfIdentifier.get(identifier);
    const name = identifier.name;
    while (scope) {
      const b = scope.bindings.get(name);
      if (b) return b;
      scope = scope.parent;
    }
    return undefined;
  }

  /** The function (or module) whose body an identifier is in. */
  functionScopeOfIdentifier(identifier: EsNode): Scope | undefined {
    const scope = this.scopeOfIdentifier.get(identifier);
    return scope ? this.functionScopeOf(scope) : undefined;
  }

  /** The function (or module) scope a binding lives in. */
  functionScopeOfBinding(binding: Binding): Scope {
    return this.functionScopeOf(binding.scope);
  }

  /** Whether an identifier refers to a global (no declaration in the file). */
  isGlobal(identifier: TSESTree.Identifier): boolean {
    return this.scopeOfIdentifier.has(identifier) && this.resolve(identifier) === undefined;
  }

  // --- pass 1: scopes and declarations -------------------------------------------------------

  private newScope(node: EsNode, parent: Scope | undefined, isFunction: boolean): Scope {
    const scope: Scope = { node, parent, isFunction, bindings: new Map() };
    this.scopeByNode.set(node, scope);
    return scope;
  }

  private functionScopeOf(scope: Scope): Scope {
    let s: Scope = scope;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }

  private addBinding(
    scope: Scope,
    id: TSESTree.Identifier,
    kind: BindingKind,
    extra: Partial<Binding> = {},
  ): void {
    const name = id.name;
    // A later `var x` does not replace an import or a parameter of the same name in our model.
    if (scope.bindings.has(name) && kind === 'var') return;
    scope.bindings.set(name, {
      name,
      kind,
      id,
      scope,
      path: [],
      writes: [],
      memberWrites: [],
      ...extra,
    });
  }

  private declarePattern(
    pattern: EsNode,
    steps: PatternStep[],
    cb: (id: TSESTree.Identifier, steps: PatternStep[]) => void,
  ): void {
    const p = pattern;
    switch (p.type) {
      case 'Identifier':
        cb(p, steps);
        return;
      case 'ObjectPattern': {
        const named = p.properties.flatMap((prop) =>
          prop.type === 'RestElement' ? [] : [staticKey(prop.key, prop.computed) ?? ''],
        );
        for (const prop of p.properties) {
          if (prop.type === 'RestElement')
            this.declarePattern(prop.argument, [...steps, { kind: 'rest', exclude: named }], cb);
          else
            this.declarePattern(
              prop.value,
              [...steps, { kind: 'key', key: staticKey(prop.key, prop.computed) }],
              cb,
            );
        }
        return;
      }
      case 'ArrayPattern':
        p.elements.forEach((el, index) => {
          if (!el) return;
          if (el.type === 'RestElement')
            this.declarePattern(el.argument, [...steps, { kind: 'rest' }], cb);
          else this.declarePattern(el, [...steps, { kind: 'index', index }], cb);
        });
        return;
      case 'AssignmentPattern':
        this.declarePattern(p.left, [...steps, { kind: 'default', value: p.right }], cb);
        return;
      case 'RestElement':
        this.declarePattern(p.argument, [...steps, { kind: 'rest' }], cb);
        return;
      case 'TSParameterProperty':
        this.declarePattern(p.parameter, steps, cb);
        return;
      default:
        return;
    }
  }

  private declareIn(node: EsNode, scope: Scope): void {
    switch (node.type) {
      case 'VariableDeclaration': {
        const kind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let';
        const target = kind === 'var' ? this.functionScopeOf(scope) : scope;
        for (const decl of node.declarations) {
          this.declarePattern(decl.id, [], (id, path) =>
            this.addBinding(target, id, kind, { ...(decl.init && { init: decl.init }), path }),
          );
          if (decl.init) this.declareIn(decl.init, scope);
        }
        return;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        if (node.type === 'FunctionDeclaration' && node.id)
          this.addBinding(scope, node.id, 'function', { init: node });
        const fn = this.newScope(node, scope, true);
        if (node.type === 'FunctionExpression' && node.id)
          this.addBinding(fn, node.id, 'function', { init: node });
        for (const param of node.params) {
          this.declarePattern(param, [], (id, path) => this.addBinding(fn, id, 'param', { path }));
          this.declareChildrenOfPattern(param, fn);
        }
        // Overload signatures, abstract and `declare` methods have no body.
        const body = bodyOf(node);
        if (!body) return;
        if (body.type === 'BlockStatement') {
          this.scopeByNode.set(body, fn);
          for (const stmt of body.body) this.declareIn(stmt, fn);
        } else {
          this.declareIn(body, fn);
        }
        return;
      }
      case 'ClassDeclaration':
        // The declaration is the binding's value: its static members read like an object's.
        if (node.id) this.addBinding(scope, node.id, 'class', { init: node });
        break;
      case 'ImportDeclaration': {
        if (node.importKind === 'type') return;
        const source = node.source.value;
        for (const spec of node.specifiers) {
          if ('importKind' in spec && spec.importKind === 'type') continue;
          const imported =
            spec.type === 'ImportNamespaceSpecifier'
              ? '*'
              : spec.type === 'ImportDefaultSpecifier'
                ? 'default'
                : (staticKey(spec.imported, false) ?? '?');
          this.addBinding(this.root, spec.local, 'import', { importOf: { source, imported } });
        }
        return;
      }
      case 'TSImportEqualsDeclaration': {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference') {
          const source = ref.expression.value;
          this.addBinding(scope, node.id, 'import', { importOf: { source, imported: '*' } });
        }
        return;
      }
      case 'CatchClause': {
        const s = this.newScope(node, scope, false);
        if (node.param)
          this.declarePattern(node.param, [], (id) => this.addBinding(s, id, 'catch'));
        this.scopeByNode.set(node.body, s);
        for (const stmt of node.body.body) this.declareIn(stmt, s);
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const s = this.newScope(node, scope, false);
        const head = node.type === 'ForStatement' ? node.init : node.left;
        if (head && head.type === 'VariableDeclaration') {
          if (node.type !== 'ForStatement') {
            const kind = head.kind === 'var' ? 'var' : head.kind === 'const' ? 'const' : 'let';
            const target = kind === 'var' ? this.functionScopeOf(s) : s;
            for (const decl of head.declarations) {
              this.declarePattern(decl.id, [], (id) =>
                this.addBinding(target, id, kind, { loop: true }),
              );
            }
          } else {
            this.declareIn(head, s);
          }
        }
        forEachChildNode(node, (child) => {
          if (child !== head) this.declareIn(child, s);
        });
        return;
      }
      case 'BlockStatement':
      case 'StaticBlock':
      case 'SwitchStatement':
      // A namespace body is a scope of its own: `export const agent = …` inside it stays there.
      case 'TSModuleDeclaration': {
        const s = this.newScope(node, scope, false);
        forEachChildNode(node, (child) => this.declareIn(child, s));
        return;
      }
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSDeclareFunction':
        return;
      case 'TSEnumDeclaration':
        this.addBinding(scope, node.id, 'other', { init: node });
        return;
      default:
        break;
    }
    forEachChildNode(node, (child) => this.declareIn(child, scope));
  }

  /** Default values and computed keys inside parameter patterns may hold functions/scopes. */
  private declareChildrenOfPattern(pattern: EsNode, scope: Scope): void {
    if (pattern.type === 'AssignmentPattern') this.declareIn(pattern.right, scope);
    for (const child of childNodes(pattern))
      if (child.type !== 'Identifier') this.declareChildrenOfPattern(child, scope);
  }

  // --- pass 2: references and writes ---------------------------------------------------------

  /**
   * `methodValue`: `node` is the function of a method (its `this` is the class's instance).
   * The same walk gathers what other passes would walk the whole tree again for: connection
   * strings and the class of each `this` (as `noteStringsAndThis` says).
   */
  private referencesIn(node: EsNode, scope: Scope, flow: Flow, methodValue: boolean): void {
    const own = this.scopeByNode.get(node);
    if (own && own !== scope) {
      scope = own;
      if (own.isFunction) flow = { ...flow, functionScope: own, branchDepth: 0 };
    }
    // Strings and `this` as `noteStringsAndThis` notes them, inlined: this runs for every node.
    switch (node.type) {
      case 'Identifier':
        this.scopeOfIdentifier.set(node, scope);
        // Babel keeps a parameter's decorators on it: no scope facts, but strings and `this`.
        forEachChildNode(node, (child) => this.stringsAndThisIn(child, flow.thisClass, false));
        return;
      // Leaves: no child to visit.
      case 'Literal':
        if (typeof node.value === 'string' && mayBeConnectionString(node.value))
          this.facts.urlStrings.push(node);
        return;
      case 'TemplateElement':
        if (node.value.cooked && mayBeConnectionString(node.value.cooked))
          this.facts.urlStrings.push(node);
        return;
      case 'ThisExpression':
        if (flow.thisClass) this.facts.thisClassOf.set(node, flow.thisClass);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        if (!methodValue && flow.thisClass) flow = { ...flow, thisClass: undefined };
        break;
      case 'ImportDeclaration':
        forEachChildNode(node, (child) => this.stringsAndThisIn(child, flow.thisClass, false));
        return;
      case 'CallExpression':
      case 'NewExpression':
      case 'ImportExpression':
        this.facts.calls.push(node);
        if (node.type === 'CallExpression') this.recordObjectAssign(node, scope, flow);
        if (node.type === 'CallExpression' && node.callee.type === 'Super' && flow.superClass)
          this.facts.superClassOf.set(node, flow.superClass);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        // `super(options)` in a class that extends https.Agent configures an Agent.
        flow = { ...flow, superClass: node.superClass ?? undefined, thisClass: node };
        break;
      case 'AssignmentExpression':
        this.facts.assignments.push(node);
        this.recordAssignment(node, scope, flow);
        break;
      case 'UpdateExpression': {
        const arg = unwrap(node.argument);
        if (arg.type === 'Identifier') this.recordWrite(arg, scope, { node });
        break;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const left = node.left;
        if (left.type !== 'VariableDeclaration') {
          this.declarePattern(left, [], (id) => this.recordWrite(id, scope, { node }));
        }
        break;
      }
      case 'ExportDefaultDeclaration':
        if (!isFunctionNode(node.declaration) && node.declaration.type !== 'ClassDeclaration')
          this.facts.sinks.push({ node: node.declaration, kind: 'export' });
        break;
      case 'ExportNamedDeclaration':
        if (node.declaration?.type === 'VariableDeclaration') {
          for (const d of node.declaration.declarations)
            if (d.init) this.facts.sinks.push({ node: d.init, kind: 'export' });
        }
        break;
      case 'TSExportAssignment':
        this.facts.sinks.push({ node: node.expression, kind: 'export' });
        break;
      case 'ReturnStatement':
        if (node.argument) this.facts.sinks.push({ node: node.argument, kind: 'return' });
        break;
      case 'ArrowFunctionExpression':
        if (node.body.type !== 'BlockStatement')
          this.facts.sinks.push({ node: node.body, kind: 'return' });
        break;
      // Options kept on an instance: `class C { tls = { … } }`.
      case 'PropertyDefinition':
      case 'ClassProperty':
      // Babel's `estree` plugin keeps `#field = …` as its own node type (espree: PropertyDefinition).
      case 'ClassPrivateProperty':
        if (node.value)
          this.facts.sinks.push({ node: node.value, kind: 'field', target: node.key });
        break;
      default:
        break;
    }
    const branching = BRANCHING.has(node.type);
    const inner = branching ? { ...flow, branchDepth: flow.branchDepth + 1 } : flow;
    const method = node.type === 'MethodDefinition' ? node.value : undefined;
    forEachChildNode(node, (child) => this.referencesIn(child, scope, inner, child === method));
  }

  /**
   * Notes a connection-string candidate or a `this` at `node`; returns the class a `this` below
   * `node` refers to: the class itself for a class, none in a plain function (not a method, not
   * an arrow), which has its own `this`.
   */
  private noteStringsAndThis(
    node: EsNode,
    thisClass: EsNode | undefined,
    methodValue: boolean,
  ): EsNode | undefined {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string' && mayBeConnectionString(node.value))
          this.facts.urlStrings.push(node);
        return thisClass;
      case 'TemplateElement':
        if (node.value.cooked && mayBeConnectionString(node.value.cooked))
          this.facts.urlStrings.push(node);
        return thisClass;
      case 'ThisExpression':
        if (thisClass) this.facts.thisClassOf.set(node, thisClass);
        return thisClass;
      case 'ClassDeclaration':
      case 'ClassExpression':
        return node;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        return methodValue ? thisClass : undefined;
      default:
        return thisClass;
    }
  }

  /** `noteStringsAndThis` over a subtree the scope walk does not enter. */
  private stringsAndThisIn(
    node: EsNode,
    thisClass: EsNode | undefined,
    methodValue: boolean,
  ): void {
    const inner = this.noteStringsAndThis(node, thisClass, methodValue);
    const method = node.type === 'MethodDefinition' ? node.value : undefined;
    forEachChildNode(node, (child) => this.stringsAndThisIn(child, inner, child === method));
  }

  private recordWrite(
    id: TSESTree.Identifier,
    scope: Scope,
    write: { node: EsNode; value?: EsNode; path?: PatternStep[] },
    flow?: Flow,
  ): void {
    this.scopeOfIdentifier.set(id, scope);
    const binding = this.resolve(id);
    if (!binding) return;
    // Runs whenever the function holding the declaration runs (not under if/loop/switch/&&/?:).
    const unconditional =
      !!flow &&
      flow.branchDepth === 0 &&
      this.functionScopeOf(binding.scope) === flow.functionScope;
    binding.writes.push({
      node: write.node,
      ...(write.value && { value: write.value }),
      path: write.path ?? [],
      ...(unconditional && { unconditional }),
    });
  }

  /** `Object.assign(opts, { key: value })` on a local object writes its keys like `opts.key = value`. */
  private recordObjectAssign(call: TSESTree.CallExpression, scope: Scope, flow: Flow): void {
    const callee = unwrap(call.callee);
    if (
      callee.type !== 'MemberExpression' ||
      staticKey(callee.property, callee.computed) !== 'assign'
    )
      return;
    const object = unwrap(callee.object);
    const [target, ...sources] = call.arguments;
    if (object.type !== 'Identifier' || object.name !== 'Object' || !target) return;
    const t = unwrap(target);
    if (t.type !== 'Identifier') return;
    this.scopeOfIdentifier.set(object, scope);
    this.scopeOfIdentifier.set(t, scope);
    const binding = this.resolve(t);
    if (!binding || this.resolve(object)) return;
    for (const source of sources) {
      if (source.type !== 'ObjectExpression') continue;
      for (const prop of source.properties) {
        if (prop.type !== 'Property') continue;
        const key = staticKey(prop.key, prop.computed);
        if (key === undefined) continue;
        binding.memberWrites.push({
          key,
          value: prop.value,
          node: prop,
          unconditional:
            flow.branchDepth === 0 && this.functionScopeOf(binding.scope) === flow.functionScope,
        });
      }
    }
  }

  private recordAssignment(node: TSESTree.AssignmentExpression, scope: Scope, flow: Flow): void {
    const left = unwrap(node.left);
    const plain = node.operator === '=';
    if (left.type === 'Identifier') {
      this.recordWrite(left, scope, { node, ...(plain && { value: node.right }) }, flow);
      return;
    }
    if (left.type === 'ObjectPattern' || left.type === 'ArrayPattern') {
      this.declarePattern(left, [], (id, path) =>
        this.recordWrite(id, scope, { node, value: node.right, path }, flow),
      );
      return;
    }
    if (left.type === 'MemberExpression' && plain) {
      // `module.exports = …`, `exports.x = …`, `module.exports.x = …` export a value.
      // Exports (`module.exports = …`, `exports.x = …`) and objects stored on other objects
      // (`this.options = {…}`, `config.ssl = {…}`) leave this statement.
      const exported = /^(module\.exports|exports)\b/.test(exportPath(left) ?? '');
      this.facts.sinks.push(
        exported
          ? { node: node.right, kind: 'export' }
          : { node: node.right, kind: 'assignment', target: left },
      );
      const object = unwrap(left.object);
      const key = staticKey(left.property, left.computed);
      if (object.type === 'Identifier' && key !== undefined) {
        this.scopeOfIdentifier.set(object, scope);
        const binding = this.resolve(object);
        if (binding) {
          binding.memberWrites.push({
            key,
            value: node.right,
            node,
            unconditional:
              flow.branchDepth === 0 && this.functionScopeOf(binding.scope) === flow.functionScope,
          });
        }
      }
    }
  }
}

/** What the walk knows about the code around a node. */
interface Flow {
  functionScope: Scope;
  /** Nesting in if/loop/switch/&&/?: since the function started. */
  branchDepth: number;
  /** The `extends` expression of the enclosing class. */
  superClass?: EsNode | undefined;
  /** The class whose instance `this` is here (see `noteStringsAndThis`). */
  thisClass?: EsNode | undefined;
}

/** Constructs whose parts run only sometimes (for member writes after a declaration). */
const BRANCHING = new Set([
  'IfStatement',
  'ConditionalExpression',
  'LogicalExpression',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'SwitchStatement',
  'CatchClause',
  'TryStatement',
  // `label: { if (c) break label; x = 1; }` can skip the rest of the block.
  'LabeledStatement',
]);

/** `module.exports.x` → "module.exports.x" for static member chains on an identifier. */
function exportPath(node: EsNode): string | undefined {
  const n = unwrap(node);
  if (n.type === 'Identifier') return n.name;
  if (n.type !== 'MemberExpression') return undefined;
  const base = exportPath(n.object);
  const key = staticKey(n.property, n.computed);
  return base !== undefined && key !== undefined ? `${base}.${key}` : undefined;
}
