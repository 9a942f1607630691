/**
 * One real nginx tree for the confirm-mode tests: a server{} per case, each on its own port of
 * 127.0.0.1, all in one nginx process (started once, shared by every test of a file). The drift
 * server lives in its own site file so a test can edit it after nginx has read it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIdentity, type Identity } from '../../src/probe/x509-builder.js';
import {
  freePort,
  makeTestPki,
  nginxForegroundConf,
  waitForPort,
  type TestPki,
} from '../support/servers.js';
import { whichProgram } from '../support/system.js';

export const CASES = [
  'legacy',
  'nullAnon',
  'weakKey',
  'optional',
  'optionalNoCa',
  'on',
  'proxy',
  'drift',
] as const;
export type CaseName = (typeof CASES)[number];

export interface NginxTree {
  /** The nginx prefix; the config is `<dir>/conf/nginx.conf`. */
  dir: string;
  conf: string;
  ports: Record<CaseName, number>;
  pki: TestPki;
  /** The 1024-bit identity served by the weakKey server. */
  weak: Identity;
  /** Another 2048-bit server identity (what the drift site names after its edit). */
  other: Identity;
  /** The drift site file, to edit after start. */
  driftFile: string;
  /** Line of a server{} in nginx.conf by case (1-based). */
  serverLine(name: CaseName): number;
  stop(): Promise<void>;
}

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export async function startNginxTree(): Promise<NginxTree> {
  const nginx = whichProgram('nginx');
  if (!nginx) throw new Error('nginx is not installed');
  const pki = makeTestPki();
  const weak = makeIdentity({
    subject: { commonName: 'localhost' },
    altNames: ['localhost', '127.0.0.1'],
    issuer: pki.serverCa,
    key: { type: 'rsa', bits: 1024 },
  });
  const other = makeIdentity({
    subject: { commonName: 'other.localhost' },
    altNames: ['localhost', '127.0.0.1'],
    issuer: pki.serverCa,
    key: { type: 'rsa', bits: 2048 },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-confirm-'));
  const conf = path.join(dir, 'conf');
  for (const sub of ['logs', 'tmp', 'html']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, 'html', 'index.html'), 'hello\n');
  write(path.join(conf, 'pki', 'server.crt'), pki.server.certPem);
  write(path.join(conf, 'pki', 'server.key'), pki.server.keyPem);
  write(path.join(conf, 'pki', 'weak.crt'), weak.certPem);
  write(path.join(conf, 'pki', 'weak.key'), weak.keyPem);
  write(path.join(conf, 'pki', 'other.crt'), other.certPem);
  write(path.join(conf, 'pki', 'other.key'), other.keyPem);
  write(path.join(conf, 'pki', 'client-ca.crt'), pki.clientCa.certPem);

  const ports = {} as Record<CaseName, number>;
  for (const name of CASES) ports[name] = await freePort();

  const server = (name: CaseName, body: string) => `
  server {   # case ${name}
    listen 127.0.0.1:${ports[name]} ssl;
    server_name localhost;
${body
  .split('\n')
  .map((l) => `    ${l.trim()}`)
  .filter((l) => l.trim())
  .join('\n')}
  }`;
  const main = nginxForegroundConf(
    dir,
    `  root ${dir}/html;
  ssl_certificate pki/server.crt;
  ssl_certificate_key pki/server.key;
  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;
${server('legacy', 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2;')}
${server('nullAnon', `ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:NULL-SHA256:AECDH-AES128-SHA:@SECLEVEL=0;`)}
${server(
  'weakKey',
  `ssl_certificate pki/weak.crt;
  ssl_certificate_key pki/weak.key;`,
)}
${server(
  'optional',
  `ssl_verify_client optional;
  ssl_client_certificate pki/client-ca.crt;`,
)}
${server('optionalNoCa', 'ssl_verify_client optional_no_ca;')}
${server(
  'on',
  `ssl_verify_client on;
  ssl_client_certificate pki/client-ca.crt;`,
)}
${server(
  'proxy',
  `location / {
    proxy_pass https://127.0.0.1:${ports.on}; }`,
)}
  include sites/*.conf;`,
    'off',
  );
  const mainFile = write(path.join(conf, 'nginx.conf'), main);
  // What runs: a static-RSA CBC suite allowed, no client certificates asked for, the first certificate.
  const driftFile = write(
    path.join(conf, 'sites', 'drift.conf'),
    `server {
  listen 127.0.0.1:${ports.drift} ssl;
  server_name localhost;
  ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA;
}
`,
  );

  // Debian builds OpenSSL with security level 2 by default, which refuses to load a 1024-bit
  // certificate at all; level 1 (OpenSSL's own default) serves it, as many servers do.
  const opensslConf = write(
    path.join(dir, 'openssl.cnf'),
    'openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\nsystem_default = system_default_sect\n[system_default_sect]\nCipherString = DEFAULT:@SECLEVEL=1\n',
  );
  let output = '';
  const child: ChildProcess = spawn(
    nginx,
    ['-p', `${dir}/`, '-c', mainFile, '-e', path.join(dir, 'logs', 'error.log')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENSSL_CONF: opensslConf },
    },
  );
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        pki.cleanup();
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  try {
    for (const name of CASES) await waitForPort(ports[name], 10_000, child);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  const lines = main.split('\n');
  return {
    dir,
    conf,
    ports,
    pki,
    weak,
    other,
    driftFile,
    serverLine: (name) => lines.findIndex((l) => l.includes(`# case ${name}`)) + 1,
    stop,
  };
}

/**
 * A config for a server that is not running: `listen 127.0.0.1:<port>` on a port nothing listens
 * on, named `down.test`, with TLS 1.0 enabled (a finding to leave inconclusive).
 */
export function writeDownTree(
  pki: TestPki,
  port: number,
): { dir: string; conf: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-confirm-down-'));
  write(path.join(dir, 'server.crt'), pki.server.certPem);
  write(path.join(dir, 'server.key'), pki.server.keyPem);
  const conf = write(
    path.join(dir, 'nginx.conf'),
    `events {}
http {
  server {
    listen 127.0.0.1:${port} ssl;
    server_name down.test;
    ssl_certificate server.crt;
    ssl_certificate_key server.key;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  }
}
`,
  );
  return { dir, conf, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
