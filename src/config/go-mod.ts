/**
 * go.mod and `//go:debug`: the Go version whose defaults apply and the GODEBUG settings that
 * change them. The facts about what each version and setting does live in
 * src/crypto/platforms/go-defaults.ts; this module only reads files.
 */
import path from 'node:path';
import type { GoDebugValue, GoEnvironment } from '../crypto/platforms/go-defaults.js';
import type { TargetPlatform, Targets } from './targets.js';

export interface GoMod {
  /** Absolute path of the go.mod. */
  path: string;
  /** `1.21` from `go 1.21` or `go 1.21.3` (patch dropped). */
  go?: string;
  /** `1.22` from `toolchain go1.22.3`. */
  toolchain?: string;
  /** `godebug` lines (Go 1.23+), in order: name → value. */
  godebug: Map<string, string>;
  /** Where each `godebug` setting is written (1-based line, and the column of `name=value`). */
  godebugAt: Map<string, { line: number; column: number; length: number }>;
  module?: string;
}

function majorMinor(v: string): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]!}.${m[2]!}` : undefined;
}

/** Parses the lines of a go.mod that matter here; tolerant of everything else. */
export function parseGoMod(text: string, file: string): GoMod {
  const out: GoMod = { path: file, godebug: new Map(), godebugAt: new Map() };
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const rawLine = lines[i]!;
    const add = (rest: string) =>
      addGoDebug(out.godebug, rest, (name, item) =>
        out.godebugAt.set(name, {
          line: i + 1,
          column: rawLine.indexOf(item) + 1,
          length: item.length,
        }),
      );
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      if (block === 'godebug') add(line);
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, verb, rest] = m as unknown as [string, string, string];
    if (rest === '(') {
      block = verb;
      continue;
    }
    if (verb === 'go') out.go = majorMinor(rest) ?? out.go;
    else if (verb === 'toolchain')
      out.toolchain = majorMinor(rest.replace(/^go/, '')) ?? out.toolchain;
    else if (verb === 'godebug') add(rest);
    else if (verb === 'module') out.module = rest.replace(/^"|"$/g, '');
  }
  return out;
}

function addGoDebug(
  into: Map<string, string>,
  text: string,
  at?: (name: string, item: string) => void,
): void {
  for (const item of text.split(/[\s,]+/)) {
    const m = /^([\w.-]+)=(\S*)$/.exec(item);
    if (m) {
      into.set(m[1]!, m[2]!);
      at?.(m[1]!, item);
    }
  }
}

/** One `//go:debug name=value` directive with its 1-based line. */
export interface GoDebugDirective {
  name: string;
  value: string;
  line: number;
  column: number;
  length: number;
}

/**
 * `//go:debug name=value` directives of a Go file. They count only before the package clause
 * (the go command ignores them elsewhere, and go vet calls them misplaced).
 */
export function goDebugDirectives(text: string): GoDebugDirective[] {
  const out: GoDebugDirective[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (/^\s*package\s/.test(line)) break;
    const m = /^\/\/go:debug[ \t]+(.+)$/.exec(line);
    if (m)
      addGoDebug(new Map(), m[1]!, (name, item) => {
        const eq = item.indexOf('=');
        out.push({
          name,
          value: item.slice(eq + 1),
          line: i + 1,
          column: line.indexOf(item) + 1,
          length: item.length,
        });
      });
  }
  return out;
}

/** Whether a Go source is in package main (where `//go:debug` applies to the program). */
export function isMainPackage(text: string): boolean {
  return /^\s*package\s+main\b/m.test(text);
}

/**
 * The target detector's hook (src/config/detect.ts): the `go` line of a go.mod in `dir` is the
 * detected Go version (the GODEBUG defaults follow it).
 */
export function detectGoModTarget(
  dir: string,
  readText: (p: string) => string | undefined,
  into: Map<TargetPlatform, { version: string; reason: string }>,
): void {
  const text = readText(path.join(dir, 'go.mod'));
  if (text === undefined) return;
  const mod = parseGoMod(text, path.join(dir, 'go.mod'));
  if (mod.go) into.set('go', { version: mod.go, reason: `go.mod "go ${mod.go}"` });
}

/** Finds and caches the nearest go.mod upwards of each folder. */
export class GoModFinder {
  private readonly byDir = new Map<string, GoMod | undefined>();

  constructor(private readonly readText: (p: string) => string | undefined) {}

  nearest(file: string): GoMod | undefined {
    return this.forDir(path.dirname(file));
  }

  private forDir(dir: string): GoMod | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const text = this.readText(path.join(dir, 'go.mod'));
    const parent = path.dirname(dir);
    const found =
      text !== undefined
        ? parseGoMod(text, path.join(dir, 'go.mod'))
        : parent === dir
          ? undefined
          : this.forDir(parent);
    this.byDir.set(dir, found);
    return found;
  }
}

/**
 * The Go environment of a file: version from the targets (CLI > go.mod > assumed), toolchain from
 * go.mod, GODEBUG from go.mod `godebug` lines and `//go:debug` directives of the package's main
 * files (those win, as in `go build`).
 */
export function goEnvironment(
  targets: Targets,
  mod: GoMod | undefined,
  directives: ReadonlyMap<string, GoDebugValue>,
): GoEnvironment {
  const target = targets.get('go');
  const versionSource =
    target.source === 'cli'
      ? `--target go=${target.version}`
      : target.source === 'detected'
        ? target.reason
        : `assumed: ${target.reason}; set the go line in go.mod or --target go=…`;
  const toolchain = target.source === 'cli' || !mod?.toolchain ? target.version : mod.toolchain;
  const godebug = new Map<string, GoDebugValue>();
  for (const [k, v] of mod?.godebug ?? []) {
    const at = mod!.godebugAt.get(k);
    godebug.set(k, {
      value: v,
      source: 'a godebug line in go.mod',
      ...(at && {
        at: {
          file: mod!.path,
          line: at.line,
          column: at.column,
          endLine: at.line,
          endColumn: at.column + at.length,
        },
      }),
    });
  }
  for (const [k, v] of directives) godebug.set(k, v);
  return { version: target.version, versionSource, toolchain, godebug };
}
