/**
 * The Go reader: `crypto/tls` configurations in Go sources, with the defaults of the Go version
 * in go.mod (or `--target go=…`) and the GODEBUG settings of go.mod and `//go:debug`.
 *
 * Files are read per package (one folder): same-package constants, variables and config
 * factories are followed across files. Parsing is tree-sitter (../tree-sitter); a file with
 * syntax errors is still read where its tree is sound, and an error is reported only when a
 * broken region mentions a TLS setting that may have been missed.
 */
import path from 'node:path';
import {
  goDebugSetting,
  goSwitchEffects,
  type GoDebugValue,
} from '../../crypto/platforms/go-defaults.js';
import { newContext, type TlsContext } from '../../model/context.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';
import type { LanguageReader, ReadContext, SourceFile } from '../reader.js';
import { readFailure } from '../failure.js';
import { loadGrammar, Positions, errorRegions, type Grammar } from '../tree-sitter/index.js';
import { buildContexts, materialCandidates } from './contexts.js';
import { applyLoosening } from './env-godebug.js';
import { PackageReader, fileImports, type PackageFile } from './extract.js';
import type { ConfigObject, GoValue } from './values.js';
import {
  GoModFinder,
  goDebugDirectives,
  goEnvironment,
  isMainPackage,
  type GoMod,
} from '../../config/go-mod.js';

/** Words whose presence in a broken region means a TLS setting may have been missed. */
const TLS_WORDS =
  /\b(tls\.|Config\b|MinVersion|MaxVersion|CipherSuites|InsecureSkipVerify|ClientAuth|Renegotiation|TLSClientConfig|TLSConfig)/;

/** One Go source to read; `text` may be a wrapped Markdown fragment with its own line offset. */
export interface GoSource {
  path: string;
  text: string;
  /** Added to every line (code embedded in another file). */
  lineOffset?: number;
  /** Folder that counts as the package (a Markdown block is a package of its own). */
  packageKey?: string;
}

export interface GoReadResult {
  contexts: TlsContext[];
  errors: LintError[];
  notices: LintNotice[];
}

/** One package after parsing: its configs and what the binaries that include it need. */
interface ReadPackage {
  dir: string;
  files: GoSource[];
  mod: GoMod | undefined;
  isMain: boolean;
  /** `//go:debug` directives of its files (main packages only), with where they are written. */
  directives: GoDebugDirectiveAt[];
  /** Import paths of all its files. */
  imports: Set<string>;
  configs: ConfigObject[];
  /** Exported function results and values, for the packages of the module that import it. */
  exports: Map<string, GoValue>;
}

interface GoDebugDirectiveAt {
  name: string;
  value: string;
  at: SourceRange;
  /** The file for messages, relative to the module: `cmd/api/main.go`. */
  shown: string;
}

/**
 * Reads Go sources (files of a tree, or code blocks of a document). `brokenIsNotice` turns a
 * file that does not parse into a notice (fragments in docs) instead of an error.
 *
 * GODEBUG defaults are per program: the go.mod of the main module, then the `//go:debug`
 * directives of the main package being built. So packages are read first, then each package is
 * judged with the GODEBUG of every main package of its module that imports it (all main
 * packages when none visibly does): where they disagree, the settings they change become
 * conditional, one branch per program.
 */
