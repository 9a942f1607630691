// Builds the single-file CLI that bin/tls-lint.js prefers: dist/tls-lint.cjs, bundled from the
// tsc output (dist/src/cli/main.js), and dist/tls-lint.cjs.cache, V8's code cache for it.
//
//   node scripts/bundle.mjs        (npm run build, prepare and npm test run it after tsc)
//
// Why: Node 20 has no compile cache (module.enableCompileCache came in 22), and loading ~160
// ES modules one by one is most of an empty run's start-up. One CommonJS file compiled from a
// code cache starts in a fraction of that. The parsers stay outside and load on first use
// (@babel/parser, oxc-parser and its native binding, typescript, tree-sitter, yaml).
//
// The bundler (rolldown) is a development dependency: where it is not installed (an install from
// git with dependencies only), this prints a note and exits 0, and bin/tls-lint.js runs the tsc
// build. The cache is made by running the bundle once on an empty folder with this Node; another
// Node version rejects it, and the bundle is then compiled as usual.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'src', 'cli', 'main.js');
const out = path.join(root, 'dist', 'tls-lint.cjs');
// The reading worker (src/engine/workers/pool.ts) runs beside the bundle, bundled the same way.
const workerEntry = path.join(root, 'dist', 'src', 'engine', 'workers', 'worker.js');
const workerOut = path.join(root, 'dist', 'tls-lint-worker.cjs');
const cache = `${out}.cache`;
/** Loaded on first use at run time (createRequire), never bundled. */
const EXTERNAL = ['@babel/parser', 'oxc-parser', 'typescript', '@vscode/tree-sitter-wasm', 'yaml'];

let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  console.log(
    'tls-lint bundle: rolldown is not installed; bin/tls-lint.js runs the tsc build (dist/src)',
  );
  rmSync(out, { force: true });
  rmSync(cache, { force: true });
  rmSync(workerOut, { force: true });
  process.exit(0);
}
if (!existsSync(entry)) {
  console.error(`tls-lint bundle: ${path.relative(root, entry)} is missing; run tsc first`);
  process.exit(1);
}

rmSync(cache, { force: true });
for (const [input, file] of [
  [entry, out],
  [workerEntry, workerOut],
]) {
  await rolldown.build({
    input,
    platform: 'node',
    external: (id) => EXTERNAL.some((e) => id === e || id.startsWith(`${e}/`)),
    logLevel: 'warn',
    output: { file, format: 'cjs', codeSplitting: false, minify: true, comments: false },
  });
}

// The code cache: compiled functions of a representative run (an empty folder), with this Node.
const empty = mkdtempSync(path.join(tmpdir(), 'tls-lint-bundle-'));
try {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'tls-lint.js'), empty], {
    env: { ...process.env, TLS_LINT_WRITE_CODE_CACHE: cache, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(cache)) {
    console.error(`tls-lint bundle: the bundle did not run (exit ${r.status}): ${r.stderr}`);
    rmSync(out, { force: true });
    rmSync(cache, { force: true });
    rmSync(workerOut, { force: true });
    process.exit(1);
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
}
console.log(
  `tls-lint bundle: ${path.relative(root, out)} (${Math.round(statSync(out).size / 1024)} KiB), code cache ${Math.round(statSync(cache).size / 1024)} KiB, ${path.relative(root, workerOut)} (${Math.round(statSync(workerOut).size / 1024)} KiB)`,
);
