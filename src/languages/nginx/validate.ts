/**
 * TLS directives that nginx itself refuses at load time (`nginx -t` fails): a value it does not
 * know, a directive in a block where it is not allowed, a single-valued directive given twice.
 * These are reported as errors with nginx's own wording, since the configuration never runs.
 */
import type { LintError } from '../../model/finding.js';
import type { ConfBlock } from './includes.js';
import { UPSTREAM_PREFIXES } from './clients.js';
import type { LevelKind } from './levels.js';
import { keyword, nginxProtocol } from './settings.js';

/** `ssl_*` directives of the http/stream ssl modules: http|stream and server levels only. */
const SERVER_ONLY = new Set([
  'ssl_protocols',
  'ssl_ciphers',
  'ssl_certificate',
  'ssl_certificate_key',
  'ssl_verify_client',
  'ssl_client_certificate',
  'ssl_trusted_certificate',
  'ssl_dhparam',
  'ssl_ecdh_curve',
  'ssl_prefer_server_ciphers',
  'ssl_conf_command',
  'ssl_verify_depth',
  'ssl_session_cache',
  'ssl_session_tickets',
  'ssl_session_timeout',
]);

const SINGLE_VALUED = new Set([
  'ssl_protocols',
  'ssl_ciphers',
  'ssl_verify_client',
  'ssl_prefer_server_ciphers',
  'ssl_dhparam',
  'ssl_ecdh_curve',
  'ssl_client_certificate',
  'ssl_trusted_certificate',
  ...UPSTREAM_PREFIXES.flatMap((p) => [
    `${p}_ssl_verify`,
    `${p}_ssl_protocols`,
    `${p}_ssl_ciphers`,
    `${p}_ssl_trusted_certificate`,
    `${p}_ssl_name`,
    `${p}_ssl_server_name`,
  ]),
]);

const FLAGS = new Set([
  'ssl',
  'ssl_prefer_server_ciphers',
  'ssl_session_tickets',
  'ssl_stapling',
  'ssl_stapling_verify',
  'proxy_ssl',
  ...UPSTREAM_PREFIXES.flatMap((p) => [
    `${p}_ssl_verify`,
    `${p}_ssl_server_name`,
    `${p}_ssl_session_reuse`,
  ]),
]);

const VERIFY_CLIENT = ['on', 'off', 'optional', 'optional_no_ca'];

const NESTED_KIND: Record<string, LevelKind> = {
  http: 'http',
  stream: 'stream',
  mail: 'mail',
  server: 'server',
  location: 'location',
  if: 'if',
  limit_except: 'limit_except',
  upstream: 'upstream',
};

function refuse(
  errors: LintError[],
  d: { at: { file: string; line: number; column: number } },
  message: string,
): void {
  errors.push({
    file: d.at.file,
    line: d.at.line,
    column: d.at.column,
    kind: 'refused',
    message: `nginx would refuse this configuration: ${message}`,
  });
}

/** Checks one expanded block (and its children) whose kind is `kind`. */
export function validateBlock(block: ConfBlock, kind: LevelKind, errors: LintError[]): void {
  const seen = new Map<string, boolean>();
  for (const node of block.nodes) {
    const d = node.d;
    if (node.block) {
      const child = NESTED_KIND[d.name];
      // Other blocks (map, types, geo, upstream contents…) hold no TLS directives to check.
      if (child && (child !== 'server' || kind === 'http' || kind === 'stream' || kind === 'mail'))
        validateBlock(node.block, child, errors);
      continue;
    }
    const values = d.args.map((a) => a.value);
    if (
      SERVER_ONLY.has(d.name) &&
      (kind === 'location' || kind === 'if' || kind === 'limit_except')
    ) {
      refuse(errors, d, `"${d.name}" directive is not allowed here`);
      continue;
    }
    // A template renders one branch or another: values it fills in, and directives in its
    // conditionals, are not what nginx will load.
    if (d.args.some((a) => a.placeholder)) continue;
    if (SINGLE_VALUED.has(d.name) && !d.inBranch) {
      if (seen.has(d.name)) refuse(errors, d, `"${d.name}" directive is duplicate`);
      seen.set(d.name, true);
    }
    if (
      values.length === 0 &&
      (SERVER_ONLY.has(d.name) || SINGLE_VALUED.has(d.name) || FLAGS.has(d.name))
    ) {
      refuse(errors, d, `invalid number of arguments in "${d.name}" directive`);
      continue;
    }
    if (values.some((v) => v.includes('$'))) continue;
    if (
      d.name === 'ssl_protocols' ||
      UPSTREAM_PREFIXES.some((p) => d.name === `${p}_ssl_protocols`)
    ) {
      const bad = values.find((v) => nginxProtocol(v) === undefined);
      if (bad !== undefined) refuse(errors, d, `invalid value "${bad}" in "${d.name}" directive`);
    } else if (d.name === 'ssl_verify_client') {
      if (values.length !== 1 || !VERIFY_CLIENT.includes(keyword(values[0])))
        refuse(
          errors,
          d,
          `invalid value "${values.join(' ')}" in "ssl_verify_client" directive, it must be "on", "off", "optional" or "optional_no_ca"`,
        );
    } else if (FLAGS.has(d.name)) {
      if (values.length !== 1 || (keyword(values[0]) !== 'on' && keyword(values[0]) !== 'off'))
        refuse(
          errors,
          d,
          `invalid value "${values.join(' ')}" in "${d.name}" directive, it must be "on" or "off"`,
        );
    }
  }
}
