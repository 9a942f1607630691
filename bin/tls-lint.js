#!/usr/bin/env node
// The package's command. Plain CommonJS (bin/package.json), so that Node starts it without its
// ES module loader. `--version` alone reads package.json and loads nothing else. Otherwise it
// runs the single-file bundle (dist/tls-lint.cjs, made by scripts/bundle.mjs) from V8's code
// cache when both are there and, in a checkout, the bundle is not older than the tsc build;
// otherwise the tsc build (dist/src). TLS_LINT_BUNDLE=0 forces the tsc build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');

/** The bundle's exports, or undefined when there is no usable bundle. */
function loadBundle() {
  if (process.env.TLS_LINT_BUNDLE === '0') return undefined;
  const file = path.join(dist, 'tls-lint.cjs');
  let source;
  try {
    // In a checkout, a bundle older than the tsc build is stale (`tsc` run without the bundler):
    // not used. An installed package has no sources and is never rebuilt; its files carry the
    // time npm unpacked them, in no set order, so their times say nothing there.
    if (
      fs.existsSync(path.join(__dirname, '..', 'src', 'cli', 'main.ts')) &&
      fs.statSync(file).mtimeMs < fs.statSync(path.join(dist, 'src', 'cli', 'main.js')).mtimeMs
    )
      return undefined;
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // scripts/bundle.mjs makes the cache here, with the Node that will run it: at the end of a
  // run, so that it holds the functions a run compiles, not only the top level.
  const { runFromCodeCache } = require('./code-cache.js');
  return runFromCodeCache(file, source, process.env.TLS_LINT_WRITE_CODE_CACHE);
}

// A reader that stops early (`tls-lint rules | head`) closes the pipe: that ends the output, it
// is not an internal error. Without this Node throws an unhandled EPIPE from the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // What commander prints for it, without loading the CLI.
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  const bundle = loadBundle();
  // After the bundle and the built-in modules it loads are compiled from their code caches (V8
  // takes a cache only under the flags it was made with: these were made without), before the
  // run's own code is optimised. Not while the bundle's cache is made, for the same reason.
  if (!process.env.TLS_LINT_WRITE_CODE_CACHE) {
    const { applyJitFlags } = require('./jit-flags.js');
    applyJitFlags();
  }
  (bundle ? Promise.resolve(bundle) : import('../dist/src/cli/main.js'))
    .then((m) => m.main(args))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        console.error(`tls-lint: internal error: ${err && err.stack ? err.stack : err}`);
        process.exitCode = 2;
      },
    );
}
