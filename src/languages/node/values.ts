/**
 * Static values within one file: literals, bindings (through scopes, destructuring and later
 * writes), object spreads, member access on local objects, modules however imported, and
 * conditionals. What the file cannot know (function results, environment reads, parameters) is
 * `unknown` with a reason — never a guess.
 */
import path from 'node:path';
import {
  bodyOf,
  childNodes,
  isFunctionNode,
  isType,
  offsetsOf,
  staticKey,
  templateText,
  unwrap,
  type EsNode,
  type NodeOf,
  type TSESTree,
} from './ast.js';
import { normalizeModuleName } from './modules.js';
import { NODE_SSL_OP_CONSTANTS } from './protocols.js';
import type { Binding, PatternStep, ScopeAnalysis } from './scope.js';

export type Primitive = string | number | boolean | null | undefined;

export type Value =
  | { kind: 'primitive'; value: Primitive; node?: EsNode }
  | { kind: 'object'; entries: ObjectEntry[]; node: EsNode }
  | { kind: 'array'; elements: Value[]; node: EsNode }
  | { kind: 'function'; node: EsNode }
  /** A module (`require('tls')`) or global (`process`) and a member path inside it. */
  | { kind: 'ref'; root: RefRoot; path: string[]; node?: EsNode }
  /** `fs.readFileSync('<path>')`: the bytes of a file the linter may read. */
  | { kind: 'file'; path: string; written: string; node: EsNode }
  /** `new X(…)`: an instance (an Agent, a Socket), not an options object. */
  | { kind: 'instance'; of: Value; node: EsNode }
  | { kind: 'conditional'; branches: Value[]; node: EsNode }
  /** `falsy`: unknown, but known to be falsy (the left side of `a && b` when `b` is not taken). */
  | { kind: 'unknown'; reason: string; node?: EsNode; falsy?: true };

export type RefRoot =
  | { type: 'module'; name: string }
  | { type: 'global'; name: string }
  | { type: 'require' };

export type ObjectEntry =
  | {
      kind: 'prop';
      key: string;
      propNode: EsNode;
      valueNode: EsNode;
      maybe?: boolean;
      value: () => Value;
      /**
       * `{ minVersion: config.minVersion }` in a function called with `{ minVersion: 'TLSv1' }`:
       * the property of the argument the value comes from, where the value is really written.
       */
      origin?: () => Extract<PropertyLookup, { state: 'present' }> | undefined;
    }
  | { kind: 'spread'; value: Value; node: EsNode }
  /** `{ [expr]: … }` with a key the file cannot know: it may define any key. */
  | { kind: 'opaque'; node: EsNode; reason: string }
  /** Keys taken out by `const { key, ...rest } = obj`. */
  | { kind: 'removed'; keys: string[] };

export type PropertyLookup =
  | { state: 'absent' }
  | { state: 'unknown'; reason: string }
  | { state: 'present'; value: Value; propNode: EsNode; valueNode: EsNode };

/**
 * Values of other modules of the project (`import { FLOOR } from './constants'`), resolved where
 * a TypeScript/JavaScript project configuration says how modules resolve. Returns undefined for
 * modules outside the project (packages, Node built-ins): those stay module references.
 */
export interface ImportResolver {
  /**
   * The value `name` (`default`, or `*` for the whole module) exported by `specifier` as imported
   * from `fromFile`, placed at `useSite` (findings stay where the value is used).
   */
  resolve(fromFile: string, specifier: string, name: string, useSite: EsNode): Value | undefined;
  /**
   * The tree and scopes of `file` parsed from `text`, when the resolver already holds them (the
   * file is a module of the project another file imported): the reader need not parse it again.
   * Asking changes nothing the resolver keeps.
   */
  parsed?(file: string, text: string): ParsedModule | undefined;
}

/** A module's tree and its scope analysis, as `parseNodeSource` and `ScopeAnalysis` made them. */
export interface ParsedModule {
  program: TSESTree.Program;
  scopes: ScopeAnalysis;
}

/**
 * Values of nodes that stand in for another module's nodes at a use site: evaluating such a node
 * here would look its names up in the wrong file, so its value is taken from its own module.
 */
export const placedValueOf = new WeakMap<EsNode, () => Value>();

const MAX_DEPTH = 60;
/** Calls followed into a function with their arguments bound, nested at most this deep… */
const MAX_FRAME_DEPTH = 6;
/** …and at most this many per file (helpers calling helpers twice each would multiply). */
const MAX_FRAMES = 2000;

/**
 * One call of a function of the file whose parameters hold the call's arguments: the arguments
 * are evaluated where the call is (`caller`), lazily, once per frame. Values computed inside a
 * frame depend on it, so each frame has its own cache.
 */
export interface Frame {
  fn: EsNode;
  args: readonly EsNode[];
  caller: Frame | undefined;
  depth: number;
  cache: Map<EsNode, Value>;
  argValues: Map<number, Value>;
  /** Set when a parameter of `fn` was read through this frame. */
  used: boolean;
}
/** More alternatives than this in one value are not followed (they multiply quickly). */
const MAX_ALTERNATIVES = 64;
const MAX_ACTIVE = 400;
const TOO_DEEP = 'too deeply nested to follow';

/**
 * In a frame's cache while its node's value is computed. A node asked for again meanwhile is in a
 * cycle of the value (`const o = { a: c ? o.a : 'x' }`, a method whose result's properties read
 * its own result): the second request is the `TOO_DEEP` unknown. Unrolling the cycle until the
 * depth limits cut it, as the evaluator once did, repeated the same nodes in the same frame
 * (75,000 evaluations for one recursive method of typeorm) and gave the same value with the
 * unknown placed a hundred turns deeper: the alternatives of the turns repeated, up to the
 * "too many alternatives" limit.
 */
const COMPUTING: Value = { kind: 'unknown', reason: TOO_DEEP };

export class Evaluator {
  private readonly inProgress = new Set<Binding>();
  /** Functions whose result is being evaluated (recursion guard). */
  private readonly calling = new Set<EsNode>();
  private readonly cache = new Map<EsNode, Value>();
  /** Evaluation/lookup frames in progress: self-referencing objects would otherwise recurse forever. */
  private active = 0;
  /** The call whose arguments the parameters hold now (see `Frame`); undefined at the top. */
  private frame: Frame | undefined;
  private framesMade = 0;
  /** The `return` statements of each function body (see `returnsOf`). */
  private readonly returns = new Map<EsNode, NodeOf<'ReturnStatement'>[]>();

