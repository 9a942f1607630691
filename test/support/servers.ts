/**
 * Servers for probe tests, all on 127.0.0.1 and always stoppable: Node `tls` servers, `openssl
 * s_server`, a real nginx, and misbehaving servers (silent, garbage). Plus a small PKI made with
 * the probe's own X.509 builder (no `openssl` needed for it).
 *
 * Shared by the probe tests (test/probe/) and the raw-TLS tests: import, don't copy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { makeIdentity, type Identity } from '../../src/probe/x509-builder.js';
import { afterAll, beforeAll } from 'vitest';
import { whichProgram } from './system.js';
import { STREAM_MODULE } from '../nginx/nginx-runner.js';

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

// --- PKI -------------------------------------------------------------------------------------

export interface TestPki {
  /** Issues the server certificate. */
  serverCa: Identity;
  /** Server certificate for localhost / 127.0.0.1 / ::1, signed by serverCa. */
  server: Identity;
  /** Issues client certificates (the CA a server trusts for mTLS). */
  clientCa: Identity;
  /** A client certificate signed by clientCa. */
  client: Identity;
  /** Folder with every PEM written: `<name>.crt`, `<name>.key`. */
  dir: string;
  file(name: 'serverCa' | 'server' | 'clientCa' | 'client', kind: 'crt' | 'key'): string;
  cleanup(): void;
}

