/**
 * Walks the Go files of one package and finds the `tls.Config` values they build and where they
 * are used. Statements are followed in source order per function, so later field writes, clones
 * and uses apply to the right value. Knows Go's syntax and the TLS-carrying APIs of the standard
 * library and grpc; knows nothing of what is weak (that is the rules' job).
 */
import type { SourceRange } from '../../model/location.js';
import { namedChildren, type ParsedSource, type SyntaxNode } from '../tree-sitter/index.js';
import {
  TLS_CONSTANTS,
  UNKNOWN,
  goStringValue,
  parseGoInt,
  type ConfigObject,
  type FieldAlternatives,
  type GoValue,
} from './values.js';

const TLS = 'crypto/tls';
const HTTP = 'net/http';
const GRPC = 'google.golang.org/grpc';
const GRPC_CREDS = 'google.golang.org/grpc/credentials';
const HTTP2 = 'golang.org/x/net/http2';
const HTTPTEST = 'net/http/httptest';

/** One parsed file of the package. */
export interface PackageFile {
  path: string;
  parsed: ParsedSource;
  /** import name → import path. */
  imports: Map<string, string>;
}

interface Scope {
  vars: Map<string, GoValue>;
  parent?: Scope;
}

/** Where a statement runs relative to the function body: inside an if/for/switch/select or not. */
interface Frame {
  scope: Scope;
  file: PackageFile;
  /** Nesting of conditional blocks at this point. */
  conditional: number;
  /** The function's returned values (for configs made by local functions). */
  returns: GoValue[];
}

function importName(spec: SyntaxNode): { name: string; path: string } | undefined {
  const pathNode = spec.childForFieldName('path');
  if (!pathNode) return undefined;
  const p = goStringValue(pathNode) ?? '';
  const nameNode = spec.childForFieldName('name');
  const name =
    nameNode?.text ??
    p
      .split('/')
      .pop()!
      .replace(/^go-/, '')
      .replace(/\.v\d+$/, '');
  return { name, path: p };
}

export function fileImports(root: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const decl of namedChildren(root)) {
    if (decl.type !== 'import_declaration') continue;
    const specs = decl.descendantsOfType('import_spec').filter((s): s is SyntaxNode => !!s);
    for (const s of specs) {
      const imp = importName(s);
      if (imp && imp.name !== '_' && imp.name !== '.') out.set(imp.name, imp.path);
    }
  }
  return out;
}

export class PackageReader {
  private nextId = 1;
  readonly configs: ConfigObject[] = [];
  /** Package-level names: const/var value nodes and function declarations. */
  private readonly globals = new Map<
    string,
    { node: SyntaxNode; file: PackageFile; kind: 'value' | 'func' | 'var-typed'; index?: number }
  >();
  private readonly globalValues = new Map<string, GoValue>();
  private readonly funcResults = new Map<string, GoValue>();
  /** Method declarations by name (a call `x.name()` is followed when the name is unique in the package). */
  private readonly methods = new Map<string, Array<{ node: SyntaxNode; file: PackageFile }>>();
  private readonly methodResults = new Map<SyntaxNode['id'], GoValue>();
  private readonly evaluating = new Set<string>();
  private readonly packageScope: Scope = { vars: new Map() };

  /**
   * `external(importPath, name)`: an exported function result or package-level value of another
   * package of the same module (read on demand), or undefined when the reader does not have it.
   */
  constructor(
    private readonly files: PackageFile[],
    private readonly external?: (importPath: string, name: string) => GoValue | undefined,
  ) {}

  /** The exported functions' results and package-level values, for the packages that import this one. */
  exports(): Map<string, GoValue> {
    const out = new Map<string, GoValue>();
    for (const [name, v] of this.globalValues)
      if (/^\p{Lu}/u.test(name) && v.k !== 'func') out.set(name, v);
    for (const [name, v] of this.funcResults) if (/^\p{Lu}/u.test(name)) out.set(name, v);
    return out;
  }

  read(): ConfigObject[] {
    for (const f of this.files) this.collectGlobals(f);
    // Package-level vars are initialised before any function runs.
    for (const [name, g] of this.globals) if (g.kind !== 'func') this.globalValue(name);
    for (const f of this.files) {
      for (const decl of namedChildren(f.parsed.root)) {
        if (decl.type === 'function_declaration')
          this.callLocal(decl.childForFieldName('name')?.text ?? '');
        else if (decl.type === 'method_declaration') this.callMethod(decl, f);
      }
    }
    return this.configs;
  }

  // --- package level -------------------------------------------------------------------------