  constructor(
    readonly scopes: ScopeAnalysis,
    readonly file: string,
    readonly sourceText?: string,
    readonly imports?: ImportResolver,
  ) {}

  /** Callees being evaluated (see `evaluateCallee`). */
  private calleeDepth = 0;

  /**
   * A callee, to match it against the known TLS APIs. Those are Node modules and packages, never
   * project modules, so imports of the project are not followed here: following every call's
   * callee into its module would read the whole import graph for nothing.
   */
  evaluateCallee(node: EsNode): Value {
    this.calleeDepth++;
    try {
      return this.evaluate(node);
    } finally {
      this.calleeDepth--;
    }
  }

  /** Imports of the project are followed, except while matching a callee. */
  private get projectImports(): ImportResolver | undefined {
    return this.calleeDepth > 0 ? undefined : this.imports;
  }

  /** The value of a binding as seen from `use` (another module asking for an export). */
  valueOfBinding(binding: Binding, use: EsNode): Value {
    if (this.inProgress.has(binding))
      return unknownValue(`"${binding.name}" refers to itself`, use);
    this.inProgress.add(binding);
    try {
      return this.bindingValue(binding, use, 0);
    } finally {
      this.inProgress.delete(binding);
    }
  }

  /** `f` run later in the frame that is current now (lazily evaluated properties). */
  private inThisFrame<T>(f: () => T): () => T {
    const frame = this.frame;
    return () => this.withFrame(frame, f);
  }

  private withFrame<T>(frame: Frame | undefined, f: () => T): T {
    const saved = this.frame;
    this.frame = frame;
    try {
      return f();
    } finally {
      this.frame = saved;
    }
  }

  /**
   * A frame for `call` of the function `fn` of this file: its parameters hold the call's
   * arguments. Undefined past the nesting and count limits (the parameters then stay unknown).
   */
  frameFor(fn: EsNode, call: EsNode, caller: Frame | undefined = this.frame): Frame | undefined {
    const depth = (caller?.depth ?? 0) + 1;
    if (depth > MAX_FRAME_DEPTH || this.framesMade >= MAX_FRAMES) return undefined;
    if (paramsOf(fn).length === 0) return undefined;
    this.framesMade++;
    const args = 'arguments' in call ? call.arguments : [];
    return { fn, args, caller, depth, cache: new Map(), argValues: new Map(), used: false };
  }

  /** Evaluates `node` with the parameters of `frame`'s function holding its call's arguments. */
  evaluateIn(frame: Frame | undefined, node: EsNode): Value {
    return this.withFrame(frame, () => this.evaluate(node));
  }

  /** Runs `f` in `frame` (lookups of lazily evaluated properties included). */
  runIn<T>(frame: Frame | undefined, f: () => T): T {
    return this.withFrame(frame, f);
  }

  /**
   * The value a parameter binding holds in the innermost frame of its function: the argument at
   * its position (through its destructuring and default). Undefined without such a frame.
   */
  private parameterValue(b: Binding, node: EsNode, depth: number): Value | undefined {
    const fn = b.scope.node;
    let frame = this.frame;
    while (frame && frame.fn !== fn) frame = frame.caller;
    if (!frame) return undefined;
    const params = paramsOf(fn);
    const at = offsetsOf(b.id);
    const index = params.findIndex((p) => {
      const o = offsetsOf(p);
      return o && at && o[0] <= at[0] && at[1] <= o[1];
    });
    if (index < 0) return undefined;
    const param = unwrap(params[index]!);
    // TSESTree rules out `...rest` as a parameter property; the parser may still produce it.
    if (
      param.type === 'RestElement' ||
      (param.type === 'TSParameterProperty' && isType(param.parameter, 'RestElement'))
    )
      return undefined;
    frame.used = true;
    let arg = frame.argValues.get(index);
    if (!arg) {
      const argNode = frame.args[index];
      if (frame.args.slice(0, index + 1).some((a) => a.type === 'SpreadElement'))
        arg = unknownValue('arguments spread at run time', node);
      else
        arg = argNode
          ? this.withFrame(frame.caller, () => this.evaluate(argNode, depth))
          : { kind: 'primitive', value: undefined, node };
      frame.argValues.set(index, arg);
    }
    const owner = frame;
    return this.withFrame(owner, () => this.applyPath(arg, b.path, depth));
  }

  /** `config.minVersion` read from a parameter bound in this frame: where the argument has it. */
  private parameterMemberOrigin(
    valueNode: EsNode,
    depth: number,
  ): (() => Extract<PropertyLookup, { state: 'present' }> | undefined) | undefined {
    const member = unwrap(valueNode);
    if (member.type !== 'MemberExpression') return undefined;
    const key = staticKey(member.property, member.computed);
    let root = unwrap(member.object);
    while (root.type === 'MemberExpression') root = unwrap(root.object);
    if (
      key === undefined ||
      root.type !== 'Identifier' ||
      this.scopes.resolve(root)?.kind !== 'param'
    )
      return undefined;
    let memo: Extract<PropertyLookup, { state: 'present' }> | undefined | null = null;
    return this.inThisFrame(() => {
      if (memo !== null) return memo;
      const object = this.evaluate(member.object, depth);
      const found = alternatives(object).some((a) => a.kind === 'object')
        ? this.property(object, key)
        : undefined;
      memo = found?.state === 'present' ? found : undefined;
      return memo;
    });
  }

  /** A method of a class of this file (instance methods, or static ones with `isStatic`). */
  private methodOf(
    cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
    key: string,
    isStatic: boolean,
  ): Value | undefined {
    for (const member of cls.body.body) {
      if (
        member.type !== 'MethodDefinition' ||
        member.static !== isStatic ||
        member.kind !== 'method'
      )
        continue;
      if (staticKey(member.key, member.computed) === key)
        return { kind: 'function', node: member.value };
    }
    return undefined;
  }

