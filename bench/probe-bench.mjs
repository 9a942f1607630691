#!/usr/bin/env node
// Live-probe speed against a local nginx (run on demand, never in `npm test`).
//
//   npm run build && node bench/probe-bench.mjs [--runs 7]
//
// Starts nginx (Debian `nginx` with its stream module) on 127.0.0.1 with a Mozilla-intermediate-
// like TLS config and `ssl_verify_client optional`. The tools connect to a stream server of the
// same nginx that reads each ClientHello (`ssl_preread`), logs its version and passes the
// connection on to the TLS server: connections and hellos per version are counted by nginx,
// outside the timed processes. `tls-lint probe` and, when installed, `sslscan` run alternately
// (so a change in the machine's load hits both alike); it prints the median wall time (process
// start to exit) of each, their ratio, the load average, and the hellos per version.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) || 7 : 7;

function which(name) {
  for (const candidate of [name, `/usr/sbin/${name}`]) {
    const r = spawnSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const dist = path.join(root, 'dist', 'src', 'probe', 'x509-builder.js');
if (!existsSync(dist)) {
  console.error('Build first: npm run build');
  process.exit(2);
}
const nginxBin = which('nginx');
if (!nginxBin) {
  console.error('nginx is not installed (apt-get install -y nginx)');
  process.exit(2);
}
const { makeIdentity } = await import(dist);

// --- PKI and nginx --------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-probe-bench-'));
for (const sub of ['logs', 'tmp', 'html']) mkdirSync(path.join(dir, sub));
writeFileSync(path.join(dir, 'html', 'index.html'), 'ok\n');
const serverCa = makeIdentity({ subject: { commonName: 'bench server CA' }, isCA: true });
const server = makeIdentity({
  subject: { commonName: 'localhost' },
  altNames: ['localhost', '127.0.0.1'],
  issuer: serverCa,
  key: { type: 'rsa', bits: 2048 },
});
const clientCa = makeIdentity({ subject: { commonName: 'bench client CA' }, isCA: true });
writeFileSync(path.join(dir, 'server.crt'), server.certPem);
writeFileSync(path.join(dir, 'server.key'), server.keyPem);
writeFileSync(path.join(dir, 'client-ca.crt'), clientCa.certPem);

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const nginxPort = await freePort();
const port = await freePort();
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
if (!existsSync(STREAM_MODULE)) {
  console.error(
    `nginx's stream module is not installed (apt-get install -y libnginx-mod-stream): ${STREAM_MODULE}`,
  );
  process.exit(2);
}
writeFileSync(
  path.join(dir, 'nginx.conf'),
  `load_module ${STREAM_MODULE};
worker_processes 1; daemon off; master_process off; pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body; proxy_temp_path ${dir}/tmp/proxy; fastcgi_temp_path ${dir}/tmp/fcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi; scgi_temp_path ${dir}/tmp/scgi;
  server {
    listen 127.0.0.1:${nginxPort} ssl;
    ssl_certificate ${dir}/server.crt; ssl_certificate_key ${dir}/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    ssl_verify_client optional; ssl_client_certificate ${dir}/client-ca.crt;
    root ${dir}/html;
  }
}
stream {
  log_format hello '$ssl_preread_protocol';
  server {
    listen 127.0.0.1:${port};
    ssl_preread on;
    proxy_pass 127.0.0.1:${nginxPort};
    access_log ${dir}/logs/hello.log hello;
  }
}
`,
);
const nginx = spawn(
  nginxBin,
  ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'logs', 'error.log')],
  { stdio: 'ignore' },
);

// --- counting, by nginx -----------------------------------------------------------------------------
const helloLog = path.join(dir, 'logs', 'hello.log');
const logged = () =>
  existsSync(helloLog) ? readFileSync(helloLog, 'utf8').split('\n').slice(0, -1) : [];

/** The hellos nginx logged since `from` lines, once the log has been quiet for 300 ms (it logs a connection when it closes). */
async function helloSince(from) {
  let count = -1;
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 100));
    const now = logged().length;
    quiet = now === count ? quiet + 1 : 0;
    count = now;
  }
  return logged().slice(from);
}

/** `{ TLSv1.2: 5, … }` from $ssl_preread_protocol values (`-`: a connection without a hello). */
function perVersion(hellos) {
  const counts = {};
  for (const h of hellos) {
    const v = h === '-' || !h ? 'no hello' : h;
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

async function waitForNginx() {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: nginxPort }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not start');
}

/** Runs a command and times it from spawn to exit; nginx counts its connections. */
async function timed(cmd, args) {
  const before = logged().length;
  const started = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const hellos = await helloSince(before);
  return { ms, code, stdout, connections: hellos.length, perVersion: perVersion(hellos) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const show = (counts) =>
  Object.entries(counts)
    .sort()
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');

try {
  await waitForNginx();
  const sslscan = which('sslscan');
  const probeArgs = [
    path.join(root, 'bin', 'tls-lint.js'),
    'probe',
    `127.0.0.1:${port}`,
    '--format',
    'json',
  ];
  const scanArgs = ['--no-colour', `127.0.0.1:${port}`];
  // one warm-up run of each (disk cache), not counted
  await timed(process.execPath, probeArgs);
  if (sslscan) await timed(sslscan, scanArgs);
  const loadBefore = loadavg()[0];
  const probeRuns = [];
  const scanRuns = [];
  for (let i = 0; i < runs; i++) {
    probeRuns.push(await timed(process.execPath, probeArgs));
    if (sslscan) scanRuns.push(await timed(sslscan, scanArgs));
  }
  const loadAfter = loadavg()[0];
  const last = probeRuns[probeRuns.length - 1];
  const json = JSON.parse(last.stdout);
  const probeMs = median(probeRuns.map((r) => r.ms));
  console.log(
    `target: nginx ${spawnSync(nginxBin, ['-v'], { encoding: 'utf8' }).stderr.trim().replace('nginx version: ', '')} on 127.0.0.1 (TLS 1.2 + 1.3, 6 ECDHE suites of which the 3 ECDHE-RSA ones fit its RSA key, ssl_verify_client optional)`,
  );
  console.log(
    `${runs} runs each, alternating; median wall time; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
  );
  console.log('');
  const accepted = Object.entries(json.ciphers ?? {})
    .map(([v, list]) => `${v} ${list.length}`)
    .join(', ');
  console.log(
    `tls-lint probe  ${probeMs.toFixed(0).padStart(6)} ms  ${String(last.connections).padStart(4)} connections  hellos: ${show(last.perVersion)}`,
  );
  console.log(
    `                suites accepted: ${accepted}; ${json.durationMs} ms inside the process; clientAuth requested=${json.clientAuth.requested} required=${json.clientAuth.required} verified=${json.clientAuth.verified}`,
  );
  if (sslscan) {
    const scanMs = median(scanRuns.map((r) => r.ms));
    const lastScan = scanRuns[scanRuns.length - 1];
    console.log(
      `sslscan         ${scanMs.toFixed(0).padStart(6)} ms  ${String(lastScan.connections).padStart(4)} connections  hellos: ${show(lastScan.perVersion)}`,
    );
    console.log('');
    console.log(
      `ratio (tls-lint / sslscan): wall time ${(probeMs / scanMs).toFixed(2)}x (target <= 1.0x), connections ${(last.connections / lastScan.connections).toFixed(2)}x`,
    );
  } else {
    console.log('sslscan         not installed (apt-get install -y sslscan); no ratio');
  }
} finally {
  nginx.kill('SIGTERM');
  await new Promise((r) => nginx.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