  private collectGlobals(f: PackageFile): void {
    for (const decl of namedChildren(f.parsed.root)) {
      if (decl.type === 'const_declaration' || decl.type === 'var_declaration') {
        for (const spec of [
          ...decl.descendantsOfType('const_spec'),
          ...decl.descendantsOfType('var_spec'),
        ]) {
          if (!spec) continue;
          const names = spec.childrenForFieldName('name').filter((n): n is SyntaxNode => !!n);
          const values = spec.childForFieldName('value');
          names.forEach((n, i) => {
            const v = values ? namedChildren(values)[i] : undefined;
            if (v) this.globals.set(n.text, { node: v, file: f, kind: 'value' });
            else if (spec.childForFieldName('type'))
              this.globals.set(n.text, {
                node: spec.childForFieldName('type')!,
                file: f,
                kind: 'var-typed',
              });
          });
        }
      } else if (decl.type === 'function_declaration') {
        const name = decl.childForFieldName('name')?.text;
        if (name) this.globals.set(name, { node: decl, file: f, kind: 'func' });
      } else if (decl.type === 'method_declaration') {
        const name = decl.childForFieldName('name')?.text;
        if (name)
          this.methods.set(name, [...(this.methods.get(name) ?? []), { node: decl, file: f }]);
      }
    }
  }

  private globalValue(name: string): GoValue | undefined {
    const cached = this.globalValues.get(name);
    if (cached) return cached;
    const g = this.globals.get(name);
    if (!g) return undefined;
    if (this.evaluating.has(`global:${name}`)) return UNKNOWN(`"${name}" refers to itself`);
    this.evaluating.add(`global:${name}`);
    const frame: Frame = { scope: this.packageScope, file: g.file, conditional: 0, returns: [] };
    let v: GoValue;
    if (g.kind === 'func') v = { k: 'func', node: g.node, trivial: false };
    else if (g.kind === 'var-typed')
      v = this.zeroValue(g.node, frame) ?? UNKNOWN(`"${name}" has no value here`);
    else v = this.eval(g.node, frame);
    this.evaluating.delete(`global:${name}`);
    this.globalValues.set(name, v);
    return v;
  }

  // --- functions -----------------------------------------------------------------------------

  private runFunction(decl: SyntaxNode, f: PackageFile, name: string): GoValue {
    const body = decl.childForFieldName('body');
    const frame: Frame = {
      scope: { vars: new Map(), parent: this.packageScope },
      file: f,
      conditional: 0,
      returns: [],
    };
    for (const p of decl
      .childForFieldName('parameters')
      ?.descendantsOfType('parameter_declaration') ?? []) {
      for (const n of p?.childrenForFieldName('name') ?? [])
        if (n) frame.scope.vars.set(n.text, UNKNOWN(`parameter "${n.text}" of ${name}()`));
    }
    if (body) this.block(body, frame);
    const cfg = frame.returns.find((r) => r.k === 'cfg' || r.k === 'creds' || r.k === 'struct');
    if (cfg) return cfg;
    // Without a config among them, the result is known only when every return says the same.
    const first = frame.returns[0];
    if (first && frame.returns.every((r) => sameScalar(r, first))) return first;
    return UNKNOWN(`the result of ${name}()`);
  }

  /** The value a local function returns (interpreted once; a config it builds is shared by its callers). */
  private callLocal(name: string): GoValue | undefined {
    const g = this.globals.get(name);
    if (!g || g.kind !== 'func') return undefined;
    const cached = this.funcResults.get(name);
    if (cached) return cached;
    if (this.evaluating.has(`func:${name}`)) return UNKNOWN(`recursive call of ${name}()`);
    this.evaluating.add(`func:${name}`);
    const v = this.runFunction(g.node, g.file, name);
    this.evaluating.delete(`func:${name}`);
    this.funcResults.set(name, v);
    return v;
  }

  /** A method's result, interpreted once (a config it builds is shared by its callers). */
  private callMethod(decl: SyntaxNode, file: PackageFile): GoValue {
    const cached = this.methodResults.get(decl.id);
    if (cached) return cached;
    const name = decl.childForFieldName('name')?.text ?? 'method';
    const key = `method:${file.path}:${decl.startIndex}`;
    if (this.evaluating.has(key)) return UNKNOWN(`recursive call of ${name}()`);
    this.evaluating.add(key);
    const v = this.runFunction(decl, file, name);
    this.evaluating.delete(key);
    this.methodResults.set(decl.id, v);
    return v;
  }

  private block(node: SyntaxNode, frame: Frame): void {
    for (const stmt of namedChildren(node)) this.statement(stmt, frame);
  }