  /** Source text of a node, when the source is available. */
  text(node: EsNode | undefined): string | undefined {
    if (!node) return undefined;
    const offsets = offsetsOf(node);
    if (this.sourceText !== undefined && offsets)
      return this.sourceText.slice(offsets[0], offsets[1]);
    if (node.type === 'Literal' && typeof node.raw === 'string') return node.raw;
    return undefined;
  }

  evaluate(node: EsNode, depth = 0): Value {
    const cache = this.frame?.cache ?? this.cache;
    const cached = cache.get(node);
    // A node whose value, in this frame, is being computed and asks for itself again (through
    // a lazily read property: `return { name: parsed.name }` in a method that calls itself for
    // `parsed`) is cut there, as the limits below would cut it after unrolling the cycle a
    // hundred times over (see `COMPUTING`).
    if (cached) return cached === COMPUTING ? unknownValue(TOO_DEEP, node) : cached;
    const placed = placedValueOf.get(node);
    if (placed) return placed();
    // Lazily evaluated properties restart `depth`; the live frame count bounds every path.
    if (depth > MAX_DEPTH || this.active > MAX_ACTIVE) return unknownValue(TOO_DEEP, node);
    this.active++;
    cache.set(node, COMPUTING);
    let v: Value | undefined;
    try {
      v = this.compute(node, depth + 1);
      cache.set(node, v);
      return v;
    } finally {
      this.active--;
      if (!v) cache.delete(node);
    }
  }

  private compute(raw: EsNode, depth: number): Value {
    const node = unwrap(raw);
    switch (node.type) {
      case 'Literal': {
        // Producers differ in which literals carry `regex` and `bigint`: read them as optional.
        const literal: { type: string; regex?: unknown; bigint?: unknown } = node;
        if (literal.regex || literal.bigint !== undefined)
          return unknownValue('a regular expression or BigInt', node);
        return { kind: 'primitive', value: node.value as Primitive, node };
      }
      case 'TemplateLiteral': {
        if (node.expressions.length === 0)
          return { kind: 'primitive', value: templateText(node), node };
        let out = '';
        const quasis = node.quasis;
        for (let i = 0; i < quasis.length; i++) {
          out += quasis[i]!.value.cooked ?? '';
          const expr = node.expressions[i];
          if (!expr) continue;
          const v = this.evaluate(expr, depth);
          if (v.kind !== 'primitive') return unknownValue('a template with run-time parts', node);
          out += String(v.value);
        }
        return { kind: 'primitive', value: out, node };
      }
      case 'Identifier':
        return this.identifier(node, depth);
      case 'MemberExpression': {
        const object = this.evaluate(node.object, depth);
        let key = staticKey(node.property, node.computed);
        if (key === undefined && node.computed) {
          const k = this.evaluate(node.property, depth);
          if (
            k.kind === 'primitive' &&
            (typeof k.value === 'string' || typeof k.value === 'number')
          )
            key = String(k.value);
        }
        if (key === undefined) return unknownValue('a computed member', node);
        return this.member(object, key, node);
      }
      case 'ConditionalExpression': {
        const test = this.evaluate(node.test, depth);
        const truth = truthiness(test);
        if (truth !== undefined)
          return this.evaluate(truth ? node.consequent : node.alternate, depth);
        return conditional(
          [this.evaluate(node.consequent, depth), this.evaluate(node.alternate, depth)],
          node,
        );
      }
      case 'LogicalExpression': {
        const left = this.evaluate(node.left, depth);
        const truth = truthiness(left);
        const op = node.operator as string;
        if (op === '??') {
          if (left.kind === 'primitive')
            return left.value === null || left.value === undefined
              ? this.evaluate(node.right, depth)
              : left;
          if (left.kind === 'unknown' || left.kind === 'conditional')
            return conditional([left, this.evaluate(node.right, depth)], node);
          return left;
        }
        if (truth !== undefined)
          return (op === '||') === truth ? left : this.evaluate(node.right, depth);
        // `a && b` yields `a` only when `a` is falsy: spreading it adds no keys (`...(c && { ca })`).
        const whenLeft: Value =
          op === '&&' && left.kind === 'unknown' ? { ...left, falsy: true } : left;
        return conditional([whenLeft, this.evaluate(node.right, depth)], node);
      }
      case 'UnaryExpression': {
        const op = node.operator as string;
        if (op === 'void') return { kind: 'primitive', value: undefined, node };
        const arg = this.evaluate(node.argument, depth);
        if (op === '!') return mapPrimitive(arg, node, (v) => !v);
        if (op === '-' || op === '+' || op === '~') {
          return mapPrimitive(arg, node, (v) =>
            op === '-' ? -Number(v) : op === '+' ? Number(v) : ~Number(v),
          );
        }
        return unknownValue(`the result of "${op}"`, node);
      }
      case 'BinaryExpression':
        return this.binary(node, depth);
      case 'ObjectExpression':
        return this.object(node, depth);
      case 'ClassDeclaration':
      case 'ClassExpression':
        return this.classStatics(node, depth);
      case 'ArrayExpression':
        return {
          kind: 'array',
          node,
          elements: node.elements.map((el) =>
            !el
              ? { kind: 'primitive', value: undefined }
              : el.type === 'SpreadElement'
                ? unknownValue('an array spread', el)
                : this.evaluate(el, depth),
          ),
        };
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'FunctionDeclaration':
        return { kind: 'function', node };
      case 'CallExpression':
        return this.call(node, depth);
      case 'ImportExpression':
        return this.importOf(node.source, node, depth);
      case 'NewExpression':
        return { kind: 'instance', of: this.evaluate(node.callee, depth), node };
      case 'AwaitExpression':
        return this.evaluate(node.argument, depth);
      case 'SequenceExpression':
        return this.evaluate(node.expressions[node.expressions.length - 1]!, depth);
      case 'AssignmentExpression':
        return node.operator === '='
          ? this.evaluate(node.right, depth)
          : unknownValue('a compound assignment', node);
      case 'ThisExpression': {
        const cls = this.scopes.facts.thisClassOf.get(node);
        return cls
          ? { kind: 'instance', of: { kind: 'function', node: cls }, node }
          : unknownValue('"this"', node);
      }
      case 'MetaProperty':
        return { kind: 'ref', root: { type: 'global', name: 'import.meta' }, path: [], node };
      default:
        return unknownValue(`a run-time value (${node.type})`, node);
    }
  }

