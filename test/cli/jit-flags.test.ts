/**
 * bin/tls-lint.js sets V8 flags for a run (bin/jit-flags.js) after it has loaded the bundle from
 * its code cache; the pipeline's worker bundle and the TypeScript compiler are compiled later,
 * from their own caches. V8 takes a cache only under the flags it was made with: the bundle's
 * must have been made without the flags, the worker's and the compiler's with them
 * (scripts/bundle.mjs). A cache refused costs no result, only time, so only this test sees it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';

const dist = path.join(ROOT, 'dist');
const bundled = existsSync(path.join(dist, 'tls-lint.cjs.cache'));

/**
 * In a process of its own, as a run does: the bundle from its cache, the flags, then the worker's
 * bundle and TypeScript.
 */
const CHECK = `
const fs = require('node:fs'), path = require('node:path'), vm = require('node:vm'), Module = require('node:module');
const dist = process.argv[1];
const file = path.join(dist, 'tls-lint.cjs');
const bundle = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
  filename: file, cachedData: fs.readFileSync(file + '.cache'),
});
const flags = require(process.argv[2]).applyJitFlags();
const workerFile = path.join(dist, 'tls-lint-worker.cjs');
const worker = new vm.Script(Module.wrap(fs.readFileSync(workerFile, 'utf8')), {
  filename: workerFile, cachedData: fs.readFileSync(workerFile + '.cache'),
});
import(path.join(dist, 'src/languages/node/ts-compiler.js')).then(({ compileTypeScript }) => {
  const name = fs.readdirSync(dist).find((n) => /^typescript-.*\\.cache$/.test(n));
  const ts = compileTypeScript(fs.readFileSync(path.join(dist, name)));
  console.log(JSON.stringify({
    flags, bundle: bundle.cachedDataRejected, worker: worker.cachedDataRejected, typescript: ts.rejected,
  }));
});
`;

describe('V8 flags of a run and the code caches', () => {
  it.runIf(bundled)('the bundle, the worker and TypeScript run from their caches', () => {
    expect(readdirSync(dist).some((n) => /^typescript-.*\.cache$/.test(n))).toBe(true);
    const r = spawnSync(
      process.execPath,
      ['-e', CHECK, dist, path.join(path.dirname(BIN), 'jit-flags.js')],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      // Set on Node 20 only, where they were measured.
      flags: process.versions.v8.startsWith('11.3.')
        ? expect.arrayContaining(['--no-turbo-inlining'])
        : [],
      bundle: false,
      worker: false,
      typescript: false,
    });
  });
});
