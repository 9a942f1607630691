/**
 * Is this file nginx configuration? Decided by content, because `.conf` is also supervisord,
 * Apache, systemd, INI and a hundred other formats.
 */
import path from 'node:path';

/** Folders whose files are nginx configuration whatever their names end with. */
const NGINX_DIRS = new Set(['sites-available', 'sites-enabled', 'conf.d', 'snippets', 'vhosts.d', 'nginx', 'http.d', 'stream.d', 'streams-enabled', 'streams-available']);

/** Cheap path test: which files are worth reading at all. */
export function looksLikeNginxPath(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  if (base === 'nginx.conf' || base.endsWith('.conf') || base.endsWith('.nginx') || base.endsWith('.nginxconf') || base.endsWith('.vhost')) return true;
  // The official Docker image runs envsubst over /etc/nginx/templates/*.conf.template.
  if (base.endsWith('.conf.template')) return true;
  const parent = path.basename(path.dirname(file)).toLowerCase();
  // Extension-less site files (Debian `sites-enabled/default`), never code or data files.
  return NGINX_DIRS.has(parent) && !/\.(js|mjs|cjs|ts|json|ya?ml|py|go|md|txt|pem|crt|key|csr|der|sh|toml|ini|lock|log|html?)$/i.test(base);
}

const BLOCKS = /^\s*(http|server|stream|events|upstream|location|mail|map|geo|types)\b[^;{}\n]*\{/m;
const DIRECTIVE = /^\s*(ssl_[a-z_]+|proxy_ssl_[a-z_]+|grpc_ssl_[a-z_]+|uwsgi_ssl_[a-z_]+|listen|server_name|proxy_pass|grpc_pass|uwsgi_pass|fastcgi_pass|root|worker_processes|worker_connections|error_log|access_log|add_header|return|rewrite|try_files|proxy_set_header|include|client_max_body_size|keepalive_timeout|sendfile|gzip|resolver|ssl)\s+[^\n]*;\s*(#.*)?$/m;
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
