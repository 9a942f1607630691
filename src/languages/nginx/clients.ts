/**
 * Client contexts: nginx as a TLS client of its upstreams. Every `proxy_pass https://…`,
 * `grpc_pass grpcs://…`, `uwsgi_pass suwsgi://…` (http) and every stream `proxy_pass` under
 * `proxy_ssl on`, with the `<module>_ssl_*` settings in force at that location.
 */
import type { TlsContext } from '../../model/context.js';
import { newContext } from '../../model/context.js';
import { knownValues, type Setting } from '../../model/setting.js';
import { DEFAULT_UPSTREAM_CIPHERS, defaultProtocols } from './defaults.js';
import { lookup, shortLocation, type Level, type LevelKind } from './levels.js';
import type { Directive } from './parser.js';
import { materialRef, type EvalEnv } from './servers.js';
import {
  commandSetting,
  confCommands,
  defaultSetting,
  firstArg,
  onOff,
  opensslCiphers,
  protocolsOf,
  resolve,
  withProtocolCommands,
  type Scope,
} from './settings.js';

/** The upstream modules that speak TLS, by the directive that passes a request (one home). */
export const PASSES: Readonly<Record<string, { prefix: string; scheme: string }>> = {
  proxy_pass: { prefix: 'proxy', scheme: 'https://' },
  grpc_pass: { prefix: 'grpc', scheme: 'grpcs://' },
  uwsgi_pass: { prefix: 'uwsgi', scheme: 'suwsgi://' },
};

/** The `<prefix>_ssl_*` families of those modules: proxy, grpc, uwsgi. */
export const UPSTREAM_PREFIXES: readonly string[] = Object.values(PASSES).map((p) => p.prefix);

const HTTP_LEVELS: readonly LevelKind[] = ['http', 'server', 'location'];
const STREAM_LEVELS: readonly LevelKind[] = ['stream', 'server'];

export interface ClientSite {
  pass: Directive;
  /** The level holding the pass (a location or an `if` inside it; a stream server). */
  level: Level;
  module: 'http' | 'stream';
}

/** Whether a pass directive talks TLS to its upstream; undefined when a variable decides. */
function passUsesTls(site: ClientSite): boolean | undefined {
  const target = site.pass.args[0]?.value ?? '';
  if (site.module === 'stream') {
    const lk = lookup(site.level, 'proxy_ssl', STREAM_LEVELS, '');
    return lk.kind === 'found' ? onOff(lk.directives) : lk.kind === 'unknown' ? undefined : false;
  }
  const spec = PASSES[site.pass.name];
  if (!spec) return false;
  if (site.pass.args[0]?.placeholder && !target.toLowerCase().startsWith(spec.scheme))
    return undefined;
  if (target.toLowerCase().startsWith(spec.scheme)) return true;
  if (target.startsWith('$')) return undefined;
  return false;
}

/** The nearest level that may hold `<module>_ssl_*` directives (an `if` inherits its location's). */
function ownLevel(level: Level, allowed: readonly LevelKind[]): Level {
  for (let l: Level | undefined = level; l; l = l.parent) if (allowed.includes(l.kind)) return l;
  return level;
}

