/**
 * Finds the TLS contexts of one JS/TS file in an ESTree `Program`. Parser-independent: the CLI
 * feeds it Babel's ESTree, the ESLint plugin feeds it ESLint's AST.
 *
 * Three passes over what the scope walk collected:
 * 1. calls of known TLS APIs (Node, undici) → one context per options object, with Node defaults;
 * 2. TLS-looking objects (carrying `rejectUnauthorized`, `checkServerIdentity`…) handed to any
 *    other call/constructor, exported or returned → `library` or `heuristic` contexts, written
 *    settings only;
 * 3. assignments: `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`, `tls.DEFAULT_MIN_VERSION = …`,
 *    `agent.options.rejectUnauthorized = false` on objects not seen in 1–2.
 */
import type { Targets } from '../../config/targets.js';
import {
  newContext,
  type ProbeTarget,
  type TlsContext,
  type TlsRole,
} from '../../model/context.js';
import { explicit } from '../../model/setting.js';
import { compareRanges } from '../../model/location.js';
import {
  isFunctionNode,
  offsetsOf,
  rangeOf,
  staticKey,
  unwrap,
  type CallNode,
  type EsNode,
  type Invocation,
  type TSESTree,
} from './ast.js';
import { connectionStringContext, connectionStringSwitches } from './connection-strings.js';
import {
  knownApi,
  libraryKeysOf,
  libraryOf,
  LIBRARY_VERIFY_KEYS,
  normalizeModuleName,
  packageOf,
  TLS_MARKER_KEYS,
  VERIFY_OFF_METHODS,
  type KnownApi,
} from './modules.js';
import { translateOptions } from './options.js';
import { envRejectContext, NODE_TLS_REJECT_UNAUTHORIZED } from './process-env.js';
import { EXPORT_SITE_CONTEXTS } from './export-sites.js';
import { nodeProtocolFixWithoutMinVersion } from './protocols.js';
import { ScopeAnalysis, type Sink } from './scope.js';
import {
  alternatives,
  Evaluator,
  refName,
  type Frame,
  type ImportResolver,
  type Value,
} from './values.js';

export interface ExtractOptions {
  /** Absolute path of the file (locations, relative `readFileSync` paths). */
  file: string;
  /** Picks Node's defaults (`targets.version('node')`). */
  targets: Targets;
  /** The source text, for the `raw` text of values in messages. */
  sourceText?: string;
  /** Values imported from other modules of the project (see `project-modules.ts`). */
  imports?: ImportResolver;
  /** The scope analysis of `program`, when it was made already (see `ImportResolver.parsed`). */
  scopes?: ScopeAnalysis;
}

export interface ExtractResult {
  contexts: TlsContext[];
}

const MARKERS: readonly string[] = [...TLS_MARKER_KEYS, ...LIBRARY_VERIFY_KEYS];

/** `tls.DEFAULT_*` (and `tls.checkServerIdentity`) assignments change the defaults of every context in the process. */
const TLS_DEFAULT_PROPERTIES: Readonly<Record<string, string>> = {
  DEFAULT_MIN_VERSION: 'minVersion',
  DEFAULT_MAX_VERSION: 'maxVersion',
  DEFAULT_CIPHERS: 'ciphers',
  DEFAULT_ECDH_CURVE: 'ecdhCurve',
  // tls.connect() fills in `checkServerIdentity: tls.checkServerIdentity`, read from the module
  // object at each call (verified on Node 20.20): replacing it changes every client's check.
  checkServerIdentity: 'checkServerIdentity',
};

export function extractNodeContexts(program: EsNode, options: ExtractOptions): ExtractResult {
  return new Extractor(program, options).run();
}

class Extractor {
  private readonly scopes: ScopeAnalysis;
  private readonly ev: Evaluator;
  private readonly file: string;
  private readonly targets: Targets;
  private readonly contexts: TlsContext[] = [];
  /** Option properties already translated into some context. */
  private readonly consumed = new Set<EsNode>();
  private readonly knownCalls = new Set<EsNode>();
  /** Calls of functions of the file whose arguments reach a known API (see `throughLocalFunctions`). */
  private readonly helperCalls = new Set<EsNode>();
  /** The known API of each call in `knownCalls`. */
  private readonly apiOfCall = new Map<EsNode, KnownApi>();
  private readonly partlyKnownCalls: Invocation[] = [];

  constructor(program: EsNode, options: ExtractOptions) {
    this.file = options.file;
    this.targets = options.targets;
    this.scopes = options.scopes ?? new ScopeAnalysis(program);
    this.ev = new Evaluator(this.scopes, options.file, options.sourceText, options.imports);
  }

  run(): ExtractResult {
    const { calls, assignments, sinks } = this.scopes.facts;
    for (const call of calls) this.knownApiCall(call);
    this.throughLocalFunctions(calls);
    for (const call of calls) this.processEnvAssign(call);
    for (const call of calls) this.verifyOffMethod(call);
    // `Object.assign(…)` merges its sources into a result that usually goes on to a call or a
    // sink: those name the options better, so its own arguments come after them.
    const merges = calls.filter(
      (call): call is TSESTree.CallExpression =>
        call.type === 'CallExpression' && this.isObjectAssign(call),
    );
    // A helper's arguments that reach a known API were judged with its role and defaults.
    const merged = new Set<EsNode>(merges);
    for (const call of calls)
      if (!this.knownCalls.has(call) && !this.helperCalls.has(call) && !merged.has(call))
        this.objectsHandedTo(call);
    // Only a part of these options reaches TLS through the known path (undici's `connect`,
    // ProxyAgent's `requestTls`): the rest (ProxyAgent's `proxyTls`) is searched like any call's.
    for (const call of this.partlyKnownCalls) this.objectsHandedTo(call);
    for (const sink of sinks) this.objectsLeaving(sink);
    for (const call of merges) this.objectsMerged(call);
    for (const assignment of assignments) this.assignment(assignment);
    this.connectionStrings();
    // Source order, whatever pass found them; ids follow it.
    this.contexts.sort((a, b) => compareRanges(a.at, b.at));
    this.contexts.forEach((c, i) => (c.id = `${this.file}#${i + 1}`));
    // Node links its own OpenSSL, whatever the system has.
    for (const c of this.contexts) c.tlsLibrary = 'bundled-openssl';
    // A fix that the target runtime can take (Node < 10.16 has no minVersion).
    const protocolsFix =
      this.contexts.length > 0 ? nodeProtocolFixWithoutMinVersion(this.nodeVersion) : undefined;
    if (protocolsFix) for (const c of this.contexts) c.notes = { ...c.notes, protocolsFix };
    return { contexts: this.contexts };
  }

