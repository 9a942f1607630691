/**
 * Reading in worker threads (engine/workers), data-parallel or as a pipeline (one worker routes,
 * the main thread parses), gives the same results, in the same order, as reading on the main
 * thread; a worker that dies loses no file. The workers run the tsc build (dist/), like the
 * spawned-CLI tests: build first (`npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { discoverFiles } from '../../src/engine/discover.js';
import { lint, type LintResult } from '../../src/engine/lint.js';
import { readContextFor } from '../../src/engine/route.js';
import { SourceCache } from '../../src/engine/source-cache.js';
import { READERS } from '../../src/languages/index.js';
import type { ReadResult } from '../../src/languages/reader.js';
import { workerCount } from '../../src/engine/workers/pool.js';
import { runCli } from '../support/cli.js';
import { writeRepo } from '../support/trees.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const root = path.resolve(import.meta.dirname, '../..');

/** What a run reports and reads, as data (contexts included: their order decides the findings'). */
function outcome(r: LintResult) {
  return JSON.parse(
    JSON.stringify({
      findings: r.findings,
      errors: r.errors,
      notices: r.notices,
      contexts: r.contexts,
      filesLinted: r.filesLinted,
      filesSkipped: r.filesSkipped,
      testCode: r.testCode,
    }),
  ) as unknown;
}

/**
 * A project whose options object is exported in one module and used in another, with a syntax
 * error, an nginx config (main thread) and enough plain files for several chunks of work.
 */
function crossModuleTree(): string {
  const plain = Object.fromEntries(
    Array.from({ length: 150 }, (_, i) => [`lib/m${i}.js`, `module.exports = ${i};\n`]),
  );
  return writeRepo(
    'tls-lint-workers-',
    {
      'jsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }',
      'options.js':
        "module.exports.tlsOptions = { rejectUnauthorized: false, minVersion: 'TLSv1' };\n",
      'client.js':
        "const https = require('https');\nconst { tlsOptions } = require('./options');\nhttps.request({ host: 'example.com', ...tlsOptions });\n",
      'broken.ts': "import tls from 'tls';\nconst x = ;\n",
      'nginx.conf': 'http { server { listen 443 ssl; ssl_protocols TLSv1 TLSv1.2; } }\n',
      'package.json': '{ "name": "p", "engines": { "node": ">=14" } }\n',
      ...plain,
    },
    made,
  );
}

const JS_FILES = 153;

describe('reading in worker threads', () => {
  it('gives what the main thread gives, in the same order (fixtures, examples, a cross-module project)', async () => {
    const tree = crossModuleTree();
    const paths = ['fixtures', 'examples', tree];
    const single = await lint({ paths, cwd: root, workers: 0 });
    const pooled = await lint({ paths, cwd: root, workers: 2 });
    expect(single.readInWorkerThreads).toBe(0);
    expect(single.findings.length).toBeGreaterThan(100);
    expect(pooled.readInWorkerThreads).toBeGreaterThan(JS_FILES);
    expect(outcome(pooled)).toEqual(outcome(single));
    // The cross-module value was followed in the worker, and the syntax error reported.
    const inTree = pooled.findings.filter((f) => f.at.file.startsWith(tree));
    expect(inTree.some((f) => f.at.file.endsWith('client.js') && f.at.definedAt)).toBe(true);
    expect(pooled.errors.some((e) => e.file.endsWith('broken.ts'))).toBe(true);
  }, 120_000);

  it('a worker that dies loses no file: the file it died on is read on the main thread', async () => {
    const tree = crossModuleTree();
    const client = path.join(tree, 'client.js');
    const single = await lint({ paths: [tree], cwd: tree, workers: 0 });
    const pooled = await lint({ paths: [tree], cwd: tree, workers: 2, workerFaultOn: client });
    expect(outcome(pooled)).toEqual(outcome(single));
    expect(single.findings.some((f) => f.at.file === client)).toBe(true);
    // The chunk it had taken was read here, the rest in workers (one replaced the one that died).
    expect(pooled.readInWorkerThreads).toBeGreaterThan(0);
    expect(pooled.readInWorkerThreads).toBeLessThan(JS_FILES);
  }, 120_000);
});

