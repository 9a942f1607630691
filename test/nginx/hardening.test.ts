/**
 * Inputs found while hunting false positives/negatives and crashes with realistic trees:
 * values nginx accepts in any case, and files that must not take the whole run down.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import type { TlsContext } from '../../src/model/context.js';
import { knownValues } from '../../src/model/setting.js';
import { looksLikeNginx } from '../../src/languages/nginx/detect.js';
import { MAX_BLOCK_DEPTH, parseNginx } from '../../src/languages/nginx/parser.js';
import { writeTree } from '../support/trees.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  return writeTree('tls-lint-nginx-hardening-', files, dirs);
}

const run = (root: string) => lint({ paths: [root], cwd: root, targets: new Map() });
const byRole = (cs: TlsContext[], role: TlsContext['role']) => cs.filter((c) => c.role === role);

describe('values nginx compares case-insensitively (ngx_strcasecmp in the flag, enum and bitmask slots)', () => {
  // `nginx -t` accepts every line of this server.
  const conf = [
    'events {}',
    'http {',
    '  server {',
    '    listen 443 ssl;',
    '    ssl_certificate c.pem; ssl_certificate_key c.key;',
    '    ssl_protocols tlsv1 TLSV1.2;',
    '    ssl_verify_client OPTIONAL;',
    '    ssl_client_certificate ca.pem;',
    '    ssl_prefer_server_ciphers ON;',
    '    location / { proxy_pass HTTPS://10.0.0.1; proxy_ssl_verify On; proxy_ssl_trusted_certificate ca.pem; }',
    '  }',
    '}',
    '',
  ].join('\n');

  test('are read with their meaning, not reported as values nginx refuses', async () => {
    const r = await run(tree({ 'nginx.conf': conf }));
    expect(r.errors).toEqual([]);
    const server = byRole(r.contexts, 'server')[0]!;
    expect(knownValues(server.protocols)).toEqual([['TLSv1.0', 'TLSv1.2']]);
    expect(knownValues(server.clientAuth)).toEqual(['optional']);
    expect(knownValues(server.clientVerify)).toEqual(['ca']);
    expect(knownValues(server.serverCipherPreference)).toEqual([true]);
    const client = byRole(r.contexts, 'client')[0]!;
    expect(knownValues(client.peerVerification)).toEqual([true]);
  });

  test('so "tlsv1" is still an insecure protocol and "proxy_ssl_verify On" is not "verification disabled"', async () => {
    const r = await run(tree({ 'nginx.conf': conf }));
    const rules = r.findings.map((f) => `${f.ruleId}:${f.at.line}`);
    expect(rules).toContain('insecure-protocol-version:6');
    expect(rules.filter((x) => x.startsWith('certificate-verification-disabled'))).toEqual([]);
  });

  test('a misspelled value is still one nginx refuses', async () => {
    const r = await run(
      tree({
        'nginx.conf': 'events {}\nhttp {\n  ssl_protocols TLSv1.4;\n  ssl_verify_client yes;\n}\n',
      }),
    );
    expect(r.errors.map((e) => e.message)).toEqual([
      'nginx would refuse this configuration: invalid value "TLSv1.4" in "ssl_protocols" directive',
      expect.stringContaining('invalid value "yes" in "ssl_verify_client" directive'),
    ]);
  });
});

describe('deeply nested blocks', () => {
  test('past the depth limit are a syntax error of that file, not a crash of the reader', async () => {
    const depth = 5000;
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
      'conf.d/site.conf':
        'server { listen 443 ssl; ssl_certificate c.pem; ssl_certificate_key c.key; ssl_protocols TLSv1; }\n',
      'conf.d/generated.conf': `${'location / {'.repeat(depth)}${'}'.repeat(depth)}\n`,
    });
    const r = await run(root);
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'conf.d/generated.conf'),
        kind: 'too-deep',
        message: expect.stringContaining(
          `too deeply nested to analyse (blocks nested more than ${MAX_BLOCK_DEPTH} levels deep)`,
        ),
      }),
    ]);
    // The rest of the configuration is still linted.
    expect(r.findings.map((f) => f.ruleId)).toContain('insecure-protocol-version');
  });

  test('up to the limit are parsed', () => {
    const depth = MAX_BLOCK_DEPTH;
    const r = parseNginx(`${'location / {'.repeat(depth)}${'}'.repeat(depth)}\n`, 'x.conf');
    expect(r.error).toBeUndefined();
  });
});

describe('.conf files in other block formats', () => {
  test('HOCON, Logstash and HCL files with "http {" / "server {" blocks are not nginx', () => {
    expect(
      looksLikeNginx('akka {\n  http {\n    server {\n      idle-timeout = 60s\n    }\n  }\n}\n'),
    ).toBe(false);
    expect(looksLikeNginx('input {\n  http {\n    port => 8080\n    ssl => true\n  }\n}\n')).toBe(
      false,
    );
    expect(
      looksLikeNginx('server {\n  enabled = true\n}\ntls {\n  verify_server_hostname = false\n}\n'),
    ).toBe(false);
  });

  test('nginx with Lua assignments or "location = /x" is still nginx', () => {
    expect(
      looksLikeNginx(
        'server {\n  listen 443 ssl;\n  location / {\n    access_by_lua_block {\n      ngx.var.user = "x"\n    }\n  }\n}\n',
      ),
    ).toBe(true);
    expect(looksLikeNginx('location = /favicon.ico {\n  log_not_found off;\n}\n')).toBe(true);
  });
});

describe('nginx Docker image templates (envsubst fills ${NAME} when the container starts)', () => {
  const template = [
    'server {',
    '    listen ${NGINX_PORT} ssl;',
    '    server_name ${NGINX_HOST};',
    '    ssl_certificate /etc/nginx/certs/${NGINX_HOST}.crt;',
    '    ssl_certificate_key /etc/nginx/certs/${NGINX_HOST}.key;',
    '    ssl_protocols ${SSL_PROTOCOLS};',
    '    ssl_ciphers ${SSL_CIPHERS};',
    '    ssl_conf_command Ciphersuites ${TLS13_SUITES};',
    '}',
    'server {',
    '    listen 8443 ssl;',
    '    server_name legacy.test;',
    '    ssl_certificate c.pem; ssl_certificate_key c.key;',
    '    ssl_protocols TLSv1 TLSv1.2;',
    '}',
    '',
  ].join('\n');

  test('placeholders are unknown values, not cipher strings or ports', async () => {
    const r = await run(tree({ 'templates/default.conf.template': template }));
    expect(r.errors).toEqual([]);
    const templated = byRole(r.contexts, 'server').find((c) => c.label.includes('${NGINX_PORT}'))!;
    expect(templated.protocols).toMatchObject({
      origin: 'unknown',
      reason: expect.stringContaining('"ssl_protocols ${SSL_PROTOCOLS}" is filled in by envsubst'),
    });
    expect(templated.ciphers?.origin).toBe('unknown');
    expect(templated.tls13Ciphers?.origin).toBe('unknown');
    expect(templated.target).toEqual({});
    expect(r.findings.filter((f) => f.ruleId === 'invalid-cipher-string')).toEqual([]);
  });

  test('values written out in a template are still judged', async () => {
    const r = await run(tree({ 'templates/default.conf.template': template }));
    expect(r.findings.map((f) => `${f.ruleId}:${f.at.line}`)).toEqual([
      'insecure-protocol-version:14',
    ]);
  });
});

describe('a UTF-8 byte order mark', () => {
  test('is reported where nginx refuses it ("unknown directive"), and the file is still linted', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
      'conf.d/site.conf':
        '\uFEFFserver { listen 443 ssl; ssl_certificate c.pem; ssl_certificate_key c.key; ssl_protocols TLSv1; }\n',
    });
    const r = await run(root);
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'conf.d/site.conf'),
        line: 1,
        message: expect.stringContaining('starts with a UTF-8 byte order mark'),
      }),
    ]);
    expect(r.findings.map((f) => f.ruleId)).toContain('insecure-protocol-version');
  });
});

describe('files nginx never reads', () => {
  test('a file next to an included one is not reported for syntax errors (includes are relative to the prefix)', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include conf.d/server.conf;\n}\n',
      'conf.d/server.conf': 'server {\n  listen 443 ssl;\n  include tls.conf;\n}\n',
      'tls.conf': 'ssl_certificate c.pem;\nssl_certificate_key c.key;\nssl_protocols TLSv1;\n',
      // Never included: nginx resolves "tls.conf" against the prefix, not against conf.d/.
      'conf.d/tls.conf': 'not nginx {\n',
    });
    const r = await run(root);
    expect(r.errors).toEqual([]);
    expect(
      withoutDefaultCiphers(r.findings).map(
        (f) => `${path.relative(root, f.at.file)}:${f.at.line}:${f.ruleId}`,
      ),
    ).toEqual(['tls.conf:3:insecure-protocol-version']);
  });

  test('a broken file that is included is still reported', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
      'conf.d/site.conf': 'server {\n  listen 443 ssl;\n  include snippets/tls.inc;\n}\n',
      'snippets/tls.inc': 'ssl_protocols TLSv1.2\n',
    });
    const r = await run(root);
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'snippets/tls.inc'),
        line: 2,
        message: 'unexpected end of file, expecting ";" or "}"',
      }),
    ]);
  });
});

describe('a checked-out tree with the Debian layout', () => {
  const site =
    'server {\n  listen 443 ssl;\n  ssl_certificate c.pem; ssl_certificate_key c.key;\n  location / { proxy_pass https://10.0.0.1; }\n}\n';
  const main =
    'events {}\nhttp {\n  ssl_protocols TLSv1.2 TLSv1.3;\n  include /etc/nginx/sites-enabled/*;\n}\n';

  test('"/etc/nginx/…" includes read the tree, never this machine\'s /etc/nginx', async () => {
    const root = tree({ 'nginx.conf': main, 'sites-enabled/shop.conf': site });
    const r = await run(root);
    expect(r.contexts.map((c) => path.relative(root, c.at.file))).toEqual([
      'sites-enabled/shop.conf',
      'sites-enabled/shop.conf',
    ]);
    expect(byRole(r.contexts, 'server')[0]!.protocols).toMatchObject({
      origin: 'inherited',
      from: 'http{}',
    });
  });

  test.each([
    ['a relative', '../sites-available/shop'],
    ['an absolute', '/etc/nginx/sites-available/shop'],
  ])(
    '%s sites-enabled link is linted once, as the sites-available file, through nginx.conf',
    async (_kind, target) => {
      const root = tree({ 'nginx.conf': main, 'sites-available/shop': site });
      mkdirSync(path.join(root, 'sites-enabled'));
      symlinkSync(target, path.join(root, 'sites-enabled/shop'));
      const r = await run(root);
      expect(r.notices).toEqual([]);
      expect(r.contexts.map((c) => `${c.role}:${path.relative(root, c.at.file)}`)).toEqual([
        'server:sites-available/shop',
        'client:sites-available/shop',
      ]);
      // Judged with nginx.conf: the default "proxy_ssl_verify off" is known.
      expect(r.findings.map((f) => f.ruleId)).toContain('certificate-verification-disabled');
    },
  );
});

describe('a main config made of includes', () => {
  test('nginx.conf whose events{} and http{} come from "include main.d/*.conf" is a main config', async () => {
    const root = tree({
      'nginx.conf': 'user nginx;\nworker_processes auto;\ninclude main.d/*.conf;\n',
      'main.d/00-events.conf': 'events { worker_connections 1024; }\n',
      'main.d/10-http.conf':
        'http {\n  server {\n    listen 443 ssl;\n    ssl_certificate c.pem; ssl_certificate_key c.key;\n    location / { proxy_pass https://10.0.0.1; }\n  }\n}\n',
    });
    const r = await run(root);
    expect(r.contexts.map((c) => c.role)).toEqual(['server', 'client']);
    // nginx's defaults are known: TLS 1.0/1.1 by default (1.22), "proxy_ssl_verify off".
    expect(byRole(r.contexts, 'server')[0]!.protocols?.origin).toBe('default');
    expect(r.findings.map((f) => f.ruleId)).toContain('certificate-verification-disabled');
  });
});

describe('passes whose target has variables', () => {
  test('nginx prepares TLS for them whatever the scheme, so "*_ssl_verify on" without a CA is refused there', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  proxy_ssl_verify on;',
        '  server {',
        '    listen 8080;',
        '    set $be 10.0.0.1;',
        '    location / { proxy_pass http://$be; }',
        '    location /a { proxy_pass $scheme://$be; proxy_ssl_trusted_certificate ca.pem; }',
        '    location /b { proxy_pass http://10.0.0.2; }',
        '    location /g { grpc_pass grpc://$be; grpc_ssl_verify on; }',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const r = await run(root);
    expect(r.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      '3: nginx would refuse this configuration: no "proxy_ssl_trusted_certificate" for "proxy_ssl_verify on" (nginx.conf:7)',
      '10: nginx would refuse this configuration: no "grpc_ssl_trusted_certificate" for "grpc_ssl_verify on" (nginx.conf:10)',
    ]);
    expect(r.contexts).toEqual([]);
  });
});