  /** The target Node version: the project around the file is looked at only for a context. */
  private get nodeVersion(): string {
    return this.targets.version('node');
  }

  private nextId(): string {
    return `${this.file}#${this.contexts.length + 1}`;
  }

  private calleeName(call: CallNode): string | undefined {
    if (call.type === 'ImportExpression') return undefined;
    const callee = this.ev.evaluateCallee(this.scopes.facts.superClassOf.get(call) ?? call.callee);
    return callee.kind === 'ref' && callee.root.type === 'module' ? refName(callee) : undefined;
  }

  // --- 1. known APIs -------------------------------------------------------------------------

  private knownApiCall(call: CallNode): void {
    const name = this.calleeName(call);
    const api = knownApi(name);
    // `import()` has no callee name, so no known API.
    if (!api || call.type === 'ImportExpression') return;
    this.knownCalls.add(call);
    this.apiOfCall.set(call, api);
    if (api.within) this.partlyKnownCalls.push(call);
    this.contexts.push(this.knownApiContext(call, api, call));
  }

  /**
   * The context of a known API call. `site` is where it is reported: the call itself, or a call
   * of a function of this file that hands its arguments on to it (then evaluated in that frame).
   */
  private knownApiContext(call: Invocation, api: KnownApi, site: Invocation): TlsContext {
    let opts = this.optionsArgument(call, api);
    for (const key of api.within ?? []) {
      if (!opts) break;
      const found = this.ev.property(opts, key);
      opts =
        found.state === 'present'
          ? found.value
          : found.state === 'absent'
            ? undefined
            : { kind: 'unknown', reason: found.reason };
      if (opts?.kind === 'function')
        opts = { kind: 'unknown', reason: `a custom "${key}" function` };
    }
    const role = this.roleOf(api, call, opts);
    const { fields, usedProps } = translateOptions({
      ev: this.ev,
      options: opts,
      role,
      withDefaults: true,
      nodeVersion: this.nodeVersion,
      tlsServer: api.role === 'server',
      rawTlsSocket: api.api === 'tls.TLSSocket',
    });
    for (const p of usedProps) this.consumed.add(p);
    const calleeNode = unwrap(call.callee);
    const context = newContext({
      id: this.nextId(),
      language: 'node',
      role,
      at: rangeOf(site, this.file),
      enabledAt: rangeOf(site === call ? calleeNode : unwrap(site.callee), this.file),
      label: `${api.isClass ? 'new ' : ''}${api.api}()${api.within ? ` ${api.within.join('.')}` : ''} options`,
      api: api.api,
      recognition: 'known-api',
      ...fields,
    });
    if (api.feature)
      context.features.unshift({
        feature: api.feature,
        at: rangeOf(calleeNode, this.file),
        detail: `${api.api}()`,
      });
    const target = role === 'server' ? this.listenTarget(site) : this.clientTarget(call, opts);
    if (target) context.target = target;
    return context;
  }

  // --- 1b. known APIs reached through functions of this file ---------------------------------