export async function readGoSources(
  sources: GoSource[],
  ctx: ReadContext,
  options: { brokenIsNotice?: boolean } = {},
): Promise<GoReadResult> {
  const grammar = await loadGrammar('go');
  const out: GoReadResult = { contexts: [], errors: [], notices: [] };
  const mods = new GoModFinder((p) => ctx.readText(p));
  const byPackage = new Map<string, GoSource[]>();
  for (const s of sources) {
    const key = s.packageKey ?? path.dirname(s.path);
    byPackage.set(key, [...(byPackage.get(key) ?? []), s]);
  }
  const counters = new Map<string, number>();
  const nextId = (file: string) => {
    const n = (counters.get(file) ?? 0) + 1;
    counters.set(file, n);
    return `${file}#go${n}`;
  };
  // Packages are read on demand: a package that calls another package of its module reads that
  // one first (Go has no import cycles; a cycle here only means the other package is unknown).
  const byImportPath = new Map<string, string>();
  for (const [dir, group] of byPackage) {
    if (group[0]!.packageKey !== undefined) continue;
    const ip = importPathOf(mods.nearest(group[0]!.path), dir);
    if (ip) byImportPath.set(ip, dir);
  }
  const read = new Map<string, ReadPackage | undefined>();
  const packages: ReadPackage[] = [];
  const ensure = (dir: string): ReadPackage | undefined => {
    if (read.has(dir)) return read.get(dir);
    read.set(dir, undefined);
    const group = byPackage.get(dir)!;
    try {
      const pkg = readPackage(grammar, dir, group, mods, out, options, (ip, name) => {
        const other = byImportPath.get(ip);
        return other === undefined ? undefined : ensure(other)?.exports.get(name);
      });
      read.set(dir, pkg);
      packages.push(pkg);
      return pkg;
    } catch (e) {
      // One package the reader cannot handle must not hide the others.
      out.errors.push(readFailure('go', group[0]!.path, e, 'Go package'));
      return undefined;
    }
  };
  for (const dir of byPackage.keys()) ensure(dir);
  const programs = new ProgramIndex(packages);
  for (const pkg of packages) {
    if (!pkg.configs.length) continue;
    try {
      const first = pkg.files[0]!.path;
      const moduleDir = pkg.mod ? path.dirname(pkg.mod.path) : undefined;
      const envs = programs.programsOf(pkg).map((program) => ({
        env: goEnvironment(ctx.targetsFor(first), pkg.mod, program.godebug),
        program: program.name,
      }));
      for (const obj of pkg.configs) {
        out.contexts.push(
          ...buildContexts(obj, {
            env: envs[0]!.env,
            ...(envs.length > 1 && { programs: envs }),
            nextId,
            resolveMaterial: (written, from) =>
              materialCandidates(written, from, moduleDir).find(
                (p) => ctx.readBytes(p) !== undefined,
              ),
          }),
        );
      }
    } catch (e) {
      out.errors.push(readFailure('go', pkg.files[0]!.path, e, 'Go package'));
    }
  }
  out.contexts.push(...switchContexts(programs, ctx, nextId));
  return out;
}

function readPackage(
  grammar: Grammar,
  dir: string,
  group: GoSource[],
  mods: GoModFinder,
  out: GoReadResult,
  options: { brokenIsNotice?: boolean },
  external: (importPath: string, name: string) => GoValue | undefined,
): ReadPackage {
  const mod = mods.nearest(group[0]!.path);
  const pkg: ReadPackage = {
    dir,
    files: group,
    mod,
    isMain: false,
    directives: [],
    imports: new Set(),
    configs: [],
    exports: new Map(),
  };
  const trees: Array<{ delete(): void }> = [];
  try {
    const files: PackageFile[] = [];
    for (const s of group) {
      // Every file of a package with TLS code is parsed: the others still matter for constants.
      const tree = grammar.parse(s.text, s.path);
      trees.push(tree);
      const positions = new Positions(s.text, s.path, s.lineOffset ?? 0);
      const root = tree.rootNode;
      const errors = root.hasError ? errorRegions(root) : [];
      const sourceLines = errors.length ? s.text.split('\n') : [];
      for (const e of errors) {
        // the broken region, widened to its whole lines: does it mention a TLS setting?
        const region = sourceLines.slice(e.startPosition.row, e.endPosition.row + 1).join('\n');
        if (!TLS_WORDS.test(region)) continue;
        const r = positions.range(e);
        const message = `Go syntax error near line ${r.line}: TLS settings in this region were not read`;
        if (options.brokenIsNotice)
          out.notices.push({
            file: s.path,
            message: `${message} (a fragment that does not parse as Go)`,
          });
        else
          out.errors.push({
            file: s.path,
            kind: 'syntax',
            message,
            line: r.line,
            column: r.column,
          });
        break;
      }
      const imports = fileImports(root);
      for (const p of imports.values()) pkg.imports.add(p);
      files.push({
        path: s.path,
        parsed: { root, positions, errors: [], range: (n) => positions.range(n) },
        imports,
      });
      // A main package's own files set its program's GODEBUG; its tests build another program.
      if (!s.path.endsWith('_test.go') && isMainPackage(s.text)) {
        pkg.isMain = true;
        const shown = mod
          ? path.relative(path.dirname(mod.path), s.path).split(path.sep).join('/')
          : path.basename(s.path);
        for (const d of goDebugDirectives(s.text)) {
          const line = d.line + (s.lineOffset ?? 0);
          pkg.directives.push({
            name: d.name,
            value: d.value,
            at: {
              file: s.path,
              line,
              column: d.column,
              endLine: line,
              endColumn: d.column + d.length,
            },
            shown,
          });
        }
      }
    }
    if (
      files.some((f) =>
        [...f.imports.values()].some(
          (p) => p === 'crypto/tls' || p === 'net/http' || p.startsWith('google.golang.org/grpc'),
        ),
      )
    ) {
      const reader = new PackageReader(files, external);
      pkg.configs = reader.read();
      pkg.exports = reader.exports();
    }
    return pkg;
  } finally {
    for (const t of trees) t.delete();
  }
}

