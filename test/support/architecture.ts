/**
 * The layers of tls-lint as data, and a checker that finds the imports crossing them.
 *
 * Every TypeScript file under `src/` and `rules/` belongs to a layer named after its folder:
 *   src/model, src/config, src/crypto, src/engine, src/report, src/probe, src/cli → that name;
 *   src/languages/<reader>/…                → `reader` (each folder a reader, found on disk, so a
 *                                               new reader is covered the day it is added);
 *   src/languages/*.ts                       → `readers` (the registry and the reader contract);
 *   rules/<id>/…                            → `rule` (rules/index.ts, the registry, is `rules`);
 *   eslint-plugin/src/…                      → `eslint-plugin` (a host, like the CLI).
 * Imports are read with the TypeScript scanner (static, type-only, re-exports and `import()`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Module {
  /** Path from the root, forward slashes. */
  file: string;
  layer: string;
  /** For `reader` and `rule`: which one (the folder name). */
  unit?: string;
}

export interface Import {
  from: Module;
  to: Module;
  specifier: string;
  line: number;
}

export interface LayerRule {
  /** Why the rule exists, printed with each violation. */
  why: string;
  forbids(i: Import): boolean;
}

const SOURCE = /\.(?:ts|mts|cts)$/;

/** Which layer a file belongs to, or undefined when it is not layered (tests, scripts…). */
export function moduleOf(file: string): Module | undefined {
  const parts = file.split('/');
  if (parts[0] === 'rules') {
    if (parts.length === 2) return { file, layer: 'rules' };
    return { file, layer: 'rule', unit: parts[1]! };
  }
  if (parts[0] === 'eslint-plugin' && parts[1] === 'src') return { file, layer: 'eslint-plugin' };
  if (parts[0] !== 'src' || parts.length < 3) return undefined;
  if (parts[1] === 'languages') {
    if (parts.length === 3) return { file, layer: 'readers' };
    return { file, layer: 'reader', unit: parts[2]! };
  }
  return { file, layer: parts[1]! };
}

/** The layering of the project: what may not import what, and why. */
const LAYER_RULES: readonly LayerRule[] = [
  {
    why: 'readers translate, rules judge: a reader never imports a rule',
    forbids: (i) =>
      (i.from.layer === 'reader' || i.from.layer === 'readers') &&
      (i.to.layer === 'rule' || i.to.layer === 'rules'),
  },
  {
    why: 'rules judge the model, never an AST or a reader',
    forbids: (i) =>
      i.from.layer === 'rule' && (i.to.layer === 'reader' || i.to.layer === 'readers'),
  },
  {
    why: 'model, config and crypto are the foundation: they import no engine, rule or reader',
    forbids: (i) =>
      ['model', 'config', 'crypto'].includes(i.from.layer) &&
      ['engine', 'rule', 'rules', 'reader', 'readers'].includes(i.to.layer),
  },
  {
    why: 'reporters, the probe and the ESLint plugin do not load the lint pipeline (and with it Babel and every reader)',
    forbids: (i) =>
      ['report', 'probe', 'eslint-plugin'].includes(i.from.layer) &&
      i.to.file === 'src/engine/lint.ts',
  },
  {
    why: 'a rule does not import another rule: shared tables live in src/crypto, src/model or src/config',
    forbids: (i) => i.from.layer === 'rule' && i.to.layer === 'rule' && i.from.unit !== i.to.unit,
  },
];

function walk(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(path.join(root, rel)).isDirectory()) walk(root, rel, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
}

/** The source file an import specifier names (`./x.js` → `x.ts`), or undefined for packages. */
export function resolve(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [
    target.replace(/\.(m|c)?js$/, '.$1ts'),
    target,
    `${target}.ts`,
    `${target}/index.ts`,
  ]) {
    try {
      if (statSync(path.join(root, candidate)).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Every import between layered modules under `root` (src/ and rules/). */
export function collectImports(root: string): Import[] {
  const files: string[] = [];
  for (const top of ['src', 'rules', 'eslint-plugin/src']) {
    try {
      walk(root, top, files);
    } catch {
      // a tree without this folder
    }
  }
  const imports: Import[] = [];
  for (const file of files) {
    const from = moduleOf(file);
    if (!from) continue;
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const target = resolve(root, file, ref.fileName);
      const to = target && moduleOf(target);
      if (!to) continue;
      const line = text.slice(0, ref.pos).split('\n').length;
      imports.push({ from, to, specifier: ref.fileName, line });
    }
  }
  return imports;
}

/** One line per forbidden import: `file:line imports specifier — why`. */
export function layerViolations(root: string, rules: readonly LayerRule[] = LAYER_RULES): string[] {
  const out: string[] = [];
  for (const i of collectImports(root)) {
    for (const rule of rules) {
      if (rule.forbids(i))
        out.push(`${i.from.file}:${i.line} imports '${i.specifier}' (${i.to.file}): ${rule.why}`);
    }
  }
  return out;
}