  /**
   * `fromConfig({ minVersion: 'TLSv1' })` where `function fromConfig(opts)` hands `opts` (as it
   * is, spread into another object, or a property of it) to `tls.createServer()`, maybe through
   * further functions of the file: one more context per call, its options evaluated with the
   * parameters holding that call's arguments, reported at the call. Only calls whose arguments
   * reach the options count; the API call itself keeps its own context (parameters unknown).
   */
  private throughLocalFunctions(calls: readonly CallNode[]): void {
    // `import()` neither is a known API call nor runs a function of the file: no path goes through it.
    const sorted = calls
      .filter((c): c is Invocation => c.type !== 'ImportExpression' && offsetsOf(c) !== undefined)
      .sort((a, b) => offsetsOf(a)![0] - offsetsOf(b)![0]);
    const starts = sorted.map((c) => offsetsOf(c)![0]);
    const callsWithin = (fn: EsNode): Invocation[] => {
      const range = offsetsOf(fn);
      if (!range) return [];
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! < range[0]) lo = mid + 1;
        else hi = mid;
      }
      const out: Invocation[] = [];
      for (let i = lo; i < sorted.length && starts[i]! < range[1]; i++) out.push(sorted[i]!);
      return out;
    };
    /** Paths from a function to the known API calls it reaches: [call of g, call of h, …, API call]. */
    const pathsCache = new Map<EsNode, Invocation[][]>();
    const pathsFrom = (fn: EsNode, chain: readonly EsNode[]): Invocation[][] => {
      const cached = pathsCache.get(fn);
      if (cached) return cached;
      const paths: Invocation[][] = [];
      for (const inner of callsWithin(fn)) {
        if (this.apiOfCall.has(inner) || this.isLibraryCall(inner)) paths.push([inner]);
        else if (chain.length < MAX_HELPER_CHAIN) {
          const g = this.localFunction(inner);
          if (!g || chain.includes(g)) continue;
          for (const rest of pathsFrom(g, [...chain, g]))
            if (paths.length < MAX_HELPER_PATHS) paths.push([inner, ...rest]);
        }
      }
      // Only a complete search is reused: one cut short by a cycle depends on the chain.
      if (chain.length === 1) pathsCache.set(fn, paths);
      return paths;
    };
    for (const site of calls) {
      if (
        this.knownCalls.has(site) ||
        site.type === 'ImportExpression' ||
        site.arguments.length === 0
      )
        continue;
      const fn = this.localFunction(site);
      if (!fn) continue;
      for (const path of pathsFrom(fn, [fn])) this.knownApiThrough(site, fn, path);
    }
  }

  private knownApiThrough(site: Invocation, fn: EsNode, path: readonly Invocation[]): void {
    const first = this.ev.frameFor(fn, site, undefined);
    if (!first) return;
    let frame: Frame | undefined = first;
    for (const step of path.slice(0, -1)) {
      const g = this.localFunction(step);
      frame = g ? this.ev.frameFor(g, step, frame) : undefined;
      if (!frame) return;
    }
    const call = path[path.length - 1]!;
    const api = this.apiOfCall.get(call);
    if (!api) {
      // A library client (`new Pool({ ssl: cfg.ssl })`): what the arguments bring is judged as
      // the library's options, at the helper's call.
      const before = this.contexts.length;
      this.ev.runIn(frame, () => this.objectsHandedTo(call, site));
      if (first.used && this.contexts.length > before) this.helperCalls.add(site);
      else this.contexts.length = before;
      return;
    }
    const context = this.ev.runIn(frame, () => this.knownApiContext(call, api, site));
    // The call's arguments did not reach the options: the API call's own context says it all.
    if (!first.used) return;
    this.helperCalls.add(site);
    this.contexts.push(context);
  }

  /** A call of an export of a known TLS library (pg, ioredis, mongodb…). */
  private isLibraryCall(call: CallNode): boolean {
    if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return false;
    const callee = this.ev.evaluateCallee(call.callee);
    return (
      callee.kind === 'ref' &&
      callee.root.type === 'module' &&
      libraryOf(callee.root.name) !== undefined
    );
  }

  /** The function of this file a call runs: a function, arrow, method, or a class's constructor. */
  private localFunction(call: CallNode): EsNode | undefined {
    if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return undefined;
    const callee = unwrap(call.callee);
    if (callee.type === 'Super') return undefined;
    const v = this.ev.evaluateCallee(callee);
    if (v.kind === 'function' && isFunctionNode(v.node)) return v.node;
    const cls = v.kind === 'object' || v.kind === 'function' ? v.node : undefined;
    if (
      call.type === 'NewExpression' &&
      cls &&
      (cls.type === 'ClassDeclaration' || cls.type === 'ClassExpression')
    ) {
      const ctor = cls.body.body.find(
        (m): m is TSESTree.MethodDefinition =>
          m.type === 'MethodDefinition' && m.kind === 'constructor',
      );
      return ctor?.value;
    }
    return undefined;
  }

  /** Where a client connects, when the file says: `{ host, port, servername }`, a URL, `connect(port, host)`. */
  private clientTarget(call: Invocation, opts: Value | undefined): ProbeTarget | undefined {
    const target: ProbeTarget = {};
    const known = (key: string): string | number | undefined => {
      if (!opts) return undefined;
      const p = this.ev.property(opts, key);
      return p.state === 'present' &&
        p.value.kind === 'primitive' &&
        (typeof p.value.value === 'string' || typeof p.value.value === 'number')
        ? p.value.value
        : undefined;
    };
    const args = call.arguments.map((a) =>
      a.type === 'SpreadElement' ? undefined : this.ev.evaluate(a),
    );
    const first =
      args[0]?.kind === 'primitive'
        ? args[0].value
        : args[0]
          ? this.urlObjectText(args[0])
          : undefined;
    if (typeof first === 'string' && /^(https|wss?|tls):\/\//.test(first)) {
      try {
        const url = new URL(first);
        target.host = url.hostname;
        if (url.port) target.port = Number(url.port);
      } catch {
        /* not a URL after all */
      }
    } else if (typeof first === 'number') {
      target.port = first;
      const second = args[1]?.kind === 'primitive' ? args[1].value : undefined;
      if (typeof second === 'string') target.host = second;
    }
    const host = known('host') ?? known('hostname');
    if (typeof host === 'string') target.host = host;
    const port = known('port');
    if (port !== undefined && Number.isInteger(Number(port))) target.port = Number(port);
    const sni = known('servername');
    if (typeof sni === 'string') target.sni = sni;
    return Object.keys(target).length > 0 ? target : undefined;
  }

  /** `new URL('https://host:8443/path')` as its text. */
  private urlObjectText(v: Value): string | undefined {
    if (
      v.kind !== 'instance' ||
      refName(v.of) !== 'URL' ||
      v.of.kind !== 'ref' ||
      v.of.root.type !== 'global'
    )
      return undefined;
    const arg = 'arguments' in v.node ? v.node.arguments[0] : undefined;
    const text = arg && arg.type !== 'SpreadElement' ? this.ev.evaluate(arg) : undefined;
    return text?.kind === 'primitive' && typeof text.value === 'string' ? text.value : undefined;
  }

  /** `createServer(…).listen(8443)` or `const server = createServer(…); server.listen(8443, '0.0.0.0')`. */
  private listenTarget(call: Invocation): ProbeTarget | undefined {
    for (const other of this.scopes.facts.calls) {
      if (other.type !== 'CallExpression') continue;
      const callee = unwrap(other.callee);
      if (
        callee.type !== 'MemberExpression' ||
        staticKey(callee.property, callee.computed) !== 'listen'
      )
        continue;
      const object = unwrap(callee.object);
      const binding = object.type === 'Identifier' ? this.scopes.resolve(object) : undefined;
      const same =
        object === call ||
        (binding?.kind === 'const' &&
          binding.init &&
          unwrap(binding.init) === call &&
          binding.path.length === 0);
      if (!same) continue;
      const [portArg, hostArg] = other.arguments.map((a) =>
        a.type === 'SpreadElement' ? undefined : this.ev.evaluate(a),
      );
      let port = portArg?.kind === 'primitive' ? portArg.value : undefined;
      let host = hostArg?.kind === 'primitive' ? hostArg.value : undefined;
      if (portArg?.kind === 'object') {
        const p = this.ev.property(portArg, 'port');
        const h = this.ev.property(portArg, 'host');
        port = p.state === 'present' && p.value.kind === 'primitive' ? p.value.value : undefined;
        host = h.state === 'present' && h.value.kind === 'primitive' ? h.value.value : undefined;
      }
      const target: ProbeTarget = {};
      if (port !== undefined && port !== null && Number.isInteger(Number(port)) && Number(port) > 0)
        target.port = Number(port);
      if (typeof host === 'string') target.host = host;
      if (target.port !== undefined) target.at = rangeOf(other, this.file);
      return Object.keys(target).length > 0 ? target : undefined;
    }
    return undefined;
  }

  /** The first argument (at the API's option positions) that is an object; else an unknown one. */
  private optionsArgument(call: Invocation, api: KnownApi): Value | undefined {
    const args = call.arguments;
    let unknownCandidate: Value | undefined;
    for (const i of api.optionArgs) {
      const arg = args[i];
      if (!arg) continue;
      if (arg.type === 'SpreadElement')
        return { kind: 'unknown', reason: 'arguments spread at run time' };
      const v = this.ev.evaluate(arg);
      if (alternatives(v).some((a) => a.kind === 'object')) return v;
      if (v.kind === 'unknown' && !unknownCandidate) unknownCandidate = v;
    }
    return unknownCandidate;
  }

  private roleOf(api: KnownApi, call: Invocation, opts: Value | undefined): TlsRole {
    if (api.api === 'tls.TLSSocket' && opts) {
      const isServer = this.ev.property(opts, 'isServer');
      if (
        isServer.state === 'present' &&
        isServer.value.kind === 'primitive' &&
        isServer.value.value === true
      )
        return 'server';
    }
    if (api.api === 'tls.createSecurePair') {
      const arg = call.arguments[1];
      const v = arg ? this.ev.evaluate(arg) : undefined;
      if (v?.kind === 'primitive') return v.value === true ? 'server' : 'client';
    }
    return api.role;
  }

  /** `superagent.get(url).disableTLSCerts()`: a library method that turns verification off. */
  private verifyOffMethod(call: CallNode): void {
    if (call.type !== 'CallExpression') return;
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression') return;
    const method = staticKey(callee.property, callee.computed);
    if (method === undefined) return;
    const root = this.chainRoot(callee.object);
    const pkg =
      root.kind === 'ref' && root.root.type === 'module' ? packageOf(root.root.name) : undefined;
    if (!pkg || !VERIFY_OFF_METHODS[pkg]?.includes(method)) return;
    const library = libraryOf(pkg) ?? pkg;
    const at = rangeOf(callee.property, this.file);
    this.contexts.push(
      newContext({
        id: this.nextId(),
        language: 'node',
        role: 'client',
        at: rangeOf(call, this.file),
        enabledAt: at,
        label: `${library} request`,
        api: `${pkg}.${method}`,
        recognition: 'library',
        library,
        peerVerification: explicit(false, at, `.${method}()`),
      }),
    );
  }

  /** The value a method chain starts from: `superagent` in `superagent.get(u).set(h)`, through `const req = …`. */
  private chainRoot(node: EsNode): Value {
    let n = unwrap(node);
    for (let steps = 0; steps < 30; steps++) {
      if (n.type === 'CallExpression') n = unwrap(n.callee);
      else if (n.type === 'MemberExpression') n = unwrap(n.object);
      else if (n.type === 'AwaitExpression') n = unwrap(n.argument);
      else if (n.type === 'Identifier') {
        const b = this.scopes.resolve(n);
        if (b?.kind !== 'const' || !b.init || b.path.length > 0 || b.writes.length > 0) break;
        n = unwrap(b.init);
      } else break;
    }
    return this.ev.evaluate(n);
  }

  // --- 2. TLS-looking objects elsewhere --------------------------------------------------------

  /** `site`: where to report (a helper's call whose arguments reach this call); the call itself by default. */
  private objectsHandedTo(call: CallNode, siteGiven?: Invocation): void {
    if (call.type === 'ImportExpression') return;
    const site = siteGiven ?? call;
    const callee = this.ev.evaluateCallee(call.callee);
    const moduleName =
      callee.kind === 'ref' && callee.root.type === 'module' ? callee.root.name : undefined;
    const library = moduleName ? libraryOf(moduleName) : undefined;
    // Named only for a call that is handed TLS options, which most calls are not.
    let names: { calleeText: string | undefined; apiName: string } | undefined;
    const namesOf = () => {
      if (names) return names;
      const calleeText = this.ev.text(unwrap(call.callee));
      // `mysql2/promise` → `mysql2.createConnection`; local modules and unknown callees by their text.
      const apiName =
        (library && callee.kind === 'ref' ? [library, ...callee.path].join('.') : undefined) ??
        shorten(calleeText) ??
        'call';
      return (names = { calleeText, apiName });
    };
    const isNew = call.type === 'NewExpression';
    if (!library && isInspection(unwrap(call.callee))) return;
    // `http.get(…)`, `new http.Agent(…)`: TLS options on a plaintext API do nothing.
    if (moduleName && PLAINTEXT_MODULES.has(normalizeModuleName(moduleName))) return;
    const args = call.arguments
      .filter((a) => a.type !== 'SpreadElement')
      .map((a) => this.ev.evaluate(a));
    // `mqtt.connect('mqtt://…', { rejectUnauthorized: false })`: the scheme says no TLS.
    const schemes = args
      .map((a) => this.schemeOf(a, library))
      .filter((x): x is SchemeVerdict => x !== undefined);
    if (schemes.some((x) => x.kind === 'plaintext')) return;
    // `nats://`, `foo+bar://`: whether the connection speaks TLS at all is not known here.
    const unknownScheme = schemes.find((x) => x.kind === 'unknown');
    const libraryKeys = moduleName ? libraryKeysOf(moduleName) : [];
    const clientCall = this.isClientCall(call, args);
    for (const arg of args) {
      this.findTlsObjects(arg, [], 0, libraryKeys, (value, path) => {
        const { calleeText, apiName } = namesOf();
        const where = path.length > 0 ? ` "${path.join('.')}"` : '';
        // Labels quote the call as written, naming the library when the code does not: `new Pool() "ssl" options (pg)`.
        const written = shorten(calleeText) ?? apiName;
        const named =
          library && !written.toLowerCase().includes(library.toLowerCase()) ? ` (${library})` : '';
        const label = library
          ? `${isNew ? 'new ' : ''}${written}()${where} options${named}`
          : `options${where} passed to ${isNew ? 'new ' : ''}${apiName}()`;
        this.addLooseContext(value, {
          at: site,
          enabledAt: unwrap(site.callee),
          label,
          api: apiName,
          recognition: library ? 'library' : 'heuristic',
          ...(library && { library }),
          libraryKeys,
          ...(clientCall && { role: 'client' as const }),
          ...(unknownScheme && { unknownScheme: unknownScheme.scheme }),
        });
      });
    }
  }

  /**
   * Client evidence: a call named like a request (`request.post`, `got.get`, `.defaults`,
   * `connect`, `fetch`) or an argument that is a URL. It wins over server-looking keys such as
   * `requestCert`, which client libraries pass through untouched.
   */
  private isClientCall(call: Invocation, args: Value[]): boolean {
    const callee = unwrap(call.callee);
    const name =
      callee.type === 'MemberExpression'
        ? staticKey(callee.property, callee.computed)
        : callee.type === 'Identifier'
          ? callee.name
          : undefined;
    if (name !== undefined && CLIENT_CALL_NAMES.has(name)) return true;
    // `request(…)` / `got(…)` called directly: the module itself is the request function.
    const v = this.ev.evaluate(callee);
    if (
      v.kind === 'ref' &&
      v.root.type === 'module' &&
      v.path.length === 0 &&
      CLIENT_CALL_NAMES.has(packageOf(v.root.name))
    )
      return true;
    return args.some((a) => this.urlText(a) !== undefined);
  }

  /** A URL given as a string or `new URL(…)`. */
  private urlText(v: Value): string | undefined {
    const text = v.kind === 'primitive' ? v.value : this.urlObjectText(v);
    return typeof text === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : undefined;
  }

  /**
   * What a URL argument, or an options object's `url`/`uri`/`protocol`, says about TLS:
   * `plaintext` for `http:`, `ws:`, `mqtt:`, `tcp:`, `amqp:` (these libraries start TLS only for
   * the secure scheme and ignore the TLS options otherwise) and node-redis's `redis:` (its
   * `parseURL` sets `socket.tls = false`); `tls` for schemes whose connections may speak TLS;
   * `unknown` for any other scheme.
   */
  private schemeOf(v: Value, library: string | undefined): SchemeVerdict | undefined {
    const classify = (text: string): SchemeVerdict | undefined => {
      const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
      if (!m) return undefined;
      const scheme = m[1]!.toLowerCase();
      if (
        PLAINTEXT_SCHEMES.has(scheme) ||
        (library !== undefined && PLAINTEXT_SCHEMES_OF[library]?.includes(scheme))
      )
        return { kind: 'plaintext', scheme };
      return TLS_CAPABLE_SCHEMES.has(scheme)
        ? { kind: 'tls', scheme }
        : { kind: 'unknown', scheme };
    };
    const direct = this.urlText(v);
    if (direct !== undefined) return classify(direct);
    if (v.kind !== 'object') return undefined;
    for (const key of ['url', 'uri', 'href', 'brokerUrl', 'protocol']) {
      const p = this.ev.property(v, key);
      if (p.state !== 'present') continue;
      const text = p.value.kind === 'primitive' ? p.value.value : this.urlObjectText(p.value);
      if (typeof text !== 'string') continue;
      const verdict = classify(key === 'protocol' ? `${text.replace(/:$/, '')}://` : text);
      if (verdict) return verdict;
    }
    return undefined;
  }

  private isObjectAssign(call: CallNode): boolean {
    if (call.type !== 'CallExpression') return false;
    const callee = this.ev.evaluateCallee(call.callee);
    return (
      callee.kind === 'ref' && callee.root.type === 'global' && refName(callee) === 'Object.assign'
    );
  }

  /** `https.globalAgent.options` (or the agent itself): the options of every request without an agent. */
  private isGlobalAgent(node: EsNode | undefined): boolean {
    if (!node) return false;
    const v = this.ev.evaluate(node);
    const name = v.kind === 'ref' && v.root.type === 'module' ? refName(v) : undefined;
    return name === 'https.globalAgent.options' || name === 'https.globalAgent';
  }

  /** `Object.assign(target, …sources)`: TLS options merged into `target`, or into a new object. */
  private objectsMerged(call: TSESTree.CallExpression): void {
    const target = call.arguments[0];
    if (!target) return;
    const into = unwrap(target);
    // `Object.assign({}, …)` or `Object.assign({ …defaults }, …)` builds a new object.
    const fresh = into.type === 'ObjectExpression';
    const globalAgent = this.isGlobalAgent(into);
    const targetText = shorten(this.ev.text(into));
    for (const arg of call.arguments) {
      if (arg.type === 'SpreadElement') continue;
      this.findTlsObjects(this.ev.evaluate(arg), [], 0, [], (value, path) => {
        const where = path.length > 0 ? ` "${path.join('.')}"` : '';
        const label = globalAgent
          ? GLOBAL_AGENT_LABEL
          : fresh
            ? `options object${where} built with Object.assign()`
            : `options${where} merged into ${targetText ? `"${targetText}"` : 'an object'} with Object.assign()`;
        this.addLooseContext(value, {
          at: call,
          enabledAt: unwrap(call.callee),
          label,
          api: globalAgent ? 'https.globalAgent' : 'Object.assign',
          recognition: globalAgent ? 'known-api' : 'heuristic',
        });
      });
    }
  }

  private objectsLeaving(sink: Sink): void {
    const node = unwrap(sink.node);
    // A call's own arguments are handled with the call; only values built here (and merged by
    // `Object.assign`, which is a value) are followed.
    if (
      (node.type === 'CallExpression' || node.type === 'NewExpression') &&
      !this.isObjectAssign(node)
    )
      return;
    const target = shorten(this.ev.text(sink.target));
    if (sink.kind === 'assignment' && this.isGlobalAgent(sink.target)) {
      // `https.globalAgent.options = { … }`
      this.addLooseContext(this.ev.evaluate(node), {
        at: node,
        enabledAt: sink.target!,
        label: GLOBAL_AGENT_LABEL,
        api: 'https.globalAgent',
        recognition: 'known-api',
      });
      return;
    }
    this.findTlsObjects(
      this.ev.evaluate(node),
      [],
      0,
      [],
      (value, path) => {
        const where = path.length > 0 ? ` "${path.join('.')}"` : '';
        const label =
          sink.kind === 'export'
            ? `exported options object${where}`
            : sink.kind === 'return'
              ? `options object${where} returned from a function`
              : sink.kind === 'field'
                ? `options object${where} in class field${target ? ` "${target}"` : ''}`
                : `options object${where} assigned to ${target ? `"${target}"` : 'a property'}`;
        const made = this.addLooseContext(value, {
          at: node,
          enabledAt: node,
          label,
          api: 'object literal',
          recognition: 'heuristic',
        });
        if (made && sink.kind === 'export') EXPORT_SITE_CONTEXTS.add(made);
        // A function's result usually reaches a call seen here; only a verification switch is
        // worth reporting where it is returned.
      },
      sink.kind === 'return',
    );
  }

  /** Walks object values (nested options, spreads, conditionals) for TLS marker keys. */
  private findTlsObjects(
    value: Value,
    path: string[],
    depth: number,
    libraryKeys: readonly string[],
    found: (v: Value, path: string[]) => void,
    markersOnly = false,
  ): void {
    if (depth > 4) return;
    if (value.kind === 'array') {
      for (const el of value.elements)
        this.findTlsObjects(el, path, depth + 1, libraryKeys, found, markersOnly);
      return;
    }
    if (!alternatives(value).some((a) => a.kind === 'object')) return;
    const keys = this.ev.keys(value);
    // `spawn(cmd, args, { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } })`
    if (keys.has(NODE_TLS_REJECT_UNAUTHORIZED)) {
      const p = this.ev.property(value, NODE_TLS_REJECT_UNAUTHORIZED);
      if (p.state === 'present' && !this.consumed.has(p.propNode)) {
        this.consumed.add(p.propNode);
        const context = envRejectContext(this.nextId(), this.ev, p.value, p.propNode, p.valueNode);
        context.label = 'the environment of a child process (NODE_TLS_REJECT_UNAUTHORIZED)';
        this.contexts.push(context);
      }
    }
    const inTlsBag = path.length > 0 && TLS_BAG_NAMES.has(path[path.length - 1]!);
    const candidates = markersOnly
      ? MARKERS
      : [
          ...MARKERS,
          ...TLS_ONLY_KEYS,
          ...PROTOCOL_BOUND_KEYS,
          ...(inTlsBag ? TLS_BAG_KEYS : []),
          ...libraryKeys,
        ];
    const fresh = candidates.some((k) => {
      if (!keys.has(k)) return false;
      const p = this.ev.property(value, k);
      if (p.state !== 'present' || this.consumed.has(p.propNode)) return false;
      // `{ requestCert: { type: 'boolean' } }`: an option-name schema, not an option (these
      // settings never take an object or an array).
      if (
        !TLS_BAG_KEYS.includes(k) &&
        alternatives(p.value).every((a) => a.kind === 'object' || a.kind === 'array')
      )
        return false;
      // `minVersion: '1.2.0'` is a semver range somewhere else; only a TLS version name (or a
      // bag named ssl/tls) makes it a TLS option.
      if (PROTOCOL_BOUND_KEYS.includes(k) && !inTlsBag)
        return alternatives(p.value).some(
          (a) =>
            a.kind === 'primitive' && typeof a.value === 'string' && /^(TLS|SSL)v/i.test(a.value),
        );
      return true;
    });
    if (fresh) found(value, path);
    let n = 0;
    for (const key of keys) {
      if (++n > 40) break;
      const p = this.ev.property(value, key);
      if (p.state === 'present')
        this.findTlsObjects(p.value, [...path, key], depth + 1, libraryKeys, found, markersOnly);
    }
  }

  private addLooseContext(
    value: Value,
    info: {
      at: EsNode;
      enabledAt: EsNode;
      label: string;
      api: string;
      recognition: 'library' | 'heuristic' | 'known-api';
      library?: string;
      libraryKeys?: readonly string[];
      role?: TlsRole;
      /** The connection's URL scheme, when it is one that may or may not speak TLS. */
      unknownScheme?: string;
    },
  ): TlsContext | undefined {
    // An object with `requestCert` configures a server (e.g. fastify's `https` options), unless it
    // also says where to connect (`host`, `url`, `servername`…): client evidence wins.
    const keys = this.ev.keys(value);
    const clientKeys = CLIENT_KEYS.some((k) => keys.has(k));
    const role: TlsRole =
      info.role ?? (keys.has('requestCert') && !clientKeys ? 'server' : 'client');
    const { fields, usedProps } = translateOptions({
      ev: this.ev,
      options: value,
      role,
      withDefaults: false,
      nodeVersion: this.nodeVersion,
      libraryKeys: info.libraryKeys ?? [],
    });
    if (usedProps.length === 0 || usedProps.every((p) => this.consumed.has(p))) return undefined;
    for (const p of usedProps) this.consumed.add(p);
    const context = newContext({
      id: this.nextId(),
      language: 'node',
      role,
      at: rangeOf(info.at, this.file),
      enabledAt: rangeOf(info.enabledAt, this.file),
      label: info.label,
      api: info.api,
      recognition: info.recognition,
      ...(info.library && { library: info.library }),
      ...fields,
      ...(info.unknownScheme !== undefined && {
        precision: 'low' as const,
        notes: unknownSchemeNotes(info.unknownScheme),
      }),
    });
    this.contexts.push(context);
    return context;
  }

  // --- connection strings ----------------------------------------------------------------------

  /** `postgres://…?sslmode=no-verify`, `mongodb://…?tlsInsecure=true` in any string of the file. */
  private connectionStrings(): void {
    for (const node of this.scopes.facts.urlStrings) {
      const text = node.type === 'Literal' ? (node.value as string) : node.value.cooked!;
      for (const s of connectionStringSwitches(text))
        this.contexts.push(
          connectionStringContext(this.nextId(), 'node', s, rangeOf(node, this.file)),
        );
    }
  }

  // --- 3. assignments ----------------------------------------------------------------------------

  /** `Object.assign(process.env, { NODE_TLS_REJECT_UNAUTHORIZED: '0' })`. */
  private processEnvAssign(call: CallNode): void {
    if (call.type !== 'CallExpression') return;
    const callee = this.ev.evaluateCallee(call.callee);
    if (
      refName(callee) !== 'Object.assign' ||
      callee.kind !== 'ref' ||
      callee.root.type !== 'global'
    )
      return;
    const [target, ...sources] = call.arguments;
    if (!target || !this.isProcessEnv(target)) return;
    for (const source of sources) {
      const found = this.ev.property(this.ev.evaluate(source), NODE_TLS_REJECT_UNAUTHORIZED);
      if (found.state !== 'present') continue;
      this.consumed.add(found.propNode);
      this.contexts.push(
        envRejectContext(this.nextId(), this.ev, found.value, found.propNode, found.valueNode),
      );
    }
  }

  private isProcessEnv(node: EsNode): boolean {
    const v = this.ev.evaluate(node);
    return v.kind === 'unknown'
      ? false
      : v.kind === 'ref' &&
          v.root.type === 'global' &&
          v.root.name === 'process' &&
          v.path.length === 1 &&
          v.path[0] === 'env';
  }

  private assignment(node: TSESTree.AssignmentExpression): void {
    if (node.operator !== '=') return;
    const left = unwrap(node.left);
    if (left.type !== 'MemberExpression') return;
    let key = staticKey(left.property, left.computed);
    if (key === undefined && left.computed) {
      const k = this.ev.evaluate(left.property);
      if (k.kind === 'primitive' && typeof k.value === 'string') key = k.value;
    }
    if (key === undefined) return;

    if (key === NODE_TLS_REJECT_UNAUTHORIZED && this.isProcessEnv(left.object)) {
      this.contexts.push(
        envRejectContext(this.nextId(), this.ev, this.ev.evaluate(node.right), node, node.right),
      );
      return;
    }

    const target = this.ev.evaluate(left.object);
    const targetName =
      target.kind === 'ref' && target.root.type === 'module' ? refName(target) : undefined;
    const option = targetName === 'tls' ? TLS_DEFAULT_PROPERTIES[key] : undefined;
    if (option) {
      this.addLooseContext(singleProperty(option, node, this.ev), {
        at: node,
        enabledAt: left,
        label: `tls.${key} (the default of every TLS context in the process)`,
        api: `tls.${key}`,
        recognition: 'known-api',
        role: 'either',
      });
      return;
    }
    if (!MARKERS.includes(key) || this.consumed.has(node)) return;
    // `https.globalAgent.options.rejectUnauthorized = false`, or a property set on an options
    // object that never reached a TLS call we could see.
    const globalAgent =
      targetName === 'https.globalAgent.options' || targetName === 'https.globalAgent';
    this.addLooseContext(singleProperty(key, node, this.ev), {
      at: node,
      enabledAt: left,
      label: globalAgent
        ? GLOBAL_AGENT_LABEL
        : `"${shorten(this.ev.text(left.object)) ?? 'object'}" options`,
      api: globalAgent ? 'https.globalAgent' : 'property assignment',
      recognition: globalAgent ? 'known-api' : 'heuristic',
    });
  }
}

