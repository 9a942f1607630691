#!/usr/bin/env node
// Lint throughput and memory on a real tree (run on demand, never in `npm test`).
//
//   npm run build && node bench/build-corpus.mjs && node bench/lint-bench.mjs --dir <tree>
//
// Options: --dir <tree> (default: tls-corpus in the temp folder, as build-corpus.mjs makes it),
// --runs N (tls-lint and ripgrep, interleaved; default 3), --eslint-runs N (default 1),
// --eslint-dir <folder holding eslint, eslint-plugin-sonarjs and @typescript-eslint/parser>
// (default: $TLS_LINT_ESLINT_DIR, else skipped), --no-scale (skip the RSS-by-size runs).
//
// Prints, in one run so that the ratios share the machine's load: tls-lint's wall time, CPU time
// and peak RSS (both measured from outside by /usr/bin/time), files/s, how many files the
// readers' prefilters kept, the ratio to ripgrep searching the same JS/TS files for the same
// words, and the ratio to ESLint 9 with eslint-plugin-sonarjs's TLS rules only (`weak-ssl` S4423,
// `unverified-certificate` S4830, `unverified-hostname` S5527) over the same files. Then peak
// RSS at growing slices of the tree: it must stay flat.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { DEFAULT_CORPUS, arg, fromDist, root } from './common.mjs';

const dir = path.resolve(arg('--dir', DEFAULT_CORPUS));
const runs = Number(arg('--runs', '3'));
const eslintRuns = Number(arg('--eslint-runs', '1'));
const eslintDir = arg('--eslint-dir', process.env.TLS_LINT_ESLINT_DIR);
const dist = path.join(root, 'dist');
if (!existsSync(dir)) {
  console.error(`No tree at ${dir}: build one with \`node bench/build-corpus.mjs\` or pass --dir.`);
  process.exit(2);
}
if (!existsSync(path.join(dist, 'src/engine/lint.js'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}
const MAX_BYTES = 2 * 1024 * 1024;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;

// --- what the tree holds, and what the prefilters keep (not timed) ----------------------------
const { discoverFiles } = await fromDist('src/engine/discover.js');
const { READERS } = await fromDist('src/languages/index.js');
const { TLS_ANCHORS, SWITCH_ANCHOR } = await fromDist('src/languages/node/prefilter.js');
const { minifiedSkip } = await fromDist('src/engine/minified.js');

function census(paths) {
  const { files } = discoverFiles(paths, dir);
  let sources = 0;
  let claimed = 0;
  let kept = 0;
  let minified = 0;
  const big = [];
  const byReader = new Map();
  // What a prefilter may read besides the file (the modules it imports), as the engine gives it.
  const ctx = {
    readText: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    cwd: dir,
  };
  for (const { path: file } of files) {
    const isSource = SOURCE.test(file) && !DECLARATION.test(file);
    const candidates = READERS.filter((r) => r.matchesPath(file));
    if (candidates.length === 0) continue;
    let size;
    try {
      size = statSync(file).size;
    } catch {
      continue;
    }
    if (size > MAX_BYTES) {
      if (isSource) big.push(file);
      continue;
    }
    if (isSource) sources++;
    const text = readFileSync(file, 'utf8');
    const source = { path: file, text, explicit: false };
    const claiming = candidates.filter((r) => r.claims(source));
    if (claiming.length === 0) continue;
    claimed++;
    const keeping = claiming.filter((r) => !r.prefilter || r.prefilter(source, ctx));
    // A minified bundle that would be parsed is skipped (and named in the run's notice).
    if (keeping.length && minifiedSkip(source, {})) {
      minified++;
      continue;
    }
    if (keeping.length) kept++;
    for (const r of keeping) byReader.set(r.id, (byReader.get(r.id) ?? 0) + 1);
  }
  return { files: files.length, sources, claimed, kept, minified, big, byReader };
}

// --- the tools -----------------------------------------------------------------------------
function timed(cmd, args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...options,
  });
  const line = r.stderr
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('TIME '));
  if (!line) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  const [wall, user, sys, rssKb] = line.slice(5).split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: r.stdout, status: r.status };
}

/**
 * tls-lint over `paths`: time, peak RSS, findings and errors. With `traceGc`, run with V8's
 * --trace-gc (its lines go to stdout before the report), also the main thread's heap after the
 * run's last full collection (the first isolate to report is the main thread's).
 */
