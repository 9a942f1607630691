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
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The flags a run sets (bin/jit-flags.js): the TypeScript compiler's code cache is made in this
// process, and V8 takes a cache only under the flags it was made with.
createRequire(import.meta.url)('../bin/jit-flags.js').applyJitFlags();
const entry = path.join(root, 'dist', 'src', 'cli', 'main.js');
const out = path.join(root, 'dist', 'tls-lint.cjs');
// The reading worker (src/engine/workers/pool.ts) runs beside the bundle, bundled the same way.
const workerEntry = path.join(root, 'dist', 'src', 'engine', 'workers', 'worker.js');
const workerOut = path.join(root, 'dist', 'tls-lint-worker.cjs');
const cache = `${out}.cache`;
const workerCache = `${workerOut}.cache`;
/** V8's code caches of the TypeScript compiler, one per version (src/languages/node/ts-compiler.ts). */
const removeTypeScriptCaches = () => {
  for (const name of existsSync(path.dirname(out)) ? readdirSync(path.dirname(out)) : [])
    if (/^typescript-.*\.cache$/.test(name)) rmSync(path.join(path.dirname(out), name));
};
/** The bundles and their code caches: removed where the bundle cannot be made or does not run. */
const removeBundles = () => {
  for (const file of [out, cache, workerOut, workerCache]) rmSync(file, { force: true });
};
/** A temporary folder holding `files` (path → text) for `use`, removed afterwards. */
const inTempTree = async (prefix, files, use) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
/**
 * Runs the built CLI over `dir` so that it writes the code cache `written` (its `env` says
 * which): exit 0 or 1 (findings) and the cache there, else the bundles are removed and the
 * build fails.
 */
const runWriting = (written, dir, env) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'tls-lint.js'), dir], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  if ((r.status === 0 || r.status === 1) && existsSync(written)) return;
  console.error(
    `tls-lint bundle: the run writing ${path.relative(root, written)} failed (exit ${r.status}): ${r.stderr}`,
  );
  removeBundles();
  process.exit(1);
};
/** Loaded on first use at run time (createRequire), never bundled. */
const EXTERNAL = ['@babel/parser', 'oxc-parser', 'typescript', '@vscode/tree-sitter-wasm', 'yaml'];

let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  console.log(
    'tls-lint bundle: rolldown is not installed; bin/tls-lint.js runs the tsc build (dist/src)',
  );
  removeBundles();
  removeTypeScriptCaches();
  process.exit(0);
}
if (!existsSync(entry)) {
  console.error(`tls-lint bundle: ${path.relative(root, entry)} is missing; run tsc first`);
  process.exit(1);
}

rmSync(cache, { force: true });
rmSync(workerCache, { force: true });
removeTypeScriptCaches();
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
await inTempTree('tls-lint-bundle-', {}, (empty) =>
  runWriting(cache, empty, { TLS_LINT_WRITE_CODE_CACHE: cache }),
);
// The worker's code cache: a pipeline run (one worker routes, bin/worker.js) over a small
// project whose files make the worker do what it does on a tree: read, prefilter, resolve a
// module a file without TLS words imports. Under the run's V8 flags, as it will be used.
await inTempTree(
  'tls-lint-worker-',
  {
    'jsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }',
    'options.js': "module.exports.tlsOptions = { minVersion: 'TLSv1.2' };\n",
    'client.js': "const { tlsOptions } = require('./options');\nmodule.exports = tlsOptions;\n",
    'server.mjs':
      "import https from 'node:https';\nhttps.createServer({ minVersion: 'TLSv1.2' });\n",
    'plain.ts': 'export const answer: number = 42;\n',
    'README.md': '# x\n',
  },
  (tree) =>
    runWriting(workerCache, tree, {
      TLS_LINT_WORKERS: '1',
      TLS_LINT_WRITE_WORKER_CODE_CACHE: workerCache,
    }),
);

// The TypeScript compiler's code cache, after what a run asks of it over a project with a
// tsconfig.json: its options read (with `extends` and `paths`), imports resolved.
const tsCache = await inTempTree(
  'tls-lint-ts-',
  {
    'tsconfig.base.json': '{ "compilerOptions": { "strict": true, "moduleResolution": "node" } }',
    'tsconfig.json':
      '{ "extends": "./tsconfig.base.json", "compilerOptions": { "baseUrl": ".", "allowJs": true, "paths": { "#lib/*": ["./src/lib/*"] } } }',
    'src/app.ts': "import { floor } from './lib/tls';\nimport { b } from '#lib/other';\n",
    'src/lib/tls.ts': "export const floor = 'TLSv1.2';\n",
    'src/lib/other.js': 'export const b = 1;\n',
    'src/lib/index.ts': "export * from './tls';\n",
  },
  async (tsProject) => {
    const fromDist = (file) => import(pathToFileURL(path.join(root, 'dist', 'src', file)).href);
    const { projectImportTargets } = await fromDist('languages/node/project-modules.js');
    const { typeScriptCodeCache } = await fromDist('languages/node/ts-compiler.js');
    const read = (f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    };
    const targets = projectImportTargets({ readText: read, boundary: tsProject });
    const app = path.join(tsProject, 'src', 'app.ts');
    const resolve = targets(app);
    const resolved = ['./lib/tls', '#lib/other', './lib', 'node:fs', 'some-package'].map((s) =>
      resolve?.(s),
    );
    const made = typeScriptCodeCache();
    if (!made || resolved[0] !== path.join(tsProject, 'src', 'lib', 'tls.ts')) {
      console.error('tls-lint bundle: the TypeScript compiler did not resolve the test project');
      process.exit(1);
    }
    writeFileSync(path.join(path.dirname(out), made.name), made.data);
    return made;
  },
);

console.log(
  `tls-lint bundle: ${path.relative(root, out)} (${Math.round(statSync(out).size / 1024)} KiB), code cache ${Math.round(statSync(cache).size / 1024)} KiB, ${path.relative(root, workerOut)} (${Math.round(statSync(workerOut).size / 1024)} KiB, code cache ${Math.round(statSync(workerCache).size / 1024)} KiB), ${tsCache.name} ${Math.round(tsCache.data.length / 1024)} KiB`,
);
