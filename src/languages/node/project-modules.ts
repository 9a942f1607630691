/**
 * Values that cross module boundaries: `minVersion: TLS_FLOOR` with `export const TLS_FLOOR =
 * 'TLSv1'` in another file of the project.
 *
 * Where a project configuration exists (`tsconfig.json`, or `jsconfig.json` for JavaScript), the
 * TypeScript compiler API says how an import resolves — `paths`, `baseUrl`, `.js` → `.ts`,
 * `index` files, `moduleResolution` — exactly as the project's own build resolves it. The exporting
 * module is then read with the same parser and evaluated by the same `Evaluator` as the file
 * itself, so an imported constant, options object, `as const` object, enum member, static class
 * member or re-export means what it would mean in one file. Packages (`node_modules`), declaration
 * files and Node built-ins are not project modules: they stay module references as before.
 *
 * The value is placed at the use site: a finding stays where the options are used, and names the
 * place the value was written (`SourceRange.definedAt`).
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import type { SourceRange } from '../../model/location.js';
import {
  definedAtOf,
  locOf,
  rangeOf,
  unwrap,
  type EsNode,
  type ExportNamespaceSpecifierNode,
  type ForeignNode,
  type Positions,
  type TSESTree,
} from './ast.js';
import { parseNodeSource } from './parse.js';
import { ScopeAnalysis } from './scope.js';
// The TypeScript compiler, loaded on first use (it is large); undefined when not installed.
import { typeScriptCompiler as loadTypeScript } from './ts-compiler.js';
import {
  Evaluator,
  placedValueOf,
  unknownValue,
  type ImportResolver,
  type ObjectEntry,
  type ParsedModule,
  type Value,
} from './values.js';

/** Files the resolver reads, through the run's one door for reading. */
export interface ProjectFiles {
  readText(file: string): string | undefined;
  /** Whether `readText` would give a text; by default it reads it. */
  fileExists?(file: string): boolean;
}

function existsIn(files: ProjectFiles): (file: string) => boolean {
  return files.fileExists ? (f) => files.fileExists!(f) : (f) => files.readText(f) !== undefined;
}

/**
 * Parsed modules kept per project (their trees, scopes and evaluators), the most recently used:
 * a module many files import is parsed once, and a large project's modules are not all kept.
 */
const MAX_MODULES = 128;

/** Module chains longer than this (re-export of re-export…) are not followed. */
const MAX_CHAIN = 12;
const SOURCE_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** The nearest `tsconfig.json` or `jsconfig.json` from `dir` up to `stopAt` (inclusive). */
function findProjectConfig(dir: string, stopAt: string, files: ProjectFiles): string | undefined {
  let current = path.resolve(dir);
  const stop = path.resolve(stopAt);
  for (;;) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const candidate = path.join(current, name);
      if (files.readText(candidate) !== undefined) return candidate;
    }
    if (current === stop || !current.startsWith(stop + path.sep)) return undefined;
    current = path.dirname(current);
  }
}

/** Compiler options of a tsconfig/jsconfig (with `extends`), or an error message. */
function readCompilerOptions(
  configFile: string,
  files: ProjectFiles,
): { options: TS.CompilerOptions } | { error: string } {
  const ts = loadTypeScript();
  if (!ts) return { error: 'the typescript package is not installed' };
  const text = files.readText(configFile);
  if (text === undefined) return { error: 'cannot be read' };
  const parsed = ts.parseConfigFileTextToJson(configFile, text);
  if (parsed.error)
    return { error: ts.flattenDiagnosticMessageText(parsed.error.messageText, '\n') };
  const host: TS.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    // Only the options are wanted: listing the project's files would cost a directory walk.
    readDirectory: () => [],
    fileExists: existsIn(files),
    readFile: (f) => files.readText(f),
  };
  const config = ts.parseJsonConfigFileContent(
    parsed.config,
    host,
    path.dirname(configFile),
    undefined,
    configFile,
  );
  const options = { ...config.options };
  // A jsconfig.json is a project with allowJs by definition.
  if (path.basename(configFile) === 'jsconfig.json') options.allowJs = true;
  return { options };
}

interface ModuleInfo {
  file: string;
  ev: Evaluator;
  program: TSESTree.Program;
  scopes: ScopeAnalysis;
  /** Exported name → how to get its value. */
  exports: Map<string, ExportSource>;
  /** `export * from '…'` specifiers, in order. */
  stars: string[];
  /** `module.exports = …` (CommonJS): the module object itself. */
  commonJs?: EsNode;
}