/** Functions followed from a call to a known API, at most (helpers of helpers…). */
const MAX_HELPER_CHAIN = 4;
/** Known API calls one helper may reach (each is a context per call of the helper). */
const MAX_HELPER_PATHS = 16;

/** Node modules whose requests and agents never speak TLS. */
const PLAINTEXT_MODULES = new Set(['http', 'net', 'dgram']);
/** URL schemes whose connections are plaintext in the libraries that take them (mqtt.js, ws, amqplib, got). */
const PLAINTEXT_SCHEMES = new Set(['http', 'ws', 'mqtt', 'tcp', 'amqp']);
/**
 * Schemes plaintext for one library only. node-redis: `redis:` sets `socket.tls = false` and a
 * `socket.tls: true` beside it throws (packages/client/lib/client/index.ts, `parseURL` and
 * `parseOptions`). ioredis is not here: `redis://` with a `tls` option connects with TLS
 * (lib/connectors/StandaloneConnector.ts uses `tls.connect` whenever `options.tls` is set), and
 * `rediss://` only adds `tls: true` under the caller's options (lib/Redis.ts `parseOptions`).
 */
const PLAINTEXT_SCHEMES_OF: Readonly<Record<string, readonly string[]>> = { redis: ['redis'] };
/** Schemes whose connections speak TLS, or may by their options (databases, brokers, LDAP…). */
const TLS_CAPABLE_SCHEMES = new Set([
  'https',
  'wss',
  'mqtts',
  'rediss',
  'redis',
  'amqps',
  'tls',
  'ssl',
  'ldaps',
  'ldap',
  'postgres',
  'postgresql',
  'mongodb',
  'mongodb+srv',
  'mysql',
  'mysqls',
  'mariadb',
  'mssql',
  'sqlserver',
  'nats',
  'kafka',
  'smtp',
  'smtps',
  'imap',
  'imaps',
  'ftps',
  'grpc',
  'grpcs',
  'stomp+ssl',
]);