function tlsLint(paths, { traceGc = false } = {}) {
  const r = timed(
    process.execPath,
    [
      ...(traceGc ? ['--trace-gc'] : []),
      path.join(root, 'bin/tls-lint.js'),
      '--format',
      'json',
      ...paths,
    ],
    { cwd: dir },
  );
  const trace = /^\[\d+:(0x[0-9a-f]+)\]\s/;
  const lines = r.stdout.split('\n');
  // Per thread (V8 isolate), the largest heap left after a full collection: what the run held at
  // most, garbage aside. The main thread's lines come first (the worker starts later).
  let main;
  const kept = new Map();
  for (const l of lines) {
    const isolate = trace.exec(l)?.[1];
    if (!isolate) continue;
    main ??= isolate;
    const m = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) /.exec(l);
    if (m) kept.set(isolate, Math.max(kept.get(isolate) ?? 0, Number(m[1])));
  }
  const report = JSON.parse(lines.filter((l) => !trace.test(l)).join('\n'));
  const workers = [...kept].filter(([isolate]) => isolate !== main).map(([, mb]) => mb);
  return {
    ...r,
    findings: report.findings.length,
    errors: report.errors.length,
    keptMb: kept.get(main),
    workerKeptMb: workers.length ? Math.max(...workers) : undefined,
  };
}

/** A copy of a folder made of hard links (no bytes copied), or a real copy across devices. */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isFile()) {
      try {
        linkSync(a, b);
      } catch {
        copyFileSync(a, b);
      }
    }
  }
}

// The prefilter's own pattern, which PCRE2 runs as it is (its lookbehinds have fixed lengths);
// and the same words without the lookarounds, for ripgrep's faster default engine.
/** A pattern without its lookaround groups (escapes and character classes respected). */
function withoutLookarounds(source) {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (!/^\(\?<?[!=]/.test(source.slice(i, i + 4))) {
      out += source[i];
      if (source[i] === '\\') out += source[++i];
      continue;
    }
    // Skip to the group's closing parenthesis.
    let depth = 0;
    let inClass = false;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
  }
  return out;
}
const rgPatterns = {
  pcre: ['-P', '-e', `${TLS_ANCHORS.source}|(?i:${SWITCH_ANCHOR.source})`],
  plain: ['-e', `${withoutLookarounds(TLS_ANCHORS.source)}|(?i:${SWITCH_ANCHOR.source})`],
};
const rgAvailable = spawnSync('rg', ['--version']).status === 0;
function ripgrep(engine) {
  const r = timed(
    'rg',
    [
      ...rgPatterns[engine].slice(0, -2),
      '-l',
      '--no-messages',
      '--max-filesize',
      '2M',
      '-g',
      '*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}',
      '-g',
      '!*.d.{ts,mts,cts}',
      ...rgPatterns[engine].slice(-2),
      '.',
    ],
    { cwd: dir },
  );
  return { ...r, matched: r.stdout.split('\n').filter(Boolean).length };
}

/** Node alone: walk and read the same files on one thread (and test them, with `regex`). */
function readFloor(regex) {
  const r = timed(
    process.execPath,
    [path.join(root, 'bench/read-floor.mjs'), dir, ...(regex ? ['--regex'] : [])],
    { cwd: dir },
  );
  return r;
}

let eslintConfig;
if (
  eslintDir &&
  ['eslint', 'eslint-plugin-sonarjs', '@typescript-eslint/parser'].every((p) =>
    existsSync(path.join(eslintDir, 'node_modules', p, 'package.json')),
  )
) {
  eslintConfig = path.join(eslintDir, 'tls-lint-bench.config.mjs');
}
function eslint(big) {
  const rules = {
    'sonarjs/weak-ssl': 'error',
    'sonarjs/unverified-certificate': 'error',
    'sonarjs/unverified-hostname': 'error',
  };
  // The files tls-lint skips (over 2 MiB, declarations) are left out for ESLint too.
  const ignores = [
    '**/*.d.ts',
    '**/*.d.mts',
    '**/*.d.cts',
    ...big.map((f) => path.relative(dir, f)),
  ];
  writeFileSync(
    eslintConfig,
    `import sonarjs from 'eslint-plugin-sonarjs';
import tsParser from '@typescript-eslint/parser';
const rules = ${JSON.stringify(rules)};
export default [
  { ignores: ${JSON.stringify(ignores)} },
  { files: ['**/*.{js,mjs,jsx}'], plugins: { sonarjs }, rules, languageOptions: { sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: ['**/*.cjs'], plugins: { sonarjs }, rules, languageOptions: { sourceType: 'commonjs' } },
  { files: ['**/*.{ts,mts,cts,tsx}'], plugins: { sonarjs }, rules, languageOptions: { parser: tsParser } },
];
`,
  );
  const bin = path.join(eslintDir, 'node_modules/eslint/bin/eslint.js');
  const r = timed(
    process.execPath,
    [bin, '--no-inline-config', '--no-warn-ignored', '-c', eslintConfig, '-f', 'json', '.'],
    { cwd: dir },
  );
  let findings = 0;
  try {
    findings = JSON.parse(r.stdout).reduce(
      (n, f) => n + f.messages.filter((m) => m.ruleId?.startsWith('sonarjs/')).length,
      0,
    );
  } catch {
    /* a crash shows in the time alone */
  }
  return { ...r, findings };
}

