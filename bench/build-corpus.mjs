#!/usr/bin/env node
// Builds the real corpus of the lint benchmark: the published sources of large public JS/TS
// packages, fetched with `npm pack` from the npm registry at pinned versions and unpacked side by
// side (never committed).
//
//   node bench/build-corpus.mjs [--out <dir>] [--files 20000]
//
// Default folder: `tls-corpus` in the system temp folder. Packages are unpacked in the order of
// the list until the tree holds at least `--files` JS/TS sources (`.d.ts` not counted: the
// linter skips them); the tarballs are kept in `<out>.cache` so a rebuild needs no network.
// Any other large JS/TS tree works as well: see bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CORPUS, arg } from './common.mjs';

const out = path.resolve(arg('--out', DEFAULT_CORPUS));
const wanted = Number(arg('--files', '20000'));
const cache = `${out}.cache`;

// Big packages that ship their sources as many files, and clients of TLS (databases, brokers,
// HTTP, mail, crypto) so that the tree holds real TLS code as well. Order matters: the tree is
// filled in this order.
const PACKAGES = [
  'node-forge@1.3.1',
  'ws@8.18.0',
  'pg@8.12.0',
  'mongodb@6.8.0',
  'ioredis@5.4.1',
  'mqtt@5.10.1',
  'undici@6.19.8',
  'axios@1.7.7',
  'nodemailer@6.9.15',
  'mysql2@3.11.0',
  'kafkajs@2.2.4',
  'eslint@9.9.0',
  'webpack@5.94.0',
  '@babel/core@7.25.2',
  '@babel/traverse@7.25.4',
  '@babel/types@7.25.2',
  'rxjs@7.8.1',
  'lodash@4.17.21',
  'lodash-es@4.17.21',
  'three@0.160.0',
  'aws-sdk@2.1692.0',
  'googleapis@144.0.0',
  'monaco-editor@0.45.0',
  '@mui/material@5.16.7',
  'core-js@3.38.1',
  'date-fns@2.30.0',
  'typeorm@0.3.20',
  'moment@2.30.1',
  'highlight.js@11.10.0',
  'echarts@5.5.1',
  'antd@5.20.0',
];

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;

function countSources(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) n += countSources(full);
    else if (e.isFile() && SOURCE.test(e.name) && !DECLARATION.test(e.name)) n++;
  }
  return n;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
mkdirSync(cache, { recursive: true });
let total = 0;
for (const spec of PACKAGES) {
  if (total >= wanted) break;
  const tarball = path.join(cache, `${spec.replace(/^@/, '').replace(/[/@]/g, '-')}.tgz`);
  if (!existsSync(tarball)) {
    const made = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', cache], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    if (path.join(cache, made) !== tarball) renameSync(path.join(cache, made), tarball);
  }
  const dir = path.join(out, spec.replace(/^@/, '').replace(/[/@]/g, '-'));
  mkdirSync(dir);
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', '--no-same-owner']);
  const n = countSources(dir);
  total += n;
  console.log(`${spec.padEnd(24)} ${String(n).padStart(6)} JS/TS files (total ${total})`);
}
console.log(`\n${out}: ${total} JS/TS source files (.d.ts not counted)`);