function hostOf(url: string): string {
  const rest = url.replace(/^[a-z]+:\/\//i, '');
  const host = rest.split('/')[0] ?? rest;
  return host.replace(/:\d+$/, '');
}

/**
 * `snippet`: the site is a lone fragment's `<module>_ssl_*` directives with no pass of its own
 * (`site.pass` is the first of them); TLS is assumed, the pass is in the including file.
 */
export function buildClientContext(
  site: ClientSite,
  env: EvalEnv,
  snippet?: { file: string; prefix: string },
): TlsContext | undefined {
  const prefix = snippet
    ? snippet.prefix
    : site.module === 'stream'
      ? 'proxy'
      : PASSES[site.pass.name]!.prefix;
  const allowed = site.module === 'stream' ? STREAM_LEVELS : HTTP_LEVELS;
  const scope: Scope = { own: ownLevel(site.level, allowed), allowed, baseDir: env.prefixDir };
  if (!snippet && passUsesTls(site) !== true) {
    // A target with variables may turn out to be TLS: nginx prepares TLS for it whatever the
    // written scheme (`ngx_http_proxy_pass`: `plcf->ssl = 1`), and so checks its verify settings.
    if (site.module === 'http' && (site.pass.args[0]?.value ?? '').includes('$')) {
      const verify = resolve(scope, `${prefix}_ssl_verify`, onOff, () =>
        defaultSetting(false, '', `${prefix}_ssl_verify`),
      );
      const trusted = lookup(
        scope.own,
        `${prefix}_ssl_trusted_certificate`,
        allowed,
        env.prefixDir,
      );
      if (knownValues(verify).includes(true) && trusted.kind === 'none')
        refuseVerifyWithoutCa(verify, prefix, site, env);
    }
    return undefined;
  }
  const url = site.pass.args[0]?.value ?? '';
  const where =
    site.module === 'stream'
      ? 'stream server{}'
      : scope.own.kind === 'location'
        ? scope.own.name.replace(/ \(.*\)$/, '')
        : `${scope.own.kind}{}`;

  const ctx = newContext({
    id: env.nextId(),
    language: 'nginx',
    role: 'client',
    at: site.pass.at,
    ...(!snippet && { enabledAt: site.pass.at }),
    label: snippet
      ? `snippet "${snippet.file}" ("${prefix}_ssl_*" settings for the ${prefix}_pass that includes it)`
      : `${site.pass.name} "${url}" in ${where}`,
    api: snippet
      ? `nginx ${prefix}_pass`
      : site.module === 'stream'
        ? 'nginx stream proxy_ssl'
        : `nginx ${site.pass.name}`,
    recognition: 'known-api',
  });
  const key = (name: string) => `${prefix}_ssl_${name}`;

  ctx.peerVerification = resolve(scope, key('verify'), onOff, () =>
    defaultSetting(false, `nginx's default "${key('verify')} off"`, key('verify')),
  );
  // nginx checks the upstream's name (`<module>_ssl_name`) exactly when it verifies the chain.
  // With verification off the name is not checked either, but that is the same weakness and
  // certificate-verification-disabled reports it: the field is left unset then.
  if (knownValues(ctx.peerVerification).includes(true))
    ctx.hostnameVerification = ctx.peerVerification;
  ctx.trustedCa = resolve<boolean>(
    scope,
    key('trusted_certificate'),
    () => true,
    () =>
      defaultSetting(
        false,
        `no "${key('trusted_certificate')}" is set`,
        key('trusted_certificate'),
      ),
  );

  const sni = resolve(scope, key('server_name'), onOff, () =>
    defaultSetting(false, `nginx's default "${key('server_name')} off"`, key('server_name')),
  );
  if (knownValues(sni).includes(true)) {
    ctx.serverName = resolve(scope, key('name'), firstArg, () =>
      defaultSetting(
        hostOf(url),
        `nginx's default "${key('name')}" (the host of ${site.pass.name})`,
        key('name'),
      ),
    );
  }

  const def = defaultProtocols(env.version);
  ctx.protocols = resolve(scope, key('protocols'), protocolsOf, () =>
    defaultSetting(
      def.value,
      `nginx's default "${key('protocols')} ${def.written}" (${def.range}; ${env.versionNote}; none set for this ${site.pass.name})`,
      key('protocols'),
    ),
  );
  ctx.ciphers = resolve(
    scope,
    key('ciphers'),
    (ds) => opensslCiphers(firstArg(ds)),
    () =>
      defaultSetting(
        opensslCiphers(DEFAULT_UPSTREAM_CIPHERS),
        `nginx's default "${key('ciphers')} ${DEFAULT_UPSTREAM_CIPHERS}" (OpenSSL's default list)`,
        key('ciphers'),
      ),
  );
  // `<module>_ssl_conf_command` runs after the other directives, as on the server side.
  const commands = confCommands(scope, key('conf_command'));
  ctx.protocols = withProtocolCommands(
    ctx.protocols,
    commands.commands,
    scope,
    key('conf_command'),
  );
  for (const c of commands.commands) {
    const name = c.name.toLowerCase();
    if (name === 'ciphersuites')
      ctx.tls13Ciphers = commandSetting(c, scope, key('conf_command'), {
        syntax: 'openssl-tls13',
        text: c.value,
      });
    if (name === 'cipherstring')
      ctx.ciphers = commandSetting(c, scope, key('conf_command'), opensslCiphers(c.value));
  }

  for (const [name, purpose] of [
    ['certificate', 'client-certificate'],
    ['certificate_key', 'client-key'],
    ['trusted_certificate', 'trusted-ca'],
  ] as const) {
    const lk = lookup(scope.own, key(name), allowed, env.prefixDir);
    if (lk.kind !== 'found') continue;
    for (const d of lk.directives) {
      const ref = materialRef(d, purpose, env.prefixDir);
      if (ref) ctx.material.push(ref);
    }
  }

  const notes: Record<string, string> = {};
  if (knownValues(ctx.peerVerification).includes(true) && ctx.trustedCa.origin === 'default') {
    notes.peerVerification = `nginx refuses to start with "${key('verify')} on" and no "${key('trusted_certificate')}" ("no ${key('trusted_certificate')} for ${key('verify')}")`;
    refuseVerifyWithoutCa(ctx.peerVerification, prefix, site, env);
  }
  if (Object.keys(notes).length > 0) ctx.notes = notes;
  return ctx;
}

/** `<module>_ssl_verify on` with no trusted CA where nginx prepares TLS: `nginx -t` fails. */
function refuseVerifyWithoutCa(
  verify: Setting<boolean>,
  prefix: string,
  site: ClientSite,
  env: EvalEnv,
): void {
  const at = settingAt(verify) ?? site.pass.at;
  env.errors.push({
    file: at.file,
    line: at.line,
    column: at.column,
    kind: 'refused',
    message: `nginx would refuse this configuration: no "${prefix}_ssl_trusted_certificate" for "${prefix}_ssl_verify on" (${shortLocation(site.pass.at, env.prefixDir)})`,
  });
}

function settingAt(s: Setting<unknown>): Directive['at'] | undefined {
  return s.origin === 'explicit' || s.origin === 'inherited' ? s.at : undefined;
}
