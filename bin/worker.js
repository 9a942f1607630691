// The pipeline's worker thread (src/engine/workers/pool.ts starts it when the worker bundle is
// there): the bundle dist/tls-lint-worker.cjs, from its code cache. It starts while the main
// thread has files to route itself, so its start-up is time the main thread works alone.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runFromCodeCache } = require('./code-cache.js');

const file = path.join(__dirname, '..', 'dist', 'tls-lint-worker.cjs');
runFromCodeCache(file, fs.readFileSync(file, 'utf8'), process.env.TLS_LINT_WRITE_WORKER_CODE_CACHE);