  private identifier(node: TSESTree.Identifier, depth: number): Value {
    const name = node.name;
    const binding = this.scopes.resolve(node);
    if (!binding) {
      if (name === 'undefined') return { kind: 'primitive', value: undefined, node };
      if (name === 'NaN') return { kind: 'primitive', value: NaN, node };
      if (name === 'Infinity') return { kind: 'primitive', value: Infinity, node };
      if (name === '__dirname') return { kind: 'primitive', value: path.dirname(this.file), node };
      if (name === '__filename') return { kind: 'primitive', value: this.file, node };
      if (name === 'require') return { kind: 'ref', root: { type: 'require' }, path: [], node };
      return { kind: 'ref', root: { type: 'global', name }, path: [], node };
    }
    if (this.inProgress.has(binding)) return unknownValue(`"${name}" refers to itself`, node);
    this.inProgress.add(binding);
    try {
      return this.bindingValue(binding, node, depth);
    } finally {
      this.inProgress.delete(binding);
    }
  }

  private bindingValue(b: Binding, node: EsNode, depth: number): Value {
    switch (b.kind) {
      case 'import': {
        const { source, imported } = b.importOf!;
        const foreign = this.projectImports?.resolve(this.file, source, imported, node);
        if (foreign) return foreign;
        const root = moduleRoot(source);
        return {
          kind: 'ref',
          root,
          path: imported === '*' || imported === 'default' ? [] : [imported],
          node,
        };
      }
      case 'function':
        return b.init
          ? { kind: 'function', node: b.init }
          : unknownValue(`function "${b.name}"`, node);
      case 'param':
      case 'const':
      case 'let':
      case 'var': {
        if (b.loop) return unknownValue(`loop variable "${b.name}"`, node);
        const values: Value[] = [];
        const { writes, initOverwritten } = this.writesReaching(b, node);
        const passed =
          b.kind === 'param' && !initOverwritten ? this.parameterValue(b, node, depth) : undefined;
        if (passed) {
          values.push(passed);
        } else if (b.kind === 'param' && !initOverwritten) {
          // The caller decides, unless it passes nothing: `function mk(opts = { rejectUnauthorized: false })`
          // and `({ rejectUnauthorized = false }) => …` hold the default in some calls.
          const passed = unknownValue(`parameter "${b.name}"`, node);
          values.push(
            b.path.some((step) => step.kind === 'default')
              ? this.applyPath(passed, b.path, depth)
              : passed,
          );
        } else if (b.kind !== 'param' && !initOverwritten && (b.init || b.writes.length === 0)) {
          const init: Value =
            (b.init && this.requiredAt(b.init, node)) ??
            (b.init
              ? this.evaluate(b.init, depth)
              : { kind: 'primitive', value: undefined, node: b.id });
          values.push(this.applyPath(init, b.path, depth));
        }
        for (const w of writes) {
          if (!w.value) return unknownValue(`"${b.name}" is changed at run time`, w.node);
          values.push(this.applyPath(this.evaluate(w.value, depth), w.path, depth));
        }
        // A reassigned variable is known only when every value it may hold is known.
        if (
          values.length > 1 &&
          values.some((x) => alternatives(x).some((a) => a.kind === 'unknown'))
        ) {
          return unknownValue(
            `"${b.name}" is reassigned with a value known only at run time`,
            node,
          );
        }
        const value = values.length === 1 ? values[0]! : conditional(values, b.id);
        return b.memberWrites.length > 0 ? this.withMemberWrites(value, b, depth) : value;
      }
      default:
        if (b.init?.type === 'TSEnumDeclaration') return this.enumObject(b.init, depth);
        if (b.init?.type === 'ClassDeclaration') return this.evaluate(b.init, depth);
        return unknownValue(`"${b.name}"`, node);
    }
  }

  /**
   * `const opts = require('./tls-options')` of a project module, seen from `use`: like an
   * `import`, the value is placed where it is used, not at the `require` line.
   */
  private requiredAt(init: EsNode, use: EsNode): Value | undefined {
    const imports = this.projectImports;
    if (!imports) return undefined;
    const call = unwrap(init);
    if (
      call.type !== 'CallExpression' ||
      call.callee.type !== 'Identifier' ||
      call.callee.name !== 'require' ||
      this.scopes.resolve(call.callee)
    )
      return undefined;
    const arg = call.arguments[0];
    if (
      call.arguments.length !== 1 ||
      !arg ||
      arg.type !== 'Literal' ||
      typeof arg.value !== 'string'
    )
      return undefined;
    return imports.resolve(this.file, arg.value, '*', use);
  }

  /**
   * A class as the object of its static fields (`class Conf { static FLOOR = 'TLSv1' }` →
   * `Conf.FLOOR`). Static blocks and setters may change them at run time: those make the class
   * unknown beyond its written fields.
   */
  private classStatics(
    decl: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
    depth: number,
  ): Value {
    const entries: ObjectEntry[] = [];
    // Babel's `ClassProperty` may stand among them too.
    const members: readonly EsNode[] = decl.body.body;
    for (const member of members) {
      if (member.type === 'StaticBlock')
        entries.push({ kind: 'opaque', node: member, reason: 'a static block' });
      if (
        member.type !== 'PropertyDefinition' &&
        member.type !== 'ClassProperty' &&
        member.type !== 'TSAbstractPropertyDefinition'
      )
        continue;
      if (!member.static) continue;
      // `static #x` is not a property of the class (Babel's `ClassPrivateProperty`, skipped above).
      if (member.key.type === 'PrivateIdentifier') continue;
      const key = staticKey(member.key, !!member.computed);
      if (key === undefined) {
        entries.push({
          kind: 'opaque',
          node: member,
          reason: 'a static field with a computed name',
        });
        continue;
      }
      const valueNode: EsNode | null = member.value;
      entries.push({
        kind: 'prop',
        key,
        propNode: member,
        valueNode: valueNode ?? member,
        value: () =>
          valueNode
            ? this.evaluate(valueNode, depth)
            : { kind: 'primitive', value: undefined, node: member },
      });
    }
    return { kind: 'object', entries, node: decl };
  }