describe('the pipeline: one worker routes, the main thread parses what it keeps', () => {
  it('gives what the main thread gives, in the same order (fixtures, examples, a cross-module project)', async () => {
    const tree = crossModuleTree();
    const paths = ['fixtures', 'examples', tree];
    const single = await lint({ paths, cwd: root, workers: 0 });
    // The main thread routes nothing itself while the worker runs: every file crosses.
    const piped = await lint({ paths, cwd: root, workers: 1, workerRoutesAll: true });
    expect(piped.readInWorkerThreads).toBeGreaterThan(JS_FILES);
    expect(outcome(piped)).toEqual(outcome(single));
    const inTree = piped.findings.filter((f) => f.at.file.startsWith(tree));
    expect(inTree.some((f) => f.at.file.endsWith('client.js') && f.at.definedAt)).toBe(true);
    expect(piped.errors.some((e) => e.file.endsWith('broken.ts'))).toBe(true);
    // As by default, where the main thread also routes chunks while it has nothing to parse.
    const shared = await lint({ paths, cwd: root, workers: 1 });
    expect(outcome(shared)).toEqual(outcome(single));
  }, 120_000);

  it('a worker that dies loses no file: the file it died on is routed and read on the main thread', async () => {
    const tree = crossModuleTree();
    const client = path.join(tree, 'client.js');
    const single = await lint({ paths: [tree], cwd: tree, workers: 0 });
    const piped = await lint({
      paths: [tree],
      cwd: tree,
      workers: 1,
      workerFaultOn: client,
      workerRoutesAll: true,
    });
    expect(outcome(piped)).toEqual(outcome(single));
    expect(single.findings.some((f) => f.at.file === client)).toBe(true);
    // The chunk it had taken was routed here, the rest by the worker that replaced it.
    expect(piped.readInWorkerThreads).toBeGreaterThan(0);
    expect(piped.readInWorkerThreads).toBeLessThan(JS_FILES);
  }, 120_000);

  it('a small tree starts no worker by default, whatever the cores', async () => {
    delete process.env.TLS_LINT_WORKERS;
    const tree = crossModuleTree();
    const r = await lint({ paths: [tree], cwd: tree });
    expect(r.readInWorkerThreads).toBe(0);
    expect(workerCount(undefined, JS_FILES, 2)).toBe(0);
    expect(workerCount(undefined, JS_FILES, 8)).toBe(0);
  }, 60_000);
});

