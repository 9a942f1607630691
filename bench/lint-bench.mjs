#!/usr/bin/env node
// Lint throughput and memory on a generated repository (run on demand, never in `npm test`).
//
//   npm run build && node bench/lint-bench.mjs [--files 2000]
//
// Prints wall time, files per second and peak RSS of a `tls-lint --format json` run over a tree
// of Node sources (a quarter of them with TLS calls) and nginx configs, and its ratio to the floor:
// a bare Node process that only reads and parses the same JS files with @babel/parser.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[process.argv.indexOf('--files') + 1]) || 2000;
const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-bench-'));

const tlsFile = (i) => `import https from 'node:https';
import tls from 'node:tls';
const base = { minVersion: ${i % 7 === 0 ? "'TLSv1'" : "'TLSv1.2'"}, ciphers: 'HIGH:!aNULL:!MD5' };
export const agent${i} = new https.Agent({ ...base, rejectUnauthorized: ${i % 5 === 0 ? 'false' : 'true'} });
export const server${i} = tls.createServer({ ...base, requestCert: true, ca: [] });
`;
const plainFile = (i) =>
  Array.from({ length: 5 }, (_, k) => `export function f${i}_${k}(a, b) {\n  const list = [a, b].map((x) => x * ${i});\n  return list.reduce((s, x) => s + x, 0);\n}\n`).join('');
const nginxFile = (i) => `server {\n    listen ${8000 + i} ssl;\n    server_name s${i}.example;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    location / { proxy_pass https://backend${i}; }\n}\n`;

for (let i = 0; i < count; i++) {
  const sub = path.join(dir, `pkg${i % 50}`);
  mkdirSync(sub, { recursive: true });
  if (i % 10 === 0) writeFileSync(path.join(sub, `site${i}.conf`), nginxFile(i));
  else writeFileSync(path.join(sub, `m${i}.js`), i % 4 === 0 ? tlsFile(i) : plainFile(i));
}

function run() {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, path.join(root, 'bin/tls-lint.js'), '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rssKb = Number((r.stderr.trim().split('\n').pop() ?? '').trim());
  const report = JSON.parse(r.stdout);
  return { ms, rssMb: rssKb / 1024, findings: report.findings.length, errors: report.errors.length };
}

function parseFloor() {
  const script = `
    const { readdirSync, readFileSync } = require('node:fs');
    const path = require('node:path');
    const { parse } = require(${JSON.stringify(path.join(root, 'node_modules/@babel/parser'))});
    const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
    for (const f of walk(${JSON.stringify(dir)})) if (f.endsWith('.js')) parse(readFileSync(f, 'utf8'), { sourceType: 'module', plugins: ['estree'] });`;
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', script], { stdio: 'inherit' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const runs = [run(), run(), run()].sort((a, b) => a.ms - b.ms);
const median = runs[1];
const floor = [parseFloor(), parseFloor(), parseFloor()].sort((a, b) => a - b)[1];
rmSync(dir, { recursive: true, force: true });
console.log(`files: ${count} (${median.findings} findings, ${median.errors} errors)`);
console.log(`tls-lint: ${median.ms.toFixed(0)} ms median of 3, ${(count / (median.ms / 1000)).toFixed(0)} files/s, peak RSS ${median.rssMb.toFixed(0)} MiB (${((median.rssMb * 1024) / count).toFixed(1)} KiB per file)`);
console.log(`parse-only floor (read + @babel/parser): ${floor.toFixed(0)} ms`);
console.log(`ratio tls-lint / parse floor: ${(median.ms / floor).toFixed(2)}`);