const median = (xs, key) => [...xs].sort((a, b) => a[key] - b[key])[Math.floor(xs.length / 2)];
const s = (x) => `${x.toFixed(2)} s`;

const all = census([dir]);
console.log(`tree: ${dir}`);
console.log(
  `  ${all.files} files, ${all.sources} JS/TS sources (.d.ts not counted, ${all.big.length} over 2 MiB skipped)`,
);
console.log(
  `  load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${cpus().length} cores)`,
);
console.log(
  `  claimed by a reader: ${all.claimed}; kept by the prefilters (parsed): ${all.kept} (${((100 * all.kept) / all.claimed).toFixed(1)}%); minified bundles skipped: ${all.minified}`,
);
console.log(
  `  kept per reader: ${[...all.byReader].map(([id, n]) => `${id} ${n}`).join(', ')} (node: ${((100 * (all.byReader.get('node') ?? 0)) / all.sources).toFixed(1)}% of the JS/TS sources)`,
);

const lintRuns = [];
const rgRuns = { pcre: [], plain: [] };
const floorRuns = { read: [], regex: [] };
for (let i = 0; i < runs; i++) {
  if (rgAvailable) for (const engine of Object.keys(rgRuns)) rgRuns[engine].push(ripgrep(engine));
  for (const kind of Object.keys(floorRuns)) floorRuns[kind].push(readFloor(kind === 'regex'));
  lintRuns.push(tlsLint([dir]));
}
const lint = median(lintRuns, 'wall');
console.log(
  `\ntls-lint: ${s(lint.wall)} wall (median of ${runs}), ${s(lint.cpu)} CPU (${((100 * lint.cpu) / lint.wall).toFixed(0)}% of one core), ${(all.sources / lint.wall).toFixed(0)} files/s, peak RSS ${lint.rssMb.toFixed(0)} MiB; ${lint.findings} findings, ${lint.errors} errors`,
);
if (rgAvailable) {
  const ratio = (a, b) =>
    b >= 0.01 ? `${(a / b).toFixed(2)}x` : 'n/a (too fast to time: use a larger tree)';
  const what = {
    pcre: "ripgrep -P (same files, the prefilter's own pattern)",
    plain: 'ripgrep (same files, same words without lookarounds, URLs included)',
  };
  for (const engine of Object.keys(rgRuns)) {
    const rg = median(rgRuns[engine], 'wall');
    console.log(
      `${what[engine]}: ${s(rg.wall)} wall, ${s(rg.cpu)} CPU, ${rg.matched} files matched`,
    );
    console.log(
      `  ratio tls-lint / ripgrep: ${ratio(lint.wall, rg.wall)} wall   (target <= 3x); CPU time ${ratio(lint.cpu, rg.cpu)}`,
    );
  }
} else {
  console.log('ripgrep: not installed (Debian: apt-get install ripgrep), ratio not measured');
}
// What reading alone costs in Node (bench/read-floor.mjs): the floor under any Node linter.
const floor = { read: median(floorRuns.read, 'wall'), regex: median(floorRuns.regex, 'wall') };
const plainRg = rgAvailable ? median(rgRuns.plain, 'wall') : undefined;
const ofRg = (x) =>
  plainRg && plainRg.wall >= 0.01 ? ` (${(x.wall / plainRg.wall).toFixed(2)}x plain ripgrep)` : '';
