#!/usr/bin/env node
// Start-up cost of the CLI (run on demand, never in `npm test`).
//
//   npm run build && node bench/startup-bench.mjs [--runs 15] [--tsc] [--bin path/to/tls-lint.js]
//
// Runs `node -e 0` and each tls-lint command below in turn (round-robin, so a change in the
// machine's load hits every command alike), `--runs` times each, and prints the median wall time
// (process start to exit), the ratio to `node -e 0`, and the modules each command loaded. The
// target of issue #15: `--version` and an empty folder at most 1.5× `node -e 0`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', '15')) || 15;
// --bin may be repeated to compare builds in the same run (e.g. the bundle and the tsc output).
const bins = process.argv.flatMap((a, i) =>
  a === '--bin' && process.argv[i + 1] ? [path.resolve(process.argv[i + 1])] : [],
);
if (!bins.length) bins.push(path.join(root, 'bin', 'tls-lint.js'));

const empty = mkdtempSync(path.join(tmpdir(), 'tls-lint-startup-empty-'));
// Lists the modules each command loads (not timed: the hook costs time of its own).
const moduleLog = pathToFileURL(path.join(root, 'scripts', 'module-log.mjs')).href;
const MARKER = 'tls-lint-modules: ';

// --tsc adds the same commands run from the tsc build (TLS_LINT_BUNDLE=0), to weigh the bundle.
const variants = bins.flatMap((bin) => {
  const name = bins.length > 1 ? path.relative(root, bin) : 'tls-lint';
  return process.argv.includes('--tsc')
    ? [
        { bin, name, env: {} },
        { bin, name: `${name} (tsc)`, env: { TLS_LINT_BUNDLE: '0' } },
      ]
    : [{ bin, name, env: {} }];
});
const commands = [
  { label: 'node -e 0', args: ['-e', '0'], baseline: true },
  ...variants.flatMap(({ bin, name, env }) => [
    { label: `${name} --version`, args: [bin, '--version'], env, target: 1.5 },
    { label: `${name} <empty folder>`, args: [bin, empty], env, target: 1.5 },
    { label: `${name} --help`, args: [bin, '--help'], env },
    { label: `${name} probe --help`, args: [bin, 'probe', '--help'], env },
    { label: `${name} ciphers 'HIGH:!aNULL'`, args: [bin, 'ciphers', 'HIGH:!aNULL'], env },
  ]),
];

function run(args, env = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stderr }),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  // Modules loaded, once per command (with the counting hook, not timed).
  const loaded = new Map();
  for (const c of commands) {
    if (c.baseline) continue;
    const r = await run(['--import', moduleLog, ...c.args], c.env);
    const line = r.stderr.split('\n').find((l) => l.startsWith(MARKER));
    const files = line ? JSON.parse(line.slice(MARKER.length)) : [];
    // The bundle runs through vm.Script, which no loader hook sees: it is named instead.
    const bundleRan =
      !c.args.includes('--version') &&
      c.env.TLS_LINT_BUNDLE !== '0' &&
      existsSync(path.join(root, 'dist', 'tls-lint.cjs'));
    const own = files.filter(
      (f) => !f.includes('/node_modules/') && !(bundleRan && f === c.args[0]),
    );
    const packageOf = (f) => {
      const rest = f.split('/node_modules/').pop().split('/');
      return rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join('/');
    };
    const packages = [...new Set(files.filter((f) => f.includes('/node_modules/')).map(packageOf))];
    loaded.set(c.label, { own: bundleRan ? 'the bundle' : `${own.length} own`, packages });
  }

  // Warm-up, then round-robin timed runs.
  for (const c of commands) await run(c.args, c.env);
  const times = new Map(commands.map((c) => [c.label, []]));
  const loadBefore = loadavg();
  for (let i = 0; i < runs; i++) {
    for (const c of commands) times.get(c.label).push((await run(c.args, c.env)).ms);
  }
  const loadAfter = loadavg();

  const width = Math.max(...commands.map((c) => c.label.length)) + 2;
  const base = median(times.get(commands[0].label));
  console.log(
    `node ${process.version}, ${runs} runs each (round-robin), median wall time; load average ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after`,
  );
  console.log('');
  console.log(
    `${'command'.padEnd(width)} ${'median'.padStart(8)} ${'ratio'.padStart(7)}  modules loaded`,
  );
  for (const c of commands) {
    const ms = median(times.get(c.label));
    const ratio = ms / base;
    const mods = loaded.get(c.label);
    const verdict = c.target
      ? ratio <= c.target
        ? `  (target ≤ ${c.target}×: met)`
        : `  (target ≤ ${c.target}×: NOT met)`
      : '';
    const modules = mods
      ? `${mods.own} + ${mods.packages.length ? mods.packages.join(', ') : 'no packages'}`
      : '';
    console.log(
      `${c.label.padEnd(width)} ${`${ms.toFixed(0)} ms`.padStart(8)} ${`${ratio.toFixed(2)}×`.padStart(7)}  ${modules}${verdict}`,
    );
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
}
