/**
 * One file's findings inside ESLint: the Node extractor on the AST ESLint already parsed, then
 * the engine's rules (`judgeContexts`) and tls-lint's own suppression comments — the same code
 * path as the CLI, so the editor shows what `tls-lint` prints. Every tls-lint rule of the plugin
 * asks for the same file; the analysis runs once per file (and per distinct settings).
 */
import { readFileSync, statSync } from 'node:fs';
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
} from '../../src/languages/node/index.js';
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
  // Most files of a project cannot configure TLS at all: they cost one text scan. Type-level
  // test files (`*.test-d.ts`) are never run: the CLI's reader skips them too.
  if (!mayConfigureTls(text) || isTypeTestPath(filename)) return EMPTY;
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
function readText(path: string): string | undefined {
  let mtimeMs: number;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > DEFAULT_MAX_FILE_BYTES) return undefined;
    mtimeMs = st.mtimeMs;
  } catch {
    return undefined;
  }
  const hit = textCache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.text;
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = undefined;
  }
  textCache.set(path, { mtimeMs, text });
  return text;
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
