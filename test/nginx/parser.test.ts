import { describe, expect, test } from 'vitest';
import { parseNginx, type Directive } from '../../src/languages/nginx/parser.js';
import { looksLikeNginx, looksLikeNginxPath } from '../../src/languages/nginx/detect.js';

const parse = (text: string) => parseNginx(text, '/conf/nginx.conf');
const names = (ds: Directive[]): unknown =>
  ds.map((d) => (d.block ? { [d.name]: names(d.block) } : d.name));

describe('nginx tokenizer and parser', () => {
  test('directives, blocks and exact positions', () => {
    const r = parse('http {\n  server {\n    listen 443 ssl;\n  }\n}\n');
    expect(r.error).toBeUndefined();
    expect(names(r.directives)).toEqual([{ http: [{ server: ['listen'] }] }]);
    const listen = r.directives[0]!.block![0]!.block![0]!;
    expect(listen.args.map((a) => a.value)).toEqual(['443', 'ssl']);
    expect(listen.at).toMatchObject({ line: 3, column: 5, endLine: 3, endColumn: 20 });
    expect(listen.args[1]!.at).toMatchObject({ line: 3, column: 16, endColumn: 19 });
    const server = r.directives[0]!.block![0]!;
    expect(server.at).toMatchObject({ line: 2, column: 3, endLine: 4, endColumn: 4 });
  });

  test('quotes, escapes and comments follow nginx', () => {
    const r = parse(`a "x;y" 'it s' "q\\"d" \\; b#c; # comment ; {\nd "tab\\tend" \${var}x;\n`);
    expect(r.error).toBeUndefined();
    const [a, d] = r.directives;
    expect(a!.args.map((x) => x.value)).toEqual(['x;y', 'it s', 'q"d', '\\;', 'b#c']);
    expect(a!.args[0]!.quoted).toBe(true);
    expect(d!.args.map((x) => x.value)).toEqual(['tab\tend', '${var}x']);
  });

  test('a quote must be followed by a separator', () => {
    const r = parse('a "x"y;\n');
    expect(r.error).toMatchObject({ message: 'unexpected "y"', line: 1, column: 6 });
  });

  test('syntax errors carry their location', () => {
    expect(parse('http {\n  server {\n    listen 443\n  }\n}\n').error).toMatchObject({
      message: 'unexpected "}"',
      line: 4,
    });
    expect(parse('http {\n  server {\n').error).toMatchObject({
      message: 'unexpected end of file, expecting "}"',
      line: 3,
    });
    expect(parse('}\n').error).toMatchObject({ message: 'unexpected "}"', line: 1, column: 1 });
    expect(parse('listen 443').error?.message).toBe('unexpected end of file, expecting ";" or "}"');
    expect(parse('a "unterminated;\n').error?.message).toContain('expecting closing "');
  });

  test('Lua blocks are skipped as Lua, with braces in strings, long strings and comments', () => {
    const text = [
      'location / {',
      '  content_by_lua_block {',
      '    -- } comment',
      '    local a = \'}\' .. "{"',
      '    local b = [==[ } ]] } ]==]',
      '    --[[ } ]]',
      '    if a then ngx.say(b) end',
      '  }',
      '  ssl_protocols TLSv1;',
      '}',
    ].join('\n');
    const r = parse(text);
    expect(r.error).toBeUndefined();
    expect(names(r.directives)).toEqual([
      { location: [{ content_by_lua_block: [] }, 'ssl_protocols'] },
    ]);
    expect(r.directives[0]!.block![0]!.rawBlock).toBe(true);
    expect(r.directives[0]!.block![1]!.at.line).toBe(9);
  });
});

describe('nginx file recognition', () => {
  test('paths worth reading', () => {
    for (const p of [
      '/x/nginx.conf',
      '/x/site.conf',
      '/x/templates/default.conf.template',
      '/x/sites-enabled/default',
      '/x/conf.d/app',
      '/x/app.nginx',
      '/x/snippets/ssl-params.conf',
    ])
      expect(looksLikeNginxPath(p), p).toBe(true);
    for (const p of [
      '/x/app.js',
      '/x/sites-enabled/cert.pem',
      '/x/README.md',
      '/x/nginx/notes.txt',
    ])
      expect(looksLikeNginxPath(p), p).toBe(false);
  });

  test('claimed by content, not by suffix', () => {
    expect(looksLikeNginx('server {\n listen 443 ssl;\n}\n')).toBe(true);
    expect(looksLikeNginx('ssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers on;\n')).toBe(
      true,
    );
    expect(
      looksLikeNginx(
        '[supervisord]\nnodaemon=true\n[program:nginx]\ncommand=/usr/sbin/nginx -g "daemon off;"\n',
      ),
    ).toBe(false);
    expect(
      looksLikeNginx(
        'Listen 443\n<VirtualHost *:443>\n  SSLEngine on\n  SSLProtocol all -SSLv3\n</VirtualHost>\n',
      ),
    ).toBe(false);
    expect(looksLikeNginx('[server]\nlisten = 0.0.0.0:8443\nssl_protocols = TLSv1\n')).toBe(false);
    expect(looksLikeNginx('port 0\ntls-port 6379\n')).toBe(false);
    expect(looksLikeNginx('# server {\n#   listen 443 ssl;\n# }\n')).toBe(false);
  });
});

describe('messy but valid syntax (as nginx accepts it)', () => {
  test('quoted names, blocks without spaces, # inside words, multi-line strings', () => {
    const text = [
      '"events" { "worker_connections" 512; }',
      "'http' {#comment right after the brace",
      '  "server" {"listen" 8080;root /srv;',
      '    location /a{}location /b{}',
      '    location ~ "/x/y;"{return 301 /z;}',
      '    location /p#q {}',
      '    "location" "/multi;',
      '       line" {return 204;}',
      '    if ($request_method = PO\\{ST ){}',
      '  }}',
    ].join('\n');
    const r = parse(text);
    expect(r.error).toBeUndefined();
    const server = r.directives[1]!.block![0]!;
    expect(server.block!.map((d) => [d.name, ...d.args.map((a) => a.value)])).toEqual([
      ['listen', '8080'],
      ['root', '/srv'],
      ['location', '/a'],
      ['location', '/b'],
      ['location', '~', '/x/y;'],
      ['location', '/p#q'],
      ['location', '/multi;\n       line'],
      ['if', '($request_method', '=', 'PO\\{ST', ')'],
    ]);
    expect(server.block![6]!.block![0]!.at.line).toBe(8);
  });
});