type SchemeVerdict = { kind: 'plaintext' | 'tls' | 'unknown'; scheme: string };

/** What the rules append to their messages for a connection of an unknown scheme. */
function unknownSchemeNotes(scheme: string): Record<string, string> {
  const note = `the connection's URL scheme "${scheme}:" is not one tls-lint knows, so these TLS options may not be used at all`;
  return { peerVerification: note, hostnameVerification: note, protocols: note };
}
/** Call and package names that make requests as a client. */
const CLIENT_CALL_NAMES = new Set([
  'request',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'defaults',
  'connect',
  'fetch',
  'got',
  'axios',
  'needle',
  'superagent',
  'createConnection',
  'createClient',
]);
/** Keys that say where to connect: only clients carry them. */
const CLIENT_KEYS: readonly string[] = [
  'host',
  'hostname',
  'url',
  'uri',
  'method',
  'path',
  'servername',
  'baseURL',
  'baseUrl',
];

/**
 * Keys only Node's TLS options carry (beyond the verification markers): an object holding one is
 * a TLS options bag, whatever receives it.
 */
export const TLS_ONLY_KEYS: readonly string[] = [
  'secureProtocol',
  'secureOptions',
  'ecdhCurve',
  'honorCipherOrder',
  'requestCert',
];
/** `minVersion`/`maxVersion`: TLS options when their value is a TLS version name. */
export const PROTOCOL_BOUND_KEYS: readonly string[] = ['minVersion', 'maxVersion'];
/** Names libraries give their TLS options bag (`pg` `ssl`, ioredis `tls`, Sequelize `dialectOptions.ssl`). */
export const TLS_BAG_NAMES = new Set([
  'ssl',
  'tls',
  'tlsOptions',
  'sslOptions',
  'sslOpts',
  'secureContextOptions',
  'https',
  'socketOptions',
]);
/** Inside such a bag, these keys are TLS settings too. */
const TLS_BAG_KEYS: readonly string[] = [
  'ciphers',
  'minVersion',
  'maxVersion',
  'ca',
  'cert',
  'key',
];