export function makeTestPki(
  options: { serverKey?: Parameters<typeof makeIdentity>[0]['key'] } = {},
): TestPki {
  const serverCa = makeIdentity({
    subject: { commonName: 'tls-lint Test Server CA', organization: 'tls-lint tests' },
    isCA: true,
  });
  const server = makeIdentity({
    subject: { commonName: 'localhost' },
    altNames: ['localhost', '127.0.0.1', '::1'],
    issuer: serverCa,
    key: options.serverKey ?? { type: 'rsa', bits: 2048 },
  });
  const clientCa = makeIdentity({
    subject: { commonName: 'tls-lint Test Client CA', organization: 'tls-lint tests' },
    isCA: true,
  });
  const client = makeIdentity({
    subject: { commonName: 'test client' },
    issuer: clientCa,
    key: { type: 'rsa', bits: 2048 },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-pki-'));
  const all = { serverCa, server, clientCa, client };
  for (const [name, id] of Object.entries(all)) {
    fs.writeFileSync(path.join(dir, `${name}.crt`), id.certPem);
    fs.writeFileSync(path.join(dir, `${name}.key`), id.keyPem, { mode: 0o600 });
  }
  return {
    ...all,
    dir,
    file: (name, kind) => path.join(dir, `${name}.${kind}`),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// --- ports -----------------------------------------------------------------------------------

/** A port that was free a moment ago (for programs that cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until something accepts TCP connections on the port, or throws after `timeoutMs`. */
export async function waitForPort(
  port: number,
  timeoutMs = 10_000,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`server exited early with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

// --- Node tls ------------------------------------------------------------------------------------

/**
 * A Node TLS server that answers every request-looking input with a small HTTP response (so the
 * probe's HTTP step sees an answer), like an https server would.
 */
export async function startNodeTlsServer(options: tls.TlsOptions): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(options, (socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
  });
  server.on('tlsClientError', () => undefined);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/**
 * Node TLS servers for one test file: a test PKI made before the tests, every server and the PKI
 * removed after them. `serve()` starts a server with the PKI's server identity plus `options`.
 */
export function useNodeTlsServers(): {
  pki: () => TestPki;
  serve: (options?: tls.TlsOptions) => Promise<RunningServer>;
} {
  let pki: TestPki | undefined;
  const servers: RunningServer[] = [];
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    pki?.cleanup();
  });
  return {
    pki: () => pki!,
    serve: async (options = {}) => {
      const s = await startNodeTlsServer({
        key: pki!.server.keyPem,
        cert: pki!.server.certPem,
        ...options,
      });
      servers.push(s);
      return s;
    },
  };
}

// --- misbehaving servers ----------------------------------------------------------------------------

/** Accepts TCP connections and never says a word. */
export async function startSilentServer(): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** Answers every connection with bytes that are not TLS, then keeps the connection open. */
export async function startGarbageServer(
  payload: Buffer = Buffer.from('SSH-2.0-OpenSSH_9.2 not tls at all\r\n\x00\xff\x17\x03'),
): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.once('data', () => s.write(payload));
  });
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

// --- child processes -------------------------------------------------------------------------------

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * `openssl s_server -www` with the given extra arguments (e.g. `['-tls1', '-cipher', 'AES128-SHA:@SECLEVEL=0']`,
 * `['-Verify', '1', '-CAfile', f]`). The certificate and key come from `pki`.
 */
export async function startOpensslServer(
  pki: TestPki,
  args: readonly string[],
): Promise<RunningServer & { output(): string }> {
  const openssl = whichProgram('openssl');
  if (!openssl) throw new Error('openssl is not installed');
  const port = await freePort();
  let output = '';
  const child = spawn(
    openssl,
    [
      's_server',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      pki.file('server', 'crt'),
      '-key',
      pki.file('server', 'key'),
      '-www',
      '-naccept',
      '1000000',
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OPENSSL_CONF: '/dev/null' } },
  );
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitForPort(port, 10_000, child);
  } catch (e) {
    await stopChild(child);
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  return { port, close: () => stopChild(child), output: () => output };
}

/**
 * A main nginx.conf for a foreground nginx under a test prefix `dir` (logs/, tmp/ in it): one
 * worker, no master, its pid, logs and temporary folders there, and `http` inside http{}.
 */
export function nginxForegroundConf(
  dir: string,
  http: string,
  accessLog = `${dir}/logs/access.log`,
): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `${k}_temp_path ${dir}/tmp/${k === 'client_body' ? 'body' : k};`)
    .join('\n  ');
  return `worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log info;
events { worker_connections 256; }
http {
  access_log ${accessLog};
  ${temp}
${http}
}
`;
}

export interface NginxServer extends RunningServer {
  dir: string;
  errorLog(): string;
}

/**
 * A real nginx (foreground, no master/daemon), configured with one TLS `server{}` on 127.0.0.1
 * whose body is `serverDirectives` (e.g. `ssl_verify_client optional; ssl_client_certificate …;`).
 * Started with `-p <tmpdir> -c <conf> -e <log>`.
 */
export interface HelloCountingNginx extends NginxServer {
  /** The port to probe: a counting relay in this process, in front of nginx's stream server. */
  helloPort: number;
  /**
   * The protocol version of each ClientHello nginx saw through `helloPort`, as its stream module
   * reads it (`$ssl_preread_protocol`: the highest the hello offers; empty for a connection that
   * sent no hello), once nginx has logged every connection the relay passed on.
   */
  hellos(): Promise<string[]>;
}

/**
 * {@link startNginx} with a second door that counts handshakes on the server side: a stream
 * server with `ssl_preread` logs the version of every ClientHello and passes the connection on to
 * the TLS server. A relay in front of it counts the connections, so that `hellos()` knows when
 * nginx has logged them all (it logs a connection when it closes).
 */
export async function startHelloCountingNginx(
  pki: TestPki,
  serverDirectives: string,
): Promise<HelloCountingNginx> {
  const streamPort = await freePort();
  const stream = (dir: string) => `stream {
  log_format hello '$ssl_preread_protocol';
  server {
    listen 127.0.0.1:${streamPort};
    ssl_preread on;
    proxy_pass 127.0.0.1:PORT;
    access_log ${dir}/logs/hello.log hello;
  }
}
`;
  const nginx = await startNginx(pki, serverDirectives, '', { stream });
  await waitForPort(streamPort);
  let relayed = 0;
  const relay = net.createServer((client) => {
    relayed++;
    const upstream = net.connect({ host: '127.0.0.1', port: streamPort });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const logFile = path.join(nginx.dir, 'logs', 'hello.log');
  const read = () =>
    fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(0, -1) : [];
  return {
    ...nginx,
    helloPort: (relay.address() as net.AddressInfo).port,
    async hellos() {
      const deadline = Date.now() + 20_000;
      while (read().length < relayed && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const lines = read();
      if (lines.length < relayed)
        throw new Error(`nginx logged ${lines.length} of the ${relayed} connections relayed`);
      return lines;
    },
    close: async () => {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await nginx.close();
    },
  };
}

export async function startNginx(
  pki: TestPki,
  serverDirectives: string,
  httpDirectives = '',
  options: { stream?: (dir: string) => string } = {},
): Promise<NginxServer> {
  const nginx = whichProgram('nginx');
  if (!nginx) throw new Error('nginx is not installed');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-nginx-'));
  for (const sub of ['logs', 'tmp', 'html']) fs.mkdirSync(path.join(dir, sub));
  fs.writeFileSync(path.join(dir, 'html', 'index.html'), 'hello from nginx\n');
  const conf = nginxForegroundConf(
    dir,
    `  ${httpDirectives}
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${pki.file('server', 'crt')};
    ssl_certificate_key ${pki.file('server', 'key')};
    root ${dir}/html;
    ${serverDirectives}
  }`,
  );
  const confPath = path.join(dir, 'nginx.conf');
  // A stream server (its module is loaded dynamically on Debian) proxies to the TLS server.
  const stream = options.stream?.(dir).replace('PORT', String(port));
  fs.writeFileSync(confPath, stream ? `load_module ${STREAM_MODULE};\n${conf}${stream}` : conf);
  let output = '';
  const child = spawn(
    nginx,
    ['-p', dir, '-c', confPath, '-e', path.join(dir, 'logs', 'error.log')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const errorLog = () => {
    try {
      return fs.readFileSync(path.join(dir, 'logs', 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitForPort(port, 10_000, child);
  } catch (e) {
    await stopChild(child);
    const log = errorLog();
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${output}\n${log}`);
  }
  return {
    port,
    dir,
    errorLog,
    close: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