/** A program: a main package, and the GODEBUG its `//go:debug` directives set. */
interface Program {
  /** `cmd/api`, for messages; undefined for "the module's programs" (no main package read). */
  name?: string;
  godebug: Map<string, GoDebugValue>;
}

/**
 * The main packages of each module among the packages read, and which of them include a given
 * package (through imports within the module, followed transitively).
 */
class ProgramIndex {
  private readonly byImportPath = new Map<string, ReadPackage>();
  private readonly mains = new Map<string, ReadPackage[]>();
  private readonly closures = new Map<ReadPackage, Set<ReadPackage>>();

  constructor(readonly packages: ReadPackage[]) {
    for (const p of packages) {
      const ip = importPath(p);
      if (ip) this.byImportPath.set(ip, p);
      if (p.isMain) {
        const key = p.mod?.path ?? '';
        this.mains.set(key, [...(this.mains.get(key) ?? []), p]);
      }
    }
  }

  /** The programs whose GODEBUG applies to a package; one entry when they all agree. */
  programsOf(pkg: ReadPackage): Program[] {
    const mains = pkg.isMain ? [pkg] : this.mainsIncluding(pkg);
    if (!mains.length) return [{ godebug: new Map() }];
    const programs = mains.map((m) => program(m));
    const distinct = new Map<string, Program>();
    for (const p of programs) {
      const key = [...p.godebug]
        .filter(([k]) => k === 'default' || goDebugSetting(k))
        .map(([k, v]) => `${k}=${v.value}`)
        .sort()
        .join(',');
      const seen = distinct.get(key);
      if (seen) seen.name = seen.name && p.name ? `${seen.name}, ${p.name}` : seen.name;
      else distinct.set(key, { ...p });
    }
    return [...distinct.values()];
  }

  /** Every main package read, per module (for the process-wide switches). */
  modules(): Array<{ mod: GoMod | undefined; mains: ReadPackage[]; some: ReadPackage }> {
    const out = new Map<
      string,
      { mod: GoMod | undefined; mains: ReadPackage[]; some: ReadPackage }
    >();
    for (const p of this.packages) {
      const key = p.mod?.path ?? `no-module:${p.dir}`;
      if (!out.has(key))
        out.set(key, {
          mod: p.mod,
          mains: p.mod ? (this.mains.get(p.mod.path) ?? []) : p.isMain ? [p] : [],
          some: p,
        });
    }
    return [...out.values()];
  }

