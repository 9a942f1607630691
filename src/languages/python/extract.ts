/**
 * Walks a Python module in execution order and tracks the TLS objects it builds: `ssl` contexts
 * (constructors, attribute writes through any name bound to them, method calls), library clients
 * and servers, and the process-wide switches. Functions run when called (with the arguments they
 * get) and, if never called, once on their own; class methods run with `self` bound to the class,
 * `__init__` first. Writes inside `if`/`except`/loops are conditional ("in some branches").
 * Comparisons and reads (`if ctx.minimum_version == TLSVersion.TLSv1:`) are never writes.
 */
import path from 'node:path';
import type { Targets } from '../../config/targets.js';
import type { MaterialRef, TlsContext } from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import type { ProtocolVersion } from '../../model/protocol.js';
import {
  byDefault,
  explicit,
  unknown,
  type ConditionalSetting,
  type Setting,
} from '../../model/setting.js';
import { processEnvSwitch } from './env-switches.js';
import {
  hasLibrarySettings,
  libraryToModel,
  mergeWrite,
  sslContextToModel,
  type LibraryObject,
  type OptionsWrite,
  type SslContextObject,
  type TrackedObject,
} from './objects.js';
import {
  CLIENT_CONTEXT_TAKERS,
  HTTP_VERBS,
  LOOP_METHODS,
  opNoVersion,
  PYOPENSSL_METHODS,
  PYOPENSSL_VERSIONS,
  SERVER_CONTEXT_TAKERS,
  SSL_PROTOCOLS,
  tlsVersionMember,
  urllib3CertReqs,
  verifyModeOf,
  type VerifyMode,
} from './semantics.js';
import { field, fieldAll, type PyNode, type PySource } from './syntax.js';
import { alternativesOf, memberOf, truthy, unknownValue, type Value } from './values.js';

export interface ExtractOptions {
  targets: Targets;
}

export interface ExtractResult {
  contexts: TlsContext[];
  notices: string[];
}

class Scope {
  readonly vars = new Map<string, Value>();
  constructor(
    readonly parent: Scope | undefined,
    readonly className?: string,
  ) {}
  lookup(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
}

interface Frame {
  scope: Scope;
  returns: Value[];
  depth: number;
}

interface CallArgs {
  positional: Value[];
  keywords: Map<string, { value: Value; node: PyNode }>;
  positionalNodes: PyNode[];
  /** `**kwargs` or `*args` present: missing keywords may come from there. */
  splat: boolean;
}

const MAX_CALL_DEPTH = 8;

export function extractPythonContexts(
  root: PyNode,
  source: PySource,
  options: ExtractOptions,
): ExtractResult {
  return new Extractor(source, options).run(root);
}

class Extractor {
  private readonly objects: TrackedObject[] = [];
  private readonly notices: string[] = [];
  private readonly processed = new Map<string, Value>();
  private readonly pendingFunctions: Array<Value & { kind: 'function' }> = [];
  private readonly attributes = new Map<string, Value>();
  private readonly inProgress = new Set<string>();
  private nextFunctionId = 1;
  /** > 0 while inside a branch (if/elif/else/except/loop body). */
  private conditionalDepth = 0;

  constructor(
    private readonly src: PySource,
    private readonly options: ExtractOptions,
  ) {}

  run(root: PyNode): ExtractResult {
    const module = new Scope(undefined);
    const frame: Frame = { scope: module, returns: [], depth: 0 };
    this.execBlock(root.children, frame);
    // Functions and methods nobody called still configure what they build.
    for (let i = 0; i < this.pendingFunctions.length; i++) {
      const f = this.pendingFunctions[i]!;
      if (![...this.processed.keys()].some((k) => k.startsWith(`${f.id}:`)))
        this.callFunction(f, undefined, 0);
    }
    const contexts: TlsContext[] = [];
    let n = 0;
    for (const o of this.objects) {
      const id = `${this.src.file}#${++n}`;
      if (o.type === 'ssl-context') contexts.push(sslContextToModel(o, id, this.options.targets));
      else if (hasLibrarySettings(o)) contexts.push(libraryToModel(o, id));
    }
    return { contexts, notices: this.notices };
  }

  // --- statements ----------------------------------------------------------------------------

  private execBlock(nodes: readonly PyNode[], frame: Frame): void {
    for (const node of nodes) this.execStatement(node, frame);
  }

  private branch(nodes: readonly PyNode[], frame: Frame): void {
    this.conditionalDepth++;
    try {
      this.execBlock(nodes, frame);
    } finally {
      this.conditionalDepth--;
    }
  }

