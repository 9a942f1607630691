/**
 * One file's findings inside ESLint: the Node extractor on the AST ESLint already parsed, then
 * the engine's rules (`judgeContexts`) and tls-lint's own suppression comments — the same code
 * path as the CLI, so the editor shows what `tls-lint` prints. Every tls-lint rule of the plugin
 * asks for the same file; the analysis runs once per file (and per distinct settings).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { RULES } from '../../rules/index.js';
import { TargetDetector } from '../../src/config/detect.js';
import { Targets } from '../../src/config/targets.js';
import { judgeContexts } from '../../src/engine/judge.js';
import { DEFAULT_MAX_FILE_BYTES, SourceCache } from '../../src/engine/source-cache.js';
import { parseSuppressions } from '../../src/engine/suppress.js';
import {
  extractNodeContexts,
  isTypeTestPath,
  mayConfigureTls,
  mayReceiveTls,
} from '../../src/languages/node/index.js';
import type { PrefilterContext } from '../../src/languages/reader.js';
import type { EsNode } from '../../src/languages/node/ast.js';
import type { Finding, LintError } from '../../src/model/finding.js';
import { relativizeMessage } from '../../src/engine/judge.js';
import { loadMaterial } from '../../src/engine/material.js';
import { ProjectModules, projectResolvers } from '../../src/languages/node/project-modules.js';
import type { ImportResolver } from '../../src/languages/node/values.js';
import type { CompilerOptions } from 'typescript';
import type { ResolvedSettings } from './settings.js';

export interface FileAnalysis {
  /** Findings in this file by rule id. */
  byRule: Map<string, Finding[]>;
  /** Problems the analysis itself ran into (reported once, by the first rule that runs). */
  errors: string[];
}

const EMPTY: FileAnalysis = { byRule: new Map(), errors: [] };
const cache = new WeakMap<object, Map<string, FileAnalysis>>();

/** Where the file sits: ESLint's working directory and typescript-eslint's program, if any. */
export interface FileSetting {
  cwd: string;
  /** `parserServices.program` when typescript-eslint runs with type information. */
  program?: { getCompilerOptions(): object } | null;
}

export function analyzeFile(
  ast: EsNode,
  filename: string,
  text: string,
  settings: ResolvedSettings,
  where: FileSetting,
): FileAnalysis {
  let perSettings = cache.get(ast);
  if (!perSettings) {
    perSettings = new Map();
    cache.set(ast, perSettings);
  }
  let analysis = perSettings.get(settings.key);
  if (!analysis) {
    analysis = run(ast, filename, text, settings, where);
    perSettings.set(settings.key, analysis);
  }
  return analysis;
}

