#!/usr/bin/env node
// Live-probe speed against a local nginx (run on demand, never in `npm test`).
//
//   npm run build && node bench/probe-bench.mjs [--runs 5]
//
// Starts nginx (Debian `nginx`) on 127.0.0.1 with a Mozilla-intermediate-like TLS config and
// `ssl_verify_client optional`, behind a small TCP relay that counts connections. Then runs the
// full `tls-lint probe` and, when installed, `sslscan` (Debian `sslscan`) the same number of
// times, and prints the median wall time, the connections each made, and the ratio.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) || 5 : 5;

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
const server = makeIdentity({ subject: { commonName: 'localhost' }, altNames: ['localhost', '127.0.0.1'], issuer: serverCa, key: { type: 'rsa', bits: 2048 } });
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
writeFileSync(
  path.join(dir, 'nginx.conf'),
  `worker_processes 1; daemon off; master_process off; pid ${dir}/nginx.pid;
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
`,
);
const nginx = spawn(nginxBin, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'logs', 'error.log')], { stdio: 'ignore' });

// --- counting relay --------------------------------------------------------------------------------
let connections = 0;
const relay = net.createServer((client) => {
  connections++;
  const upstream = net.connect({ host: '127.0.0.1', port: nginxPort });
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});
await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
const port = relay.address().port;

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

/** Runs a command without blocking this process (the relay lives here). */
function timed(cmd, args) {
  return new Promise((resolve) => {
    const before = connections;
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, connections: connections - before, code, stdout }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await waitForNginx();
  const probeRuns = [];
  let lastJson;
  for (let i = 0; i < runs; i++) {
    const r = await timed(process.execPath, [path.join(root, 'bin', 'tls-lint.js'), 'probe', `127.0.0.1:${port}`, '--format', 'json']);
    lastJson = JSON.parse(r.stdout);
    probeRuns.push(r);
  }
  const probeMs = median(probeRuns.map((r) => r.ms));
  const probeConnections = median(probeRuns.map((r) => r.connections));
  console.log(`target: nginx ${spawnSync(nginxBin, ['-v'], { encoding: 'utf8' }).stderr.trim().replace('nginx version: ', '')} on 127.0.0.1 (TLS 1.2 + 1.3, 6 ECDHE suites, ssl_verify_client optional), ${runs} runs each, median`);
  console.log('');
  console.log(`tls-lint probe  ${probeMs.toFixed(0).padStart(6)} ms  ${String(probeConnections).padStart(4)} connections (probe counted ${lastJson.handshakes} handshakes, ${lastJson.durationMs} ms inside the process)`);
  console.log(`                sees: clientAuth requested=${lastJson.clientAuth.requested} required=${lastJson.clientAuth.required} verified=${lastJson.clientAuth.verified}; ${lastJson.findings.length} finding${lastJson.findings.length === 1 ? '' : 's'}`);

  const sslscan = which('sslscan');
  if (sslscan) {
    const scanRuns = [];
    for (let i = 0; i < runs; i++) scanRuns.push(await timed(sslscan, ['--no-colour', `127.0.0.1:${port}`]));
    const scanMs = median(scanRuns.map((r) => r.ms));
    const scanConnections = median(scanRuns.map((r) => r.connections));
    console.log(`sslscan         ${scanMs.toFixed(0).padStart(6)} ms  ${String(scanConnections).padStart(4)} connections`);
    console.log('');
    console.log(`ratio (tls-lint / sslscan): wall time ${(probeMs / scanMs).toFixed(2)}x, connections ${(probeConnections / scanConnections).toFixed(2)}x`);
  } else {
    console.log('sslscan         not installed (apt-get install -y sslscan); no ratio');
  }
} finally {
  relay.close();
  nginx.kill('SIGTERM');
  await new Promise((r) => nginx.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