  private statement(s: SyntaxNode, frame: Frame): void {
    switch (s.type) {
      case 'statement_list':
      case 'block': {
        this.block(s, frame);
        return;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        this.assignment(s, frame);
        return;
      }
      case 'var_declaration':
      case 'const_declaration':
        for (const spec of [
          ...s.descendantsOfType('var_spec'),
          ...s.descendantsOfType('const_spec'),
        ])
          if (spec) this.localSpec(spec, frame);
        return;
      case 'expression_statement':
      case 'go_statement':
      case 'defer_statement':
        for (const c of namedChildren(s)) this.eval(c, frame);
        return;
      case 'return_statement': {
        const list = namedChildren(s)[0];
        const values = list ? (list.type === 'expression_list' ? namedChildren(list) : [list]) : [];
        for (const v of values) frame.returns.push(this.eval(v, frame));
        return;
      }
      case 'if_statement':
      case 'for_statement':
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement': {
        const inner: Frame = {
          ...frame,
          scope: { vars: new Map(), parent: frame.scope },
          conditional: frame.conditional + 1,
        };
        for (const c of namedChildren(s)) {
          if (
            c.type === 'block' ||
            c.type.endsWith('_case') ||
            c.type === 'default_case' ||
            c.type === 'communication_case'
          )
            this.conditionalBody(c, inner);
          else if (c.type === 'if_statement') this.statement(c, inner);
          else if (c.type === 'short_var_declaration' || c.type === 'assignment_statement')
            this.statement(c, inner);
          else if (c.type === 'for_clause' || c.type === 'range_clause') continue;
          else this.eval(c, inner);
        }
        return;
      }
      case 'labeled_statement':
        for (const c of namedChildren(s)) this.statement(c, frame);
        return;
      default:
        return;
    }
  }

  private conditionalBody(node: SyntaxNode, frame: Frame): void {
    for (const c of namedChildren(node)) {
      if (c.type === 'block' || c.type === 'statement_list') this.block(c, frame);
      else this.statement(c, frame);
    }
  }

  private localSpec(spec: SyntaxNode, frame: Frame): void {
    const names = spec.childrenForFieldName('name').filter((n): n is SyntaxNode => !!n);
    const values = spec.childForFieldName('value');
    const type = spec.childForFieldName('type');
    names.forEach((n, i) => {
      const v = values ? namedChildren(values)[i] : undefined;
      if (v) frame.scope.vars.set(n.text, this.eval(v, frame));
      else if (type)
        frame.scope.vars.set(
          n.text,
          this.zeroValue(type, frame) ?? UNKNOWN(`"${n.text}" is declared without a value`),
        );
    });
  }

  /** `var c tls.Config` / `var srv http.Server`: a zero value the reader tracks. */
  private zeroValue(type: SyntaxNode, frame: Frame): GoValue | undefined {
    // `var c *tls.Config` is a nil pointer, not a config
    if (type.type === 'pointer_type') return { k: 'nil' };
    const t = this.typeName(type, frame.file);
    if (t === `${TLS}.Config`)
      return { k: 'cfg', obj: this.newConfig(frame.file, type.parent ?? type, 'var') };
    if (t && STRUCTS.has(t)) return { k: 'struct', type: t, fields: new Map() };
    return undefined;
  }

  private assignment(s: SyntaxNode, frame: Frame): void {
    const left = s.childForFieldName('left');
    const right = s.childForFieldName('right');
    if (!left || !right) return;
    const lhs = namedChildren(left);
    const rhs = namedChildren(right);
    const op = s.children.find((c) => c && !c.isNamed && /=/.test(c.type))?.type ?? '=';
    const values =
      rhs.length === lhs.length
        ? rhs.map((r) => this.eval(r, frame))
        : rhs.length === 1
          ? this.multi(rhs[0]!, frame, lhs.length)
          : lhs.map(() => UNKNOWN('unmatched assignment'));
    lhs.forEach((l, i) => {
      const v = op === '=' || op === ':=' ? values[i]! : UNKNOWN(`"${l.text} ${op}" is computed`);
      if (l.type === 'identifier') {
        if (l.text === '_') return;
        const binding =
          s.type === 'short_var_declaration'
            ? frame.scope
            : (this.scopeOf(l.text, frame) ?? frame.scope);
        // A value reassigned in a branch is no longer certain outside it.
        if (
          frame.conditional > 0 &&
          s.type !== 'short_var_declaration' &&
          binding !== frame.scope
        ) {
          const prev = binding.vars.get(l.text);
          if (prev && !(prev.k === 'cfg' && v.k === 'cfg' && prev.obj === v.obj))
            binding.vars.set(l.text, UNKNOWN(`"${l.text}" is assigned in a branch`));
          this.escapeIfConfig(v);
          return;
        }
        binding.vars.set(l.text, v);
      } else if (l.type === 'selector_expression') {
        this.fieldWrite(l, rhs[i] ?? rhs[0]!, v, s, frame);
      } else if (l.type === 'index_expression' || l.type === 'unary_expression') {
        this.escapeIfConfig(v);
      }
    });
  }

  /** `cert, err := tls.LoadX509KeyPair(...)`: the first value is the call's, the rest unknown. */
  private multi(node: SyntaxNode, frame: Frame, n: number): GoValue[] {
    const first = this.eval(node, frame);
    return [first, ...Array.from({ length: n - 1 }, () => UNKNOWN('a second result'))];
  }

  private scopeOf(name: string, frame: Frame): Scope | undefined {
    for (let s: Scope | undefined = frame.scope; s; s = s.parent) if (s.vars.has(name)) return s;
    return undefined;
  }

  private lookup(name: string, frame: Frame): GoValue | undefined {
    const scope = this.scopeOf(name, frame);
    if (scope) return scope.vars.get(name);
    return this.globalValue(name);
  }

  // --- field writes and uses -------------------------------------------------------------------

  private fieldWrite(
    target: SyntaxNode,
    valueNode: SyntaxNode,
    value: GoValue,
    stmt: SyntaxNode,
    frame: Frame,
  ): void {
    const operand = target.childForFieldName('operand');
    const field = target.childForFieldName('field')?.text;
    if (!operand || !field) return;
    const owner = this.eval(operand, frame);
    const at = frame.file.parsed.range(stmt);
    if (owner.k === 'cfg') {
      this.setField(owner.obj, field, value, valueNode, at, frame);
    } else if (owner.k === 'struct') {
      owner.fields.set(field, value);
      this.structFieldUse(owner.type, field, value, at);
    } else {
      // `x.TLSClientConfig = cfg` on a value the reader does not know: the name says the role.
      if (field === 'TLSClientConfig' && value.k === 'cfg')
        this.use(value.obj, 'client', `${operand.text}.TLSClientConfig`, at);
      else this.escapeIfConfig(value);
    }
  }

  private setField(
    obj: ConfigObject,
    field: string,
    value: GoValue,
    valueNode: SyntaxNode,
    at: SourceRange,
    frame: Frame,
  ): void {
    const write = { value, raw: valueNode.text, at, valueAt: frame.file.parsed.range(valueNode) };
    if (frame.conditional > 0 && obj.made !== 'implicit') {
      const prev: FieldAlternatives = obj.fields.get(field) ?? [{ absent: true }];
      obj.fields.set(field, [...prev, write]);
    } else {
      obj.fields.set(field, [write]);
    }
  }

  private use(obj: ConfigObject, role: 'server' | 'client', api: string, at: SourceRange): void {
    if (!obj.uses.some((u) => u.role === role && u.api === api)) obj.uses.push({ role, api, at });
  }

  private escapeIfConfig(v: GoValue): void {
    if (v.k === 'cfg') v.obj.escapes = true;
    if (v.k === 'creds' && v.obj) v.obj.escapes = true;
  }

  /** A TLS-carrying field of a known struct: http.Server TLSConfig, http.Transport TLSClientConfig, tls.Dialer Config. */
  private structFieldUse(type: string, field: string, value: GoValue, at: SourceRange): void {
    if (value.k !== 'cfg') return;
    const role = STRUCTS.get(type)?.[field];
    const short = type.replace(/^.*\//, '');
    if (role) this.use(value.obj, role, `${short}{${field}}`, at);
    else value.obj.escapes = true;
  }

  // --- expressions -----------------------------------------------------------------------------

  eval(node: SyntaxNode, frame: Frame): GoValue {
    switch (node.type) {
      case 'parenthesized_expression':
      case 'literal_element': {
        const inner = namedChildren(node)[0];
        return inner ? this.eval(inner, frame) : UNKNOWN('empty');
      }
      case 'int_literal': {
        const n = parseGoInt(node.text);
        return n === undefined ? UNKNOWN(`"${node.text}"`) : { k: 'int', v: n };
      }
      case 'true':
        return { k: 'bool', v: true };
      case 'false':
        return { k: 'bool', v: false };
      case 'nil':
        return { k: 'nil' };
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return { k: 'str', v: goStringValue(node) ?? '' };
      case 'identifier': {
        const v = this.lookup(node.text, frame);
        return v ?? UNKNOWN(`"${node.text}" is not defined in this package`);
      }
      case 'selector_expression':
        return this.selector(node, frame);
      case 'unary_expression': {
        const operand = node.childForFieldName('operand');
        const op = node.children[0]?.type;
        if (!operand) return UNKNOWN(node.text);
        const v = this.eval(operand, frame);
        if (op === '&' || op === '*') return v;
        if (op === '!' && v.k === 'bool') return { k: 'bool', v: !v.v };
        return UNKNOWN(`"${node.text}" is computed`);
      }
      case 'binary_expression': {
        const a = this.eval(node.childForFieldName('left')!, frame);
        const b = this.eval(node.childForFieldName('right')!, frame);
        const op = node.childForFieldName('operator')?.type ?? node.children[1]?.type;
        if (a.k === 'int' && b.k === 'int') {
          if (op === '|') return { k: 'int', v: a.v | b.v };
          if (op === '+') return { k: 'int', v: a.v + b.v };
        }
        if (a.k === 'str' && b.k === 'str' && op === '+') return { k: 'str', v: a.v + b.v };
        return UNKNOWN(`"${node.text}" is computed`);
      }
      case 'composite_literal':
        return this.composite(node, frame);
      case 'func_literal': {
        // A closure's body runs some time later: configs it builds are still configs.
        const body = node.childForFieldName('body');
        if (body)
          this.block(body, {
            ...frame,
            scope: { vars: new Map(), parent: frame.scope },
            returns: [],
          });
        return { k: 'func', node, trivial: trivialVerifier(node) };
      }
      case 'call_expression':
        return this.call(node, frame);
      case 'type_assertion_expression': {
        const operand = node.childForFieldName('operand');
        const type = node.childForFieldName('type');
        const t = type ? this.typeName(type, frame.file) : undefined;
        if (operand && t && STRUCTS.has(t)) {
          const v = this.eval(operand, frame);
          // http.DefaultTransport.(*http.Transport): the process-wide default transport
          return v.k === 'struct' ? v : { k: 'struct', type: t, fields: new Map() };
        }
        return UNKNOWN(`"${node.text}"`);
      }
      default:
        return UNKNOWN(`"${truncate(node.text)}" is computed at run time`);
    }
  }

  private selector(node: SyntaxNode, frame: Frame): GoValue {
    const operand = node.childForFieldName('operand');
    const field = node.childForFieldName('field')?.text ?? '';
    if (!operand) return UNKNOWN(node.text);
    if (
      operand.type === 'identifier' &&
      !this.scopeOf(operand.text, frame) &&
      !this.globals.has(operand.text)
    ) {
      const pkg = frame.file.imports.get(operand.text);
      if (pkg === TLS) {
        const n = TLS_CONSTANTS[field];
        if (n !== undefined) return { k: 'int', v: n, name: field };
        if (/^TLS_/.test(field)) return { k: 'int', v: -1, name: field };
        return { k: 'opaque', what: `tls.${field}` };
      }
      if (pkg === HTTP && field === 'DefaultTransport')
        return { k: 'struct', type: `${HTTP}.Transport`, fields: new Map() };
      const value = pkg ? this.external?.(pkg, field) : undefined;
      if (value && value.k !== 'func') return value;
      if (pkg) return { k: 'opaque', what: `${operand.text}.${field}` };
    }
    const owner = this.eval(operand, frame);
    if (owner.k === 'cfg') {
      const alts = owner.obj.fields.get(field);
      const only = alts?.length === 1 ? alts[0] : undefined;
      if (only && !('absent' in only)) return only.value;
      return UNKNOWN(`"${node.text}" read back from the config`);
    }
    if (owner.k === 'struct') return owner.fields.get(field) ?? UNKNOWN(`"${node.text}"`);
    return UNKNOWN(`"${truncate(node.text)}" is computed at run time`);
  }

  private composite(node: SyntaxNode, frame: Frame): GoValue {
    const typeNode = node.childForFieldName('type');
    return this.compositeOf(
      typeNode ?? undefined,
      node.childForFieldName('body') ?? undefined,
      node,
      frame,
    );
  }

  /**
   * A composite literal of a type (`tls.Config{…}`, `[]*http.Transport{…}`); `typeNode` is the
   * element type of the enclosing slice for an elided `{…}` element.
   */
  private compositeOf(
    typeNode: SyntaxNode | undefined,
    body: SyntaxNode | undefined,
    node: SyntaxNode,
    frame: Frame,
  ): GoValue {
    const t = typeNode ? this.typeName(typeNode, frame.file) : undefined;
    if (t === `${TLS}.Config`) {
      const obj = this.newConfig(frame.file, node, 'literal');
      for (const el of body ? namedChildren(body) : []) {
        if (el.type !== 'keyed_element') continue;
        const [k, v] = namedChildren(el);
        if (!k || !v) continue;
        const value = this.eval(v, frame);
        obj.fields.set(k.text, [
          {
            value,
            raw: v.text,
            at: frame.file.parsed.range(el),
            valueAt: frame.file.parsed.range(v),
          },
        ]);
      }
      return { k: 'cfg', obj };
    }
    if (
      typeNode &&
      (typeNode.type === 'slice_type' ||
        typeNode.type === 'array_type' ||
        typeNode.type === 'implicit_length_array_type')
    ) {
      const element = typeNode.childForFieldName('element') ?? undefined;
      const items = (body ? namedChildren(body) : [])
        .filter((e) => e.type === 'literal_element')
        .map((e) => {
          // `[]*http.Transport{{TLSClientConfig: …}}`: an element whose type is elided
          const inner = namedChildren(e)[0];
          const value =
            inner?.type === 'literal_value'
              ? this.compositeOf(element, inner, inner, frame)
              : this.eval(e, frame);
          return { value, raw: e.text, at: frame.file.parsed.range(e) };
        });
      return { k: 'list', items };
    }
    if (t && STRUCTS.has(t)) {
      const fields = new Map<string, GoValue>();
      for (const el of body ? namedChildren(body) : []) {
        if (el.type !== 'keyed_element') continue;
        const [k, v] = namedChildren(el);
        if (!k || !v) continue;
        const value = this.eval(v, frame);
        fields.set(k.text, value);
        this.structFieldUse(t, k.text, value, frame.file.parsed.range(el));
      }
      return { k: 'struct', type: t, fields };
    }
    // Any other struct: a config in a field is used by code the reader does not know, except
    // a field named TLSClientConfig (websocket.Dialer, resty, …), which is always a client.
    for (const el of body ? namedChildren(body) : []) {
      const kids = namedChildren(el);
      const v = el.type === 'keyed_element' ? kids[1] : kids[0];
      if (!v) continue;
      const value =
        v.type === 'literal_value' ? UNKNOWN('an element of unknown type') : this.eval(v, frame);
      if (el.type === 'keyed_element' && kids[0]?.text === 'TLSClientConfig' && value.k === 'cfg')
        this.use(
          value.obj,
          'client',
          `${typeNode?.text ?? 'struct'}{TLSClientConfig}`,
          frame.file.parsed.range(el),
        );
      else this.escapeIfConfig(value);
    }
    return UNKNOWN(`a ${typeNode?.text ?? 'composite'} value`);
  }

  private call(node: SyntaxNode, frame: Frame): GoValue {
    const fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    const args = argsNode ? namedChildren(argsNode) : [];
    const at = frame.file.parsed.range(node);
    if (!fn) return UNKNOWN(node.text);
    // new(tls.Config)
    if (fn.type === 'identifier' && fn.text === 'new' && args[0]) {
      const t = this.typeName(args[0], frame.file);
      if (t === `${TLS}.Config`) return { k: 'cfg', obj: this.newConfig(frame.file, node, 'new') };
      if (t && STRUCTS.has(t)) return { k: 'struct', type: t, fields: new Map() };
    }
    // uint16(x) and other conversions of constants
    if (fn.type === 'identifier' && /^u?int(8|16|32|64)?$/.test(fn.text) && args.length === 1)
      return this.eval(args[0]!, frame);
    if (fn.type === 'identifier' && !this.scopeOf(fn.text, frame)) {
      const local = this.callLocal(fn.text);
      if (local) {
        this.evalArgs(args, frame, true);
        return local;
      }
    }
    if (fn.type === 'selector_expression') {
      const operand = fn.childForFieldName('operand');
      const name = fn.childForFieldName('field')?.text ?? '';
      const pkg =
        operand?.type === 'identifier' &&
        !this.scopeOf(operand.text, frame) &&
        !this.globals.has(operand.text)
          ? frame.file.imports.get(operand.text)
          : undefined;
      if (pkg) return this.packageCall(pkg, name, args, at, frame);
      if (operand) {
        const recv = this.eval(operand, frame);
        if (recv.k === 'cfg') {
          if (name === 'Clone')
            return { k: 'cfg', obj: this.cloneConfig(recv.obj, frame.file, node) };
          this.evalArgs(args, frame, true);
          return UNKNOWN(`${fn.text}()`);
        }
        if (
          recv.k === 'struct' &&
          recv.type === `${HTTP}.Server` &&
          (name === 'ListenAndServeTLS' || name === 'ServeTLS')
        ) {
          const files = name === 'ServeTLS' ? args.slice(1, 3) : args.slice(0, 2);
          this.serverWithKeyPair(
            recv.fields.get('TLSConfig'),
            `http.Server.${name}`,
            files,
            at,
            frame,
          );
          return UNKNOWN(`${fn.text}()`);
        }
        // s.tlsConfig(): a method of this package, when only one type declares that name
        const candidates =
          recv.k === 'unknown' || recv.k === 'opaque' ? this.methods.get(name) : undefined;
        if (candidates?.length === 1) {
          this.evalArgs(args, frame, true);
          return this.callMethod(candidates[0]!.node, candidates[0]!.file);
        }
      }
    }
    this.evalArgs(args, frame, true);
    return UNKNOWN(`the result of ${truncate(fn.text)}()`);
  }

  private evalArgs(args: SyntaxNode[], frame: Frame, escape: boolean): GoValue[] {
    return args.map((a) => {
      const v = this.eval(a, frame);
      if (escape) this.escapeIfConfig(v);
      return v;
    });
  }

  private packageCall(
    pkg: string,
    name: string,
    args: SyntaxNode[],
    at: SourceRange,
    frame: Frame,
  ): GoValue {
    const values = this.evalArgs(args, frame, false);
    const cfgArg = (i: number) =>
      values[i]?.k === 'cfg' ? (values[i] as { obj: ConfigObject }).obj : undefined;
    const last = values.length - 1;
    if (pkg === TLS) {
      const serverAt: Record<string, number> = { Listen: 2, NewListener: 1, Server: 1 };
      const clientAt: Record<string, number> = { Dial: 2, DialWithDialer: 3, Client: 1 };
      if (name in serverAt) {
        const obj = cfgArg(serverAt[name]!);
        if (obj) this.use(obj, 'server', `tls.${name}()`, at);
        return UNKNOWN(`tls.${name}()`);
      }
      if (name in clientAt) {
        const obj = cfgArg(clientAt[name]!);
        if (obj) this.use(obj, 'client', `tls.${name}()`, at);
        return UNKNOWN(`tls.${name}()`);
      }
      if (name === 'LoadX509KeyPair' && args.length === 2) {
        return {
          k: 'keypair',
          cert: values[0]!,
          key: values[1]!,
          certAt: frame.file.parsed.range(args[0]!),
          keyAt: frame.file.parsed.range(args[1]!),
        };
      }
      return UNKNOWN(`tls.${name}()`);
    }
    if (pkg === HTTPTEST && name === 'NewUnstartedServer')
      return { k: 'struct', type: `${HTTPTEST}.Server`, fields: new Map() };
    if (pkg === HTTP && (name === 'ListenAndServeTLS' || name === 'ServeTLS')) {
      // http.ListenAndServeTLS(addr, certFile, keyFile, handler): a server with Go's default config
      this.serverWithKeyPair(
        undefined,
        `http.${name}`,
        name === 'ServeTLS' ? args.slice(2, 4) : args.slice(1, 3),
        at,
        frame,
      );
      return UNKNOWN(`http.${name}()`);
    }
    if (pkg === GRPC_CREDS) {
      if (name === 'NewTLS') return { k: 'creds', ...(cfgArg(0) && { obj: cfgArg(0)! }) };
      if (name === 'NewServerTLSFromFile' && args.length === 2) {
        const obj = this.newConfig(frame.file, args[0]!.parent!.parent!, 'implicit');
        obj.keyPairs.push({
          cert: values[0],
          key: values[1],
          certAt: frame.file.parsed.range(args[0]!),
          keyAt: frame.file.parsed.range(args[1]!),
          api: 'credentials.NewServerTLSFromFile',
        });
        return { k: 'creds', obj };
      }
      return UNKNOWN(`credentials.${name}()`);
    }
    if (pkg === GRPC) {
      const creds = values[0]?.k === 'creds' ? values[0] : undefined;
      if (creds?.obj && name === 'Creds') this.use(creds.obj, 'server', 'grpc.Creds()', at);
      else if (creds?.obj && name === 'WithTransportCredentials')
        this.use(creds.obj, 'client', 'grpc.WithTransportCredentials()', at);
      else for (const v of values) this.escapeIfConfig(v);
      return UNKNOWN(`grpc.${name}()`);
    }
    for (const v of values.slice(0, last + 1)) this.escapeIfConfig(v);
    // tlsconf.NewServerConfig(): a function of another package of this module
    const result = this.external?.(pkg, name);
    if (result) return result;
    return UNKNOWN(`the result of ${name}()`);
  }

  /** ListenAndServeTLS/ServeTLS: a server (its TLSConfig, or Go's defaults) with a key pair from files. */
  private serverWithKeyPair(
    config: GoValue | undefined,
    api: string,
    files: SyntaxNode[],
    at: SourceRange,
    frame: Frame,
  ): void {
    const obj =
      config?.k === 'cfg'
        ? config.obj
        : this.newConfig(frame.file, files[0]?.parent?.parent ?? files[0]!, 'implicit');
    if (config && config.k !== 'cfg' && config.k !== 'nil') {
      // TLSConfig holds a config the reader cannot see: its settings are unknown, not Go's defaults.
      const reason = `the server's TLSConfig is ${unknownReason(config)}`;
      for (const field of OPAQUE_FIELDS)
        obj.fields.set(field, [{ value: UNKNOWN(reason), raw: 'TLSConfig', at, valueAt: at }]);
    }
    this.use(obj, 'server', `${api}()`, at);
    const [c, k] = files;
    if (c && k)
      obj.keyPairs.push({
        cert: this.eval(c, frame),
        key: this.eval(k, frame),
        certAt: frame.file.parsed.range(c),
        keyAt: frame.file.parsed.range(k),
        api,
      });
  }

  // --- configs -------------------------------------------------------------------------------

  private newConfig(file: PackageFile, node: SyntaxNode, made: ConfigObject['made']): ConfigObject {
    const obj: ConfigObject = {
      id: this.nextId++,
      file: file.path,
      at: file.parsed.range(node),
      made,
      fields: new Map(),
      uses: [],
      escapes: false,
      keyPairs: [],
      clonedInto: [],
    };
    this.configs.push(obj);
    return obj;
  }

  private cloneConfig(src: ConfigObject, file: PackageFile, node: SyntaxNode): ConfigObject {
    const obj = this.newConfig(file, node, 'clone');
    for (const [k, v] of src.fields) obj.fields.set(k, [...v]);
    obj.keyPairs.push(...src.keyPairs);
    src.clonedInto.push(obj);
    return obj;
  }

  /** `tls.Config` → `crypto/tls.Config` through the file's imports. */
  private typeName(node: SyntaxNode, file: PackageFile): string | undefined {
    let n: SyntaxNode | null = node;
    while (
      n &&
      (n.type === 'pointer_type' || n.type === 'parenthesized_type' || n.type === 'type_elem')
    )
      n = namedChildren(n)[0] ?? null;
    if (!n) return undefined;
    if (n.type === 'qualified_type' || n.type === 'selector_expression') {
      const pkgNode = n.childForFieldName('package') ?? n.childForFieldName('operand');
      const nameNode = n.childForFieldName('name') ?? n.childForFieldName('field');
      const pkg = pkgNode ? file.imports.get(pkgNode.text) : undefined;
      return pkg && nameNode ? `${pkg}.${nameNode.text}` : undefined;
    }
    return undefined;
  }
}

