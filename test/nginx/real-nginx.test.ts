/**
 * Against the real nginx (Debian `nginx` + `libnginx-mod-stream`):
 * - every nginx fixture loads with `nginx -t` (generated certificates substituted), unless it is
 *   marked `# nginx-t: skip …`; fixtures marked `# nginx-t: rejects …` must fail with that text;
 * - configs nginx refuses for TLS reasons are reported by tls-lint too;
 * - live servers on 127.0.0.1 show that what tls-lint says a vhost negotiates is what it does.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { knownValues } from '../../src/model/setting.js';
import { haveProgram } from '../support/system.js';
import { nginxFixtures, readNginxMarker } from './fixture-annotations.js';
import {
  freePort,
  nginxTest,
  prepareConfig,
  startNginx,
  type GeneratedMaterial,
  type RunningNginx,
} from './nginx-runner.js';
import { makeCertificate } from './openssl.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const HAVE = haveProgram('nginx') && haveProgram('openssl');

describe.skipIf(!HAVE)('real nginx', () => {
  let work: string;
  let material: GeneratedMaterial;
  let ca: { cert: string; key: string };
  const running: RunningNginx[] = [];

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'tls-lint-nginx-'));
    const certs = path.join(work, 'material');
    ca = makeCertificate(certs, 'ca', { key: 'rsa:2048', cn: 'tls-lint test CA', isCA: true });
    const leaf = makeCertificate(certs, 'leaf', {
      key: 'ec:prime256v1',
      cn: 'localhost',
      issuer: ca,
    });
    const dhparam = path.join(certs, 'dh2048.pem');
    copyFileSync(path.join(FIXTURES, 'projects/nginx-certificates/certs/dh2048.pem'), dhparam);
    material = { cert: leaf.cert, key: leaf.key, ca: ca.cert, dhparam };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('nginx -t accepts the fixtures', () => {
    // The certificate project names weak/expired certificates on purpose; it has its own test below.
    const fixtures = nginxFixtures().filter(
      (f) => f.name !== 'projects/nginx-certificates' && f.name !== 'projects/nginx-foreign-conf',
    );
    let n = 0;
    for (const fixture of fixtures) {
      const text = fixture.files.map((f) => readFileSync(f, 'utf8')).join('\n');
      const marker = readNginxMarker(text);
      test.skipIf(marker.kind === 'skip')(
        fixture.name,
        async () => {
          const prefix = path.join(work, `t${++n}`);
          const conf = prepareConfig(fixture.paths[0]!, prefix, material);
          const result = await nginxTest(prefix, conf);
          if (marker.kind === 'rejects') {
            expect(result.ok, result.output).toBe(false);
            expect(result.output).toContain(marker.message);
          } else {
            expect(result.ok, result.output).toBe(true);
          }
        },
        30_000,
      );
    }
  });

  /** Writes a main config into a fresh prefix and runs nginx -t and tls-lint on it. */
  async function judge(
    name: string,
    body: string,
  ): Promise<{
    nginx: Awaited<ReturnType<typeof nginxTest>>;
    lint: Awaited<ReturnType<typeof lint>>;
  }> {
    const prefix = path.join(work, name);
    mkdirSync(path.join(prefix, 'logs'), { recursive: true });
    const conf = path.join(prefix, 'nginx.conf');
    writeFileSync(conf, body);
    // The generated certificates live next to the prefix, outside the linted tree: opt in.
    return {
      nginx: await nginxTest(prefix, conf),
      lint: await lint({ paths: [conf], cwd: prefix, followOutside: true }),
    };
  }

  const server = (extra: string, m: () => GeneratedMaterial) =>
    `events {}\nhttp {\n  ssl_protocols TLSv1.2 TLSv1.3;\n  server {\n    listen 127.0.0.1:1443 ssl;\n    ssl_certificate ${m().cert};\n    ssl_certificate_key ${m().key};\n${extra}\n  }\n}\n`;

  test('ssl_verify_client on without a client CA: nginx refuses, tls-lint reports it', async () => {
    const { nginx, lint: result } = await judge(
      'verify-no-ca',
      server('    ssl_verify_client on;', () => material),
    );
    expect(nginx.ok).toBe(false);
    expect(nginx.output).toContain('no ssl_client_certificate');
    expect(result.findings.map((f) => f.ruleId)).toContain('client-certificate-not-verified');
    const context = result.contexts.find((c) => c.role === 'server')!;
    expect(context.notes?.clientVerify).toContain('nginx refuses to start');
  }, 30_000);

  test('proxy_ssl_verify on without a trusted CA: nginx refuses, tls-lint reports it', async () => {
    const { nginx, lint: result } = await judge(
      'proxy-verify-no-ca',
      server(
        '    location / { proxy_ssl_verify on; proxy_pass https://127.0.0.1:9; }',
        () => material,
      ),
    );
    expect(nginx.ok).toBe(false);
    expect(nginx.output).toContain('no proxy_ssl_trusted_certificate');
    expect(result.errors.map((e) => e.message).join('\n')).toContain(
      'no "proxy_ssl_trusted_certificate" for "proxy_ssl_verify on"',
    );
  }, 30_000);

  test('ssl_certificate without its key: nginx refuses, tls-lint reports it', async () => {
    const body = `events {}\nhttp {\n  server {\n    listen 127.0.0.1:1443 ssl;\n    ssl_certificate ${material.cert};\n  }\n}\n`;
    const { nginx, lint: result } = await judge('cert-no-key', body);
    expect(nginx.ok).toBe(false);
    expect(nginx.output).toContain('no "ssl_certificate_key" is defined');
    expect(result.errors.map((e) => e.message).join('\n')).toContain(
      'no "ssl_certificate_key" is defined for certificate',
    );
  }, 30_000);

  test('TLS directives with values or places nginx refuses: both refuse', async () => {
    const cases: Array<[string, string]> = [
      ['ssl_protocols TLSv1.2 TLSv1.4;', 'invalid value "TLSv1.4"'],
      ['ssl_verify_client yes;', 'invalid value "yes"'],
      ['ssl_ciphers HIGH; ssl_ciphers ECDHE+AESGCM;', '"ssl_ciphers" directive is duplicate'],
      ['location / { ssl_protocols TLSv1.2; }', '"ssl_protocols" directive is not allowed here'],
      [
        'location / { proxy_ssl_verify true; proxy_pass https://127.0.0.1:9; }',
        'invalid value "true" in "proxy_ssl_verify" directive',
      ],
    ];
    let i = 0;
    for (const [directives, message] of cases) {
      const { nginx, lint: result } = await judge(
        `refused-${++i}`,
        server(`    ${directives}`, () => material),
      );
      expect(nginx.ok, directives).toBe(false);
      expect(nginx.output).toContain(message);
      expect(result.errors.map((e) => e.message).join('\n'), directives).toContain(message);
    }
  }, 30_000);

  test('weak keys, MD5/SHA-1 signatures and small DH groups: OpenSSL 3 in nginx refuses them, tls-lint reports them', async () => {
    const dir = path.join(work, 'weak-material');
    const cases: Array<{
      name: string;
      rule: string;
      directives: (m: { cert: string; key: string }) => string;
      nginxSays: RegExp;
    }> = [
      {
        name: 'rsa1024',
        rule: 'weak-key',
        directives: (m) => `ssl_certificate ${m.cert}; ssl_certificate_key ${m.key};`,
        nginxSays: /key too small|ee key too small/,
      },
      {
        name: 'sha1',
        rule: 'weak-signature-algorithm',
        directives: (m) => `ssl_certificate ${m.cert}; ssl_certificate_key ${m.key};`,
        nginxSays: /md too weak/,
      },
      {
        name: 'dh1024',
        rule: 'weak-key',
        directives: () =>
          `ssl_certificate ${material.cert}; ssl_certificate_key ${material.key}; ssl_dhparam ${path.join(FIXTURES, 'projects/nginx-certificates/certs/dh1024.pem')};`,
        nginxSays: /dh key too small|SSL_CTX_set0_tmp_dh_pkey|ssl_dhparam/,
      },
    ];
    for (const c of cases) {
      const made =
        c.name === 'rsa1024'
          ? makeCertificate(dir, c.name, { key: 'rsa:1024', cn: 'localhost', issuer: ca })
          : c.name === 'sha1'
            ? makeCertificate(dir, c.name, {
                key: 'rsa:2048',
                cn: 'localhost',
                issuer: ca,
                digest: 'sha1',
              })
            : { cert: '', key: '' };
      const body = `events {}\nhttp {\n  ssl_protocols TLSv1.2 TLSv1.3;\n  server {\n    listen 127.0.0.1:1443 ssl;\n    ${c.directives(made)}\n  }\n}\n`;
      const { nginx, lint: result } = await judge(`weak-${c.name}`, body);
      expect(nginx.ok, `${c.name}: ${nginx.output}`).toBe(false);
      expect(nginx.output).toMatch(c.nginxSays);
      expect(
        result.findings.map((f) => f.ruleId),
        c.name,
      ).toContain(c.rule);
    }
  }, 90_000);

  test('the default-server trap: a vhost negotiates what tls-lint says, not what it sets', async () => {
    const port = await freePort();
    const prefix = path.join(work, 'live-trap');
    mkdirSync(path.join(prefix, 'logs'), { recursive: true });
    const conf = path.join(prefix, 'nginx.conf');
    writeFileSync(
      conf,
      `pid ${prefix}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n` +
        `  server { listen 127.0.0.1:${port} ssl; server_name first.test; ssl_certificate ${material.cert}; ssl_certificate_key ${material.key}; ssl_protocols TLSv1.2; return 200 "first\\n"; }\n` +
        `  server { listen 127.0.0.1:${port} ssl; server_name second.test; ssl_certificate ${material.cert}; ssl_certificate_key ${material.key}; ssl_protocols TLSv1.3; return 200 "second\\n"; }\n}\n`,
    );
    const result = await lint({ paths: [conf], cwd: prefix });
    const second = result.contexts.find((c) => c.label.includes('second.test'))!;
    expect(knownValues(second.protocols)).toEqual([['TLSv1.2']]);
    expect(second.notes?.protocols).toContain(
      'is ignored: nginx fixes the protocol versions of 127.0.0.1:',
    );

    const live = await startNginx(prefix, conf, port);
    running.push(live);
    const handshake = (version: tls.SecureVersion) => handshakeWith(port, 'second.test', version);
    expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
    expect(await handshake('TLSv1.3')).toBe('failed');
    await live.stop();
  }, 30_000);

  test('a gap in ssl_protocols with only TLS 1.2 suites: every handshake fails, and tls-lint says so', async () => {
    const port = await freePort();
    const prefix = path.join(work, 'live-gap');
    mkdirSync(path.join(prefix, 'logs'), { recursive: true });
    const conf = path.join(prefix, 'nginx.conf');
    const server = (ciphers: string) =>
      `pid ${prefix}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n` +
      `  server { listen 127.0.0.1:${port} ssl; server_name gap.test; ssl_certificate ${material.cert}; ssl_certificate_key ${material.key}; ssl_protocols TLSv1 TLSv1.2 TLSv1.3; ssl_ciphers ${ciphers}; return 200 "gap\\n"; }\n}\n`;
    writeFileSync(conf, server('ECDHE+AESGCM:ECDHE+CHACHA20'));
    const result = await lint({
      paths: [conf],
      cwd: prefix,
      followOutside: true,
      targets: new Map([['openssl', '3.0']]),
    });
    expect(
      result.findings.filter((f) => f.ruleId === 'invalid-protocol-range').map((f) => f.at.line),
    ).toEqual([5]);
    const live = await startNginx(prefix, conf, port);
    running.push(live);
    expect(await handshakeWith(port, 'gap.test', 'TLSv1.2')).toBe('failed');
    expect(await handshakeWith(port, 'gap.test', 'TLSv1.3')).toBe('failed');
    await live.stop();
    // With a suite usable at TLS 1.0 the same gap is no failure: TLS 1.2 goes through, and tls-lint is silent.
    writeFileSync(conf, server('ECDHE+AESGCM:ECDHE+AES'));
    const fine = await lint({
      paths: [conf],
      cwd: prefix,
      followOutside: true,
      targets: new Map([['openssl', '3.0']]),
    });
    expect(fine.findings.filter((f) => f.ruleId === 'invalid-protocol-range')).toEqual([]);
    const again = await startNginx(prefix, conf, port);
    running.push(again);
    expect(await handshakeWith(port, 'gap.test', 'TLSv1.2')).toBe('TLSv1.2');
    await again.stop();
  }, 30_000);

  test('a vhost on two shared addresses negotiates per address; tls-lint reports the weaker one and probes it', async () => {
    const shared = await freePort();
    const own = await freePort();
    const prefix = path.join(work, 'live-two-addresses');
    mkdirSync(path.join(prefix, 'logs'), { recursive: true });
    const conf = path.join(prefix, 'nginx.conf');
    const pem = `ssl_certificate ${material.cert}; ssl_certificate_key ${material.key};`;
    writeFileSync(
      conf,
      `pid ${prefix}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n` +
        `  server { listen 127.0.0.1:${shared} ssl; server_name first.test; ${pem} ssl_protocols TLSv1.3; return 200; }\n` +
        `  server { listen 127.0.0.1:${shared} ssl; listen 127.0.0.1:${own} ssl; server_name second.test; ${pem} ssl_protocols TLSv1.2 TLSv1.3; return 200; }\n}\n`,
    );
    const result = await lint({ paths: [conf], cwd: prefix });
    const second = result.contexts.find((c) => c.label.includes('second.test'))!;
    // On the shared address the default server allows TLS 1.3 only; on its own address its own
    // setting (TLS 1.2 and 1.3) is in force: that is what a client can get.
    expect(second.protocols).toMatchObject({ origin: 'explicit', value: ['TLSv1.2', 'TLSv1.3'] });
    expect(second.target).toEqual({
      host: '127.0.0.1',
      port: own,
      sni: 'second.test',
      at: expect.objectContaining({ line: expect.any(Number) }),
    });

    const live = await startNginx(prefix, conf, own);
    running.push(live);
    const handshake = (port: number) => handshakeWith(port, 'second.test', 'TLSv1.2');
    expect(await handshake(shared)).toBe('failed');
    expect(await handshake(own)).toBe('TLSv1.2');
    await live.stop();
  }, 30_000);

  test('proxy_pass https:// with nginx defaults accepts an upstream certificate nobody vouches for', async () => {
    // An upstream with a self-signed certificate for another name.
    const upstreamCert = makeCertificate(path.join(work, 'upstream'), 'upstream', {
      key: 'ec:prime256v1',
      cn: 'not-the-upstream.test',
    });
    const upstream = https.createServer(
      { cert: readFileSync(upstreamCert.cert), key: readFileSync(upstreamCert.key) },
      (_req, res) => res.end('from upstream\n'),
    );
    const upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    try {
      const port = await freePort();
      const prefix = path.join(work, 'live-proxy');
      mkdirSync(path.join(prefix, 'logs'), { recursive: true });
      const conf = path.join(prefix, 'nginx.conf');
      writeFileSync(
        conf,
        `pid ${prefix}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n  server { listen 127.0.0.1:${port}; location / { proxy_pass https://127.0.0.1:${upstreamPort}; } }\n}\n`,
      );
      const result = await lint({ paths: [conf], cwd: prefix });
      expect(
        result.findings.filter((f) => f.ruleId === 'certificate-verification-disabled'),
      ).toHaveLength(1);

      const live = await startNginx(prefix, conf, port);
      running.push(live);
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/', timeout: 5_000 }, (res) => {
          let data = '';
          res.on('data', (d: Buffer) => (data += d.toString()));
          res.on('end', () => resolve(data));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('from upstream\n');
      await live.stop();
    } finally {
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  }, 30_000);
});

/** One handshake at exactly `version` to 127.0.0.1:port: the negotiated protocol, or "failed"/"timeout". */
function handshakeWith(
  port: number,
  servername: string,
  version: tls.SecureVersion,
): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername,
      minVersion: version,
      maxVersion: version,
      rejectUnauthorized: false,
      timeout: 5_000,
    });
    socket.once('secureConnect', () => {
      const v = socket.getProtocol() ?? 'unknown';
      socket.destroy();
      resolve(v);
    });
    socket.once('error', () => resolve('failed'));
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
  });
}