  /**
   * `enum TlsVersion { Legacy = 'TLSv1' }` as an object of its members. A member without an
   * initialiser follows a numeric one by one (TypeScript's rule); after anything else it is unknown.
   */
  private enumObject(decl: TSESTree.TSEnumDeclaration, depth: number): Value {
    // typescript-eslint 8 nests the members in `body`; Babel keeps `members` only.
    const shape: {
      members?: TSESTree.TSEnumMember[] | undefined;
      body?: TSESTree.TSEnumBody | undefined;
    } = decl;
    const members = shape.members ?? shape.body?.members ?? [];
    const entries: ObjectEntry[] = [];
    let previous: Value | undefined;
    for (const member of members) {
      // typescript-eslint's `computed` on enum members is deprecated (always false) and Babel has
      // none; a computed member's key is a literal, which `staticKey` reads either way.
      const key = staticKey(member.id, false);
      let value: Value;
      if (member.initializer) value = this.evaluate(member.initializer, depth);
      else if (!previous) value = { kind: 'primitive', value: 0, node: member };
      else if (previous.kind === 'primitive' && typeof previous.value === 'number')
        value = { kind: 'primitive', value: previous.value + 1, node: member };
      else value = unknownValue('an enum member after a non-numeric one', member);
      previous = value;
      if (key === undefined) {
        entries.push({
          kind: 'opaque',
          node: member,
          reason: 'an enum member with a computed name',
        });
        continue;
      }
      const known = value;
      entries.push({
        kind: 'prop',
        key,
        propNode: member,
        valueNode: member.initializer ?? member,
        value: () => known,
      });
    }
    return { kind: 'object', entries, node: decl };
  }

  /**
   * The writes whose value a use may see. Otherwise flow-insensitive, with one exception: an
   * unconditional write (`strict = true;` straight in the declaring function) that comes before
   * the use, in the same function, replaces the initialiser and every write before it.
   */
  private writesReaching(
    b: Binding,
    use: EsNode,
  ): { writes: Binding['writes']; initOverwritten: boolean } {
    const at = offsetsOf(use);
    if (!at || this.scopes.functionScopeOfIdentifier(use) !== this.scopes.functionScopeOfBinding(b))
      return { writes: b.writes, initOverwritten: false };
    let last: Binding['writes'][number] | undefined;
    for (const w of b.writes) {
      const end = offsetsOf(w.node)?.[1];
      if (
        w.unconditional &&
        end !== undefined &&
        end <= at[0] &&
        (!last || end > offsetsOf(last.node)![1])
      )
        last = w;
    }
    if (!last) return { writes: b.writes, initOverwritten: false };
    const start = offsetsOf(last.node)![0];
    return {
      writes: b.writes.filter((w) => w === last || (offsetsOf(w.node)?.[0] ?? Infinity) >= start),
      initOverwritten: true,
    };
  }

  /** `opts.x = v` after `const opts = {…}` adds (or, under a condition, maybe adds) a property. */
  private withMemberWrites(value: Value, b: Binding, depth: number): Value {
    if (value.kind !== 'object') return value;
    const extra: ObjectEntry[] = b.memberWrites.map((w) => ({
      kind: 'prop',
      key: w.key,
      propNode: w.node,
      valueNode: w.value,
      ...(!w.unconditional && { maybe: true }),
      value: this.inThisFrame(() => this.evaluate(w.value, depth)),
    }));
    return { ...value, entries: [...value.entries, ...extra] };
  }

  applyPath(value: Value, steps: readonly PatternStep[], depth: number): Value {
    let v = value;
    for (const step of steps) {
      if (step.kind === 'key')
        v =
          step.key === undefined
            ? unknownValue('a computed destructuring key')
            : this.member(v, step.key, undefined);
      else if (step.kind === 'index') v = this.member(v, String(step.index), undefined);
      else if (step.kind === 'default') {
        if (v.kind === 'primitive' && v.value === undefined) v = this.evaluate(step.value, depth);
        else if (v.kind === 'conditional' || v.kind === 'unknown')
          v = conditional([v, this.evaluate(step.value, depth)], step.value);
      } else if (v.kind === 'object' || v.kind === 'conditional') {
        const node = v.node;
        v = {
          kind: 'object',
          node,
          entries: [
            { kind: 'spread', value: v, node },
            { kind: 'removed', keys: step.exclude ?? [] },
          ],
        };
      }
    }
    return v;
  }

  member(object: Value, key: string, node: EsNode | undefined): Value {
    switch (object.kind) {
      case 'ref': {
        if (
          object.root.type === 'global' &&
          object.root.name === 'process' &&
          object.path.length === 1 &&
          object.path[0] === 'env'
        ) {
          return unknownValue(`the environment variable ${key}`, node);
        }
        if (
          object.root.type === 'global' &&
          object.root.name === 'import.meta' &&
          key === 'dirname'
        ) {
          return { kind: 'primitive', value: path.dirname(this.file), ...(node && { node }) };
        }
        // `(await import('tls')).default` and `require('pg').default` are the module itself.
        if (
          key === 'default' &&
          object.path.length === 0 &&
          (object.root.type === 'module' || isProcess(object.root))
        )
          return object;
        const ref: Value = { ...object, path: [...object.path, key], ...(node && { node }) };
        const constant = moduleConstant(ref);
        return constant === undefined
          ? ref
          : { kind: 'primitive', value: constant, ...(node && { node }) };
      }
      case 'object': {
        const found = this.property(object, key);
        if (found.state === 'present') return found.value;
        if (
          found.state === 'absent' &&
          (object.node.type === 'ClassDeclaration' || object.node.type === 'ClassExpression')
        ) {
          const method = this.methodOf(object.node, key, true);
          if (method) return method;
        }
        if (found.state === 'absent')
          return { kind: 'primitive', value: undefined, ...(node && { node }) };
        return unknownValue(found.reason, node);
      }
      case 'array': {
        if (key === 'length') return { kind: 'primitive', value: object.elements.length };
        const i = Number(key);
        if (Number.isInteger(i))
          return object.elements[i] ?? { kind: 'primitive', value: undefined };
        return unknownValue(`array member "${key}"`, node);
      }
      case 'conditional':
        return conditional(
          object.branches.map((b) => this.member(b, key, node)),
          object.node,
        );
      case 'instance': {
        // `this.connect(…)`, `new Client().connect(…)`: a method of a class of this file.
        const cls =
          object.of.kind === 'function' || object.of.kind === 'object' ? object.of.node : undefined;
        const method =
          cls && (cls.type === 'ClassDeclaration' || cls.type === 'ClassExpression')
            ? this.methodOf(cls, key, false)
            : undefined;
        return method ?? unknownValue(`member "${key}" of an instance`, node);
      }
      case 'unknown':
        return object;
      case 'primitive':
        if (object.value === undefined || object.value === null)
          return unknownValue(`"${key}" of ${String(object.value)}`, node);
        return unknownValue(`member "${key}" of a ${typeof object.value}`, node);
      default:
        return unknownValue(`member "${key}" of a ${object.kind}`, node);
    }
  }

