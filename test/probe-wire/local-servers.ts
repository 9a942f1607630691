/**
 * Local servers for the enumeration tests: a throwaway PKI made with the openssl CLI, and
 * `openssl s_server` processes on free 127.0.0.1 ports (always killed in afterAll).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Runs openssl without the system config, so distribution policy cannot change results. */
const OPENSSL_ENV = { ...process.env, OPENSSL_CONF: '/dev/null' };

function openssl(args: string[]): string {
  return execFileSync('openssl', args, {
    env: OPENSSL_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface TestPki {
  dir: string;
  serverKey: string;
  serverCert: string;
  clientCa: string;
  cleanup(): void;
}

/** RSA-2048 server certificate for localhost/127.0.0.1 and a client CA "O=tls-lint tests, CN=Probe Test Client CA". */
export function makePki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-probe-wire-'));
  const file = (name: string) => path.join(dir, name);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.pem'),
  ]);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/O=tls-lint tests/CN=Probe Test Client CA',
    '-keyout',
    file('client-ca.key'),
    '-out',
    file('client-ca.pem'),
  ]);
  return {
    dir,
    serverKey: file('server.key'),
    serverCert: file('server.pem'),
    clientCa: file('client-ca.pem'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface SServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts `openssl s_server` with `args` on a free port; resolves once it accepts. */
export async function startSServer(pki: TestPki, args: string[]): Promise<SServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      pki.serverCert,
      '-key',
      pki.serverKey,
      ...args,
    ],
    { env: OPENSSL_ENV, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server did not start: ${output}`)), 10_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('ACCEPT')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s_server exited (${code}): ${output}`));
    });
  });
  child.removeAllListeners('exit');
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * What OpenSSL itself says a server with `cipherString` accepts at `versionFlag` (-tls1, -tls1_2…)
 * with an RSA certificate: `openssl ciphers -s`, keeping RSA-authenticated and anonymous suites.
 */
export function expectedSuites(versionFlag: string, cipherString: string): number[] {
  const out = openssl(['ciphers', '-s', '-V', versionFlag, '-ciphersuites', '', cipherString]);
  const codes: number[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - \S+\s+\S+\s+Kx=(\S+)\s+Au=(\S+)/.exec(line);
    if (!m) continue;
    const [, hi, lo, kx, au] = m;
    if ((au === 'RSA' || au === 'None') && !/PSK|SRP/.test(kx!))
      codes.push((parseInt(hi!, 16) << 8) | parseInt(lo!, 16));
  }
  return codes;
}

/** Whether `openssl s_client` completes a handshake with exactly this suite and version. */
export function sClientAccepts(
  port: number,
  versionFlag: string,
  opensslSuiteName: string,
): boolean {
  try {
    const out = execFileSync(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        versionFlag,
        '-cipher',
        `${opensslSuiteName}:@SECLEVEL=0`,
      ],
      {
        env: OPENSSL_ENV,
        encoding: 'utf8',
        input: '',
        timeout: 10_000,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    return new RegExp(`Cipher is ${opensslSuiteName.replace(/[-]/g, '\\-')}\\b`).test(out);
  } catch {
    return false;
  }
}