type ExportSource =
  | { kind: 'local'; name: string }
  | { kind: 'expression'; node: EsNode }
  | { kind: 'reexport'; specifier: string; imported: string };

export class ProjectModules implements ImportResolver {
  private readonly ts: typeof TS;
  /** Parsed modules with the text they were parsed from: a changed file (an editor) is parsed again. */
  private readonly modules = new Map<
    string,
    { text: string | undefined; info: ModuleInfo | undefined }
  >();
  private readonly inProgress = new Set<string>();
  private readonly host: TS.ModuleResolutionHost;
  private readonly cache: TS.ModuleResolutionCache;
  private readonly resolved = new Map<string, string | undefined>();

  constructor(
    private readonly options: TS.CompilerOptions,
    private readonly files: ProjectFiles,
  ) {
    this.ts = loadTypeScript()!;
    this.host = {
      fileExists: existsIn(files),
      readFile: (f) => files.readText(f),
    };
    this.cache = this.ts.createModuleResolutionCache(process.cwd(), (f) => f, options);
  }

  resolve(fromFile: string, specifier: string, name: string, useSite: EsNode): Value | undefined {
    const target = this.resolveModule(fromFile, specifier);
    if (!target) return undefined;
    const found = this.exportValue(target, name, 0);
    return found && place(found.value, useSite, fromFile, found.file);
  }

  /** See `ImportResolver.parsed`: the cache is read, its order of use left as it is. */
  parsed(file: string, text: string): ParsedModule | undefined {
    const cached = this.modules.get(file);
    return cached?.info && cached.text === text
      ? { program: cached.info.program, scopes: cached.info.scopes }
      : undefined;
  }