console.log(
  `Node alone, one thread, same files: walk and read ${s(floor.read.wall)}${ofRg(floor.read)}; with the prefilter's regex ${s(floor.regex.wall)}${ofRg(floor.regex)}`,
);
if (!process.argv.includes('--no-scale')) {
  // Peak RSS by tree size, two ways. Growing slices (the first top-level folders, in name order)
  // add other content as they grow: a folder with a tsconfig project loads the TypeScript
  // compiler (about 47 MiB of RSS per thread), a large bundle needs a large tree for a moment.
  // Copies of one slice grow the tree and nothing else: what a run keeps per file shows there.
  // For each run, the main thread's heap after its last full collection (V8's --trace-gc): what
  // the run still held, garbage aside.
  const tops = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .sort();
  const mb = (x) => (x === undefined ? 'n/a (no full GC)' : `${x.toFixed(0)} MB`);
  const line = (label, r) =>
    console.log(
      `  ${label}: ${s(r.wall)}, peak RSS ${r.rssMb.toFixed(0)} MiB; most kept (heap after a full GC): main thread ${mb(r.keptMb)}${r.workerKeptMb === undefined ? '' : `, worker ${mb(r.workerKeptMb)}`}`,
    );
  console.log('\npeak RSS by tree size, growing slices of the tree (other content as they grow):');
  let first;
  for (const want of [5000, 10000, 20000]) {
    const picked = [];
    let n = 0;
    for (const t of tops) {
      if (n >= want) break;
      picked.push(t);
      n += census([t]).sources;
    }
    if (n < want * 0.9 && picked.length === tops.length && want > all.sources) break;
    first ??= picked;
    line(`${String(n).padStart(6)} JS/TS files`, tlsLint(picked, { traceGc: true }));
  }
  if (first) {
    const counts = [1, 2, 4, 8, 16, 32];
    console.log(
      `peak RSS by tree size, ${counts.join(', ')} copies of the first slice (same content, more of it; must stay flat):`,
    );
    const tree = mkdtempSync(path.join(tmpdir(), 'tls-lint-bench-copies-'));
    try {
      const base = census(first).sources;
      const all = census(first).files;
      const runs = [];
      let made = 0;
      for (const k of counts) {
        // One tree, copies added as it grows: copy1 … copyk.
        for (; made < k; made++)
          for (const t of first) linkTree(t, path.join(tree, `copy${made + 1}`, path.basename(t)));
        const r = tlsLint([tree], { traceGc: true });
        runs.push(r);
        line(`${String(base * k).padStart(6)} JS/TS files, ${all * k} in all (${k}x)`, r);
      }
      // Per added file, over the whole range and over the last doubling: a short run ends before
      // V8 has grown its heaps to what a long one settles at, so the first steps rise most.
      const perFile = (x, y, k, l) =>
        (((y.rssMb - x.rssMb) * 1048576) / (all * (l - k))).toFixed(0);
      const n = counts.length;
      console.log(
        `  ${counts[n - 1]}x the files: peak RSS ${((runs[n - 1].rssMb / runs[0].rssMb - 1) * 100).toFixed(0)}% higher, ${perFile(runs[0], runs[n - 1], counts[0], counts[n - 1])} bytes per added file; over the last doubling ${perFile(runs[n - 2], runs[n - 1], counts[n - 2], counts[n - 1])} bytes per added file. Most kept by the main thread ${mb(runs[0].keptMb)} -> ${mb(runs[n - 1].keptMb)} (its findings grow with the copies too)`,
      );
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  }
}
// ESLint last: it takes minutes, and the figures above are printed first.
console.log('');
const eslintResults = [];
if (eslintConfig) for (let i = 0; i < eslintRuns; i++) eslintResults.push(eslint(all.big));
if (eslintResults.length) {
  const es = median(eslintResults, 'wall');
  console.log(
    `ESLint 9 + eslint-plugin-sonarjs (weak-ssl, unverified-certificate, unverified-hostname): ${s(es.wall)} wall, peak RSS ${es.rssMb.toFixed(0)} MiB; ${es.findings} findings`,
  );
  console.log(
    `  ratio ESLint / tls-lint: ${(es.wall / lint.wall).toFixed(1)}x faster in wall time   (target >= 10x); CPU time ${(es.cpu / lint.cpu).toFixed(1)}x`,
  );
} else {
  console.log(
    'ESLint + sonarjs: not measured (--eslint-dir <folder> with eslint, eslint-plugin-sonarjs, @typescript-eslint/parser installed; see bench/README.md)',
  );
}

console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