function run(
  ast: EsNode,
  filename: string,
  text: string,
  settings: ResolvedSettings,
  where: FileSetting,
): FileAnalysis {
  // Most files of a project cannot configure TLS at all: they cost one text scan (and, in a
  // tsconfig project, a look at what they import). Type-level test files (`*.test-d.ts`) are
  // never run: the CLI's reader skips them too.
  if (isTypeTestPath(filename)) return EMPTY;
  if (!mayConfigureTls(text) && !receivesTls(filename, text, where)) return EMPTY;
  const targets = new Targets(settings.targets).withDetected(() => detector.forFile(filename));
  const errors: string[] = [];
  let findings: Finding[];
  try {
    const imports = importsFor(filename, where);
    const { contexts } = extractNodeContexts(ast, {
      file: filename,
      targets,
      sourceText: text,
      ...(imports && { imports }),
    });
    // Certificates and keys the file names: read fresh for each analysis (they change rarely, and
    // an editor session must see a renewed one). Problems with them are the file's problems.
    const problems: LintError[] = [];
    loadMaterial(contexts, new SourceCache(), where.cwd, problems, []);
    const judged = judgeContexts(contexts, {
      rules: RULES,
      policy: settings.policy,
      targetsFor: () => targets,
    });
    findings = judged.findings.map((f) => ({ ...f, ...relativizeMessage(f, where.cwd) }));
    errors.push(...[...problems, ...judged.errors].map((e) => e.message));
  } catch (e) {
    return {
      byRule: new Map(),
      errors: [`tls-lint could not analyse this file: ${(e as Error).message}`],
    };
  }
  const suppressions = parseSuppressions(text);
  const seen = new Set<string>();
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) {
    // Findings about another file (a certificate's own location) belong to that file's report.
    if (f.at.file !== filename || suppressions.isSuppressed(f.ruleId, f.at.line)) continue;
    const key = `${f.ruleId}\0${f.at.line}\0${f.at.column}\0${f.at.endLine}\0${f.at.endColumn}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byRule.get(f.ruleId) ?? [];
    list.push(f);
    byRule.set(f.ruleId, list);
  }
  return { byRule, errors };
}

/**
 * Project files read for targets (package.json `engines.node`) are cached by modification time:
 * an editor session sees an edited package.json on the next lint.
 */
const textCache = new Map<string, { mtimeMs: number; text: string | undefined }>();
/**
 * Texts kept at most, the most recently read: an editor session's ESLint process lives for
 * hours, and the value resolver reads any module of the project (it keeps 128 parsed).
 */
const MAX_TEXTS = 512;
function readText(path: string): string | undefined {
  return readTimed(path, true)?.text;
}

/**
 * A file's text and its modification time; undefined when it is not a readable file. `cache`:
 * kept for the next read while the file is unchanged.
 */
function readTimed(
  path: string,
  cache: boolean,
): { mtimeMs: number; text: string | undefined } | undefined {
  let mtimeMs: number;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > DEFAULT_MAX_FILE_BYTES) return undefined;
    mtimeMs = st.mtimeMs;
  } catch {
    return undefined;
  }
  const hit = textCache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return remember(path, hit);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = undefined;
  }
  const read = { mtimeMs, text };
  return cache ? remember(path, read) : read;
}

/** Keeps a read as the most recently used (last), letting go of the oldest past MAX_TEXTS. */
function remember<T extends { mtimeMs: number; text: string | undefined }>(
  path: string,
  read: T,
): T {
  textCache.delete(path);
  textCache.set(path, read);
  if (textCache.size > MAX_TEXTS) textCache.delete(textCache.keys().next().value!);
  return read;
}

/** A file's or folder's modification time; -1 when there is none. */
function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * The CLI's prefilter also keeps a file without TLS words of its own when, in a tsconfig or
 * jsconfig project, a module it imports (or one of theirs) has them (`mayReceiveTls`): an
 * options object written there and handed on here is reported here. Its answers (which modules
 * name TLS, which reach one) are kept per working directory. An editor session edits and adds
 * files: a "no" is trusted only while every file the check read, and every folder where it looked
 * for a file that was not there, is unchanged, else it is asked again afresh. A "yes" is not
 * checked: at worst the file is analysed for nothing (the analysis reads the modules anew).
 */
const importChecks = new Map<string, ImportCheck>();
interface ImportCheck {
  ctx: PrefilterContext;
  /** Modification times of the files read and of the folders of files not found. */
  read: Map<string, number>;
}

function receivesTls(filename: string, text: string, where: FileSetting): boolean {
  const kept = importChecks.get(where.cwd);
  if (kept) {
    if (mayReceiveTls(filename, text, kept.ctx)) return true;
    if (unchanged(kept)) return false;
  }
  const fresh = newImportCheck(where.cwd);
  importChecks.set(where.cwd, fresh);
  return mayReceiveTls(filename, text, fresh.ctx);
}

function newImportCheck(cwd: string): ImportCheck {
  const read = new Map<string, number>();
  const ctx: PrefilterContext = {
    cwd,
    readText: (file) => {
      // Not kept: the check keeps what it found in a text, not the text.
      const r = readTimed(file, false);
      if (r?.text !== undefined) read.set(file, r.mtimeMs);
      else {
        // Not there (yet): a file added to its folder changes the folder's time.
        const folder = dirname(file);
        if (!read.has(folder)) read.set(folder, modifiedAt(folder));
      }
      return r?.text;
    },
  };
  return { ctx, read };
}

function unchanged(check: ImportCheck): boolean {
  for (const [file, mtimeMs] of check.read) if (modifiedAt(file) !== mtimeMs) return false;
  return true;
}

/** A fresh detector per lookup would re-read every package.json; this one re-reads only changed ones. */
const detector = {
  forFile: (file: string) => new TargetDetector(readText).forFile(file),
};

const byProgram = new WeakMap<object, ImportResolver>();
const byCwd = new Map<string, (file: string) => ImportResolver | undefined>();

/**
 * Values across modules: with type information, typescript-eslint's program says how modules
 * resolve; without it, the nearest tsconfig.json/jsconfig.json does, as on the command line.
 */
function importsFor(filename: string, where: FileSetting): ImportResolver | undefined {
  const program = where.program;
  if (program) {
    let resolver = byProgram.get(program);
    if (!resolver) {
      resolver = new ProjectModules(program.getCompilerOptions() as CompilerOptions, { readText });
      byProgram.set(program, resolver);
    }
    return resolver;
  }
  let lookup = byCwd.get(where.cwd);
  if (!lookup) {
    lookup = projectResolvers({ readText, boundary: where.cwd });
    byCwd.set(where.cwd, lookup);
  }
  return lookup(filename);
}
