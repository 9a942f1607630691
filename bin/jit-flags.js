// V8 flags for a run. bin/tls-lint.js sets them once the bundle is loaded; scripts/bundle.mjs
// sets them before it makes the TypeScript compiler's code cache, and makes the worker's under
// them. V8 takes a code cache only under the flags it was made with, and Node's own modules
// carry caches made without any: so the bundle (and the built-in modules it loads) are compiled
// before the flags change, and its cache is made without them; the compiler and the worker's
// bundle, loaded later, from caches made with them (test/cli/jit-flags.test.ts checks all
// three). Set before the bundle, the flags cost 5 ms of start-up.
//
// Only flags V8 reads when it decides what to compile: a flag of the garbage collector set once
// V8 runs can abort it (--single-threaded-gc did, in a measurement).
//
// Why: a run is short and spends most of its time in a few large functions (scope analysis, the
// evaluator, the extractor) that see syntax trees of many shapes. TurboFan optimises them, meets
// a new shape, deoptimises and optimises again, up to ten times each; with inlining each of those
// compilations is large. On the benchmark tree (bench/lint-bench.mjs, 21,078 JS/TS files, Node
// 20.20, 2 cores) compiling took 2.5 s of background CPU in a 2.4 s run. Without TurboFan's
// inlining, and with four times the interrupt budget before a function is optimised (fewer
// functions optimised while their types are still settling), the run took 2.33 -> 1.98 s wall
// and 4.1 -> 3.2 s CPU; the same tree with every file parsed (a 20 s run) took 1% more wall time
// and 6% less CPU; small trees did not move. The ESLint plugin runs in ESLint's process and sets
// no flag: there the compiler's cache is refused and TypeScript compiled anew (80 ms, once).
//
// Only on V8 11.3 (Node 20), where they were measured: Node 22 and later tier up through Maglev,
// have no --interrupt-budget, and V8 prints an error for a flag it does not know.
'use strict';

const FLAGS = ['--no-turbo-inlining', '--interrupt-budget=262144'];

/** Sets the flags when this V8 has them; returns the flags it set. */
function applyJitFlags() {
  if (!process.versions.v8.startsWith('11.3.')) return [];
  require('node:v8').setFlagsFromString(FLAGS.join(' '));
  return FLAGS;
}

module.exports = { applyJitFlags };
