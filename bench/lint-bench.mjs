#!/usr/bin/env node
// Lint throughput and memory on a generated repository (run on demand, never in `npm test`).
//
//   npm run build && node bench/lint-bench.mjs [--files 2000]
//
// Prints wall time, files per second and peak RSS of a `tls-lint --format json` run over a tree
// of Node sources (a quarter of them with TLS calls) and nginx configs, and the ratio of the
// second (warm) run to the first.
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
const plainFile = (i) => `export function f${i}(a, b) {\n  const list = [a, b].map((x) => x * ${i});\n  return list.reduce((s, x) => s + x, 0);\n}\n`.repeat(5);
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

const cold = run();
const warm = run();
rmSync(dir, { recursive: true, force: true });
console.log(`files: ${count}`);
console.log(`cold: ${cold.ms.toFixed(0)} ms, ${(count / (cold.ms / 1000)).toFixed(0)} files/s, peak RSS ${cold.rssMb.toFixed(0)} MiB, ${cold.findings} findings, ${cold.errors} errors`);
console.log(`warm: ${warm.ms.toFixed(0)} ms, ${(count / (warm.ms / 1000)).toFixed(0)} files/s, peak RSS ${warm.rssMb.toFixed(0)} MiB`);
console.log(`ratio warm/cold: ${(warm.ms / cold.ms).toFixed(2)}; memory per file: ${((cold.rssMb * 1024) / count).toFixed(1)} KiB`);
