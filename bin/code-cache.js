// Runs a CommonJS bundle of dist/ from V8's code cache (`<bundle>.cache`, made by
// scripts/bundle.mjs), as Node's `require` would run it: the CLI's bundle (bin/tls-lint.js) and
// the pipeline worker's (bin/worker.js). Node 20 has no compile cache of its own (it came in 22),
// and compiling a bundle and the functions a run calls is a good part of a short run's start.
// A cache V8 refuses (another Node, other V8 flags: see bin/jit-flags.js) costs only that time.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/**
 * The bundle's exports. `writeCacheTo`: write the cache there when the thread ends, with the
 * functions the run compiled (scripts/bundle.mjs makes the caches so, with the Node that runs
 * them).
 */
function runFromCodeCache(file, source, writeCacheTo) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // no cache: compiled as usual
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (writeCacheTo)
    process.once('exit', () => fs.writeFileSync(writeCacheTo, script.createCachedData()));
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    Module.createRequire(file),
    module,
    file,
    path.dirname(file),
  );
  return module.exports;
}

module.exports = { runFromCodeCache };