  private execStatement(node: PyNode, frame: Frame): void {
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.children) this.execExpressionStatement(child, frame);
        return;
      case 'import_statement':
        for (const [i, child] of node.children.entries()) {
          if (node.fields[i] !== 'name') continue;
          if (child.type === 'aliased_import') {
            const name = this.src.textOf(field(child, 'name')!);
            frame.scope.vars.set(this.src.textOf(field(child, 'alias')!), {
              kind: 'name',
              path: name,
              node: child,
            });
          } else {
            // `import urllib.request` binds `urllib`; the dotted use resolves through it.
            const first = this.src.textOf(child).split('.')[0]!;
            frame.scope.vars.set(first, { kind: 'name', path: first, node: child });
          }
        }
        return;
      case 'import_from_statement': {
        const moduleNode = field(node, 'module_name');
        const module = moduleNode ? this.src.textOf(moduleNode).replace(/^\.+/, '') : '';
        for (const [i, child] of node.children.entries()) {
          if (node.fields[i] !== 'name') continue;
          if (child.type === 'aliased_import') {
            const name = this.src.textOf(field(child, 'name')!);
            frame.scope.vars.set(this.src.textOf(field(child, 'alias')!), {
              kind: 'name',
              path: `${module}.${name}`,
              node: child,
            });
          } else {
            const name = this.src.textOf(child);
            frame.scope.vars.set(name.split('.').pop()!, {
              kind: 'name',
              path: `${module}.${name}`,
              node: child,
            });
          }
        }
        return;
      }
      case 'function_definition':
        this.defineFunction(node, frame.scope);
        return;
      case 'class_definition':
        this.defineClass(node, frame);
        return;
      case 'decorated_definition': {
        const def = field(node, 'definition');
        if (def) this.execStatement(def, frame);
        return;
      }
      case 'return_statement': {
        const value = node.children[0];
        frame.returns.push(
          value ? this.evaluate(value, frame) : { kind: 'const', value: null, node },
        );
        return;
      }
      case 'if_statement': {
        const condition = field(node, 'condition');
        if (condition) this.evaluate(condition, frame);
        this.branch(field(node, 'consequence')?.children ?? [], frame);
        for (const alt of fieldAll(node, 'alternative')) {
          const c = field(alt, 'condition');
          if (c) this.evaluate(c, frame);
          this.branch(
            field(alt, 'consequence')?.children ??
              field(alt, 'body')?.children ??
              alt.children.filter((x) => x.type === 'block').flatMap((b) => b.children),
            frame,
          );
        }
        return;
      }
      case 'for_statement':
      case 'while_statement': {
        const body = field(node, 'body');
        this.branch(body?.children ?? [], frame);
        const alt = field(node, 'alternative');
        if (alt) this.branch(field(alt, 'body')?.children ?? [], frame);
        return;
      }
      case 'try_statement': {
        this.execBlock(field(node, 'body')?.children ?? [], frame);
        for (const child of node.children) {
          if (child.type === 'except_clause' || child.type === 'except_group_clause')
            this.branch(
              child.children.filter((c) => c.type === 'block').flatMap((b) => b.children),
              frame,
            );
          else if (child.type === 'else_clause')
            this.branch(field(child, 'body')?.children ?? [], frame);
          else if (child.type === 'finally_clause')
            this.execBlock(
              child.children.filter((c) => c.type === 'block').flatMap((b) => b.children),
              frame,
            );
        }
        return;
      }
      case 'with_statement': {
        for (const clause of node.children.filter((c) => c.type === 'with_clause')) {
          for (const item of clause.children) {
            const value = field(item, 'value');
            if (!value) continue;
            if (value.type === 'as_pattern') {
              const v = this.evaluate(value.children[0]!, frame);
              const target = field(value, 'alias') ?? value.children[1];
              const name = target?.type === 'as_pattern_target' ? target.children[0] : target;
              if (name?.type === 'identifier') frame.scope.vars.set(this.src.textOf(name), v);
            } else {
              this.evaluate(value, frame);
            }
          }
        }
        this.execBlock(field(node, 'body')?.children ?? [], frame);
        return;
      }
      case 'match_statement':
        for (const block of node.children.filter((c) => c.type === 'block')) {
          for (const alt of block.children)
            this.branch(field(alt, 'consequence')?.children ?? [], frame);
        }
        return;
      case 'block':
        this.execBlock(node.children, frame);
        return;
      default:
        return;
    }
  }

  private execExpressionStatement(node: PyNode, frame: Frame): void {
    if (node.type === 'assignment') {
      this.assign(node, frame);
      return;
    }
    if (node.type === 'augmented_assignment') {
      this.augmentedAssign(node, frame);
      return;
    }
    this.evaluate(node, frame);
  }

  private assign(node: PyNode, frame: Frame): void {
    const right = field(node, 'right');
    if (!right) return;
    // a = b = value: the right side is itself an assignment
    const value =
      right.type === 'assignment'
        ? (this.assign(right, frame), this.evaluate(this.innermostRight(right), frame))
        : this.evaluate(right, frame);
    const left = field(node, 'left');
    if (left) this.bindTarget(left, value, right, frame);
  }

  private innermostRight(node: PyNode): PyNode {
    let n = node;
    while (n.type === 'assignment' && field(n, 'right')) n = field(n, 'right')!;
    return n;
  }

  private bindTarget(target: PyNode, value: Value, valueNode: PyNode, frame: Frame): void {
    switch (target.type) {
      case 'identifier': {
        const name = this.src.textOf(target);
        const prev = frame.scope.vars.get(name);
        frame.scope.vars.set(
          name,
          this.conditionalDepth > 0 && prev
            ? { kind: 'either', options: [prev, value], node: valueNode }
            : value,
        );
        if (value.kind === 'object' && value.object.type === 'ssl-context')
          value.object.boundName ??= name;
        return;
      }
      case 'attribute':
        this.writeAttribute(target, value, valueNode, frame);
        return;
      case 'subscript': {
        // kwargs['ssl_context'] = ctx (an adapter's init_poolmanager), os.environ['X'] = '0'
        const object = field(target, 'value');
        const key = field(target, 'subscript');
        if (!object || !key) return;
        const keyValue = this.evaluate(key, frame);
        const objValue = this.evaluate(object, frame);
        if (keyValue.kind === 'const' && typeof keyValue.value === 'string') {
          if (objValue.kind === 'name' && objValue.path === 'os.environ')
            this.envWrite(keyValue.value, value, target, valueNode);
          else if (['ssl_context', 'context', 'ssl'].includes(keyValue.value))
            this.markUse(value, 'client', target);
        }
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern': {
        const items = value.kind === 'sequence' ? value.items : [];
        target.children.forEach((t, i) =>
          this.bindTarget(
            t,
            items[i] ?? unknownValue('unpacked from a run-time value', valueNode),
            valueNode,
            frame,
          ),
        );
        return;
      }
      default:
        return;
    }
  }

  /** The key under which `self.x` / `obj.x` is remembered. */
  private attributeKey(node: PyNode, frame: Frame): string | undefined {
    if (node.type === 'identifier') {
      const name = this.src.textOf(node);
      if (name === 'self' || name === 'cls')
        return frame.scope.className ?? this.enclosingClass(frame.scope) ?? name;
      return name;
    }
    if (node.type === 'attribute') {
      const obj = field(node, 'object');
      const attr = field(node, 'attribute');
      const base = obj ? this.attributeKey(obj, frame) : undefined;
      return base && attr ? `${base}.${this.src.textOf(attr)}` : undefined;
    }
    return undefined;
  }

  private enclosingClass(scope: Scope | undefined): string | undefined {
    for (let s = scope; s; s = s.parent) if (s.className) return s.className;
    return undefined;
  }

  private writeAttribute(target: PyNode, value: Value, valueNode: PyNode, frame: Frame): void {
    const objNode = field(target, 'object')!;
    const attr = this.src.textOf(field(target, 'attribute')!);
    const owner = this.evaluate(objNode, frame);
    const at = this.src.range(target, valueNode);
    const raw = this.src.textOf(valueNode);
    // ssl._create_default_https_context = ssl._create_unverified_context
    if (owner.kind === 'name' && owner.path === 'ssl' && attr === '_create_default_https_context') {
      this.processWideContext(value, target, valueNode);
      return;
    }
    for (const o of alternativesOf(owner)) {
      if (o.kind !== 'object') continue;
      this.setObjectAttribute(o.object, attr, value, at, raw);
    }
    if (!alternativesOf(owner).some((o) => o.kind === 'object')) {
      const key = this.attributeKey(target, frame);
      if (key) {
        const prev = this.attributes.get(key);
        this.attributes.set(
          key,
          this.conditionalDepth > 0 && prev
            ? { kind: 'either', options: [prev, value], node: valueNode }
            : value,
        );
        if (value.kind === 'object' && value.object.type === 'ssl-context')
          value.object.boundName ??= this.src.textOf(target);
      }
    }
  }

  private get conditional(): boolean {
    return this.conditionalDepth > 0;
  }

  private setObjectAttribute(
    object: TrackedObject,
    attr: string,
    value: Value,
    at: SourceRange,
    raw: string,
  ): void {
    if (object.type === 'library') {
      if (attr === 'verify') this.applyVerify(object, value, at, raw, 'verify');
      return;
    }
    const ctx = object;
    switch (attr) {
      case 'verify_mode': {
        const s = this.settingFrom(value, at, 'verify_mode', raw, (v) => {
          const m = memberOf(v, 'ssl', 'ssl.VerifyMode');
          return m ? verifyModeOf(m) : undefined;
        });
        ctx.verifyMode = mergeWrite(ctx.verifyMode, s, this.conditional);
        return;
      }
      case 'check_hostname': {
        const s = this.settingFrom(value, at, 'check_hostname', raw, (v) => truthy(v));
        ctx.checkHostname = mergeWrite(ctx.checkHostname, s, this.conditional);
        return;
      }
      case 'minimum_version':
      case 'maximum_version': {
        const s = this.settingFrom(value, at, attr, raw, (v) => {
          const m = memberOf(v, 'ssl.TLSVersion');
          return m ? tlsVersionMember(m) : undefined;
        });
        if (attr === 'minimum_version') ctx.minimum = mergeWrite(ctx.minimum, s, this.conditional);
        else ctx.maximum = mergeWrite(ctx.maximum, s, this.conditional);
        return;
      }
      case 'options': {
        // ctx.options = ctx.options | ssl.OP_NO_TLSv1  or  ctx.options = ssl.OP_NO_TLSv1 | …
        const flags = this.flagsOf(value);
        const fromSelf =
          value.kind === 'flags' &&
          value.items.some((i) => i.kind === 'unknown' && i.reason === 'self-options');
        ctx.options.push({
          op: fromSelf ? 'disable' : 'replace',
          versions: flags.versions,
          ...(flags.unknown && { unknownFlags: true }),
          at,
          raw,
          conditional: this.conditional,
        });
        return;
      }
      default:
        return;
    }
  }

  private augmentedAssign(node: PyNode, frame: Frame): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (!left || !right || left.type !== 'attribute') {
      if (right) this.evaluate(right, frame);
      return;
    }
    const attr = this.src.textOf(field(left, 'attribute')!);
    const owner = this.evaluate(field(left, 'object')!, frame);
    const value = this.evaluate(right, frame);
    const at = this.src.range(node);
    const raw = this.src.textOf(node);
    for (const o of alternativesOf(owner)) {
      if (o.kind !== 'object' || o.object.type !== 'ssl-context' || attr !== 'options') continue;
      const write = this.optionsUpdate(node.op ?? '', value, at, raw);
      if (write) o.object.options.push(write);
    }
  }

  private optionsUpdate(
    op: string,
    value: Value,
    at: SourceRange,
    raw: string,
  ): OptionsWrite | undefined {
    if (op === '|=') {
      const flags = this.flagsOf(value);
      return {
        op: 'disable',
        versions: flags.versions,
        ...(flags.unknown && { unknownFlags: true }),
        at,
        raw,
        conditional: this.conditional,
      };
    }
    if (op === '&=') {
      // options &= ~OP_NO_TLSv1 re-enables; options &= ~(A | B) too.
      if (value.kind !== 'invert')
        return {
          op: 'disable',
          versions: [],
          unknownFlags: true,
          at,
          raw,
          conditional: this.conditional,
        };
      const flags = this.flagsOf(value.value);
      return {
        op: 'enable',
        versions: flags.versions,
        ...(flags.unknown && { unknownFlags: true }),
        at,
        raw,
        conditional: this.conditional,
      };
    }
    if (op === '^=')
      return {
        op: 'disable',
        versions: [],
        unknownFlags: true,
        at,
        raw,
        conditional: this.conditional,
      };
    return undefined;
  }

  /** The OP_NO_* versions in a flags expression; other known OP_* flags are ignored. */
  private flagsOf(value: Value): { versions: ProtocolVersion[]; unknown: boolean } {
    const versions: ProtocolVersion[] = [];
    let unknownFlag = false;
    const visit = (v: Value): void => {
      if (v.kind === 'flags') v.items.forEach(visit);
      else if (v.kind === 'name') {
        const m = memberOf(v, 'ssl', 'ssl.Options', 'OpenSSL.SSL');
        const version = m ? opNoVersion(m) : undefined;
        if (version) versions.push(version);
        else if (!m || !/^OP_/.test(m)) unknownFlag = true;
      } else if (v.kind === 'unknown' && v.reason === 'self-options') {
        /* the current options: kept */
      } else if (v.kind === 'const' && v.value === 0) {
        /* nothing */
      } else unknownFlag = true;
    };
    visit(value);
    return { versions, unknown: unknownFlag };
  }

  /** A setting from a value: explicit when the mapping knows it, unknown otherwise, conditional for alternatives. */
  private settingFrom<T>(
    value: Value,
    at: SourceRange,
    key: string,
    raw: string,
    map: (v: Value) => T | undefined,
  ): Setting<T> {
    const alts = alternativesOf(value);
    const branches = alts.map((v) => {
      const mapped = map(v);
      return mapped === undefined
        ? unknown(v.kind === 'unknown' ? v.reason : `"${raw}" is not known statically`, at, key)
        : explicit(mapped, at, key, raw);
    });
    if (branches.length === 1) return branches[0]!;
    return { origin: 'conditional', branches, at, key, raw };
  }

  // --- definitions and calls -----------------------------------------------------------------

  private defineFunction(node: PyNode, scope: Scope): void {
    const name = field(node, 'name');
    if (!name) return;
    const fn: Value & { kind: 'function' } = {
      kind: 'function',
      def: node,
      id: this.nextFunctionId++,
      scopeRef: scope,
      ...(scope.className && { className: scope.className }),
    };
    scope.vars.set(this.src.textOf(name), fn);
    this.pendingFunctions.push(fn);
  }

  private defineClass(node: PyNode, frame: Frame): void {
    const nameNode = field(node, 'name');
    if (!nameNode) return;
    const name = this.src.textOf(nameNode);
    const bases = (field(node, 'superclasses')?.children ?? []).map((b) => this.evaluate(b, frame));
    const classScope = new Scope(frame.scope, name);
    const value: Value & { kind: 'class' } = {
      kind: 'class',
      def: node,
      name,
      bases,
      scopeRef: classScope,
    };
    frame.scope.vars.set(name, value);
    const body = field(node, 'body')?.children ?? [];
    // Class-level statements run now; methods are queued with __init__ first.
    const methods = body
      .map((s) => (s.type === 'decorated_definition' ? field(s, 'definition') : s))
      .filter((s): s is PyNode => s?.type === 'function_definition');
    const init = methods.find((m) => this.src.textOf(field(m, 'name')!) === '__init__');
    for (const s of body)
      if (s.type !== 'function_definition' && s.type !== 'decorated_definition')
        this.execStatement(s, { scope: classScope, returns: [], depth: frame.depth });
    for (const m of init ? [init, ...methods.filter((x) => x !== init)] : methods)
      this.defineFunction(m, classScope);
  }

  private callFunction(
    fn: Value & { kind: 'function' },
    args: CallArgs | undefined,
    depth: number,
  ): Value {
    const objectArgs = args
      ? [...args.positional, ...[...args.keywords.values()].map((k) => k.value)].filter(
          (v) => v.kind === 'object',
        )
      : [];
    const key = `${fn.id}:${objectArgs.map((v) => this.objects.indexOf(v.object)).join(',')}`;
    const done = this.processed.get(key);
    if (done) return done;
    if (this.inProgress.has(key) || depth > MAX_CALL_DEPTH) return unknownValue('a recursive call');
    this.inProgress.add(key);
    const scope = new Scope(fn.scopeRef as Scope, fn.className);
    this.bindParameters(fn.def, scope, args, depth);
    const frame: Frame = { scope, returns: [], depth: depth + 1 };
    const savedDepth = this.conditionalDepth;
    this.conditionalDepth = 0;
    try {
      this.execBlock(field(fn.def, 'body')?.children ?? [], frame);
    } finally {
      this.conditionalDepth = savedDepth;
      this.inProgress.delete(key);
    }
    const result: Value =
      frame.returns.length === 0
        ? { kind: 'const', value: null, node: fn.def }
        : frame.returns.length === 1
          ? frame.returns[0]!
          : { kind: 'either', options: frame.returns, node: fn.def };
    this.processed.set(key, result);
    return result;
  }

  private bindParameters(
    def: PyNode,
    scope: Scope,
    args: CallArgs | undefined,
    depth: number,
  ): void {
    const params = field(def, 'parameters')?.children ?? [];
    let position = 0;
    for (const p of params) {
      let nameNode: PyNode | undefined;
      let defaultNode: PyNode | undefined;
      if (p.type === 'identifier') nameNode = p;
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        nameNode = field(p, 'name');
        defaultNode = field(p, 'value');
      } else if (p.type === 'typed_parameter')
        nameNode = p.children.find((c) => c.type === 'identifier');
      if (!nameNode || nameNode.type !== 'identifier') continue;
      const name = this.src.textOf(nameNode);
      if ((name === 'self' || name === 'cls') && position === 0 && scope.className) continue;
      const given = args?.keywords.get(name)?.value ?? args?.positional[position];
      position++;
      if (given) {
        scope.vars.set(name, given);
        continue;
      }
      const frame: Frame = { scope, returns: [], depth };
      const reason = `the parameter "${name}" is given by the caller`;
      if (defaultNode) {
        const d = this.evaluate(defaultNode, frame);
        // Called without it here: the default holds; uncalled: the default is one of the values.
        scope.vars.set(
          name,
          args
            ? d
            : { kind: 'either', options: [d, unknownValue(reason, nameNode)], node: defaultNode },
        );
      } else scope.vars.set(name, unknownValue(reason, nameNode));
    }
  }

  // --- expressions ---------------------------------------------------------------------------

  private evaluate(node: PyNode, frame: Frame): Value {
    switch (node.type) {
      case 'true':
        return { kind: 'const', value: true, node };
      case 'false':
        return { kind: 'const', value: false, node };
      case 'none':
        return { kind: 'const', value: null, node };
      case 'integer': {
        const text = this.src.textOf(node).replace(/_/g, '');
        const n = Number(text);
        return Number.isFinite(n)
          ? { kind: 'const', value: n, node }
          : unknownValue(`the number ${text}`, node);
      }
      case 'string':
        return this.stringValue(node, frame);
      case 'concatenated_string': {
        const parts = node.children.map((c) => this.stringValue(c, frame));
        if (parts.every((p) => p.kind === 'const' && typeof p.value === 'string'))
          return {
            kind: 'const',
            value: parts.map((p) => (p as { value: string }).value).join(''),
            node,
          };
        return unknownValue('a string built at run time', node);
      }
      case 'identifier': {
        const name = this.src.textOf(node);
        const v = frame.scope.lookup(name);
        if (v) return v;
        const attr = this.attributes.get(name);
        return attr ?? unknownValue(`"${name}" is not known statically`, node);
      }
      case 'attribute':
        return this.evaluateAttribute(node, frame);
      case 'call':
        return this.evaluateCall(node, frame);
      case 'parenthesized_expression':
        return node.children[0] ? this.evaluate(node.children[0], frame) : unknownValue('()', node);
      case 'binary_operator': {
        const left = this.evaluate(field(node, 'left')!, frame);
        const right = this.evaluate(field(node, 'right')!, frame);
        if (node.op === '|')
          return {
            kind: 'flags',
            items: [
              ...(left.kind === 'flags' ? left.items : [left]),
              ...(right.kind === 'flags' ? right.items : [right]),
            ],
            node,
          };
        if (
          node.op === '+' &&
          left.kind === 'const' &&
          right.kind === 'const' &&
          typeof left.value === 'string' &&
          typeof right.value === 'string'
        )
          return { kind: 'const', value: left.value + right.value, node };
        return unknownValue(`"${this.short(node)}" is computed at run time`, node);
      }
      case 'unary_operator': {
        const arg = field(node, 'argument');
        if (node.op === '~' && arg)
          return { kind: 'invert', value: this.evaluate(arg, frame), node };
        return unknownValue(`"${this.short(node)}" is computed at run time`, node);
      }
      case 'not_operator': {
        const arg = node.children[0];
        const v = arg ? this.evaluate(arg, frame) : undefined;
        const t = v ? truthy(v) : undefined;
        return t === undefined
          ? unknownValue(`"${this.short(node)}" is computed at run time`, node)
          : { kind: 'const', value: !t, node };
      }
      case 'conditional_expression': {
        const [a, cond, b] = node.children;
        if (cond) this.evaluate(cond, frame);
        return {
          kind: 'either',
          options: [
            a ? this.evaluate(a, frame) : unknownValue('?', node),
            b ? this.evaluate(b, frame) : unknownValue('?', node),
          ],
          node,
        };
      }
      case 'boolean_operator': {
        const left = this.evaluate(field(node, 'left')!, frame);
        const right = this.evaluate(field(node, 'right')!, frame);
        // os.environ.get('X') or default: either side may be the value
        return { kind: 'either', options: [left, right], node };
      }
      case 'tuple':
      case 'list':
        return { kind: 'sequence', items: node.children.map((c) => this.evaluate(c, frame)), node };
      case 'dictionary': {
        const entries = new Map<string, Value>();
        for (const pair of node.children) {
          if (pair.type !== 'pair') continue;
          const k = this.evaluate(field(pair, 'key')!, frame);
          if (k.kind === 'const' && typeof k.value === 'string')
            entries.set(k.value, this.evaluate(field(pair, 'value')!, frame));
        }
        return { kind: 'dict', entries, node };
      }
      case 'lambda': {
        const body = field(node, 'body');
        return body
          ? { kind: 'either', options: [this.evaluate(body, frame)], node }
          : unknownValue('a lambda', node);
      }
      case 'await':
        return node.children[0]
          ? this.evaluate(node.children[0], frame)
          : unknownValue('await', node);
      case 'comparison_operator':
        // A comparison reads settings, it never writes them.
        for (const c of node.children) this.evaluate(c, frame);
        return unknownValue('a comparison', node);
      default:
        for (const c of node.children) if (c.type === 'call') this.evaluate(c, frame);
        return unknownValue(`"${this.short(node)}" is not known statically`, node);
    }
  }

  private short(node: PyNode): string {
    const t = this.src.textOf(node).replace(/\s+/g, ' ');
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  }

  private stringValue(node: PyNode, frame: Frame): Value {
    if (node.type !== 'string') return this.evaluate(node, frame);
    if (node.children.some((c) => c.type === 'interpolation'))
      return unknownValue('an f-string', node);
    const start = node.children.find((c) => c.type === 'string_start');
    const prefix = start
      ? this.src
          .textOf(start)
          .replace(/["']+$/, '')
          .toLowerCase()
      : '';
    const raw = node.children
      .filter((c) => c.type === 'string_content')
      .map((c) => this.src.textOf(c))
      .join('');
    const value = prefix.includes('r')
      ? raw
      : raw.replace(/\\(["'\\nt])/g, (_m, ch: string) =>
          ch === 'n' ? '\n' : ch === 't' ? '\t' : ch,
        );
    return { kind: 'const', value, node };
  }

  private evaluateAttribute(node: PyNode, frame: Frame): Value {
    const objNode = field(node, 'object')!;
    const attr = this.src.textOf(field(node, 'attribute')!);
    const owner = this.evaluate(objNode, frame);
    if (owner.kind === 'name') return { kind: 'name', path: `${owner.path}.${attr}`, node };
    if (owner.kind === 'object' && owner.object.type === 'ssl-context' && attr === 'options')
      return unknownValue('self-options', node);
    const key = this.attributeKey(node, frame);
    if (key) {
      const v = this.attributes.get(key);
      if (v) return v;
    }
    return unknownValue(`"${this.short(node)}" is not known statically`, node);
  }

  private callArgs(node: PyNode, frame: Frame): CallArgs {
    const argsNode = field(node, 'arguments');
    const out: CallArgs = {
      positional: [],
      keywords: new Map(),
      positionalNodes: [],
      splat: false,
    };
    for (const a of argsNode?.children ?? []) {
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name');
        const value = field(a, 'value');
        if (name && value)
          out.keywords.set(this.src.textOf(name), { value: this.evaluate(value, frame), node: a });
      } else if (a.type === 'dictionary_splat') {
        out.splat = true;
        const v = a.children[0] ? this.evaluate(a.children[0], frame) : undefined;
        if (v?.kind === 'dict')
          for (const [k, val] of v.entries)
            if (!out.keywords.has(k)) out.keywords.set(k, { value: val, node: a });
      } else if (a.type === 'list_splat') {
        out.splat = true;
      } else if (a.type !== 'comment') {
        out.positional.push(this.evaluate(a, frame));
        out.positionalNodes.push(a);
      }
    }
    return out;
  }

  private evaluateCall(node: PyNode, frame: Frame): Value {
    const fnNode = field(node, 'function')!;
    // Method calls on tracked objects: ctx.set_ciphers(...), session.get(..., verify=False)
    if (fnNode.type === 'attribute') {
      const receiverNode = field(fnNode, 'object')!;
      const method = this.src.textOf(field(fnNode, 'attribute')!);
      const receiver = this.evaluate(receiverNode, frame);
      const args = this.callArgs(node, frame);
      if (receiver.kind === 'name')
        return this.callName(`${receiver.path}.${method}`, node, fnNode, args, frame);
      const objects = alternativesOf(receiver).filter(
        (v): v is Value & { kind: 'object' } => v.kind === 'object',
      );
      if (objects.length > 0) {
        let result: Value = unknownValue(`the result of ${method}()`, node);
        for (const o of objects)
          result = this.callMethod(o.object, method, node, fnNode, args) ?? result;
        return result;
      }
      if (receiver.kind === 'instance') {
        const m = (receiver.classValue.scopeRef as Scope).vars.get(method);
        if (m?.kind === 'function') return this.callFunction(m, args, frame.depth);
      }
      if (
        receiverNode.type === 'call' &&
        this.src.textOf(field(receiverNode, 'function')!) === 'super'
      )
        return unknownValue('super()', node);
      return this.unknownReceiverCall(method, node, fnNode, args);
    }
    const callee = this.evaluate(fnNode, frame);
    const args = this.callArgs(node, frame);
    const alts = alternativesOf(callee);
    let result: Value | undefined;
    for (const c of alts) {
      let r: Value | undefined;
      if (c.kind === 'name') r = this.callName(c.path, node, fnNode, args, frame);
      else if (c.kind === 'function') r = this.callFunction(c, args, frame.depth);
      else if (c.kind === 'class') r = this.instantiate(c, node, fnNode, args, frame);
      if (r) result = result ? { kind: 'either', options: [result, r], node } : r;
    }
    return result ?? unknownValue(`the result of ${this.short(fnNode)}()`, node);
  }

  private instantiate(
    cls: Value & { kind: 'class' },
    node: PyNode,
    fnNode: PyNode,
    args: CallArgs,
    frame: Frame,
  ): Value {
    // A subclass of ssl.SSLContext is an SSLContext.
    if (
      cls.bases.some(
        (b) =>
          b.kind === 'name' && (b.path === 'ssl.SSLContext' || b.path === 'OpenSSL.SSL.Context'),
      )
    ) {
      const base = cls.bases.find((b) => b.kind === 'name') as Value & { kind: 'name' };
      return this.callName(base.path, node, fnNode, args, frame);
    }
    const init = (cls.scopeRef as Scope).vars.get('__init__');
    if (init?.kind === 'function') this.callFunction(init, args, frame.depth);
    return { kind: 'instance', className: cls.name, classValue: cls, node };
  }

  // --- known APIs ----------------------------------------------------------------------------

  private callName(
    full: string,
    node: PyNode,
    fnNode: PyNode,
    args: CallArgs,
    frame: Frame,
  ): Value {
    const at = this.src.range(node);
    const calleeAt = this.src.range(fnNode);
    const name = full.replace(/^ssl\.SSLContext\.wrap_socket$/, 'ssl.SSLContext.wrap_socket');
    // Contexts handed to clients and servers
    this.markTakers(name, args, node);

    switch (name) {
      case 'ssl.SSLContext':
        return this.newSslContext('ssl.SSLContext', node, fnNode, args);
      case 'ssl.create_default_context':
        return this.newSslContext('ssl.create_default_context', node, fnNode, args);
      case 'ssl._create_unverified_context':
        return this.newSslContext('ssl._create_unverified_context', node, fnNode, args);
      case 'ssl._create_default_https_context':
      case 'ssl.create_default_https_context':
        return this.newSslContext('ssl.create_default_context', node, fnNode, args);
      case 'ssl.wrap_socket':
        return this.legacyWrapSocket(node, fnNode, args);
      case 'OpenSSL.SSL.Context':
        return this.newPyOpenSslContext(node, fnNode, args);
      case 'ssl.match_hostname':
        return unknownValue('ssl.match_hostname()', node);
      case 'grpc.ssl_server_credentials':
        return this.grpcServerCredentials(node, fnNode, args, frame);
      case 'os.environ.setdefault':
      case 'os.putenv': {
        const k = args.positional[0];
        const v = args.positional[1];
        if (k?.kind === 'const' && typeof k.value === 'string' && v)
          this.envWrite(k.value, v, node, args.positionalNodes[1] ?? node);
        return unknownValue('an environment write', node);
      }
      case 'os.environ.update': {
        const d = args.positional[0];
        if (d?.kind === 'dict') for (const [k, v] of d.entries) this.envWrite(k, v, node, node);
        for (const [k, v] of args.keywords) this.envWrite(k, v.value, node, v.node);
        return unknownValue('an environment write', node);
      }
      default:
        break;
    }
    const lib = this.libraryCall(name, node, fnNode, args, at, calleeAt);
    if (lib) return lib;
    return unknownValue(`the result of ${name}()`, node);
  }

  private markTakers(name: string, args: CallArgs, node: PyNode): void {
    const client = CLIENT_CONTEXT_TAKERS[name];
    const server = SERVER_CONTEXT_TAKERS[name];
    for (const [taker, role] of [
      [client, 'client'],
      [server, 'server'],
    ] as const) {
      if (!taker) continue;
      for (const k of taker.keyword) {
        const v = args.keywords.get(k);
        if (v) this.markUse(v.value, role, v.node);
      }
    }
    // loop.create_server(..., ssl=ctx) and friends
    const method = name.split('.').pop()!;
    const loopRole = LOOP_METHODS[method];
    if (loopRole && /(^|\.)(asyncio|loop|get_event_loop\(\)|get_running_loop\(\))/.test(name)) {
      const v = args.keywords.get('ssl');
      if (v)
        this.markUse(
          v.value,
          method === 'start_tls' &&
            truthy(args.keywords.get('server_side')?.value ?? { kind: 'const', value: false, node })
            ? 'server'
            : loopRole,
          v.node,
        );
    }
  }

  private markUse(value: Value, role: 'client' | 'server', where: PyNode): void {
    for (const v of alternativesOf(value)) {
      if (v.kind !== 'object' || v.object.type !== 'ssl-context') continue;
      v.object.usedAs.add(role);
      v.object.usedAt ??= this.src.range(where);
    }
  }

  private newSslContext(api: string, node: PyNode, fnNode: PyNode, args: CallArgs): Value {
    const at = this.src.range(node);
    const ctx: SslContextObject = {
      type: 'ssl-context',
      flavour: 'ssl',
      api,
      at,
      calleeAt: this.src.range(fnNode),
      ctorRole: 'either',
      usedAs: new Set(),
      createDefault:
        api === 'ssl.create_default_context' || api === 'ssl._create_unverified_context',
      verifyMode: byDefault<VerifyMode>(
        'CERT_NONE',
        `${api}() default verify_mode CERT_NONE`,
        'verify_mode',
      ),
      checkHostname: byDefault(false, `${api}() default check_hostname False`, 'check_hostname'),
      options: [],
      loadsOwnCertificate: false,
      material: [],
      features: [],
      notes: {},
    };
    if (api === 'ssl.SSLContext') {
      const protoNode = args.keywords.get('protocol')?.node ?? args.positionalNodes[0];
      const proto = args.keywords.get('protocol')?.value ?? args.positional[0];
      if (!proto) {
        ctx.protocolArg = undefined;
        ctx.features.push({
          feature: 'python.protocol-constant',
          at: this.src.range(fnNode),
          detail: 'ssl.SSLContext() without a protocol (PROTOCOL_TLS)',
        });
      } else {
        const member = memberOf(proto, 'ssl', 'ssl._SSLMethod');
        const info = member ? SSL_PROTOCOLS[member] : undefined;
        const range = this.src.range(protoNode ?? node);
        const raw = this.src.textOf(protoNode ?? node).replace(/^protocol\s*=\s*/, '');
        if (!info) {
          ctx.protocolArg = {
            raw,
            at: range,
            unknownReason: `the protocol "${raw}" is not known statically`,
          };
        } else {
          ctx.protocolArg = { raw, at: range, ...(info.pinned && { pinned: info.pinned }) };
          ctx.ctorRole = info.role;
          if (info.deprecated)
            ctx.features.push({ feature: 'python.protocol-constant', at: range, detail: raw });
        }
      }
      const role = ctx.ctorRole;
      if (role === 'client') {
        ctx.verifyMode = byDefault(
          'CERT_REQUIRED',
          'PROTOCOL_TLS_CLIENT default verify_mode CERT_REQUIRED',
          'verify_mode',
        );
        ctx.checkHostname = byDefault(
          true,
          'PROTOCOL_TLS_CLIENT default check_hostname True',
          'check_hostname',
        );
      } else {
        const what = ctx.protocolArg?.raw ?? 'ssl.SSLContext()';
        ctx.verifyMode = byDefault(
          'CERT_NONE',
          `${what} default verify_mode CERT_NONE`,
          'verify_mode',
        );
        ctx.checkHostname = byDefault(
          false,
          `${what} default check_hostname False`,
          'check_hostname',
        );
      }
    } else if (api === 'ssl.create_default_context') {
      const purpose = args.keywords.get('purpose')?.value ?? args.positional[0];
      const p = purpose ? memberOf(purpose, 'ssl', 'ssl.Purpose') : 'SERVER_AUTH';
      const server = p === 'CLIENT_AUTH' || p === 'Purpose.CLIENT_AUTH';
      const clientRole = p === 'SERVER_AUTH' || p === 'Purpose.SERVER_AUTH';
      if (server) {
        ctx.ctorRole = 'server';
        ctx.verifyMode = byDefault(
          'CERT_NONE',
          'create_default_context(Purpose.CLIENT_AUTH) default verify_mode CERT_NONE',
          'verify_mode',
        );
      } else if (clientRole) {
        ctx.ctorRole = 'client';
        ctx.verifyMode = byDefault(
          'CERT_REQUIRED',
          'create_default_context() default verify_mode CERT_REQUIRED',
          'verify_mode',
        );
        ctx.checkHostname = byDefault(
          true,
          'create_default_context() default check_hostname True',
          'check_hostname',
        );
      } else {
        ctx.verifyMode = unknown(
          'the purpose is not known statically',
          this.src.range(node),
          'verify_mode',
        );
        ctx.checkHostname = unknown(
          'the purpose is not known statically',
          this.src.range(node),
          'check_hostname',
        );
      }
      for (const k of ['cafile', 'capath', 'cadata']) {
        const v = args.keywords.get(k) ?? (k === 'cafile' ? undefined : undefined);
        if (v && !(v.value.kind === 'const' && v.value.value === null)) {
          ctx.caLoaded = explicit(true, this.src.range(v.node), k, this.kwRaw(v));
          if (k === 'cafile') this.material(ctx, v.value, v.node, 'trusted-ca', 'cafile');
        }
      }
      if (server && ctx.caLoaded)
        ctx.notes.clientCa = 'create_default_context(Purpose.CLIENT_AUTH) with a CA';
    } else {
      // _create_unverified_context(protocol=None, *, cert_reqs=CERT_NONE, check_hostname=False, purpose=SERVER_AUTH, ...)
      const certReqs = args.keywords.get('cert_reqs');
      const check = args.keywords.get('check_hostname');
      ctx.ctorRole = 'client';
      ctx.verifyMode = certReqs
        ? this.settingFrom(
            certReqs.value,
            this.src.range(certReqs.node),
            'cert_reqs',
            this.kwRaw(certReqs),
            (v) => {
              const m = memberOf(v, 'ssl');
              return m ? verifyModeOf(m) : undefined;
            },
          )
        : explicit<VerifyMode>(
            'CERT_NONE',
            this.src.range(node),
            'ssl._create_unverified_context()',
            'CERT_NONE',
          );
      ctx.checkHostname = check
        ? this.settingFrom(
            check.value,
            this.src.range(check.node),
            'check_hostname',
            this.kwRaw(check),
            truthy,
          )
        : byDefault(
            false,
            'ssl._create_unverified_context() default check_hostname False',
            'check_hostname',
          );
      const purpose = args.keywords.get('purpose');
      if (purpose && memberOf(purpose.value, 'ssl', 'ssl.Purpose')?.endsWith('CLIENT_AUTH'))
        ctx.ctorRole = 'server';
    }
    this.objects.push(ctx);
    return { kind: 'object', object: ctx, node };
  }

  private legacyWrapSocket(node: PyNode, fnNode: PyNode, args: CallArgs): Value {
    // ssl.wrap_socket(sock, keyfile=None, certfile=None, server_side=False, cert_reqs=CERT_NONE,
    //                 ssl_version=PROTOCOL_TLS, ca_certs=None, do_handshake_on_connect=True,
    //                 suppress_ragged_eofs=True, ciphers=None)
    const value = this.newSslContext('ssl.SSLContext', node, fnNode, {
      positional: [],
      positionalNodes: [],
      keywords: new Map(),
      splat: false,
    }) as Value & { kind: 'object' };
    const ctx = value.object as SslContextObject;
    ctx.api = 'ssl.wrap_socket';
    ctx.features = [{ feature: 'python.wrap_socket', at: this.src.range(fnNode) }];
    const kw = (name: string, position: number) =>
      args.keywords.get(name) ??
      (args.positional[position]
        ? { value: args.positional[position], node: args.positionalNodes[position]! }
        : undefined);
    const serverSide = kw('server_side', 3);
    if (serverSide && truthy(serverSide.value)) {
      ctx.ctorRole = 'server';
      ctx.usedAt = this.src.range(serverSide.node);
    } else ctx.ctorRole = 'client';
    const proto = kw('ssl_version', 5);
    if (proto) {
      const member = memberOf(proto.value, 'ssl');
      const info = member ? SSL_PROTOCOLS[member] : undefined;
      const raw = this.kwRaw(proto);
      ctx.protocolArg = info
        ? { raw, at: this.src.range(proto.node), ...(info.pinned && { pinned: info.pinned }) }
        : {
            raw,
            at: this.src.range(proto.node),
            unknownReason: `the protocol "${raw}" is not known statically`,
          };
    }
    const certReqs = kw('cert_reqs', 4);
    ctx.verifyMode = certReqs
      ? this.settingFrom(
          certReqs.value,
          this.src.range(certReqs.node),
          'cert_reqs',
          this.kwRaw(certReqs),
          (v) => {
            const m = memberOf(v, 'ssl');
            return m ? verifyModeOf(m) : undefined;
          },
        )
      : byDefault('CERT_NONE', 'ssl.wrap_socket() default cert_reqs CERT_NONE', 'cert_reqs');
    ctx.checkHostname = byDefault(
      false,
      'ssl.wrap_socket() never checks the host name',
      'check_hostname',
    );
    const ciphers = kw('ciphers', 9);
    if (ciphers) this.setCiphers(ctx, ciphers.value, ciphers.node, 'ciphers');
    const ca = kw('ca_certs', 6);
    if (ca && !(ca.value.kind === 'const' && ca.value.value === null))
      ctx.caLoaded = explicit(true, this.src.range(ca.node), 'ca_certs', this.kwRaw(ca));
    const cert = kw('certfile', 2);
    const key = kw('keyfile', 1);
    if (cert) this.material(ctx, cert.value, cert.node, 'server-certificate', 'certfile');
    if (key) this.material(ctx, key.value, key.node, 'server-key', 'keyfile');
    return value;
  }

  private newPyOpenSslContext(node: PyNode, fnNode: PyNode, args: CallArgs): Value {
    const at = this.src.range(node);
    const methodNode = args.keywords.get('method')?.node ?? args.positionalNodes[0];
    const method = args.keywords.get('method')?.value ?? args.positional[0];
    const ctx: SslContextObject = {
      type: 'ssl-context',
      flavour: 'pyopenssl',
      api: 'OpenSSL.SSL.Context',
      at,
      calleeAt: this.src.range(fnNode),
      ctorRole: 'either',
      usedAs: new Set(),
      createDefault: false,
      verifyMode: byDefault<VerifyMode>(
        'CERT_NONE',
        'pyOpenSSL contexts verify nothing until set_verify() (VERIFY_NONE)',
        'set_verify',
      ),
      checkHostname: byDefault(false, 'pyOpenSSL never checks host names', 'check_hostname'),
      options: [],
      loadsOwnCertificate: false,
      material: [],
      features: [],
      notes: {},
    };
    if (method && methodNode) {
      const m = memberOf(method, 'OpenSSL.SSL');
      const info = m ? PYOPENSSL_METHODS[m] : undefined;
      const raw = this.src.textOf(methodNode).replace(/^method\s*=\s*/, '');
      if (!info)
        ctx.protocolArg = {
          raw,
          at: this.src.range(methodNode),
          unknownReason: `the method "${raw}" is not known statically`,
        };
      else {
        ctx.protocolArg = {
          raw,
          at: this.src.range(methodNode),
          ...(info !== 'flexible' && { pinned: info }),
        };
        if (m === 'TLS_CLIENT_METHOD') ctx.ctorRole = 'client';
        if (m === 'TLS_SERVER_METHOD') ctx.ctorRole = 'server';
      }
    }
    this.objects.push(ctx);
    return { kind: 'object', object: ctx, node };
  }

  private callMethod(
    object: TrackedObject,
    method: string,
    node: PyNode,
    fnNode: PyNode,
    args: CallArgs,
  ): Value | undefined {
    if (object.type === 'library') {
      if (HTTP_VERBS.has(method)) this.libraryRequest(object, method, node, fnNode, args);
      return undefined;
    }
    const ctx = object;
    const at = this.src.range(node);
    const first = args.positional[0];
    const firstNode = args.positionalNodes[0];
    switch (method) {
      case 'set_ciphers':
      case 'set_cipher_list': {
        const v = args.keywords.get('ciphers')?.value ?? first;
        if (v) this.setCiphers(ctx, v, firstNode ?? node, method);
        return undefined;
      }
      case 'load_verify_locations': {
        const ca =
          args.keywords.get('cafile') ??
          args.keywords.get('capath') ??
          args.keywords.get('cadata') ??
          (first ? { value: first, node: firstNode! } : undefined);
        const write = explicit(true, at, 'load_verify_locations', this.short(node));
        ctx.caLoaded = mergeWrite(ctx.caLoaded, write, this.conditional);
        if (ca && (args.keywords.has('cafile') || !args.keywords.size))
          this.material(
            ctx,
            ca.value,
            ca.node,
            ctx.usedAs.has('server') || ctx.ctorRole === 'server' ? 'client-ca' : 'trusted-ca',
            'load_verify_locations',
          );
        return undefined;
      }
      case 'load_default_certs':
      case 'set_default_verify_paths':
        ctx.caLoaded = mergeWrite(
          ctx.caLoaded,
          explicit(true, at, method, this.short(node)),
          this.conditional,
        );
        return undefined;
      case 'load_cert_chain': {
        const cert =
          args.keywords.get('certfile') ?? (first ? { value: first, node: firstNode! } : undefined);
        const key =
          args.keywords.get('keyfile') ??
          (args.positional[1]
            ? { value: args.positional[1], node: args.positionalNodes[1]! }
            : undefined);
        if (cert)
          this.material(ctx, cert.value, cert.node, 'server-certificate', 'load_cert_chain');
        if (key) this.material(ctx, key.value, key.node, 'server-key', 'load_cert_chain');
        ctx.loadsOwnCertificate = true;
        return undefined;
      }
      case 'use_certificate_file':
      case 'use_certificate_chain_file':
        if (first) this.material(ctx, first, firstNode!, 'server-certificate', method);
        ctx.loadsOwnCertificate = true;
        return undefined;
      case 'use_privatekey_file':
        if (first) this.material(ctx, first, firstNode!, 'server-key', method);
        ctx.loadsOwnCertificate = true;
        return undefined;
      case 'use_certificate':
      case 'use_privatekey':
        ctx.loadsOwnCertificate = true;
        return undefined;
      case 'set_verify': {
        // pyOpenSSL: set_verify(mode, callback=None)
        const mode = args.keywords.get('mode')?.value ?? first;
        if (!mode) return undefined;
        const raw = this.src.textOf(firstNode ?? node);
        const s = this.settingFrom<VerifyMode>(mode, at, 'set_verify', raw, (v) => {
          const flags = v.kind === 'flags' ? v.items : [v];
          const names = flags.map((f) => memberOf(f, 'OpenSSL.SSL'));
          if (names.some((n) => n === undefined)) return undefined;
          if (names.includes('VERIFY_PEER'))
            return names.includes('VERIFY_FAIL_IF_NO_PEER_CERT')
              ? 'CERT_REQUIRED'
              : 'CERT_OPTIONAL';
          if (names.every((n) => n === 'VERIFY_NONE')) return 'CERT_NONE';
          return undefined;
        });
        ctx.verifyMode = mergeWrite(ctx.verifyMode, s, this.conditional);
        return undefined;
      }
      case 'set_options': {
        if (!first) return undefined;
        const flags = this.flagsOf(first);
        ctx.options.push({
          op: 'disable',
          versions: flags.versions,
          ...(flags.unknown && { unknownFlags: true }),
          at,
          raw: this.short(node),
          conditional: this.conditional,
        });
        return undefined;
      }
      case 'set_min_proto_version':
      case 'set_max_proto_version': {
        if (!first) return undefined;
        const s = this.settingFrom(first, at, method, this.src.textOf(firstNode!), (v) => {
          const m = memberOf(v, 'OpenSSL.SSL');
          if (v.kind === 'const' && v.value === 0)
            return method === 'set_min_proto_version'
              ? ('MINIMUM_SUPPORTED' as const)
              : ('MAXIMUM_SUPPORTED' as const);
          return m ? PYOPENSSL_VERSIONS[m] : undefined;
        });
        if (method === 'set_min_proto_version')
          ctx.minimum = mergeWrite(ctx.minimum, s, this.conditional);
        else ctx.maximum = mergeWrite(ctx.maximum, s, this.conditional);
        return undefined;
      }
      case 'wrap_socket':
      case 'wrap_bio': {
        const serverSide = args.keywords.get('server_side');
        if (serverSide && truthy(serverSide.value))
          this.markUse({ kind: 'object', object: ctx, node }, 'server', serverSide.node);
        else if (
          args.keywords.has('server_hostname') ||
          (serverSide && truthy(serverSide.value) === false)
        )
          this.markUse(
            { kind: 'object', object: ctx, node },
            'client',
            args.keywords.get('server_hostname')?.node ?? node,
          );
        return unknownValue('an SSL socket', node);
      }
      default:
        return undefined;
    }
  }

  private setCiphers(ctx: SslContextObject, value: Value, node: PyNode, key: string): void {
    const at = this.src.range(node);
    const alts = alternativesOf(value);
    const branches = alts.map((v) => {
      const text = v.kind === 'const' && typeof v.value === 'string' ? v.value : undefined;
      return text === undefined
        ? unknown(
            v.kind === 'unknown' ? v.reason : 'the cipher string is not known statically',
            at,
            key,
          )
        : explicit({ syntax: 'openssl' as const, text }, at, key, text);
    });
    const s: Setting<{ syntax: 'openssl'; text: string }> =
      branches.length === 1 ? branches[0]! : { origin: 'conditional', branches, at, key };
    ctx.ciphers = mergeWrite(ctx.ciphers, s, this.conditional);
  }

  /** A certificate, key or CA file named by a literal path (resolved from the file's folder). */
  private material(
    ctx: { material: MaterialRef[] },
    value: Value,
    node: PyNode,
    purpose: MaterialRef['purpose'],
    key: string,
  ): void {
    for (const v of alternativesOf(value)) {
      if (v.kind !== 'const' || typeof v.value !== 'string' || v.value === '') continue;
      if (purpose === 'trusted-ca' || purpose === 'client-ca') continue;
      ctx.material.push({
        purpose,
        path: path.resolve(path.dirname(this.src.file), v.value),
        written: v.value,
        at: this.src.range(node),
        key,
      });
    }
  }

  // --- libraries -------------------------------------------------------------------------------

  private newLibrary(
    api: string,
    library: string,
    node: PyNode,
    fnNode: PyNode,
    role: 'client' | 'server',
    recognition: LibraryObject['recognition'] = 'library',
  ): LibraryObject {
    const o: LibraryObject = {
      type: 'library',
      api,
      library,
      at: this.src.range(node),
      calleeAt: this.src.range(fnNode),
      label: `${api}()`,
      role,
      recognition,
      material: [],
      features: [],
    };
    this.objects.push(o);
    return o;
  }

  /**
   * A library's verification switch: each alternative of the value is a context (then the
   * context is a client one and the switch says nothing itself) or is mapped by `branch`.
   */
  private applySwitch(
    o: LibraryObject,
    value: Value,
    at: SourceRange,
    raw: string,
    key: string,
    branch: (v: Value) => Setting<boolean> | undefined,
  ): void {
    const branches: Array<Setting<boolean>> = [];
    for (const v of alternativesOf(value)) {
      if (v.kind === 'object' && v.object.type === 'ssl-context') this.markUse(v, 'client', v.node);
      else {
        const b = branch(v);
        if (b) branches.push(b);
      }
    }
    if (branches.length === 0) return;
    const s: Setting<boolean> =
      branches.length === 1
        ? branches[0]!
        : {
            origin: 'conditional',
            branches: branches as ConditionalSetting<boolean>['branches'],
            at,
            key,
            raw,
          };
    o.peerVerification = mergeWrite(o.peerVerification, s, this.conditional);
  }

  /** verify=False / verify=ctx / verify="ca.pem" (requests, httpx). */
  private applyVerify(
    o: LibraryObject,
    value: Value,
    at: SourceRange,
    raw: string,
    key: string,
  ): void {
    this.applySwitch(o, value, at, raw, key, (v) => {
      if (v.kind !== 'const')
        return unknown(
          v.kind === 'unknown' ? v.reason : `"${raw}" is not known statically`,
          at,
          key,
        );
      if (typeof v.value === 'string') o.trustedCa = explicit(true, at, key, raw);
      return explicit(typeof v.value === 'string' || truthy(v) !== false, at, key, raw);
    });
  }

  /** aiohttp `ssl=` (False skips verification, a context is used as is, a Fingerprint pins). */
  private applyAiohttpSsl(
    o: LibraryObject,
    value: Value,
    at: SourceRange,
    raw: string,
    key: string,
  ): void {
    this.applySwitch(o, value, at, raw, key, (v) => {
      if (v.kind === 'const')
        return v.value === false || v.value === true || v.value === null
          ? explicit(v.value !== false, at, key, raw)
          : undefined;
      if (v.kind === 'name' && memberOf(v, 'aiohttp')?.endsWith('Fingerprint'))
        return explicit(true, at, key, raw);
      return unknown(v.kind === 'unknown' ? v.reason : `"${raw}" is not known statically`, at, key);
    });
  }

  private kwRange(k: { node: PyNode }): SourceRange {
    return this.src.range(k.node);
  }

  /** The value of a keyword argument as written (`verify=False` → `False`). */
  private kwRaw(k: { node: PyNode }): string {
    return this.src.textOf(k.node).replace(/^\w+\s*=(?!=)\s*/, '');
  }

  private libraryCall(
    name: string,
    node: PyNode,
    fnNode: PyNode,
    args: CallArgs,
    _at: SourceRange,
    _calleeAt: SourceRange,
  ): Value | undefined {
    const parts = name.split('.');
    const lib = parts[0]!;
    const last = parts[parts.length - 1]!;
    // requests / httpx module functions and clients
    if ((lib === 'requests' || lib === 'httpx') && parts.length === 2 && HTTP_VERBS.has(last)) {
      const o = this.newLibrary(name, lib, node, fnNode, 'client');
      this.requestKeywords(o, args);
      return unknownValue('a response', node);
    }
    if (
      (lib === 'requests' && (last === 'Session' || last === 'session')) ||
      (lib === 'httpx' && (last === 'Client' || last === 'AsyncClient'))
    ) {
      const o = this.newLibrary(name, lib, node, fnNode, 'client');
      o.session = true;
      this.requestKeywords(o, args);
      return { kind: 'object', object: o, node };
    }
    if (lib === 'aiohttp') {
      if (
        last === 'TCPConnector' ||
        last === 'ClientSession' ||
        (parts.length === 2 && (last === 'request' || HTTP_VERBS.has(last)))
      ) {
        const o = this.newLibrary(name, 'aiohttp', node, fnNode, 'client');
        o.session = last !== 'request';
        this.aiohttpKeywords(o, args);
        return last === 'request'
          ? unknownValue('a response', node)
          : { kind: 'object', object: o, node };
      }
    }
    if (
      lib === 'urllib3' &&
      [
        'PoolManager',
        'HTTPSConnectionPool',
        'ProxyManager',
        'connection_from_url',
        'proxy_from_url',
        'request',
      ].includes(last)
    ) {
      const o = this.newLibrary(name, 'urllib3', node, fnNode, 'client');
      this.urllib3Keywords(o, args);
      return { kind: 'object', object: o, node };
    }
    if (name === 'http.client.HTTPSConnection') {
      const check = args.keywords.get('check_hostname');
      if (check) {
        const o = this.newLibrary(name, 'http.client', node, fnNode, 'client');
        o.recognition = 'known-api';
        o.hostnameVerification = this.settingFrom(
          check.value,
          this.kwRange(check),
          'check_hostname',
          this.kwRaw(check),
          truthy,
        );
      }
      return unknownValue('a connection', node);
    }
    if (name === 'grpc.ssl_channel_credentials') return unknownValue('channel credentials', node);
    return undefined;
  }

  private requestKeywords(o: LibraryObject, args: CallArgs): void {
    const verify = args.keywords.get('verify');
    if (verify)
      this.applyVerify(o, verify.value, this.kwRange(verify), this.kwRaw(verify), 'verify');
  }

  private aiohttpKeywords(o: LibraryObject, args: CallArgs): void {
    for (const key of ['ssl', 'ssl_context', 'verify_ssl']) {
      const k = args.keywords.get(key);
      if (!k) continue;
      if (key === 'verify_ssl')
        o.features.push({
          feature: 'python.aiohttp-verify-ssl',
          at: this.kwRange(k),
          detail: this.kwRaw(k),
        });
      if (key === 'ssl_context')
        o.features.push({
          feature: 'python.aiohttp-ssl-context',
          at: this.kwRange(k),
          detail: this.kwRaw(k),
        });
      this.applyAiohttpSsl(o, k.value, this.kwRange(k), this.kwRaw(k), key);
    }
  }

  private urllib3Keywords(o: LibraryObject, args: CallArgs): void {
    const certReqs = args.keywords.get('cert_reqs');
    if (certReqs) {
      o.peerVerification = this.settingFrom(
        certReqs.value,
        this.kwRange(certReqs),
        'cert_reqs',
        this.kwRaw(certReqs),
        (v) => {
          const m =
            v.kind === 'const' && typeof v.value === 'string'
              ? urllib3CertReqs(v.value)
              : memberOf(v, 'ssl')
                ? verifyModeOf(memberOf(v, 'ssl')!)
                : undefined;
          return m === undefined ? undefined : m !== 'CERT_NONE';
        },
      );
    }
    const assertHostname = args.keywords.get('assert_hostname');
    if (assertHostname) {
      o.hostnameVerification = this.settingFrom(
        assertHostname.value,
        this.kwRange(assertHostname),
        'assert_hostname',
        this.kwRaw(assertHostname),
        (v) => (v.kind === 'const' ? (v.value === false ? false : true) : undefined),
      );
    }
    const ctx = args.keywords.get('ssl_context');
    if (ctx) this.markUse(ctx.value, 'client', ctx.node);
    const version = args.keywords.get('ssl_version');
    const min = args.keywords.get('ssl_minimum_version');
    if (version) {
      const m = memberOf(version.value, 'ssl');
      const info = m ? SSL_PROTOCOLS[m] : undefined;
      if (info?.pinned)
        o.protocols = explicit(
          [info.pinned],
          this.kwRange(version),
          'ssl_version',
          this.kwRaw(version),
        );
    }
    if (min) {
      const m = memberOf(min.value, 'ssl.TLSVersion');
      const v = m ? tlsVersionMember(m) : undefined;
      if (v && v !== 'MAXIMUM_SUPPORTED') {
        const from = v === 'MINIMUM_SUPPORTED' ? 'TLSv1.0' : v;
        const all: ProtocolVersion[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
        o.protocols = explicit(
          all.slice(all.indexOf(from)),
          this.kwRange(min),
          'ssl_minimum_version',
          this.kwRaw(min),
        );
      }
    }
    const ciphers = args.keywords.get('ciphers');
    if (ciphers && ciphers.value.kind === 'const' && typeof ciphers.value.value === 'string')
      o.ciphers = explicit(
        { syntax: 'openssl', text: ciphers.value.value },
        this.kwRange(ciphers),
        'ciphers',
        ciphers.value.value,
      );
  }

  /** session.get(url, verify=False) on a known session, or on a receiver the reader cannot see. */
  private libraryRequest(
    session: LibraryObject,
    method: string,
    node: PyNode,
    fnNode: PyNode,
    args: CallArgs,
  ): void {
    const verify = args.keywords.get('verify');
    const ssl =
      args.keywords.get('ssl') ??
      args.keywords.get('verify_ssl') ??
      args.keywords.get('ssl_context');
    if (session.library === 'aiohttp') {
      if (!ssl) return;
      const o = this.newLibrary(`${session.api}().${method}`, 'aiohttp', node, fnNode, 'client');
      this.aiohttpKeywords(o, args);
      return;
    }
    if (!verify) return;
    const o = this.newLibrary(
      `${session.api}().${method}`,
      session.library,
      node,
      fnNode,
      'client',
    );
    this.applyVerify(o, verify.value, this.kwRange(verify), this.kwRaw(verify), 'verify');
  }

  private unknownReceiverCall(method: string, node: PyNode, fnNode: PyNode, args: CallArgs): Value {
    if (HTTP_VERBS.has(method)) {
      const verify = args.keywords.get('verify');
      const ssl = args.keywords.get('ssl') ?? args.keywords.get('verify_ssl');
      const receiver = this.short(field(fnNode, 'object')!);
      const mayBeFalse = (k: typeof verify) =>
        k !== undefined &&
        alternativesOf(k.value).some((v) => v.kind === 'const' && v.value === false);
      const verifyOff = mayBeFalse(verify);
      if (verifyOff || mayBeFalse(ssl)) {
        const o = this.newLibrary(
          `${receiver}.${method}`,
          'http client',
          node,
          fnNode,
          'client',
          'heuristic',
        );
        if (verifyOff && verify)
          this.applyVerify(o, verify.value, this.kwRange(verify), this.kwRaw(verify), 'verify');
        else this.aiohttpKeywords(o, args);
      }
      // verify=ctx / ssl=ctx on an unseen client: the context is a client one
      for (const k of [verify, ssl]) if (k) this.markUse(k.value, 'client', k.node);
    }
    // requests Session.mount(prefix, adapter): the adapter's context is tracked where it is built
    // (an init_poolmanager that passes ssl_context=ctx marks ctx as a client context).
    for (const k of ['ssl', 'ssl_context', 'context']) {
      const v = args.keywords.get(k);
      if (!v) continue;
      const loopRole = LOOP_METHODS[method];
      const role =
        loopRole ?? (/serve|server|listen|run_app|TCPSite/i.test(method) ? 'server' : 'client');
      this.markUse(v.value, role, v.node);
    }
    return unknownValue(`the result of ${method}()`, node);
  }

  private grpcServerCredentials(
    node: PyNode,
    fnNode: PyNode,
    args: CallArgs,
    _frame: Frame,
  ): Value {
    // ssl_server_credentials(private_key_certificate_chain_pairs, root_certificates=None, require_client_auth=False)
    const o = this.newLibrary('grpc.ssl_server_credentials', 'grpc', node, fnNode, 'server');
    o.label = 'grpc.ssl_server_credentials()';
    o.recognition = 'known-api';
    const roots =
      args.keywords.get('root_certificates') ??
      (args.positional[1]
        ? { value: args.positional[1], node: args.positionalNodes[1]! }
        : undefined);
    const require =
      args.keywords.get('require_client_auth') ??
      (args.positional[2]
        ? { value: args.positional[2], node: args.positionalNodes[2]! }
        : undefined);
    if (roots) {
      const given = alternativesOf(roots.value).map((v) =>
        v.kind === 'const' && v.value === null
          ? false
          : v.kind === 'unknown' && /None/.test(v.reason)
            ? undefined
            : true,
      );
      if (given.every((g) => g === true))
        o.clientCa = explicit(
          true,
          this.kwRange(roots),
          'root_certificates',
          this.short(roots.node),
        );
      else if (given.some((g) => g === true))
        o.clientCa = {
          origin: 'conditional',
          at: this.kwRange(roots),
          key: 'root_certificates',
          branches: given.map((g) =>
            g === undefined
              ? unknown('not known statically', this.kwRange(roots), 'root_certificates')
              : explicit(g, this.kwRange(roots), 'root_certificates'),
          ),
        };
    }
    if (require) {
      o.clientAuth = this.settingFrom(
        require.value,
        this.kwRange(require),
        'require_client_auth',
        this.kwRaw(require),
        (v) => {
          const t = truthy(v);
          return t === undefined ? undefined : t ? 'required' : 'none';
        },
      );
    } else {
      o.clientAuth = byDefault(
        'none',
        'grpc.ssl_server_credentials() default require_client_auth=False (client certificates are not requested)',
        'require_client_auth',
      );
    }
    o.clientVerify = byDefault('ca', 'gRPC verifies client certificates against root_certificates');
    return { kind: 'object', object: o, node };
  }

  // --- process-wide switches -------------------------------------------------------------------

  private processWideContext(value: Value, target: PyNode, valueNode: PyNode): void {
    const at = this.src.range(target, valueNode);
    for (const v of alternativesOf(value)) {
      if (v.kind === 'name' && v.path === 'ssl._create_unverified_context') {
        const o = this.newLibrary(
          'ssl._create_default_https_context',
          'ssl',
          target,
          target,
          'client',
        );
        o.recognition = 'known-api';
        o.scope = 'process';
        o.at = at;
        o.label = 'every urllib.request / http.client HTTPS connection of the process';
        o.peerVerification = explicit(
          false,
          at,
          'ssl._create_default_https_context',
          this.src.textOf(valueNode),
        );
      } else if (v.kind === 'object' && v.object.type === 'ssl-context') {
        v.object.processWide = at;
        v.object.usedAs.add('client');
      } else if (v.kind === 'function') {
        const r = this.callFunction(v, undefined, 0);
        for (const x of alternativesOf(r))
          if (x.kind === 'object' && x.object.type === 'ssl-context') {
            x.object.processWide = at;
            x.object.usedAs.add('client');
          }
      }
    }
  }

  private envWrite(name: string, value: Value, target: PyNode, valueNode: PyNode): void {
    const at = this.src.range(target, valueNode);
    for (const v of alternativesOf(value)) {
      const text =
        v.kind === 'const'
          ? v.value === null
            ? undefined
            : String(v.value === false ? 'False' : v.value === true ? 'True' : v.value)
          : undefined;
      if (text === undefined) continue;
      const effect = processEnvSwitch(name, text, this.options.targets);
      if (!effect) continue;
      if (effect.notice) this.notices.push(effect.notice);
      if (!effect.peerVerification) continue;
      const o = this.newLibrary(`os.environ["${name}"]`, effect.library, target, target, 'client');
      o.recognition = 'known-api';
      o.scope = 'process';
      o.at = at;
      o.label = effect.label;
      o.peerVerification = effect.peerVerification(at, this.src.textOf(valueNode));
    }
  }
}