const GLOBAL_AGENT_LABEL = 'https.globalAgent options (every https request without its own agent)';

/** An object value with one property, set by an assignment expression. */
function singleProperty(
  key: string,
  assignment: TSESTree.AssignmentExpression,
  ev: Evaluator,
): Value {
  return {
    kind: 'object',
    node: assignment,
    entries: [
      {
        kind: 'prop',
        key,
        propNode: assignment,
        valueNode: assignment.right,
        value: () => ev.evaluate(assignment.right),
      },
    ],
  };
}

function shorten(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // A callee may be a whole function (`(function () { … })()`): past 40 characters that are not
  // whitespace, no collapsing can bring it under the limit, so it is not rewritten at all.
  if (text.length > SHORT) {
    const visible = /\S/g;
    for (let n = 0; visible.test(text); ) if (++n > SHORT) return undefined;
  }
  const one = text.replace(/\s+/g, ' ');
  return one.length <= SHORT ? one : undefined;
}

/** The longest text `shorten` keeps. */
const SHORT = 40;

/** Assertion and logging calls look at options; they do not configure TLS. */
const INSPECTION_METHODS = new Set([
  'toEqual',
  'toStrictEqual',
  'toMatchObject',
  'toBe',
  'toHaveBeenCalledWith',
  'toHaveBeenLastCalledWith',
  'toHaveProperty',
  'toContainEqual',
  'calledWith',
  'calledWithMatch',
  'deepEqual',
  'deepStrictEqual',
  'strictEqual',
  'equal',
  'notDeepEqual',
  'eql',
  'include',
  'toBeCalledWith',
  'toMatchInlineSnapshot',
  'toMatchSnapshot',
  'same',
  'strictSame',
  'match',
  'like',
  'has',
  'deepEquals',
  'isDeepStrictEqual',
  'expectTypeOf',
  'toEqualTypeOf',
  'toMatchTypeOf',
]);
/** Assertion libraries, loggers and type-level assertions (tsd's `expectAssignable<T>(value)`). */
const INSPECTION_ROOTS = new Set([
  'console',
  'expect',
  'assert',
  'should',
  'logger',
  'log',
  'sinon',
  'expectType',
  'expectAssignable',
  'expectNotAssignable',
  'expectError',
  'expectNotType',
  'expectDeprecated',
  'expectTypeOf',
  'assertType',
]);

function isInspection(callee: EsNode): boolean {
  let n = unwrap(callee);
  const last = n.type === 'MemberExpression' ? staticKey(n.property, n.computed) : undefined;
  if (last && INSPECTION_METHODS.has(last)) return true;
  while (n.type === 'MemberExpression' || n.type === 'CallExpression')
    n = unwrap(n.type === 'MemberExpression' ? n.object : n.callee);
  return n.type === 'Identifier' && INSPECTION_ROOTS.has(n.name);
}