  /** Looks a key up in an object value: later entries win, spreads are searched, opaque keys make it unknown. */
  property(object: Value, key: string): PropertyLookup {
    if (this.active > MAX_ACTIVE) return { state: 'unknown', reason: TOO_DEEP };
    this.active++;
    try {
      return this.lookup(object, key);
    } finally {
      this.active--;
    }
  }

  /** One lookup from per-branch lookups: the key is present if some branch has it. */
  private combine(looks: PropertyLookup[], node: EsNode): PropertyLookup {
    const present = looks.filter(
      (l): l is Extract<PropertyLookup, { state: 'present' }> => l.state === 'present',
    );
    if (present.length === 0) {
      const unknownLook = looks.find((l) => l.state === 'unknown');
      return unknownLook ?? { state: 'absent' };
    }
    const values = looks.map(
      (l): Value =>
        l.state === 'present'
          ? l.value
          : l.state === 'absent'
            ? { kind: 'primitive', value: undefined }
            : unknownValue(l.reason),
    );
    return {
      state: 'present',
      value: conditional(values, node),
      propNode: present[0]!.propNode,
      valueNode: present[0]!.valueNode,
    };
  }

  private lookup(object: Value, key: string): PropertyLookup {
    if (object.kind === 'conditional')
      return this.combine(
        object.branches.map((b) => this.property(b, key)),
        object.node,
      );
    if (object.kind === 'unknown')
      return object.falsy ? { state: 'absent' } : { state: 'unknown', reason: object.reason };
    if (object.kind !== 'object') return { state: 'absent' };
    const entries = object.entries;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.kind === 'prop') {
        if (e.key !== key) continue;
        const value = e.value();
        const origin = e.origin?.();
        if (!e.maybe)
          return origin
            ? { ...origin, value }
            : { state: 'present', value, propNode: e.propNode, valueNode: e.valueNode };
        // Set only in some runs: the alternative is whatever came before.
        const before = this.property({ ...object, entries: entries.slice(0, i) }, key);
        const prior: Value =
          before.state === 'present'
            ? before.value
            : before.state === 'absent'
              ? { kind: 'primitive', value: undefined }
              : unknownValue(before.reason);
        return {
          state: 'present',
          value: conditional([value, prior], e.propNode),
          propNode: e.propNode,
          valueNode: e.valueNode,
        };
      }
      if (e.kind === 'opaque') return { state: 'unknown', reason: e.reason };
      if (e.kind === 'removed') {
        if (e.keys.includes(key)) return { state: 'absent' };
        continue;
      }
      if (e.value.kind === 'conditional') {
        // `...(c ? a : b)`, `...(c && a)`: a branch without the key leaves the earlier entries in force.
        const spread = e.value;
        const looks = spread.branches.map((b) => this.property(b, key));
        if (looks.every((l) => l.state === 'absent')) continue;
        const before = this.property({ ...object, entries: entries.slice(0, i) }, key);
        return this.combine(
          looks.map((l) => (l.state === 'absent' ? before : l)),
          spread.node,
        );
      }
      const inner = this.property(e.value, key);
      if (inner.state !== 'absent') return inner;
      if (
        e.value.kind !== 'object' &&
        e.value.kind !== 'primitive' &&
        !(e.value.kind === 'unknown' && e.value.falsy)
      ) {
        return {
          state: 'unknown',
          reason: `"${key}" may come from a spread of ${describe(e.value)}`,
        };
      }
    }
    return { state: 'absent' };
  }

  /** All keys an object value may have (for finding TLS-looking objects). */
  keys(object: Value, depth = 0): Set<string> {
    const out = new Set<string>();
    if (depth > MAX_DEPTH) return out;
    if (object.kind === 'conditional')
      for (const b of object.branches) for (const k of this.keys(b, depth + 1)) out.add(k);
    if (object.kind !== 'object') return out;
    for (const e of object.entries) {
      if (e.kind === 'prop') out.add(e.key);
      else if (e.kind === 'spread') for (const k of this.keys(e.value, depth + 1)) out.add(k);
      else if (e.kind === 'removed') for (const k of e.keys) out.delete(k);
    }
    return out;
  }

  private object(node: TSESTree.ObjectExpression, depth: number): Value {
    const entries: ObjectEntry[] = [];
    for (const prop of node.properties) {
      if (prop.type === 'SpreadElement') {
        entries.push({ kind: 'spread', value: this.evaluate(prop.argument, depth), node: prop });
        continue;
      }
      let key = staticKey(prop.key, prop.computed);
      if (key === undefined && prop.computed) {
        const k = this.evaluate(prop.key, depth);
        if (k.kind === 'primitive' && (typeof k.value === 'string' || typeof k.value === 'number'))
          key = String(k.value);
      }
      if (key === undefined) {
        entries.push({ kind: 'opaque', node: prop, reason: 'an object key computed at run time' });
        continue;
      }
      const valueNode = prop.value;
      let memo: Value | undefined;
      const evaluateHere = this.inThisFrame(() => this.evaluate(valueNode, depth));
      const origin = this.frame ? this.parameterMemberOrigin(valueNode, depth) : undefined;
      entries.push({
        kind: 'prop',
        key,
        propNode: prop,
        valueNode,
        value: () =>
          (memo ??=
            prop.kind === 'get' || prop.kind === 'set'
              ? unknownValue(`accessor "${key}"`, prop)
              : evaluateHere()),
        ...(origin && { origin }),
      });
    }
    return { kind: 'object', entries, node };
  }

  private binary(node: TSESTree.BinaryExpression, depth: number): Value {
    const left = this.evaluate(node.left, depth);
    const right = this.evaluate(node.right, depth);
    if (left.kind !== 'primitive' || right.kind !== 'primitive') {
      return unknownValue(
        COMPARISONS.has(node.operator) ? 'a comparison made at run time' : 'a run-time computation',
        node,
      );
    }
    const a = left.value;
    const b = right.value;
    // JavaScript's operators on primitives, spelled out: ToNumber, except `+` with a string
    // (concatenation) and relations between two strings (code-unit order).
    const bothStrings = typeof a === 'string' && typeof b === 'string';
    const x = Number(a);
    const y = Number(b);
    let v: Primitive;
    switch (node.operator) {
      // Bit flags (`SSL_OP_*`) need unsigned 32-bit results: SSL_OP_ALL has bit 31 set.
      case '|':
        v = (x | y) >>> 0;
        break;
      case '&':
        v = (x & y) >>> 0;
        break;
      case '^':
        v = (x ^ y) >>> 0;
        break;
      case '+':
        v = typeof a === 'string' || typeof b === 'string' ? String(a) + String(b) : x + y;
        break;
      case '-':
        v = x - y;
        break;
      case '===':
        v = a === b;
        break;
      case '!==':
        v = a !== b;
        break;
      case '==':
        v = a == b;
        break;
      case '!=':
        v = a != b;
        break;
      case '<':
        v = bothStrings ? a < b : x < y;
        break;
      case '>':
        v = bothStrings ? a > b : x > y;
        break;
      case '<=':
        v = bothStrings ? a <= b : x <= y;
        break;
      case '>=':
        v = bothStrings ? a >= b : x >= y;
        break;
      default:
        return unknownValue(`the result of "${node.operator}"`, node);
    }
    return { kind: 'primitive', value: v, node };
  }

  private call(node: TSESTree.CallExpression, depth: number): Value {
    const callee = unwrap(node.callee);
    if (callee.type === 'Import') return this.importOf(node.arguments[0], node, depth);
    const args = node.arguments;
    // `['ECDHE-RSA-AES128-GCM-SHA256', 'HIGH', '!aNULL'].join(':')`: cipher lists are often written so.
    if (
      callee.type === 'MemberExpression' &&
      staticKey(callee.property, callee.computed) === 'join' &&
      args.length <= 1
    ) {
      const list = this.evaluate(callee.object, depth);
      if (list.kind === 'array') return this.joined(list, args[0], node, depth);
    }
    const fn = this.evaluate(callee, depth);
    if (fn.kind === 'ref') {
      const name = refName(fn);
      // require('x'), createRequire(import.meta.url)('x') and module.require('x').
      if (fn.root.type === 'require' && fn.path.length === 0)
        return this.importOf(args[0], node, depth);
      if (name === 'module.createRequire')
        return { kind: 'ref', root: { type: 'require' }, path: [], node };
      if (FILE_READERS.has(name ?? '') && args[0]) {
        const p = this.evaluate(args[0], depth);
        if (p.kind === 'primitive' && typeof p.value === 'string') {
          // Node resolves a relative path against the process's working directory, which a
          // linter cannot know; the folder of the file that names it is the best guess.
          return {
            kind: 'file',
            path: path.resolve(path.dirname(this.file), p.value),
            written: p.value,
            node,
          };
        }
        return unknownValue('a file whose name is known only at run time', node);
      }
      if ((name === 'path.join' || name === 'path.resolve') && args.length > 0) {
        const parts = args.map((a) => this.evaluate(a, depth));
        if (parts.every((p) => p.kind === 'primitive' && typeof p.value === 'string')) {
          const strings = parts.map((p) => (p as { value: string }).value);
          const joined =
            name === 'path.join'
              ? path.join(...strings)
              : path.resolve(path.dirname(this.file), ...strings);
          return { kind: 'primitive', value: joined, node };
        }
        return unknownValue('a path built at run time', node);
      }
      if (fn.root.type === 'global' && fn.root.name === 'Object' && fn.path.length === 1) {
        if (fn.path[0] === 'freeze' && args[0]) return this.evaluate(args[0], depth);
        if (fn.path[0] === 'assign' && args.length > 0) {
          const entries: ObjectEntry[] = args.map((a) => ({
            kind: 'spread',
            value: this.evaluate(a, depth),
            node: a,
          }));
          return { kind: 'object', entries, node };
        }
      }
      if (
        fn.root.type === 'global' &&
        (fn.root.name === 'Boolean' || fn.root.name === 'String' || fn.root.name === 'Number') &&
        fn.path.length === 0 &&
        args[0]
      ) {
        const v = this.evaluate(args[0], depth);
        const conv =
          fn.root.name === 'Boolean' ? Boolean : fn.root.name === 'String' ? String : Number;
        return mapPrimitive(v, node, (x) => conv(x));
      }
    }
    if (fn.kind === 'function') return this.returned(fn.node, node, depth);
    const shown = this.text(callee);
    return unknownValue(
      `the result of ${shown && shown.length <= 40 ? `${shown}()` : 'a function call'}`,
      node,
    );
  }

  /**
   * What a function of this file returns (`function tlsOptions() { return { … } }`, `() => ({ … })`):
   * every `return` is an alternative, and so is `undefined` when the body can end without one.
   * The parameters hold the call's arguments (a `Frame`), so `fromConfig({ minVersion: 'TLSv1' })`
   * is what `fromConfig` builds from them.
   */
  private returned(fn: EsNode, call: EsNode, depth: number): Value {
    if ('generator' in fn && fn.generator) return unknownValue('the result of a generator', call);
    if (this.calling.has(fn)) return unknownValue('the result of a recursive call', call);
    const frame = this.frameFor(fn, call);
    return frame
      ? this.withFrame(frame, () => this.returnedIn(fn, call, depth))
      : this.returnedIn(fn, call, depth);
  }

  private returnedIn(fn: EsNode, call: EsNode, depth: number): Value {
    this.calling.add(fn);
    try {
      const body = bodyOf(fn);
      if (!body) return unknownValue('a function declared without a body', call);
      if (body.type !== 'BlockStatement') return this.evaluate(body, depth);
      const values: Value[] = this.returnsOf(body).map((n) =>
        n.argument
          ? this.evaluate(n.argument, depth)
          : { kind: 'primitive', value: undefined, node: n },
      );
      const last = body.body.at(-1);
      if (!last || (last.type !== 'ReturnStatement' && last.type !== 'ThrowStatement'))
        values.push({ kind: 'primitive', value: undefined, node: call });
      return conditional(values, call);
    } finally {
      this.calling.delete(fn);
    }
  }

  /** The `return` statements of a function body, outside its nested functions and classes. */
  private returnsOf(body: EsNode): NodeOf<'ReturnStatement'>[] {
    let found = this.returns.get(body);
    if (found) return found;
    const out: NodeOf<'ReturnStatement'>[] = [];
    const visit = (n: EsNode): void => {
      if (n !== body && (isFunctionNode(n) || n.type === 'ClassBody')) return;
      if (n.type === 'ReturnStatement') out.push(n);
      for (const child of childNodes(n)) visit(child);
    };
    visit(body);
    this.returns.set(body, (found = out));
    return found;
  }

  /** `Array.prototype.join` over elements known here (null and undefined join as ""). */
  private joined(
    list: Extract<Value, { kind: 'array' }>,
    separatorNode: EsNode | undefined,
    node: EsNode,
    depth: number,
  ): Value {
    const separator = separatorNode ? this.evaluate(separatorNode, depth) : undefined;
    if (separator && separator.kind !== 'primitive')
      return unknownValue('a list joined with a separator known only at run time', node);
    const parts: string[] = [];
    for (const el of list.elements) {
      if (el.kind !== 'primitive') return unknownValue('a list with run-time elements', node);
      parts.push(el.value === null || el.value === undefined ? '' : String(el.value));
    }
    const sep = separator?.value === undefined ? ',' : String(separator.value);
    return { kind: 'primitive', value: parts.join(sep), node };
  }

  private importOf(source: EsNode | undefined, node: EsNode, depth: number): Value {
    if (!source) return unknownValue('an import without a name', node);
    const name = this.evaluate(source, depth);
    if (name.kind === 'primitive' && typeof name.value === 'string') {
      const foreign = this.projectImports?.resolve(this.file, name.value, '*', node);
      if (foreign) return foreign;
      return { kind: 'ref', root: moduleRoot(name.value), path: [], node };
    }
    return unknownValue('a module chosen at run time', node);
  }
}