describe('a run in segments of the walk (see lint.ts SEGMENT_FILES)', () => {
  // Segments of 7 files: the fixtures, the examples and the project span dozens of them, with a
  // per-file reader (JS/TS), readers that read each file apart (Markdown, package.json) and
  // readers that need all their files at once (nginx includes, Go packages) across them.
  it.each([
    ['on the main thread', { workers: 0 }],
    ['with the pipeline', { workers: 1 }],
    ['with the pipeline, the worker routing all it can', { workers: 1, workerRoutesAll: true }],
    ['with two workers', { workers: 2 }],
  ])(
    'gives what one segment gives, in the same order: %s',
    async (_, how) => {
      const tree = crossModuleTree();
      const paths = ['fixtures', 'examples', tree];
      const whole = await lint({ paths, cwd: root, workers: 0 });
      const segmented = await lint({ paths, cwd: root, segmentFiles: 7, ...how });
      expect(outcome(segmented)).toEqual(outcome(whole));
      // (By default the pipeline's main thread routes a segment this small itself.)
      if (how.workers === 2 || 'workerRoutesAll' in how)
        expect(segmented.readInWorkerThreads).toBeGreaterThan(JS_FILES);
    },
    120_000,
  );

  it('a worker that dies in a later segment loses no file, and the next segments are read', async () => {
    const tree = crossModuleTree();
    const client = path.join(tree, 'client.js');
    const whole = await lint({ paths: [tree], cwd: tree, workers: 0 });
    for (const workers of [1, 2]) {
      const segmented = await lint({
        paths: [tree],
        cwd: tree,
        workers,
        segmentFiles: 16,
        workerFaultOn: client,
        workerRoutesAll: true,
      });
      expect(outcome(segmented)).toEqual(outcome(whole));
      expect(segmented.readInWorkerThreads).toBeGreaterThan(100);
    }
  }, 120_000);

  it('a reader that reads files apart gives, file by file, what it gives at once (fixtures, examples)', async () => {
    const apart = READERS.filter((r) => r.readsFilesApart);
    expect(apart.map((r) => r.id).sort()).toEqual(['envoy', 'markdown', 'node-env', 'python']);
    const listed = discoverFiles(['fixtures', 'examples', 'README.md', 'docs'], root).files;
    for (const reader of apart) {
      const files = listed
        .filter((f) => reader.matchesPath(f.path))
        .map((f) => ({ path: f.path, text: readFileSync(f.path, 'utf8'), explicit: false }))
        .filter((f) => reader.claims(f));
      expect(files.length).toBeGreaterThanOrEqual(3);
      const ctx = () => readContextFor(new SourceCache(), { cwd: root, policy: DEFAULT_POLICY });
      const whole = await reader.read(files, ctx());
      const each: Required<ReadResult> = { contexts: [], errors: [], notices: [] };
      const perFile = ctx();
      for (const file of files) {
        const r = await reader.read([file], perFile);
        each.contexts.push(...r.contexts);
        each.errors.push(...r.errors);
        each.notices.push(...(r.notices ?? []));
      }
      const data = (r: ReadResult) =>
        JSON.parse(JSON.stringify({ ...r, notices: r.notices ?? [] })) as unknown;
      expect(data(each)).toEqual(data(whole));
      expect(whole.contexts.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it.each([0, 1, 2])(
    'reports progress as one count, without a total until the walk is done (%i workers)',
    async (workers) => {
      const tree = crossModuleTree();
      const totals: Array<number | undefined> = [];
      const counted: number[] = [];
      const r = await lint({
        paths: [tree],
        cwd: tree,
        workers,
        ...(workers === 1 && { workerRoutesAll: true }),
        segmentFiles: 50,
        onProgress: (phase, done, total) => {
          if (phase !== 'read') return;
          totals.push(total);
          counted.push(done);
        },
      });
      const found = r.filesLinted + r.filesSkipped;
      expect(totals.length).toBe(found);
      expect(totals.slice(0, 100).every((t) => t === undefined)).toBe(true);
      expect(totals.at(-1)).toBe(found);
      // One count for the run, one more each time; once known, the total stays.
      expect(counted).toEqual(counted.map((_, i) => i + 1));
      expect(totals.slice(totals.indexOf(found)).every((t) => t === found)).toBe(true);
    },
    60_000,
  );
});

describe('the built command reads in worker threads', () => {
  // The worker's entry lies beside the bundle (dist/tls-lint-worker.cjs) or in the tsc build; one
  // that cannot start would print a warning and leave the files to the main thread.
  it.each([
    ['the bundle', {}],
    ['the tsc build', { TLS_LINT_BUNDLE: '0' }],
  ])(
    'from %s: same report, no warning',
    (_, env) => {
      const tree = crossModuleTree();
      const single = runCli(['--format', 'json', tree], { env: { ...env, TLS_LINT_WORKERS: '0' } });
      for (const workers of ['1', '2']) {
        const pooled = runCli(['--format', 'json', tree], {
          env: { ...env, TLS_LINT_WORKERS: workers },
        });
        expect(pooled.stderr).toBe('');
        // Findings, and a file that could not be checked (the syntax error): 2.
        expect(pooled.code).toBe(2);
        expect(pooled.stdout).toBe(single.stdout);
      }
    },
    60_000,
  );
});

describe('workers started from any host process', () => {
  it('start whatever options the host process was given (lint() called from `node --input-type=module -e`)', () => {
    const tree = crossModuleTree();
    const lintModule = pathToFileURL(path.join(root, 'dist/src/engine/lint.js')).href;
    const script = `const { lint } = await import(${JSON.stringify(lintModule)});
const r = await lint({ paths: [${JSON.stringify(tree)}], cwd: ${JSON.stringify(tree)}, workers: 1, workerRoutesAll: true });
console.log(JSON.stringify({ inWorkers: r.readInWorkerThreads, findings: r.findings.length }));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    const r = JSON.parse(out.stdout) as { inWorkers: number; findings: number };
    expect(r.inWorkers).toBe(JS_FILES);
    expect(r.findings).toBeGreaterThan(0);
  }, 60_000);
});

describe('how many workers by default', () => {
  const saved = process.env.TLS_LINT_WORKERS;
  afterAll(() => {
    if (saved === undefined) delete process.env.TLS_LINT_WORKERS;
    else process.env.TLS_LINT_WORKERS = saved;
  });

  it('on a large tree the pipeline below four cores, two from four cores; as many as asked for', () => {
    delete process.env.TLS_LINT_WORKERS;
    expect(workerCount(undefined, 20_000, 2)).toBe(1);
    expect(workerCount(undefined, 5000, 2)).toBe(1);
    expect(workerCount(undefined, 3000, 2)).toBe(0);
    expect(workerCount(undefined, 20_000, 4)).toBe(2);
    expect(workerCount(undefined, 500, 2)).toBe(0);
    expect(workerCount(undefined, 500, 8)).toBe(0);
    expect(workerCount(2, 10, 2)).toBe(2);
    expect(workerCount(0, 20_000, 8)).toBe(0);
    process.env.TLS_LINT_WORKERS = '1';
    expect(workerCount(undefined, 10, 8)).toBe(1);
    process.env.TLS_LINT_WORKERS = '0';
    expect(workerCount(undefined, 20_000, 2)).toBe(0);
  });
});