  private mainsIncluding(pkg: ReadPackage): ReadPackage[] {
    const all = this.mains.get(pkg.mod?.path ?? '') ?? [];
    if (!pkg.mod) return [];
    const including = all.filter((m) => this.closure(m).has(pkg));
    // Not visibly imported by any main package of the module: any of them may include it.
    return including.length ? including : all;
  }

  private closure(main: ReadPackage): Set<ReadPackage> {
    let seen = this.closures.get(main);
    if (seen) return seen;
    seen = new Set([main]);
    const stack = [main];
    while (stack.length) {
      for (const ip of stack.pop()!.imports) {
        const dep = this.byImportPath.get(ip);
        if (dep && !seen.has(dep)) {
          seen.add(dep);
          stack.push(dep);
        }
      }
    }
    this.closures.set(main, seen);
    return seen;
  }
}

function importPath(p: ReadPackage): string | undefined {
  return importPathOf(p.mod, p.dir);
}

/** `example.com/m/internal/tlsconf` for the folder internal/tlsconf of module example.com/m. */
function importPathOf(mod: GoMod | undefined, dir: string): string | undefined {
  if (!mod?.module) return undefined;
  const rel = path.relative(path.dirname(mod.path), dir).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  return rel ? `${mod.module}/${rel}` : mod.module;
}

function program(main: ReadPackage): Program {
  const godebug = new Map<string, GoDebugValue>();
  let name: string | undefined;
  for (const d of main.directives) {
    godebug.set(d.name, {
      value: d.value,
      source: `//go:debug ${d.name}=${d.value} in ${d.shown}`,
      at: d.at,
    });
  }
  if (main.mod)
    name = path.relative(path.dirname(main.mod.path), main.dir).split(path.sep).join('/') || '.';
  return { ...(name && { name }), godebug };
}

/**
 * One process-wide context per GODEBUG switch someone wrote that loosens what the programs of a
 * module accept (x509sha1, tlssha1, tlsunsafeekm), at the godebug line or directive.
 */
function switchContexts(
  programs: ProgramIndex,
  ctx: ReadContext,
  nextId: (file: string) => string,
): TlsContext[] {
  const out: TlsContext[] = [];
  const done = new Set<string>();
  for (const { mod, mains, some } of programs.modules()) {
    const list: Program[] = mains.length ? mains.map(program) : [{ godebug: new Map() }];
    for (const prog of list) {
      const env = goEnvironment(ctx.targetsFor(some.files[0]!.path), mod, prog.godebug);
      for (const effect of goSwitchEffects(env)) {
        const at = effect.written.at;
        if (!at) continue;
        const key = `${effect.name}@${at.file}:${at.line}:${at.column}`;
        if (done.has(key)) continue;
        done.add(key);
        const fromMod = mod && at.file === mod.path;
        const label = fromMod
          ? `the Go programs of module ${mod.module ?? path.basename(path.dirname(mod.path))}`
          : `the Go program built from ${prog.name ?? path.basename(path.dirname(at.file))}`;
        const c = newContext({
          id: nextId(at.file),
          language: 'go',
          role: 'either',
          at,
          enabledAt: at,
          label,
          api: `GODEBUG ${effect.name}`,
          recognition: 'known-api',
          scope: 'process',
        });
        c.tlsLibrary = 'go';
        const raw = `${effect.name}=${effect.written.value}`;
        const source = fromMod ? 'godebug' : '//go:debug';
        applyLoosening(c, effect.effect, at, source, raw, effect.written.source);
        out.push(c);
      }
    }
  }
  return out;
}

export const goReader: LanguageReader = {
  id: 'go',
  language: 'go',
  matchesPath: (p) => p.endsWith('.go'),
  claims: (file: SourceFile) => file.path.endsWith('.go'),
  async read(files, ctx) {
    const result = await readGoSources(
      files.map((f) => ({ path: f.path, text: f.text })),
      ctx,
    );
    return {
      contexts: result.contexts,
      errors: result.errors,
      ...(result.notices.length && { notices: result.notices }),
    };
  },
};
