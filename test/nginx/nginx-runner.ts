/**
 * Runs the real nginx for tests: `nginx -t` on a copy of a fixture (with generated certificate
 * paths substituted), and short-lived servers on 127.0.0.1 with their own prefix.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { whichProgram } from '../support/system.js';
import { filesUnder } from './fixture-annotations.js';

export const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

export interface GeneratedMaterial {
  cert: string;
  key: string;
  ca: string;
  dhparam: string;
}

/** Directives whose file argument is swapped for generated material (keys must match certs). */
const SUBSTITUTE: Record<string, keyof GeneratedMaterial> = {
  ssl_certificate: 'cert',
  ssl_certificate_key: 'key',
  proxy_ssl_certificate: 'cert',
  proxy_ssl_certificate_key: 'key',
  grpc_ssl_certificate: 'cert',
  grpc_ssl_certificate_key: 'key',
  uwsgi_ssl_certificate: 'cert',
  uwsgi_ssl_certificate_key: 'key',
  ssl_client_certificate: 'ca',
  ssl_trusted_certificate: 'ca',
  proxy_ssl_trusted_certificate: 'ca',
  grpc_ssl_trusted_certificate: 'ca',
  uwsgi_ssl_trusted_certificate: 'ca',
  ssl_dhparam: 'dhparam',
};

function substitute(text: string, material: GeneratedMaterial, confDir: string): string {
  let out = text;
  for (const [directive, which] of Object.entries(SUBSTITUTE)) {
    out = out.replace(
      new RegExp(`^(\\s*${directive}\\s+)("[^"]*"|'[^']*'|[^;\\s]+)`, 'gm'),
      `$1${material[which]}`,
    );
  }
  // Includes of files that are not in the tree (certbot's /etc/letsencrypt snippet, the stock
  // mime.types) would fail the test for reasons that have nothing to do with TLS.
  out = out.replace(/^(\s*)include\s+([^;\s]+)\s*;/gm, (line, indent: string, target: string) => {
    if (/[*?[]/.test(target)) return line;
    const full = path.isAbsolute(target) ? target : path.join(confDir, target);
    return existsSync(full) ? line : `${indent}# (test) missing include removed: ${target}`;
  });
  return out;
}

/**
 * Copies a fixture file or project into `<prefix>/conf/` with material substituted, wraps
 * fragments into a loadable main config, and returns the main config path.
 */
export function prepareConfig(
  fixturePath: string,
  prefix: string,
  material: GeneratedMaterial,
): string {
  const confDir = path.join(prefix, 'conf');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  let main: string;
  if (statSync(fixturePath).isDirectory()) {
    cpSync(fixturePath, confDir, { recursive: true });
    main = path.join(confDir, 'nginx.conf');
  } else {
    main = path.join(confDir, path.basename(fixturePath));
    cpSync(fixturePath, main);
  }
  for (const file of filesUnder(confDir)) {
    if (file.endsWith('.pem')) continue;
    writeFileSync(file, substitute(readFileSync(file, 'utf8'), material, confDir));
  }
  let text = readFileSync(main, 'utf8');
  if (!/^\s*(events|http|stream)\s*\{/m.test(text)) {
    // A fragment: a site file goes into http{}, a TLS snippet into a server{}.
    const inner = /^\s*server\s*\{/m.test(text)
      ? `include ${main};`
      : `server { listen 127.0.0.1:9 ssl; ssl_certificate ${material.cert}; ssl_certificate_key ${material.key}; include ${main}; }`;
    const wrapper = path.join(confDir, 'wrapper-nginx.conf');
    writeFileSync(wrapper, `events {}\nhttp {\n${inner}\n}\n`);
    main = wrapper;
    text = readFileSync(main, 'utf8');
  }
  if (/^\s*stream\s*\{/m.test(text)) writeFileSync(main, `load_module ${STREAM_MODULE};\n${text}`);
  return main;
}

export interface NginxTestResult {
  ok: boolean;
  output: string;
}

export function nginxTest(prefix: string, conf: string): Promise<NginxTestResult> {
  const nginx = whichProgram('nginx')!;
  return new Promise((resolve) => {
    execFile(
      nginx,
      ['-t', '-q', '-p', `${prefix}/`, '-c', conf, '-e', path.join(prefix, 'logs', 'error.log')],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ ok: !error, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** A free TCP port on 127.0.0.1 (probe socket; tiny race accepted in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningNginx {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground on a prepared prefix; resolves once `port` accepts. */
export async function startNginx(
  prefix: string,
  conf: string,
  port: number,
): Promise<RunningNginx> {
  const nginx = whichProgram('nginx')!;
  const child = spawn(
    nginx,
    [
      '-p',
      `${prefix}/`,
      '-c',
      conf,
      '-e',
      path.join(prefix, 'logs', 'error.log'),
      '-g',
      'daemon off;',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    if (await canConnect(port)) return { process: child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
