#!/usr/bin/env node
// What parsing costs, by parser option, over the JS/TS files of a tree (run on demand).
//
//   npm run build && node bench/parse-bench.mjs --dir <tree> [--all] [--runs 3]
//
// By default only the files the Node prefilter keeps (those the linter parses); `--all` parses
// every JS/TS file, as the linter did before it had a prefilter. Variants: the options the Node
// reader uses (Babel with the `estree` plugin and `ranges`), without `ranges`, without the ESTree
// conversion (an AST the reader cannot read: the price of the conversion), oxc-parser (the
// reader's primary parser: native, ESTree/TS-ESTree with offsets, the AST built by `JSON.parse`
// of what the binding returns) with and without reading the AST, and espree (JS only, ESLint's
// parser) on the plain JavaScript files for comparison. oxc's raw transfer (`experimentalRawTransfer`,
// `experimentalLazy`) is measured where the platform supports it (Node 22+, 64-bit).
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CORPUS, arg, fromDist, root } from './common.mjs';

const dir = path.resolve(arg('--dir', DEFAULT_CORPUS));
const runs = Number(arg('--runs', '3'));
const all = process.argv.includes('--all');
const { discoverFiles } = await fromDist('src/engine/discover.js');
const { isNodeSourcePath, mayConfigureTls } = await fromDist('src/languages/node/index.js');
const { babelOptionsFor, oxcOptionsFor } = await fromDist('src/languages/node/parse.js');
const require = createRequire(path.join(root, 'package.json'));
const babel = require('@babel/parser');
let oxc;
try {
  oxc = await import(pathToFileURL(require.resolve('oxc-parser')).href);
} catch {
  /* no binding for this platform: the reader falls back to Babel */
}
let espree;
try {
  espree = require('espree');
} catch {
  /* a devDependency: optional here */
}

const files = [];
for (const { path: file } of discoverFiles([dir], dir).files) {
  if (!isNodeSourcePath(file) || statSync(file).size > 2 * 1024 * 1024) continue;
  const text = readFileSync(file, 'utf8');
  if (all || mayConfigureTls(text))
    files.push({ file, text, ext: path.extname(file).toLowerCase() });
}
const bytes = files.reduce((n, f) => n + f.text.length, 0);
console.log(
  `${files.length} files (${(bytes / 1048576).toFixed(1)} MiB) ${all ? 'of the tree' : 'kept by the Node prefilter'}; median of ${runs} runs each`,
);

// The reader's own options (parse.ts), varied one at a time.
const babelVariant = (estree, ranges) => (f) => {
  const options = babelOptionsFor(f.file, f.text);
  return babel.parse(f.text, {
    ...options,
    plugins: estree ? options.plugins : options.plugins.filter((p) => p !== 'estree'),
    ranges,
  });
};

function measure(name, parse, subset = files) {
  const times = [];
  let failed = 0;
  for (let r = 0; r < runs; r++) {
    failed = 0;
    const started = process.hrtime.bigint();
    for (const f of subset) {
      try {
        parse(f);
      } catch {
        failed++;
      }
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const ms = times.sort((a, b) => a - b)[Math.floor(runs / 2)];
  console.log(
    `${name.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms  (${subset.length} files, ${failed} not parsed)`,
  );
  return ms;
}

const base = measure("Babel, estree + ranges (the reader's fallback)", babelVariant(true, true));
const noRanges = measure('Babel, estree, no ranges', babelVariant(true, false));
const noEstree = measure(
  'Babel, no estree plugin (not the shape the reader reads)',
  babelVariant(false, false),
);
console.log(
  `  ESTree conversion: ${(((noRanges - noEstree) / noRanges) * 100).toFixed(0)}% of the parse; ranges: ${(((base - noRanges) / base) * 100).toFixed(0)}%`,
);
if (oxc) {
  const options = (f) => oxcOptionsFor(f.file);
  const oxcParse = (extra) => (f) => {
    const r = oxc.parseSync(f.file, f.text, { ...options(f), ...extra });
    if (r.errors.length > 0) throw new Error(r.errors[0].message);
    return r.program;
  };
  const oxcMs = measure('oxc-parser parseSync (the Node reader today)', oxcParse({}));
  measure('oxc-parser parseSync, AST not read (no JSON.parse)', (f) => {
    if (oxc.parseSync(f.file, f.text, options(f)).errors.length) throw new Error();
  });
  measure('oxc-parser parseSync, range: true', oxcParse({ range: true }));
  console.log(`  oxc-parser / Babel estree + ranges: ${((oxcMs / base) * 100).toFixed(0)}%`);
  if (oxc.rawTransferSupported()) {
    measure('oxc-parser experimentalRawTransfer', oxcParse({ experimentalRawTransfer: true }));
    measure('oxc-parser experimentalLazy (AST not walked)', (f) =>
      oxc.parseSync(f.file, f.text, { ...options(f), experimentalLazy: true }),
    );
  } else {
    console.log(
      `  oxc raw transfer: not supported here (Node ${process.versions.node}; needs 22+)`,
    );
  }
}
if (espree) {
  const js = files.filter((f) => f.ext === '.js' || f.ext === '.mjs' || f.ext === '.cjs');
  measure('Babel, estree, no ranges — plain JS files only', babelVariant(true, false), js);
  measure(
    'espree (JS only) — plain JS files only',
    (f) =>
      espree.parse(f.text, {
        ecmaVersion: 'latest',
        sourceType: f.ext === '.cjs' ? 'script' : 'module',
        loc: true,
        range: true,
      }),
    js,
  );
}
