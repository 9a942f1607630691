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
import type { GoDebugValue } from '../../crypto/platforms/go-defaults.js';
import type { TlsContext } from '../../model/context.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import type { LanguageReader, ReadContext, SourceFile } from '../reader.js';
import { loadGrammar, Positions, TreeSitterParseError, errorRegions, type Grammar } from '../tree-sitter/index.js';
import { buildContexts, materialCandidates } from './contexts.js';
import { PackageReader, fileImports, type PackageFile } from './extract.js';
import { GoModFinder, goDebugDirectives, goEnvironment, isMainPackage } from '../../config/go-mod.js';

export { parseGoMod, detectGoModTarget } from '../../config/go-mod.js';

/** Words whose presence in a broken region means a TLS setting may have been missed. */
const TLS_WORDS = /\b(tls\.|Config\b|MinVersion|MaxVersion|CipherSuites|InsecureSkipVerify|ClientAuth|Renegotiation|TLSClientConfig|TLSConfig)/;

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

/**
 * Reads Go sources (files of a tree, or code blocks of a document). `brokenIsNotice` turns a
 * file that does not parse into a notice (fragments in docs) instead of an error.
 */
export async function readGoSources(sources: GoSource[], ctx: ReadContext, options: { brokenIsNotice?: boolean } = {}): Promise<GoReadResult> {
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
  for (const group of byPackage.values()) {
    try {
      readPackage(grammar, group, ctx, mods, nextId, out, options);
    } catch (e) {
      // One package the reader cannot handle must not hide the others.
      const file = group[0]!.path;
      if (e instanceof TreeSitterParseError) out.errors.push({ file, message: e.message });
      else out.errors.push({ file, message: `Internal error in the go reader: ${(e as Error).message}` });
    }
  }
  return out;
}

function readPackage(
  grammar: Grammar,
  group: GoSource[],
  ctx: ReadContext,
  mods: GoModFinder,
  nextId: (file: string) => string,
  out: GoReadResult,
  options: { brokenIsNotice?: boolean },
): void {
  const trees: Array<{ delete(): void }> = [];
  try {
    const files: PackageFile[] = [];
    const directives = new Map<string, GoDebugValue>();
    for (const s of group) {
      // Only files that mention crypto/tls, net/http or grpc can build or use a config; the
      // others still matter for constants, so every file of a package with TLS code is parsed.
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
        if (options.brokenIsNotice) out.notices.push({ file: s.path, message: `${message} (a fragment that does not parse as Go)` });
        else out.errors.push({ file: s.path, message, line: r.line, column: r.column });
        break;
      }
      files.push({ path: s.path, parsed: { root, positions, errors: [], range: (n) => positions.range(n) }, imports: fileImports(root) });
      if (isMainPackage(s.text)) for (const [k, v] of goDebugDirectives(s.text)) directives.set(k, { value: v, source: `//go:debug ${k}=${v} in ${path.basename(s.path)}` });
    }
    if (!files.some((f) => [...f.imports.values()].some((p) => p === 'crypto/tls' || p === 'net/http' || p.startsWith('google.golang.org/grpc')))) return;
    const configs = new PackageReader(files).read();
    const first = group[0]!.path;
    const mod = mods.nearest(first);
    const env = goEnvironment(ctx.targetsFor(first), mod, directives);
    const moduleDir = mod ? path.dirname(mod.path) : undefined;
    for (const obj of configs) {
      out.contexts.push(
        ...buildContexts(obj, {
          env,
          nextId,
          resolveMaterial: (written, from) => materialCandidates(written, from, moduleDir).find((p) => ctx.readBytes(p) !== undefined),
        }),
      );
    }
  } finally {
    for (const t of trees) t.delete();
  }
}

export const goReader: LanguageReader = {
  id: 'go',
  language: 'go',
  matchesPath: (p) => p.endsWith('.go'),
  claims: (file: SourceFile) => file.path.endsWith('.go'),
  async read(files, ctx) {
    const result = await readGoSources(files.map((f) => ({ path: f.path, text: f.text })), ctx);
    return { contexts: result.contexts, errors: result.errors, ...(result.notices.length && { notices: result.notices }) };
  },
};
