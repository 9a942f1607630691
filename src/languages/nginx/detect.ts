/**
 * Is this file nginx configuration? Decided by content, because `.conf` is also supervisord,
 * Apache, systemd, INI and a hundred other formats.
 */
import path from 'node:path';

/** Folders whose files are nginx configuration whatever their names end with. */
const NGINX_DIRS = new Set([
  'conf.d',
  'snippets',
  'vhosts.d',
  'nginx',
  'http.d',
  'stream.d',
  'streams-enabled',
  'streams-available',
]);

/**
 * Suffixes a template engine or a packager adds to a configuration file's name: Jinja (Ansible,
 * Salt), ERB (Chef, Puppet), Go templates, the nginx Docker image's envsubst `.template`, and
 * the `.sample`/`.example`/`.dist` copies projects ship. `site.conf.j2` is `site.conf` to fill in.
 */
const TEMPLATE_SUFFIX =
  /\.(j2|jinja2?|erb|tpl|tmpl|gotmpl|template|liquid|mustache|hbs|sample|example|dist|in)$/;

/** Names nginx configuration goes by: `nginx.conf`, `*.conf`, `*.nginx`, `*.nginxconf`, `*.vhost`, `*.ngx`. */
const NGINX_NAME = /(^nginx|\.(conf|nginx|nginxconf|vhost|ngx))$/;

/** Code, data and key files, never configuration, even in a folder of site files. */
const NOT_CONFIG =
  /\.(js|mjs|cjs|ts|json|ya?ml|py|go|md|txt|pem|crt|key|csr|der|sh|toml|ini|lock|log|html?)$/i;

/** Cheap path test: which files are worth reading at all (the content decides, see {@link looksLikeNginx}). */
export function looksLikeNginxPath(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  if (NGINX_NAME.test(base)) return true;
  const stem = base.replace(TEMPLATE_SUFFIX, '');
  if (stem !== base && (NGINX_NAME.test(stem) || stem.includes('nginx'))) return true;
  const parent = path.basename(path.dirname(file)).toLowerCase();
  // Site files without an extension (Debian `sites-enabled/default`, `sites-available/example.com`).
  return (parent.startsWith('sites-') || NGINX_DIRS.has(parent)) && !NOT_CONFIG.test(base);
}

const BLOCKS = /^\s*(http|server|stream|events|upstream|location|mail|map|geo|types)\b[^;{}\n]*\{/m;
const DIRECTIVE =
  /^\s*(ssl_[a-z_]+|proxy_ssl_[a-z_]+|grpc_ssl_[a-z_]+|uwsgi_ssl_[a-z_]+|listen|server_name|proxy_pass|grpc_pass|uwsgi_pass|fastcgi_pass|root|worker_processes|worker_connections|error_log|access_log|add_header|return|rewrite|try_files|proxy_set_header|include|client_max_body_size|keepalive_timeout|sendfile|gzip|resolver|ssl)\s+[^\n]*;\s*(#.*)?$/m;
/** Apache `<VirtualHost>`, INI/supervisord `[section]` headers, `key=value` lines. */
const FOREIGN = [/^\s*<\/?[A-Za-z][\w.-]*(\s[^>]*)?>\s*$/m, /^\s*\[[^\]\n]+\]\s*$/m];
/**
 * `key = value` and `key => value` lines: HOCON (Play/Akka `application.conf`), Logstash
 * pipelines, HashiCorp HCL. Their `http {` / `server {` blocks look like nginx, but no nginx
 * directive takes `=` as its first argument (`location = /x {` is the one exception). Lua inside
 * `*_by_lua_block` has such lines too, so a file that also has `;`-terminated nginx directives
 * is still nginx.
 */
const ASSIGNMENT = /^\s*(?!location\b)[\w.-]+\s*=>?\s*[^\s=]/m;

/** Removes `#` comments (outside quotes, at a word boundary) so commented-out nginx is not nginx. */
function stripComments(text: string): string {
  return text.replace(/(^|[ \t])#[^\n]*/g, '$1');
}

export function looksLikeNginx(text: string): boolean {
  const code = stripComments(text);
  const strong = BLOCKS.test(code);
  if (FOREIGN.some((re) => re.test(code))) {
    // An nginx file may have a `[` line inside a Lua block or a map, but then it has blocks too.
    return strong && /^\s*(server|http|stream|location)\b[^;{}\n]*\{/m.test(code);
  }
  if (ASSIGNMENT.test(code)) return DIRECTIVE.test(code);
  return strong || DIRECTIVE.test(code);
}