/**
 * The root of an imported module. `node:process` exports the global `process` object itself
 * (`import process from 'node:process'`, `import { env } from 'node:process'`), so its
 * `env` is the process environment.
 */
function moduleRoot(specifier: string): RefRoot {
  const name = normalizeModuleName(specifier);
  return name === 'process' ? { type: 'global', name: 'process' } : { type: 'module', name };
}

function isProcess(root: RefRoot): boolean {
  return root.type === 'global' && root.name === 'process';
}

/** `crypto.constants.SSL_OP_NO_TLSv1` and `require('constants').SSL_OP_NO_TLSv1` as numbers. */
function moduleConstant(ref: Extract<Value, { kind: 'ref' }>): number | undefined {
  if (ref.root.type !== 'module') return undefined;
  const p = ref.path;
  const name =
    ref.root.name === 'crypto' && p.length === 2 && p[0] === 'constants'
      ? p[1]
      : ref.root.name === 'constants' && p.length === 1
        ? p[0]
        : undefined;
  return name !== undefined && Object.prototype.hasOwnProperty.call(NODE_SSL_OP_CONSTANTS, name)
    ? NODE_SSL_OP_CONSTANTS[name]
    : undefined;
}

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=', 'instanceof', 'in']);

/** Callees that read a whole file (sync or promise). */
const FILE_READERS = new Set([
  'fs.readFileSync',
  'fs.readFile',
  'fs.promises.readFile',
  'fs/promises.readFile',
]);

