#!/usr/bin/env node
// The least any Node tool pays before it can judge a JS/TS file: walk the tree, read every
// JS/TS source that ripgrep searches in bench/lint-bench.mjs (no `.d.ts`, none over 2 MiB) on
// one thread, and, with `--regex`, test it as the Node prefilter does (`mayConfigureTls`: its
// literal scan, then its patterns where a literal stands). No parsing,
// no routing, no output but a count. lint-bench.mjs times it beside tls-lint and ripgrep, so
// that the ratio to ripgrep can be read against what reading alone costs in Node.
//
//   node bench/read-floor.mjs <tree> [--regex]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fromDist } from './common.mjs';

const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const withRegex = process.argv.includes('--regex');
const { mayConfigureTls } = withRegex ? await fromDist('src/languages/node/prefilter.js') : {};
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;
const MAX_BYTES = 2 * 1024 * 1024;

let read = 0;
let matched = 0;
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
      if (statSync(file).size > MAX_BYTES) continue;
      const text = readFileSync(file, 'utf8');
      read++;
      if (withRegex && mayConfigureTls(text)) matched++;
    }
  }
};
walk(path.resolve(dir));
console.log(`${read} files read${withRegex ? `, ${matched} matched` : ''}`);
