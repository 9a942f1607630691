/**
 * Which files the nginx reader takes, as a user running `tls-lint <path>` sees it: by name (site
 * files without an extension, `.ngx`, `.vhost`, `.conf.sample`, templates), by content for a file
 * named explicitly, never HOCON/Logstash/HCL/Apache `.conf` files; a file named explicitly that no
 * reader takes is an error (exit 2), and templates are read for what is certain.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikeNginx, looksLikeNginxPath } from '../../src/languages/nginx/detect.js';
import { maskTemplate } from '../../src/languages/nginx/template.js';
import { runMain } from '../support/cli.js';
import { writeRepo } from '../support/trees.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const WEAK_SITE = 'server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n';

interface JsonReport {
  findings: Array<{ ruleId: string; file: string; line: number; message: string }>;
  errors: Array<{ file: string; message: string; kind?: string }>;
  notices?: Array<{
    file: string;
    message: string;
    files?: Array<{ file: string; message: string }>;
  }>;
}

async function json(args: string[], cwd: string): Promise<{ code: number; report: JsonReport }> {
  const r = await runMain(['--format', 'json', ...args], { cwd });
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

describe('nginx files recognised by name', () => {
  it('the path filter takes nginx names, template and sample copies, and site folders', () => {
    const yes = [
      '/x/site.ngx',
      '/x/app.conf.sample',
      '/x/app.conf.example',
      '/x/legacy.vhost',
      '/x/default.conf.template',
      '/x/nginx.conf.j2',
      '/x/site.vhost.erb',
      '/x/nginx.tmpl',
      '/x/sites-available/shop',
      '/x/sites-custom/example.com',
      '/x/sites-enabled/api',
    ];
    for (const p of yes) expect(looksLikeNginxPath(p), p).toBe(true);
    const no = [
      '/x/app.js',
      '/x/notes',
      '/x/sites-available/cert.pem',
      '/x/sites-enabled/README.md',
      '/x/values.yaml.j2',
      '/x/settings.py.tmpl',
    ];
    for (const p of no) expect(looksLikeNginxPath(p), p).toBe(false);
  });

  it('a walked tree: site files by name and content, foreign .conf and unknown files left alone', async () => {
    const root = writeRepo(
      'tls-lint-names-',
      {
        'sites-available/shop': WEAK_SITE,
        'sites-custom/api.example.com': WEAK_SITE,
        'site.ngx': WEAK_SITE,
        'app.conf.sample': WEAK_SITE,
        'legacy.vhost': WEAK_SITE,
        // not nginx, whatever the name says
        'application.conf':
          'akka {\n  http {\n    server {\n      idle-timeout = 60s\n    }\n  }\n}\n',
        'logstash.conf': 'input {\n  http {\n    port => 8080\n    ssl => true\n  }\n}\n',
        'notes/proxy': WEAK_SITE,
        'README.txt': 'server { listen 443 ssl; }\n',
      },
      made,
    );
    const { code, report } = await json(['.'], root);
    expect(code).toBe(1);
    expect(report.errors).toEqual([]);
    const files = [
      ...new Set(
        report.findings.filter((f) => f.ruleId === 'insecure-protocol-version').map((f) => f.file),
      ),
    ].sort();
    expect(files).toEqual([
      'app.conf.sample',
      'legacy.vhost',
      'site.ngx',
      'sites-available/shop',
      'sites-custom/api.example.com',
    ]);
  });
});

describe('files named explicitly', () => {
  it('are read as nginx when their content is nginx, whatever their name', async () => {
    const root = writeRepo(
      'tls-lint-explicit-',
      { 'notes/proxy': WEAK_SITE, 'exported.txt': WEAK_SITE },
      made,
    );
    for (const file of ['notes/proxy', 'exported.txt']) {
      const { code, report } = await json([file], root);
      expect(code, file).toBe(1);
      expect(
        report.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`),
        file,
      ).toEqual([`${file}:3:insecure-protocol-version`]);
    }
  });

  it('that no reader takes are an error of kind no-reader (exit 2), never a pass', async () => {
    const root = writeRepo(
      'tls-lint-unknown-',
      {
        'notes.txt': 'Remember to renew the certificate.\n',
        'application.conf':
          'akka {\n  http {\n    server {\n      idle-timeout = 60s\n    }\n  }\n}\n',
        'tool.py': 'print("no TLS here")\n',
        'sub/data.csv': 'a,b\n',
      },
      made,
    );
    for (const file of ['notes.txt', 'application.conf']) {
      const { code, report } = await json([file], root);
      expect(code, file).toBe(2);
      expect(
        report.errors.map((e) => `${e.file} ${e.kind ?? ''} ${e.message.slice(0, 23)}`),
        file,
      ).toEqual([`${file} no-reader No reader for this file`]);
    }
    const stylish = await runMain(['notes.txt'], { cwd: root });
    expect(stylish.code).toBe(2);
    expect(stylish.stdout + stylish.stderr).toContain('No reader for this file');
    expect(stylish.stdout).not.toContain('✔');
    // A Python file is a format tls-lint reads: read, nothing to judge.
    expect((await json(['tool.py'], root)).code).toBe(0);
    // Walked folders keep ignoring files nobody reads; --ignore-unknown (the pre-commit hook) skips them.
    expect((await json(['sub'], root)).code).toBe(0);
    const hook = await json(['--ignore-unknown', 'notes.txt', 'application.conf', 'tool.py'], root);
    expect(hook.code).toBe(0);
    expect(hook.report.errors).toEqual([]);
  });
});

describe('templates', () => {
  it('masks template syntax without moving anything', () => {
    const text =
      'server {\n  {% if ssl %}listen 443 ssl;{% endif %}\n  ssl_protocols {{ protocols }};\n  <%= render %>\n}\n';
    const masked = maskTemplate(text, '/x/site.conf');
    expect(masked.text.length).toBe(text.length);
    expect(masked.text.split('\n').map((l) => l.length)).toEqual(
      text.split('\n').map((l) => l.length),
    );
    expect(masked.syntax?.engines).toEqual(['Jinja', 'ERB']);
    expect(masked.syntax?.placeholders.map((p) => p.text)).toEqual(['{{ protocols }}']);
    // nginx's own `${var}` is not a placeholder outside a template; `${UPPER}` is envsubst's.
    expect(
      maskTemplate('return 301 https://${host}$request_uri;\n', '/x/a.conf').syntax,
    ).toBeUndefined();
    expect(maskTemplate('server_name ${DOMAIN};\n', '/x/a.conf').syntax?.engines).toEqual([
      'envsubst',
    ]);
    expect(maskTemplate('server_name ${domain};\n', '/x/a.conf.template').syntax?.engines).toEqual([
      'envsubst',
    ]);
  });

  it('the content test still takes templates and still refuses foreign formats', () => {
    expect(
      looksLikeNginx('{% if ssl %}\nserver {\n  listen {{ port }} ssl;\n}\n{% endif %}\n'),
    ).toBe(true);
    expect(
      looksLikeNginx('<% if @ssl %>\nserver {\n  listen <%= @port %> ssl;\n}\n<% end %>\n'),
    ).toBe(true);
    expect(looksLikeNginx('input {\n  http {\n    port => {{ port }}\n  }\n}\n')).toBe(false);
  });

  const TEMPLATES: Record<string, string> = {
    'jinja/proxy_host.conf': [
      '{% include "_header_comment.conf" %}',
      'server {',
      '  {% if ssl_forced %}listen 443 ssl;{% endif %}',
      '  ssl_protocols {{ protocols }};',
      '  server_name {{ domain_names | join: " " }};',
      '  {% if caching %}',
      '  location / { proxy_pass {{ forward_scheme }}://{{ forward_host }}; }',
      '  {% endif %}',
      '}',
      'server {',
      '  {% if legacy %}listen 8443 ssl;{% endif %}',
      '  ssl_protocols TLSv1 TLSv1.2;',
      '}',
      '',
    ].join('\n'),
    'erb/site.vhost.erb': [
      'server {',
      '<% if @ssl %>',
      '  listen <%= @port %> ssl;',
      '  ssl_ciphers <%= @ciphers %>;',
      '  ssl_protocols TLSv1.1 TLSv1.2;',
      '<% end %>',
      '  server_name <%= @name %>;',
      '}',
      '',
    ].join('\n'),
    'docker/default.conf.template': [
      'server {',
      '  listen ${PORT} ssl;',
      '  server_name ${DOMAIN};',
      '  ssl_protocols ${PROTOCOLS};',
      '}',
      'server {',
      '  listen 9443 ssl;',
      '  ssl_protocols SSLv3 TLSv1.2;',
      '}',
      '',
    ].join('\n'),
  };

  it('reads what is certain, leaves placeholders unknown, and says so once per file', async () => {
    const root = writeRepo('tls-lint-templates-', TEMPLATES, made);
    const { code, report } = await json(['.'], root);
    expect(report.errors).toEqual([]);
    expect(code).toBe(1);
    const protocolFindings = report.findings
      .filter((f) => f.ruleId === 'insecure-protocol-version')
      .map((f) => `${f.file}:${f.line}`);
    expect(protocolFindings.sort()).toEqual([
      'docker/default.conf.template:8',
      'erb/site.vhost.erb:5',
      'jinja/proxy_host.conf:12',
    ]);
    // placeholders are neither weak nor clean: no cipher finding for `ssl_ciphers <%= @ciphers %>`
    expect(report.findings.filter((f) => f.line === 4)).toEqual([]);
    const templateNotices = (report.notices ?? []).filter((n) => / template: /.test(n.message));
    expect(templateNotices.map((n) => n.file).sort()).toEqual([
      'docker/default.conf.template',
      'erb/site.vhost.erb',
      'jinja/proxy_host.conf',
    ]);
    expect(templateNotices.find((n) => n.file.startsWith('jinja'))!.message).toContain(
      '"{{ protocols }}" (line 4)',
    );
    expect(templateNotices.find((n) => n.file.startsWith('erb'))!.message).toMatch(
      /^ERB template: .*"<% if @ssl %>" \(line 2\)/,
    );
  });

  it('a template statement that inserts text makes what it could set unknown, not the nginx default', async () => {
    const main = [
      'events {}',
      'http {',
      '  {% include "tls.conf.j2" %}',
      '  server {',
      '    listen 443 ssl;',
      '  }',
      '}',
      '',
    ].join('\n');
    const plain = main.replace('  {% include "tls.conf.j2" %}\n', '');
    const root = writeRepo(
      'tls-lint-insert-',
      { 'templated/nginx.conf.j2': main, 'plain/nginx.conf': plain },
      made,
    );
    const templated = await json(['templated', '--target', 'nginx=1.22'], root);
    expect(
      templated.report.findings.filter((f) => f.ruleId === 'insecure-protocol-version'),
    ).toEqual([]);
    const control = await json(['plain', '--target', 'nginx=1.22'], root);
    expect(
      control.report.findings.filter((f) => f.ruleId === 'insecure-protocol-version').length,
    ).toBeGreaterThan(0);
  });
});

describe('fragment notices', () => {
  const SITE = (name: string) =>
    `server {\n    listen 443 ssl;\n    server_name ${name};\n    ssl_protocols TLSv1.2 TLSv1.3;\n}\n`;
  const sites = Object.fromEntries(
    ['a', 'b', 'c', 'd', 'e'].map((n) => [
      `sites-enabled/${n}.example.com`,
      SITE(`${n}.example.com`),
    ]),
  );

  it('many fragments: one notice per run in every format, the files in JSON', async () => {
    const root = writeRepo('tls-lint-fragments-', sites, made);
    const { report } = await json(['.'], root);
    const fragments = (report.notices ?? []).filter((n) => n.message.includes('fragment'));
    expect(fragments).toHaveLength(1);
    expect(fragments[0]!.message).toMatch(/^5 nginx files were linted as fragments: /);
    expect(fragments[0]!.files!.map((f) => f.file)).toEqual(Object.keys(sites));
    expect(fragments[0]!.files!.every((f) => f.message.startsWith('linted as a fragment'))).toBe(
      true,
    );

    const stylish = await runMain(['.'], { cwd: root });
    const lines = stylish.stdout.split('\n').filter((l) => l.includes('fragment'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^note {2}5 nginx files were linted as fragments: .* \(sites-enabled\/a\.example\.com, sites-enabled\/b\.example\.com, sites-enabled\/c\.example\.com and 2 more; --format json lists them\)$/,
      ),
    ]);
    expect(stylish.stdout).toContain('1 note above on how files were judged');

    const sarif = JSON.parse((await runMain(['--format', 'sarif', '.'], { cwd: root })).stdout) as {
      runs: Array<{
        invocations: Array<{
          toolExecutionNotifications: Array<{
            message: { text: string };
            locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
          }>;
        }>;
      }>;
    };
    const notes = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.filter((n) =>
      n.message.text.includes('fragment'),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]!.locations.map((l) => l.physicalLocation.artifactLocation.uri)).toEqual(
      Object.keys(sites),
    );
  });

  it('a single fragment keeps its own notice', async () => {
    const root = writeRepo(
      'tls-lint-fragment-',
      { 'sites-enabled/a.example.com': SITE('a.example.com') },
      made,
    );
    const { report } = await json(['.'], root);
    expect(report.notices).toEqual([
      {
        file: 'sites-enabled/a.example.com',
        message: expect.stringMatching(/^linted as a fragment/) as string,
      },
    ]);
  });
});