/** `tls.createServer`-style name of a module/global reference, or undefined. */
export function refName(v: Value): string | undefined {
  if (v.kind !== 'ref') return undefined;
  const root = v.root.type === 'require' ? 'require' : v.root.name;
  return [root, ...v.path].join('.');
}

export function unknownValue(reason: string, node?: EsNode): Value {
  return { kind: 'unknown', reason, ...(node && { node }) };
}

/** The parameters of a function node (none for anything else). */
function paramsOf(fn: EsNode): readonly EsNode[] {
  return 'params' in fn ? fn.params : [];
}

/** Flattens nested conditionals; a single alternative is returned as is. */
function conditional(branches: Value[], node: EsNode): Value {
  const flat: Value[] = [];
  for (const b of branches) {
    if (b.kind === 'conditional') for (const inner of b.branches) flat.push(inner);
    else flat.push(b);
  }
  if (flat.length === 1) return flat[0]!;
  // Alternatives multiply (returns of returns, spreads of conditionals): past a point, no guess.
  if (flat.length > MAX_ALTERNATIVES) return unknownValue('too many alternatives to follow', node);
  return { kind: 'conditional', branches: flat, node };
}

/** The alternatives of a value (one unless conditional). */
export function alternatives(v: Value): Value[] {
  return v.kind === 'conditional' ? v.branches : [v];
}

function truthiness(v: Value): boolean | undefined {
  if (v.kind === 'primitive') return Boolean(v.value);
  if (v.kind === 'object' || v.kind === 'array' || v.kind === 'function' || v.kind === 'instance')
    return true;
  return undefined;
}

function mapPrimitive(v: Value, node: EsNode, f: (x: Primitive) => Primitive): Value {
  if (v.kind === 'primitive') return { kind: 'primitive', value: f(v.value), node };
  if (v.kind === 'conditional')
    return conditional(
      v.branches.map((b) => mapPrimitive(b, node, f)),
      node,
    );
  const t = truthiness(v);
  if (t !== undefined) return { kind: 'primitive', value: f(t), node };
  return v.kind === 'unknown' ? v : unknownValue('a run-time value', node);
}

function describe(v: Value): string {
  if (v.kind === 'unknown') return v.reason;
  if (v.kind === 'ref') return refName(v) ?? 'a module value';
  return `a ${v.kind}`;
}
