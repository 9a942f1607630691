import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { TargetPlatform } from '../../src/config/targets.js';
import { lint } from '../../src/engine/lint.js';
import type { TlsContext } from '../../src/model/context.js';
import { knownValues } from '../../src/model/setting.js';
import { writeRepo } from '../support/trees.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A tree of files in a fresh repository, as in pre-commit: its work tree bounds what a lone site file may pull in. */
function tree(files: Record<string, string>): string {
  return writeRepo('tls-lint-nginx-reader-', files, dirs);
}

async function run(paths: string[], nginx?: string) {
  const targets = new Map<TargetPlatform, string>(nginx ? [['nginx', nginx]] : []);
  return lint({ paths, cwd: path.dirname(paths[0]!), targets });
}

const servers = (cs: TlsContext[]) => cs.filter((c) => c.role === 'server');
const byLabel = (cs: TlsContext[], part: string) => cs.find((c) => c.label.includes(part))!;
const CERT = 'ssl_certificate c.pem; ssl_certificate_key c.key;';

describe('include resolution', () => {
  test('globs are read in sorted order relative to the main config, and the first server is the default', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n  include empty.d/*.conf;\n}\n',
      'conf.d/b.conf': `server { listen 443 ssl; server_name b.test; ${CERT} ssl_protocols TLSv1.3; }\n`,
      'conf.d/a.conf': `server { listen 443 ssl; server_name a.test; ${CERT} ssl_protocols TLSv1.2; }\n`,
    });
    const r = await run([root]);
    expect(r.errors).toEqual([]);
    expect(servers(r.contexts)).toHaveLength(2);
    const b = byLabel(r.contexts, 'b.test');
    expect(knownValues(b.protocols)).toEqual([['TLSv1.2']]);
    expect(b.protocols).toMatchObject({
      origin: 'inherited',
      at: { file: path.join(root, 'conf.d/a.conf') },
    });
    expect(b.notes?.protocols).toContain('"ssl_protocols TLSv1.3" (conf.d/b.conf:1) is ignored');
  });

  test('a file included by a main config is linted through it, once', async () => {
    const root = tree({
      'nginx.conf':
        'events {}\nhttp {\n  ssl_protocols TLSv1.2 TLSv1.3;\n  include sites-enabled/*;\n}\n',
      'sites-enabled/shop': `server { listen 443 ssl; server_name shop.test; ${CERT} }\n`,
    });
    const r = await run([root]);
    expect(servers(r.contexts)).toHaveLength(1);
    expect(servers(r.contexts)[0]!.protocols).toMatchObject({
      origin: 'inherited',
      from: 'http{}',
    });
  });

  test('a missing include is an error with its location, and what it could set is unknown', async () => {
    const root = tree({
      'nginx.conf': `events {}\nhttp {\n  include tls-policy.conf;\n  server { listen 443 ssl; ${CERT} }\n}\n`,
    });
    const r = await run([root]);
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'nginx.conf'),
        line: 3,
        message: expect.stringContaining('include "tls-policy.conf": no such file'),
      }),
    ]);
    const s = servers(r.contexts)[0]!;
    expect(s.protocols).toMatchObject({
      origin: 'unknown',
      reason: expect.stringContaining('"include tls-policy.conf" (nginx.conf:3) could not be read'),
    });
    expect(r.findings.filter((f) => f.ruleId === 'insecure-protocol-version')).toEqual([]);
  });

  test('include cycles are reported, not followed forever', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include a.conf;\n}\n',
      'a.conf': 'include b.conf;\n',
      'b.conf': 'include a.conf;\n',
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(r.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('include cycle: a.conf → b.conf → a.conf'),
    ]);
  });

  test('absolute /etc/nginx paths are found in the checked-out tree', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include /etc/nginx/conf.d/*.conf;\n}\n',
      'conf.d/site.conf': `server { listen 443 ssl; ${CERT} ssl_protocols TLSv1 TLSv1.2; }\n`,
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(knownValues(servers(r.contexts)[0]!.protocols)).toEqual([['TLSv1.0', 'TLSv1.2']]);
  });

  test('a syntax error in an included file is reported there; the including block becomes unknown', async () => {
    const root = tree({
      'nginx.conf': `events {}\nhttp {\n  include broken.conf;\n  server { listen 443 ssl; ${CERT} }\n}\n`,
      'broken.conf': 'ssl_protocols TLSv1.2\n',
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'broken.conf'),
        message: 'unexpected end of file, expecting ";" or "}"',
      }),
    ]);
    expect(servers(r.contexts)[0]!.protocols?.origin).toBe('unknown');
  });

  test('a lone site file: its snippets are found from its folder, the enclosing http{} is unknown', async () => {
    const root = tree({
      'sites-enabled/app.conf': `server {\n  listen 443 ssl;\n  ${CERT}\n  include snippets/tls.conf;\n}\n`,
      'snippets/tls.conf': 'ssl_ciphers ECDHE+AESGCM;\n',
    });
    const r = await run([path.join(root, 'sites-enabled/app.conf')]);
    const s = servers(r.contexts)[0]!;
    expect(s.ciphers).toMatchObject({ origin: 'explicit', value: { text: 'ECDHE+AESGCM' } });
    expect(s.protocols).toMatchObject({
      origin: 'unknown',
      reason: expect.stringContaining('linted without the nginx.conf'),
    });
  });

  test('a staged site file alone is judged through the nginx.conf above it that includes it', async () => {
    const root = tree({
      'nginx.conf':
        'events {}\nhttp {\n  ssl_protocols TLSv1 TLSv1.2;\n  include sites-enabled/*;\n  include missing-elsewhere.conf;\n}\n',
      'sites-enabled/00-default': `server { listen 443 ssl default_server; ${CERT} }\n`,
      'sites-enabled/shop': `server {\n  listen 443 ssl;\n  server_name shop.test;\n  ${CERT}\n  ssl_protocols TLSv1.2 TLSv1.3;\n}\n`,
    });
    const r = await run([path.join(root, 'sites-enabled/shop')]);
    // Only the staged file's server; nginx.conf's own problems (a missing include) are not reported.
    expect(r.errors).toEqual([]);
    expect(r.contexts.map((c) => c.label)).toEqual(['server{} "shop.test"']);
    const s = r.contexts[0]!;
    expect(s.protocols).toMatchObject({
      origin: 'inherited',
      value: ['TLSv1.0', 'TLSv1.2'],
      at: { file: path.join(root, 'nginx.conf'), line: 3 },
    });
    expect(s.notes?.protocols).toContain(
      '"ssl_protocols TLSv1.2 TLSv1.3" (sites-enabled/shop:5) is ignored',
    );
  });

  test('a staged snippet alone is judged in the servers of the nginx.conf that include it', async () => {
    const root = tree({
      'nginx.conf': `events {}\nhttp {\n  server { listen 443 ssl; server_name a.test; ${CERT} include snippets/tls.conf; }\n  server { listen 8443 ssl; server_name b.test; ${CERT} ssl_protocols TLSv1.3; }\n}\n`,
      'snippets/tls.conf': 'ssl_protocols TLSv1.1 TLSv1.2;\n',
    });
    const r = await run([path.join(root, 'snippets/tls.conf')]);
    expect(r.contexts.map((c) => c.label)).toEqual(['server{} "a.test"']);
    expect(r.findings.map((f) => `${f.ruleId}@${path.basename(f.at.file)}:${f.at.line}`)).toContain(
      'insecure-protocol-version@tls.conf:1',
    );
  });

  test('material paths resolve against the configuration prefix, not the including file', async () => {
    const root = tree({
      'nginx.conf': 'events {}\nhttp {\n  include sites/a.conf;\n}\n',
      'sites/a.conf':
        'server { listen 443 ssl; ssl_certificate certs/a.pem; ssl_certificate_key certs/a.key; ssl_dhparam /etc/ssl/dh.pem; ssl_client_certificate /etc/nginx/ca/clients.pem; }\n',
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    const refs = servers(r.contexts)[0]!.material.map((m) => [m.purpose, m.path]);
    expect(refs).toEqual([
      ['server-certificate', path.join(root, 'certs/a.pem')],
      ['server-key', path.join(root, 'certs/a.key')],
      // A system path of the deployment host is not read from this machine…
      ['dhparam', undefined],
      // …but /etc/nginx/… is the checked-out tree itself.
      ['client-ca', path.join(root, 'ca/clients.pem')],
    ]);
  });
});

describe('server contexts', () => {
  test('defaults by nginx version: the same file under 1.22 and 1.28 differs exactly where the defaults differ', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256;',
        '  proxy_ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256;',
        '  proxy_ssl_verify on;',
        '  proxy_ssl_trusted_certificate ca.pem;',
        '  server {',
        '    listen 443 ssl;',
        `    ${CERT}`,
        '    location / { proxy_pass https://127.0.0.1:8443; }',
        '  }',
        '  server {',
        '    listen 8443 ssl;',
        `    ${CERT}`,
        '    ssl_protocols TLSv1.2;',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const file = path.join(root, 'nginx.conf');
    const old = await run([file], '1.22');
    const current = await run([file], '1.28');
    const key = (f: { ruleId: string; at: { line: number } }) => `${f.ruleId}@${f.at.line}`;
    const a = new Set(old.findings.map(key));
    const b = new Set(current.findings.map(key));
    expect([...a].filter((k) => !b.has(k)).sort()).toEqual([
      'insecure-protocol-version@10',
      'insecure-protocol-version@8',
    ]);
    expect([...b].filter((k) => !a.has(k))).toEqual([]);
    const first = servers(old.contexts)[0]!;
    expect(first.protocols).toMatchObject({
      origin: 'default',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
      reason: expect.stringContaining(
        '"ssl_protocols TLSv1 TLSv1.1 TLSv1.2" (nginx 1.9.1–1.23.3; target nginx 1.22',
      ),
    });
    expect(knownValues(servers(current.contexts)[0]!.protocols)).toEqual([['TLSv1.2', 'TLSv1.3']]);
    const v124 = await run([file], '1.24');
    expect(knownValues(servers(v124.contexts)[0]!.protocols)).toEqual([
      ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    ]);
    expect(old.findings.find((f) => f.ruleId === 'insecure-protocol-version')!.message).toContain(
      'nginx 1.22',
    );
  });

  test('without --target the assumption is stated', async () => {
    const root = tree({ 'nginx.conf': `events {}\nhttp { server { listen 443 ssl; ${CERT} } }\n` });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(servers(r.contexts)[0]!.protocols).toMatchObject({
      reason: expect.stringContaining('nginx 1.22 assumed; set --target nginx=<version>'),
    });
  });

  test('ssl_verify_client values map to client auth and verification', async () => {
    const values = ['off', 'on', 'optional', 'optional_no_ca'];
    const root = tree({
      'nginx.conf': `events {}\nhttp {\n${values.map((v, i) => `  server { listen ${8440 + i} ssl; ${CERT} ssl_client_certificate ca.pem; ssl_verify_client ${v}; }`).join('\n')}\n}\n`,
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    const got = servers(r.contexts).map((c) => [
      knownValues(c.clientAuth)[0],
      knownValues(c.clientVerify)[0],
      knownValues(c.clientCa)[0],
    ]);
    expect(got).toEqual([
      ['none', undefined, true],
      ['required', 'ca', true],
      ['optional', 'ca', true],
      ['optional', 'external', true],
    ]);
  });

  test('ssl_verify_client on without a CA: a note saying nginx refuses it', async () => {
    const root = tree({
      'nginx.conf': `events {}\nhttp { server { listen 443 ssl; ${CERT} ssl_verify_client on; } }\n`,
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    const s = servers(r.contexts)[0]!;
    expect(s.clientCa).toMatchObject({ origin: 'default', value: false });
    expect(s.notes?.clientVerify).toContain('nginx refuses to start with "ssl_verify_client on"');
  });

  test('ssl on, listen on an address another server made TLS, quic, stream, and probe targets', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        `  server { listen 443; ssl on; server_name old.test; ${CERT} }`,
        `  server { listen 127.0.0.1:8443 ssl; server_name first.test; ${CERT} }`,
        `  server { listen 127.0.0.1:8443; server_name second.test *.wild.test; ${CERT} }`,
        `  server { listen 9443 quic; server_name h3.test; ${CERT} }`,
        '  server { listen 80; server_name plain.test; }',
        '}',
        'stream {',
        `  server { listen 127.0.0.1:6000 ssl; ${CERT} proxy_pass 127.0.0.1:6001; }`,
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    const s = servers(r.contexts);
    expect(s.map((c) => c.label)).toEqual([
      'server{} "old.test"',
      'server{} "first.test"',
      'server{} "second.test"',
      'server{} "h3.test"',
      'stream server{} on 127.0.0.1:6000',
    ]);
    expect(s[0]!.features).toEqual([
      expect.objectContaining({ feature: 'nginx.ssl-on', detail: 'ssl on' }),
    ]);
    expect(s[2]!.target).toEqual({
      host: '127.0.0.1',
      port: 8443,
      sni: 'second.test',
      at: expect.objectContaining({ line: expect.any(Number) }),
    });
    expect(s[2]!.enabledAt?.line).toBe(5);
    expect(knownValues(s[3]!.protocols)).toEqual([['TLSv1.3']]);
    expect(s[4]!.api).toBe('nginx stream server');
  });

  test('ssl_conf_command: Ciphersuites, CipherString and protocol bounds; a child level replaces the list', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384;',
        '  ssl_conf_command MaxProtocol TLSv1.2;',
        `  server { listen 443 ssl; ${CERT} ssl_protocols TLSv1 TLSv1.2 TLSv1.3; }`,
        `  server { listen 8443 ssl; ${CERT} ssl_conf_command CipherString ECDHE+AESGCM; }`,
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')], '1.28');
    const [a, b] = servers(r.contexts);
    expect(a!.tls13Ciphers).toMatchObject({
      origin: 'inherited',
      value: { syntax: 'openssl-tls13', text: 'TLS_AES_256_GCM_SHA384' },
    });
    expect(a!.protocols).toMatchObject({
      origin: 'inherited',
      value: ['TLSv1.0', 'TLSv1.2'],
      key: 'ssl_conf_command',
    });
    expect(b!.tls13Ciphers).toBeUndefined();
    expect(b!.ciphers).toMatchObject({
      origin: 'explicit',
      value: { text: 'ECDHE+AESGCM' },
      key: 'ssl_conf_command',
    });
    expect(knownValues(b!.protocols)).toEqual([['TLSv1.2', 'TLSv1.3']]);
  });

  test('a server on several shared addresses negotiates the weakest of their default servers', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        `  server { listen 443 ssl; server_name strict.test; ${CERT} ssl_protocols TLSv1.3; }`,
        `  server { listen 8443 ssl; server_name legacy.test; ${CERT} ssl_protocols TLSv1 TLSv1.2; }`,
        `  server { listen 443 ssl; listen 8443 ssl; server_name shared.test; ${CERT} ssl_protocols TLSv1.2 TLSv1.3; }`,
        `  server { listen 443 ssl; listen 9443 ssl; server_name own.test; ${CERT} ssl_protocols TLSv1.2 TLSv1.3; }`,
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')], '1.28');
    // *:443 gives TLS 1.3 only, *:8443 gives TLS 1.0 and 1.2: the second address is the weak one.
    const shared = byLabel(r.contexts, 'shared.test');
    expect(knownValues(shared.protocols)).toEqual([['TLSv1.0', 'TLSv1.2']]);
    expect(shared.protocols).toMatchObject({
      origin: 'inherited',
      from: expect.stringContaining('the default server of *:8443'),
    });
    expect(shared.notes?.protocols).toContain(
      '"ssl_protocols TLSv1.2 TLSv1.3" (nginx.conf:5) is ignored on *:8443',
    );
    expect(shared.target).toEqual({
      port: 8443,
      sni: 'shared.test',
      at: expect.objectContaining({ line: expect.any(Number) }),
    });
    // On *:443 its own setting is ignored, but on 9443 (its own default) it is in force: that is weaker.
    const own = byLabel(r.contexts, 'own.test');
    expect(own.protocols).toMatchObject({ origin: 'explicit', value: ['TLSv1.2', 'TLSv1.3'] });
    expect(own.notes?.protocols).toBeUndefined();
    // Both findings point at the ssl_protocols that enables TLS 1.0 (the default server's of *:8443).
    const findings = r.findings.filter((f) => f.ruleId === 'insecure-protocol-version');
    expect(findings.map((f) => f.at.line)).toEqual([4, 4]);
    expect(findings.map((f) => f.message).join('\n')).toContain('server{} "shared.test"');
  });

  test('stream servers share an address and are chosen by SNI from nginx 1.25.5: the default-server rule applies', async () => {
    const conf = [
      'events {}',
      'stream {',
      `  server { listen 5000 ssl; server_name first.test; ${CERT} ssl_protocols TLSv1 TLSv1.2; proxy_pass 10.0.0.1:1; }`,
      `  server { listen 5000 ssl default_server; server_name second.test; ${CERT} ssl_protocols TLSv1.2 TLSv1.3; proxy_pass 10.0.0.1:2; }`,
      '}',
      '',
    ].join('\n');
    const root = tree({ 'nginx.conf': conf });
    const recent = await run([path.join(root, 'nginx.conf')], '1.26');
    const first = byLabel(recent.contexts, 'first.test');
    expect(knownValues(first.protocols)).toEqual([['TLSv1.2', 'TLSv1.3']]);
    expect(first.notes?.protocols).toContain(
      'is ignored: nginx fixes the protocol versions of *:5000 in its default server',
    );
    expect(first.target).toEqual({
      port: 5000,
      sni: 'first.test',
      at: expect.objectContaining({ line: expect.any(Number) }),
    });
    // Before 1.25.5 a stream address has one server: each is judged by its own settings.
    const older = await run([path.join(root, 'nginx.conf')], '1.24');
    expect(knownValues(byLabel(older.contexts, 'first.test').protocols)).toEqual([
      ['TLSv1.0', 'TLSv1.2'],
    ]);
    expect(byLabel(older.contexts, 'first.test').notes?.protocols).toBeUndefined();
  });

  test('ssl_conf_command Options ServerPreference overrides ssl_prefer_server_ciphers; other options change nothing', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  ssl_prefer_server_ciphers on;',
        `  server { listen 443 ssl; ${CERT} ssl_conf_command Options -ServerPreference,PrioritizeChaCha; }`,
        `  server { listen 8443 ssl; ${CERT} ssl_prefer_server_ciphers off; ssl_conf_command Options ServerPreference; }`,
        `  server { listen 9443 ssl; ${CERT} ssl_conf_command Options PrioritizeChaCha; }`,
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')], '1.28');
    const [a, b, c] = servers(r.contexts);
    expect(a!.serverCipherPreference).toMatchObject({
      origin: 'explicit',
      value: false,
      key: 'ssl_conf_command',
      raw: 'Options -ServerPreference,PrioritizeChaCha',
    });
    expect(b!.serverCipherPreference).toMatchObject({
      origin: 'explicit',
      value: true,
      key: 'ssl_conf_command',
    });
    expect(c!.serverCipherPreference).toMatchObject({
      origin: 'inherited',
      value: true,
      key: 'ssl_prefer_server_ciphers',
    });
  });

  test('nginx-refused TLS configs are errors: no key for a certificate, no certificate for listen ssl', async () => {
    const root = tree({
      'nginx.conf':
        'events {}\nhttp {\n  server { listen 443 ssl; ssl_certificate a.pem; }\n  server { listen 8443 ssl; }\n  server { listen 9443 ssl; ssl_reject_handshake on; }\n}\n',
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(r.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      expect.stringMatching(/^3: .*no "ssl_certificate_key" is defined for certificate "a.pem"/),
      expect.stringMatching(
        /^4: .*no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive/,
      ),
    ]);
  });
});

describe('client contexts', () => {
  test('proxy_ssl_* per location with inheritance, grpc and uwsgi, variables and plain http', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  proxy_ssl_protocols TLSv1.2;',
        '  server {',
        '    listen 80;',
        '    proxy_ssl_verify on;',
        '    proxy_ssl_trusted_certificate ca.pem;',
        '    location /a/ { proxy_pass https://a.internal; }',
        '    location /b/ { proxy_ssl_verify off; proxy_ssl_server_name on; proxy_pass https://b.internal:8443/x; }',
        '    location /c/ { location /c/d/ { if ($arg_x) { proxy_pass https://d.internal; } } }',
        '    location /g/ { grpc_pass grpcs://g.internal:50051; }',
        '    location /u/ { uwsgi_pass suwsgi://127.0.0.1:3031; }',
        '    location /p/ { proxy_pass http://plain.internal; }',
        '    location /v/ { proxy_pass $upstream_url; }',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(r.errors).toEqual([]);
    const clients = r.contexts.filter((c) => c.role === 'client');
    expect(clients.map((c) => c.label)).toEqual([
      'proxy_pass "https://a.internal" in location /a/',
      'proxy_pass "https://b.internal:8443/x" in location /b/',
      'proxy_pass "https://d.internal" in location /c/d/',
      'grpc_pass "grpcs://g.internal:50051" in location /g/',
      'uwsgi_pass "suwsgi://127.0.0.1:3031" in location /u/',
    ]);
    const [a, b, d, g, u] = clients;
    expect(a!.peerVerification).toMatchObject({
      origin: 'inherited',
      value: true,
      from: expect.stringContaining('server{}'),
    });
    expect(a!.hostnameVerification).toMatchObject({ value: true });
    expect(a!.protocols).toMatchObject({ origin: 'inherited', value: ['TLSv1.2'], from: 'http{}' });
    expect(a!.ciphers).toMatchObject({ origin: 'default', value: { text: 'DEFAULT' } });
    expect(b!.peerVerification).toMatchObject({ origin: 'explicit', value: false });
    expect(b!.hostnameVerification).toBeUndefined();
    expect(b!.serverName).toMatchObject({ origin: 'default', value: 'b.internal' });
    expect(d!.peerVerification).toMatchObject({ origin: 'inherited', value: true });
    expect(g!.peerVerification).toMatchObject({
      origin: 'default',
      value: false,
      reason: 'nginx\'s default "grpc_ssl_verify off"',
    });
    expect(u!.peerVerification).toMatchObject({
      origin: 'default',
      value: false,
      key: 'uwsgi_ssl_verify',
    });
    expect(u!.enabledAt?.line).toBe(12);
  });

  test('proxy_ssl_conf_command: protocol bounds, CipherString and Ciphersuites apply to the upstream connection', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  server {',
        '    listen 80;',
        '    proxy_ssl_conf_command MinProtocol TLSv1.2;',
        '    location /a/ { proxy_pass https://a.internal; }',
        '    location /b/ { proxy_ssl_conf_command CipherString ECDHE+AESGCM; proxy_ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256; proxy_pass https://b.internal; }',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')], '1.22');
    const [a, b] = r.contexts.filter((c) => c.role === 'client');
    expect(a!.protocols).toMatchObject({
      origin: 'inherited',
      value: ['TLSv1.2'],
      key: 'proxy_ssl_conf_command',
      raw: 'MinProtocol TLSv1.2',
    });
    // The location's own conf commands replace the server's list: the default protocols are back.
    expect(b!.protocols).toMatchObject({
      origin: 'default',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    });
    expect(b!.ciphers).toMatchObject({
      origin: 'explicit',
      value: { syntax: 'openssl', text: 'ECDHE+AESGCM' },
    });
    expect(b!.tls13Ciphers).toMatchObject({
      origin: 'explicit',
      value: { syntax: 'openssl-tls13', text: 'TLS_AES_128_GCM_SHA256' },
    });
    expect(
      r.findings.filter((f) => f.ruleId === 'insecure-protocol-version').map((f) => f.at.line),
    ).toEqual([7]);
  });

  test('stream proxy_ssl', async () => {
    const root = tree({
      'nginx.conf':
        'events {}\nstream {\n  server { listen 5000; proxy_ssl on; proxy_ssl_certificate client.pem; proxy_pass 10.0.0.1:5001; }\n  server { listen 5002; proxy_pass 10.0.0.1:5003; }\n}\n',
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    const clients = r.contexts.filter((c) => c.role === 'client');
    expect(clients).toHaveLength(1);
    expect(clients[0]!.material).toEqual([
      expect.objectContaining({ purpose: 'client-certificate', key: 'proxy_ssl_certificate' }),
    ]);
  });
});

describe('what is not nginx, or not TLS', () => {
  test('supervisord, Apache and INI .conf files give neither findings nor errors', async () => {
    const root = tree({
      'supervisord.conf':
        '[supervisord]\nnodaemon=true\n[program:web]\ncommand=nginx -g "daemon off;"\n',
      'httpd-ssl.conf':
        'Listen 443\n<VirtualHost *:443>\nSSLEngine on\nSSLProtocol all\n</VirtualHost>\n',
      'app.conf': '[tls]\nssl_protocols = TLSv1\n',
    });
    const r = await run([root]);
    expect(r.errors).toEqual([]);
    expect(r.contexts.filter((c) => c.language === 'nginx')).toEqual([]);
  });

  test('a TLS snippet alone is judged on what it sets; the rest is unknown', async () => {
    const root = tree({
      'ssl-params.conf': 'ssl_protocols TLSv1 TLSv1.2;\nssl_prefer_server_ciphers on;\n',
    });
    const r = await run([path.join(root, 'ssl-params.conf')]);
    const s = servers(r.contexts)[0]!;
    expect(s.label).toBe(
      'snippet "ssl-params.conf" (TLS settings for the server{} that includes it)',
    );
    expect(s.protocols).toMatchObject({ origin: 'explicit', value: ['TLSv1.0', 'TLSv1.2'] });
    expect(s.ciphers?.origin).toBe('unknown');
    expect(s.clientAuth?.origin).toBe('unknown');
    expect(r.findings.map((f) => `${f.ruleId}@${f.at.line}`)).toEqual([
      'insecure-protocol-version@1',
    ]);
  });
});

describe('TLS directives nginx refuses to load', () => {
  test('bad values, wrong block, duplicates: errors in nginx words', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'http {',
        '  ssl_protocols TLSv1.2 TLSv1.4;',
        '  server {',
        `    listen 443 ssl; ${CERT}`,
        '    ssl_verify_client yes;',
        '    ssl_ciphers HIGH;',
        '    ssl_ciphers ECDHE+AESGCM;',
        '    location / { ssl_protocols TLSv1.2; proxy_ssl_verify true; proxy_pass https://127.0.0.1:1; }',
        '    ssl_prefer_server_ciphers;',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    expect(
      r.errors.map(
        (e) => `${e.line}: ${e.message.replace('nginx would refuse this configuration: ', '')}`,
      ),
    ).toEqual([
      '3: invalid value "TLSv1.4" in "ssl_protocols" directive',
      '6: invalid value "yes" in "ssl_verify_client" directive, it must be "on", "off", "optional" or "optional_no_ca"',
      '8: "ssl_ciphers" directive is duplicate',
      '9: "ssl_protocols" directive is not allowed here',
      '9: invalid value "true" in "proxy_ssl_verify" directive, it must be "on" or "off"',
      '10: invalid number of arguments in "ssl_prefer_server_ciphers" directive',
    ]);
  });
});

describe('installed configs', () => {
  test('only a config under a packaged prefix reads system paths of this machine', async () => {
    const { isInstalledPrefix } = await import('../../src/languages/nginx/includes.js');
    expect(isInstalledPrefix('/etc/nginx')).toBe(true);
    expect(isInstalledPrefix('/etc/nginx/sites-enabled')).toBe(true);
    expect(isInstalledPrefix('/usr/local/etc/nginx/')).toBe(true);
    expect(isInstalledPrefix('/etc/nginxish')).toBe(false);
    expect(isInstalledPrefix('/home/me/repo/deploy/nginx')).toBe(false);
  });
});

describe('TLS settings no server uses yet', () => {
  test('http{} ssl_* settings with no TLS server: what is written is judged, at lower precision', async () => {
    const root = tree({
      'nginx.conf':
        'events {}\nhttp {\n  ssl_protocols TLSv1 TLSv1.2;\n  server { listen 80; }\n}\n',
    });
    const r = await run([path.join(root, 'nginx.conf')]);
    const [c] = r.contexts;
    expect(c!.label).toBe(
      'http{} (TLS settings every TLS server{} added here inherits; none serves TLS yet)',
    );
    expect(c!.protocols).toMatchObject({ origin: 'explicit', value: ['TLSv1.0', 'TLSv1.2'] });
    expect(c!.ciphers).toMatchObject({
      origin: 'unknown',
      reason: 'not set in http{}, and no TLS server{} exists to set it',
    });
    expect(r.findings.map((f) => `${f.ruleId}@${f.at.line}:${f.precision}`)).toEqual([
      'insecure-protocol-version@3:medium',
    ]);
  });

  test('no ssl_* in http{} and no TLS server: nothing', async () => {
    const root = tree({ 'nginx.conf': 'events {}\nhttp {\n  server { listen 80; }\n}\n' });
    expect((await run([path.join(root, 'nginx.conf')])).contexts).toEqual([]);
  });
});

describe('mail{}', () => {
  test('mail servers with ssl listens or STARTTLS are TLS servers with the same defaults', async () => {
    const root = tree({
      'nginx.conf': [
        'events {}',
        'mail {',
        '  server_name mail.test;',
        '  auth_http 127.0.0.1:9000/auth;',
        `  ${CERT}`,
        '  server { listen 993 ssl; protocol imap; }',
        '  server { listen 587; protocol smtp; starttls only; ssl_protocols TLSv1.2 TLSv1.3; }',
        '  server { listen 110; protocol pop3; }',
        '}',
        '',
      ].join('\n'),
    });
    const r = await run([path.join(root, 'nginx.conf')], '1.22');
    expect(r.errors).toEqual([]);
    const s = servers(r.contexts);
    expect(s.map((c) => [c.label, c.api, c.enabledAt?.line])).toEqual([
      ['mail server{} on *:993', 'nginx mail server', 6],
      ['mail server{} on *:587', 'nginx mail server', 7],
    ]);
    expect(s[0]!.protocols).toMatchObject({
      origin: 'default',
      reason: expect.stringContaining('none set in this server or in mail{}'),
    });
    expect(knownValues(s[1]!.protocols)).toEqual([['TLSv1.2', 'TLSv1.3']]);
  });
});