  /** The project file an import names, or undefined for packages, built-ins and declarations. */
  resolveModule(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('node:')) return undefined;
    // A bare name is a package unless the project maps names (`paths`, `baseUrl`) or uses
    // package `imports` (`#x`): looking packages up in node_modules would cost disk walks for nothing.
    const bare = !/^[./]/.test(specifier) && !specifier.startsWith('#');
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- projects linted may still set it
    if (bare && !this.options.paths && this.options.baseUrl === undefined) return undefined;
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const file = this.resolveUncached(fromFile, specifier);
    this.resolved.set(key, file);
    return file;
  }

  private resolveUncached(fromFile: string, specifier: string): string | undefined {
    const resolved = this.ts.resolveModuleName(
      specifier,
      fromFile,
      this.options,
      this.host,
      this.cache,
    ).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    const file = resolved.resolvedFileName;
    if (
      file.endsWith('.d.ts') ||
      file.includes(`${path.sep}node_modules${path.sep}`) ||
      !SOURCE_EXTENSIONS.test(file)
    )
      return undefined;
    return file;
  }

  /** The exported value and the module whose nodes it is made of. */
  private exportValue(
    file: string,
    name: string,
    depth: number,
  ): { value: Value; file: string } | undefined {
    const key = `${file}\0${name}`;
    if (depth > MAX_CHAIN || this.inProgress.has(key)) return undefined;
    const info = this.moduleInfo(file);
    if (!info) return undefined;
    this.inProgress.add(key);
    try {
      const own = (value: Value | undefined) => value && { value, file };
      if (name === '*') return own(this.namespace(info, depth));
      const source = info.exports.get(name);
      if (source?.kind === 'reexport') {
        const target = this.resolveModule(file, source.specifier);
        return target ? this.exportValue(target, source.imported, depth + 1) : undefined;
      }
      if (source) return own(this.valueOf(info, source, depth));
      if (info.commonJs) {
        const whole = info.ev.evaluate(info.commonJs);
        return own(name === 'default' ? whole : info.ev.member(whole, name, undefined));
      }
      if (name === 'default') return undefined;
      for (const star of info.stars) {
        const target = this.resolveModule(file, star);
        const found = target && this.exportValue(target, name, depth + 1);
        if (found) return found;
      }
      return undefined;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private valueOf(info: ModuleInfo, source: ExportSource, depth: number): Value | undefined {
    switch (source.kind) {
      case 'local': {
        const binding = info.scopes.root.bindings.get(source.name);
        return binding ? info.ev.valueOfBinding(binding, binding.id) : undefined;
      }
      case 'expression':
        return info.ev.evaluate(source.node);
      case 'reexport': {
        // Inside a namespace object: placed in this module, so its nodes keep their own file.
        const target = this.resolveModule(info.file, source.specifier);
        const found = target ? this.exportValue(target, source.imported, depth + 1) : undefined;
        return found && place(found.value, info.program, info.file, found.file);
      }
    }
  }

  /** `import * as m` / `require('./m')`: the module object (CommonJS: what it assigns). */
  private namespace(info: ModuleInfo, depth: number): Value {
    if (info.commonJs && info.exports.size === 0) return info.ev.evaluate(info.commonJs);
    const entries: ObjectEntry[] = [];
    for (const [name, source] of info.exports) {
      if (name === 'default') continue;
      entries.push({
        kind: 'prop',
        key: name,
        propNode: info.program,
        valueNode: info.program,
        value: () =>
          this.valueOf(info, source, depth) ??
          unknownValue(`"${name}" of ${path.basename(info.file)}`),
      });
    }
    // Names a star re-export adds are not listed: the object may hold more than it shows.
    if (info.stars.length > 0)
      entries.push({
        kind: 'opaque',
        node: info.program,
        reason: `"export *" in ${path.basename(info.file)}`,
      });
    return { kind: 'object', entries, node: info.program };
  }

  private moduleInfo(file: string): ModuleInfo | undefined {
    const text = this.files.readText(file);
    const cached = this.modules.get(file);
    // Most recently used last: the least recently used goes first when the cache is full.
    this.modules.delete(file);
    if (cached && cached.text === text) {
      this.modules.set(file, cached);
      return cached.info;
    }
    let info: ModuleInfo | undefined;
    if (text !== undefined) {
      const parsed = parseNodeSource(file, text);
      if (parsed.ok) {
        const scopes = new ScopeAnalysis(parsed.program);
        const ev = new Evaluator(scopes, file, text, this);
        info = { file, ev, scopes, program: parsed.program, exports: new Map(), stars: [] };
        collectExports(parsed.program, info);
      }
    }
    this.modules.set(file, { text, info });
    if (this.modules.size > MAX_MODULES) this.modules.delete(this.modules.keys().next().value!);
    return info;
  }
}

/** What a module exports and where each value comes from (ES modules and CommonJS). */
function collectExports(program: TSESTree.Program, info: ModuleInfo): void {
  // An export name is an identifier or a string (`export { x as "y" }`).
  const nameOf = (n: EsNode | null | undefined): string | undefined => {
    if (n?.type === 'Identifier') return n.name;
    if ((n?.type === 'Literal' || n?.type === 'StringLiteral') && typeof n.value === 'string')
      return n.value;
    return undefined;
  };
  for (const stmt of program.body) {
    switch (stmt.type) {
      case 'ExportNamedDeclaration': {
        const decl = stmt.declaration;
        if (decl?.type === 'VariableDeclaration') {
          for (const d of decl.declarations)
            if (d.id.type === 'Identifier')
              info.exports.set(d.id.name, { kind: 'local', name: d.id.name });
        } else if (decl?.id?.type === 'Identifier') {
          info.exports.set(decl.id.name, { kind: 'local', name: decl.id.name });
        }
        // Babel adds `ExportNamespaceSpecifier` to TSESTree's specifiers.
        const specifiers: ReadonlyArray<TSESTree.ExportSpecifier | ExportNamespaceSpecifierNode> =
          stmt.specifiers;
        for (const spec of specifiers) {
          const exported = nameOf(spec.exported);
          const local = nameOf('local' in spec ? spec.local : undefined) ?? exported;
          if (!exported || !local) continue;
          if (stmt.source) {
            const specifier = stmt.source.value;
            // `export * as ns from './m'` (Babel: ExportNamespaceSpecifier) re-exports the whole module.
            info.exports.set(exported, {
              kind: 'reexport',
              specifier,
              imported: spec.type === 'ExportNamespaceSpecifier' ? '*' : local,
            });
          } else {
            info.exports.set(exported, { kind: 'local', name: local });
          }
        }
        break;
      }
      case 'ExportAllDeclaration': {
        const specifier = stmt.source.value;
        const exported = nameOf(stmt.exported);
        if (exported) info.exports.set(exported, { kind: 'reexport', specifier, imported: '*' });
        else info.stars.push(specifier);
        break;
      }
      case 'ExportDefaultDeclaration': {
        const decl = stmt.declaration;
        const id: EsNode | null | undefined = 'id' in decl ? decl.id : undefined;
        if (decl.type === 'Identifier')
          info.exports.set('default', { kind: 'local', name: decl.name });
        else if (id?.type === 'Identifier')
          info.exports.set('default', { kind: 'local', name: id.name });
        else info.exports.set('default', { kind: 'expression', node: decl });
        break;
      }
      case 'TSExportAssignment':
        info.commonJs = stmt.expression;
        break;
      case 'ExpressionStatement': {
        const e = unwrap(stmt.expression);
        if (e.type !== 'AssignmentExpression' || e.operator !== '=') break;
        const target = exportTarget(e.left);
        if (target === 'module') info.commonJs = e.right;
        else if (target !== undefined)
          info.exports.set(target, { kind: 'expression', node: e.right });
        break;
      }
      default:
        break;
    }
  }
}

/** `module.exports` → 'module'; `exports.x` / `module.exports.x` → 'x'. */
function exportTarget(left: EsNode): string | undefined {
  if (left.type !== 'MemberExpression' || left.computed) return undefined;
  const obj = left.object;
  const prop = left.property.name;
  if (obj.type === 'Identifier' && obj.name === 'module' && prop === 'exports') return 'module';
  if (obj.type === 'Identifier' && obj.name === 'exports') return prop;
  if (
    obj.type === 'MemberExpression' &&
    !obj.computed &&
    obj.object.type === 'Identifier' &&
    obj.object.name === 'module' &&
    obj.property.name === 'exports'
  )
    return prop;
  return undefined;
}

/**
 * A value of module `file`, placed at `useSite` (a node of `useFile`): every node it carries
 * gets the use site's position and remembers its own (`definedAt`). A function is not carried
 * across: calling it would need its own module's scopes.
 */
function place(value: Value, useSite: EsNode, useFile: string, file: string): Value {
  const at = (n: EsNode | undefined): EsNode => (n ? standIn(n, useSite, useFile, file) : useSite);
  switch (value.kind) {
    case 'primitive':
    case 'ref':
    case 'unknown':
      return { ...value, node: at(value.node) };
    case 'file':
    case 'instance':
      return { ...value, node: at(value.node) };
    case 'function':
      return unknownValue(`a function of ${path.basename(file)}`, useSite);
    case 'array':
      return {
        kind: 'array',
        node: at(value.node),
        elements: value.elements.map((e) => place(e, useSite, useFile, file)),
      };
    case 'conditional':
      return {
        kind: 'conditional',
        node: at(value.node),
        branches: value.branches.map((b) => place(b, useSite, useFile, file)),
      };
    case 'object':
      return {
        kind: 'object',
        node: at(value.node),
        entries: value.entries.map((e): ObjectEntry => {
          switch (e.kind) {
            case 'prop': {
              const valueNode = at(e.valueNode);
              const placed = (): Value => place(e.value(), useSite, useFile, file);
              placedValueOf.set(valueNode, placed);
              return { ...e, propNode: at(e.propNode), valueNode, value: placed };
            }
            case 'spread':
              return { ...e, node: at(e.node), value: place(e.value, useSite, useFile, file) };
            case 'opaque':
              return { ...e, node: at(e.node) };
            case 'removed':
              return e;
          }
        }),
      };
  }
}

/** A copy of a node of `file` with the use site's position; its own position becomes `definedAt`. */
function standIn(
  node: EsNode & Positions,
  useSite: EsNode,
  useFile: string,
  file: string,
): ForeignNode {
  const own: SourceRange = definedAtOf(node) ?? rangeOf(node, file);
  // No offsets: the stand-in's source text is its own (a literal's `raw`), not the use site's.
  const { range: _range, start: _start, end: _end, ...rest } = node;
  // TSESTree declares `range` always present; a stand-in has none, and positions are read
  // through `Positions` (ast.ts), which allows that.
  return { ...rest, loc: locOf(useSite, useFile) ?? null, definedAt: own } as ForeignNode;
}

/** Where to look for project configurations, and an explicit one (`--project`). */
export interface ProjectLookup extends ProjectFiles {
  /** A tsconfig/jsconfig file, or a folder holding one, given by the user. */
  project?: string;
  /** Configurations are looked for from a file's folder up to here (the working directory). */
  boundary: string;
}

/**
 * The import resolver for each file: the nearest tsconfig.json/jsconfig.json (or the one given),
 * one resolver per configuration. Nothing is loaded until a file asks for a value across a
 * module boundary, so projects without such imports never load the TypeScript compiler.
 */
export function projectResolvers(
  lookup: ProjectLookup,
): (file: string, imported?: boolean) => ImportResolver | undefined {
  return perConfig(lookup, (config) => lazyResolver(config, lookup));
}

/**
 * For each file, the project file an import of it names (`./config` → `/p/src/config.ts`), as
 * {@link projectResolvers} resolves it; undefined where no configuration applies (then no value
 * crosses a module boundary). The resolution is the same `ProjectModules` would do, without
 * parsing anything.
 */
export function projectImportTargets(
  lookup: ProjectLookup,
): (file: string, imported?: boolean) => ((specifier: string) => string | undefined) | undefined {
  const forFile = perConfig(lookup, (config) => {
    let modules: ProjectModules | null | undefined;
    return (fromFile: string, specifier: string): string | undefined => {
      if (isBuiltinModule(specifier)) return undefined;
      if (modules === undefined) {
        const read = readCompilerOptions(config, lookup);
        modules = 'options' in read ? new ProjectModules(read.options, lookup) : null;
      }
      return modules?.resolveModule(fromFile, specifier);
    };
  });
  return (file, imported) => {
    const resolve = forFile(file, imported);
    return resolve && ((specifier) => resolve(file, specifier));
  };
}

/**
 * One `T` per project configuration (made on first use), found for each file as
 * {@link projectResolvers} says. `imported`: the file is a module another file imports, not
 * the next file of the run (see below).
 */
function perConfig<T>(
  lookup: ProjectLookup,
  make: (config: string) => T,
): (file: string, imported?: boolean) => T | undefined {
  const byConfig = new Map<string, T>();
  const configOfDir = new Map<string, string | undefined>();
  const given =
    lookup.project &&
    (lookup.project.endsWith('.json')
      ? lookup.project
      : findProjectConfig(lookup.project, lookup.project, lookup));
  const forConfig = (config: string): T => {
    if (!byConfig.has(config)) byConfig.set(config, make(config));
    return byConfig.get(config)!;
  };
  /** The nearest configuration up to the boundary: a folder's own, else its parent's (each once). */
  const configOf = (dir: string): string | undefined => {
    if (!configOfDir.has(dir)) {
      const belowBoundary = dir.startsWith(lookup.boundary + path.sep);
      configOfDir.set(
        dir,
        findProjectConfig(dir, dir, lookup) ??
          (belowBoundary ? configOf(path.dirname(dir)) : undefined),
      );
    }
    return configOfDir.get(dir);
  };
  return (file, imported = false) => {
    if (given) return forConfig(given);
    const dir = path.dirname(file);
    const config = configOf(dir);
    // Files come in walk order: a project the run has left (its parsed modules, its resolution
    // cache) is let go rather than kept to the end; a project's folder holds the file's folder.
    // One the run comes back to (files named in another order) is made again, with the same results.
    if (!imported)
      for (const made of byConfig.keys())
        if (
          made !== config &&
          !dir.startsWith(path.dirname(made) + path.sep) &&
          dir !== path.dirname(made)
        )
          byConfig.delete(made);
    return config ? forConfig(config) : undefined;
  };
}

/** Reads the configuration and loads TypeScript on the first import that needs resolving. */
function lazyResolver(config: string, files: ProjectFiles): ImportResolver {
  let modules: ProjectModules | null | undefined;
  return {
    resolve(fromFile, specifier, name, useSite) {
      if (isBuiltinModule(specifier)) return undefined;
      if (modules === undefined) {
        const read = readCompilerOptions(config, files);
        modules = 'options' in read ? new ProjectModules(read.options, files) : null;
      }
      return modules?.resolve(fromFile, specifier, name, useSite);
    },
    parsed: (file, text) => modules?.parsed(file, text),
  };
}

/** Asked for every import of every module the prefilter and the resolver look at. */
const BUILTIN_MODULES = new Set(builtinModules);

function isBuiltinModule(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  const slash = specifier.indexOf('/');
  return BUILTIN_MODULES.has(slash === -1 ? specifier : specifier.slice(0, slash));
}