/** The fields the rules judge: all unknown when a server's TLSConfig is a value the reader cannot see. */
const OPAQUE_FIELDS = [
  'MinVersion',
  'MaxVersion',
  'CipherSuites',
  'CurvePreferences',
  'ClientAuth',
  'ClientCAs',
  'InsecureSkipVerify',
  'Renegotiation',
];

function unknownReason(v: GoValue): string {
  return v.k === 'unknown'
    ? v.reason
    : v.k === 'opaque'
      ? `"${v.what}"`
      : 'not a tls.Config the reader knows';
}

/** Structs whose fields carry a tls.Config into a role. */
const STRUCTS = new Map<string, Record<string, 'server' | 'client'>>([
  [`${HTTP}.Server`, { TLSConfig: 'server' }],
  [`${HTTP}.Transport`, { TLSClientConfig: 'client' }],
  [`${HTTP2}.Transport`, { TLSClientConfig: 'client' }],
  [`${TLS}.Dialer`, { Config: 'client' }],
  [`${HTTPTEST}.Server`, { TLS: 'server' }],
]);

/**
 * A verification callback that checks nothing: its body only returns nil (or is empty).
 * `func(...) error { return nil }`.
 */
function trivialVerifier(fn: SyntaxNode): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const stmts = namedChildren(body)
    .flatMap((s) => (s.type === 'statement_list' ? namedChildren(s) : [s]))
    .filter((s) => s.type !== 'comment');
  if (stmts.length === 0) return true;
  if (stmts.length !== 1 || stmts[0]!.type !== 'return_statement') return false;
  return /^return\s+nil$/.test(stmts[0]!.text.trim());
}

function sameScalar(a: GoValue, b: GoValue): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'nil') return true;
  if ((a.k === 'int' || a.k === 'bool' || a.k === 'str') && 'v' in b) return a.v === b.v;
  return false;
}

function truncate(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
