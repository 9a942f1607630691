#!/usr/bin/env node
/**
 * npm's `prepare` (npm ci, npm install in a clone, npm pack): build dist/ with the TypeScript
 * compiler from "dependencies", unless the last build is newer than every source.
 *
 * pre-commit installs a node hook by running `npm install` and then `npm pack` in its clone, and
 * both run `prepare`: without the check, the same build runs twice (half of the hook's install
 * time). The stamp lives in node_modules/, so `npm ci` (which starts from an empty node_modules)
 * always builds. A source added, changed or removed (a folder's time changes with its entries)
 * makes the stamp stale.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'src',
  'rules',
  'eslint-plugin/src',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
const STAMP = path.join(root, 'node_modules', '.cache', 'tls-lint', 'build-stamp');
const OUTPUT = path.join(root, 'dist', 'src', 'cli', 'main.js');

/** The newest modification time under `p` (files and folders). */
function newest(p) {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return 0;
  }
  let time = stat.mtimeMs;
  if (stat.isDirectory())
    for (const entry of readdirSync(p)) time = Math.max(time, newest(path.join(p, entry)));
  return time;
}

function upToDate() {
  if (!existsSync(OUTPUT) || !existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.every((s) => newest(path.join(root, s)) <= built);
}

if (upToDate()) {
  // stderr: pre-commit 3.0 reads the tarball's name from `npm pack`'s stdout
  process.stderr.write('tls-lint: dist/ is up to date with the sources; not building again\n');
} else {
  const started = Date.now();
  const tsc = path.join(
    path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
    'bin',
    'tsc',
  );
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 2, 2],
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  mkdirSync(path.dirname(STAMP), { recursive: true });
  // the stamp's time is when the build started: a source saved during the build is newer
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  utimesSync(STAMP, new Date(started), new Date(started));
}
