#!/usr/bin/env node
// Per-file cost of the ESLint plugin in an editor, and the CLI's cost of following values across
// modules (run on demand, never in `npm test`).
//
//   npm run build && node bench/eslint-plugin-bench.mjs [--dir <tree>] [--runs 5]
//
// Default tree: the project's own sources (src/, rules/, eslint-plugin/src/, test/). Pass the real
// corpus of the speed benchmark (`--dir`) for a larger sample. For each JS/TS file ESLint parses it
// (espree or typescript-eslint's parser) once with no rules and once with `configs.recommended`;
// the plugin's cost is the difference, per file, median of `--runs` runs. Files whose text names
// nothing TLS-related (the Node reader's prefilter) are reported apart: they should cost nearly
// nothing. Then `tls-lint` runs over the tree with and without `--no-project` to show what
// resolving imported values costs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;
const runs = Number(arg('--runs', '5'));
const dirs = process.argv.includes('--dir')
  ? [path.resolve(arg('--dir'))]
  : ['src', 'rules', 'eslint-plugin/src', 'test'].map((d) => path.join(root, d));

const { default: plugin } = await import(path.join(root, 'dist/eslint-plugin/src/index.js'));
const { mayConfigureTls } = await import(path.join(root, 'dist/src/languages/node/prefilter.js'));

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...walk(full));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts') && st.size < 1 << 20) out.push(full);
  }
  return out;
}
const files = dirs.flatMap(walk);

const base = [
  {
    files: ['**/*.{js,jsx,mjs,cjs}'],
    languageOptions: { ecmaVersion: 'latest', parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
];
const withPlugin = [...base, plugin.configs.recommended];
const linter = new Linter({ configType: 'flat', cwd: root });

function time(config, text, file) {
  const t0 = process.hrtime.bigint();
  linter.verify(text, config, file);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

const costs = { tls: [], plain: [] };
let parseOnly = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  // A fresh copy of the text each run: the plugin caches by AST, ESLint parses anew every verify.
  time(withPlugin, text, file); // warm up the analysis code paths
  const bare = [];
  const full = [];
  for (let i = 0; i < runs; i++) {
    bare.push(time(base, text, file));
    full.push(time(withPlugin, text, file));
  }
  parseOnly += median(bare);
  costs[mayConfigureTls(text) ? 'tls' : 'plain'].push(Math.max(0, median(full) - median(bare)));
}
const all = [...costs.tls, ...costs.plain];
const fmt = (ms) => `${ms.toFixed(2)} ms`;
console.log(
  `ESLint plugin over ${files.length} files (${dirs.map((d) => path.relative(process.cwd(), d) || '.').join(', ')}), ${runs} runs each`,
);
console.log(
  `  plugin cost per file: median ${fmt(median(all))}, p90 ${fmt(pct(all, 0.9))}, max ${fmt(Math.max(0, ...all))}`,
);
console.log(
  `  files with TLS words (${costs.tls.length}): median ${fmt(median(costs.tls))}, p90 ${fmt(pct(costs.tls, 0.9))}`,
);
console.log(
  `  files without (${costs.plain.length}, skipped by the prefilter): median ${fmt(median(costs.plain))}, p90 ${fmt(pct(costs.plain, 0.9))}`,
);
console.log(
  `  ESLint's own parse time, for scale: ${fmt(parseOnly / Math.max(1, files.length))} per file`,
);

function cli(extra) {
  const times = [];
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(
      process.execPath,
      [path.join(root, 'bin/tls-lint.js'), '--format', 'json', ...extra, ...dirs],
      { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}
const off = cli(['--no-project']);
const on = cli([]);
console.log(
  `tls-lint over the same tree: ${fmt(on)} following imports, ${fmt(off)} with --no-project (overhead ${fmt(on - off)}, ${(on / off).toFixed(2)}x)`,
);
