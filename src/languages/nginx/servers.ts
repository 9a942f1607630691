/**
 * Server contexts: every `server{}` in `http{}` or `stream{}` that serves TLS (`listen … ssl`,
 * `ssl on`, or `listen … quic`), with each TLS setting's origin.
 */
import path from 'node:path';
import type {
  ClientAuthMode,
  ClientVerifyMode,
  MaterialRef,
  Recognition,
  TlsContext,
} from '../../model/context.js';
import { newContext } from '../../model/context.js';
import type { LintError } from '../../model/finding.js';
import { protocolRank, type ProtocolVersion } from '../../model/protocol.js';
import { compareVersions, type Targets } from '../../config/targets.js';
import { protocolHoleFailure } from './protocol-holes.js';
import { knownValues, mapSetting, type Setting } from '../../model/setting.js';
import { defaultProtocols, defaultServerCiphers } from './defaults.js';
import {
  argsText,
  directivesNamed,
  lookup,
  serverNames,
  shortLocation,
  type Level,
  type LevelKind,
} from './levels.js';
import { candidatePaths, isInstalledPrefix, isSystemPath } from './includes.js';
import { parseListen, type Listen } from './listen.js';
import type { Directive } from './parser.js';
import {
  commandSetting,
  confCommands,
  defaultSetting,
  firstArg,
  keyword,
  onOff,
  opensslCiphers,
  protocolsOf,
  resolve,
  serverPreferenceOption,
  withProtocolCommands,
  type Scope,
} from './settings.js';

export interface EvalEnv {
  /** nginx version whose defaults apply. */
  version: string;
  /** The targets in force for the root (the OpenSSL nginx links decides some failures). */
  targets?: Targets;
  /** How the version was chosen, for default reasons: `target nginx 1.22, assumed`. */
  versionNote: string;
  /** Directory for relative paths in messages and for material: the configuration prefix. */
  prefixDir: string;
  /** Root file, for context ids. */
  root: string;
  /**
   * The root is a whole loadable config (it has `events{}`), not an excerpt: only then is a
   * missing certificate something nginx would refuse rather than something left out.
   */
  complete: boolean;
  contexts: TlsContext[];
  errors: LintError[];
  nextId(): string;
}

export type Module = 'http' | 'stream' | 'mail';

const SERVER_LEVELS: Record<Module, readonly LevelKind[]> = {
  http: ['http', 'server'],
  stream: ['stream', 'server'],
  mail: ['mail', 'server'],
};

export interface ServerInfo {
  level: Level;
  module: Module;
  listens: Listen[];
  /** `ssl on` in force (http and mail; removed from http in 1.25.1). */
  sslOn?: Directive;
  /** mail `starttls on|only` in force: TLS after STARTTLS on plain listens. */
  starttls?: Directive;
  /**
   * TLS settings not (yet) tied to a listening server: a snippet linted on its own, or http{}
   * settings no TLS server inherits. TLS is assumed on, listens are unknown, and only what is
   * written is judged (the level is marked implied, so the rest is unknown).
   */
  assumed?: { label: string; recognition: Recognition };
}

export function collectServer(level: Level, module: Module): ServerInfo {
  const listens = directivesNamed(level.block, 'listen')
    .map((d) => parseListen(d, module === 'http' ? 80 : undefined))
    .filter((l): l is Listen => l !== undefined);
  let sslOn: Directive | undefined;
  let starttls: Directive | undefined;
  if (module !== 'stream') {
    const lk = lookup(level, 'ssl', SERVER_LEVELS[module], '');
    if (lk.kind === 'found' && onOff(lk.directives))
      sslOn = lk.directives[lk.directives.length - 1];
  }
  if (module === 'mail') {
    const lk = lookup(level, 'starttls', SERVER_LEVELS.mail, '');
    const d = lk.kind === 'found' ? lk.directives[lk.directives.length - 1]! : undefined;
    if (d && keyword(d.args[0]?.value) !== 'off') starttls = d;
  }
  return { level, module, listens, ...(sslOn && { sslOn }), ...(starttls && { starttls }) };
}

/** Address groups of one http{} (or stream{}): which addresses are TLS and their default server. */
export class AddressTable {
  private readonly tls = new Set<string>();
  private readonly defaults = new Map<string, ServerInfo>();

  constructor(servers: readonly ServerInfo[]) {
    for (const s of servers) for (const l of s.listens) if (l.ssl && !l.quic) this.tls.add(l.key);
    for (const s of servers) {
      for (const l of tcpListens(s)) {
        const current = this.defaults.get(l.key);
        if (
          !current ||
          (l.isDefault && !tcpListens(current).some((x) => x.key === l.key && x.isDefault))
        )
          this.defaults.set(l.key, s);
      }
    }
  }

  isTls(l: Listen, s: ServerInfo): boolean {
    return !l.quic && (this.tls.has(l.key) || s.sslOn !== undefined || s.starttls !== undefined);
  }

  defaultServer(key: string): ServerInfo | undefined {
    return this.defaults.get(key);
  }
}

function tcpListens(s: ServerInfo): Listen[] {
  // A server without any listen gets `*:80` in http (nginx's default, as root).
  if (s.listens.length === 0 && s.module === 'http')
    return [
      { d: s.level.directive!, key: '*:80', port: 80, ssl: false, quic: false, isDefault: false },
    ];
  return s.listens.filter((l) => !l.quic);
}

export function buildServerContext(
  s: ServerInfo,
  table: AddressTable,
  env: EvalEnv,
): TlsContext | undefined {
  const tlsListens = tcpListens(s).filter((l) => table.isTls(l, s));
  const quicListens = s.listens.filter((l) => l.quic);
  if (tlsListens.length === 0 && quicListens.length === 0 && !s.assumed) return undefined;
  const scope: Scope = { own: s.level, allowed: SERVER_LEVELS[s.module], baseDir: env.prefixDir };

  // A catch-all that rejects every handshake negotiates nothing itself.
  const reject = resolve(scope, 'ssl_reject_handshake', onOff, () =>
    defaultSetting(false, '', 'ssl_reject_handshake'),
  );
  if (knownValues(reject).includes(true) && reject.origin !== 'conditional') return undefined;

  const enabling = tlsListens.find((l) => l.ssl) ?? tlsListens[0] ?? quicListens[0];
  const enabledAt =
    enabling && enabling.d !== s.level.directive
      ? enabling.d.at
      : (s.sslOn?.at ?? s.starttls?.at ?? (s.assumed ? undefined : s.level.directive!.at));
  const names = serverNames(s.level).filter(
    (n) => n !== '_' && n !== '' && !n.startsWith('~') && !n.includes('*') && !n.includes('$'),
  );
  const where = tlsListens[0] ?? quicListens[0];
  const label = s.assumed
    ? s.assumed.label
    : `${s.module === 'http' ? '' : `${s.module} `}server{} ${names[0] ? `"${names[0]}"` : `on ${where?.key ?? 'an unknown address'}`}`;
  const notes: Record<string, string> = {};

  const ctx = newContext({
    id: env.nextId(),
    language: 'nginx',
    role: 'server',
    at: s.level.directive!.at,
    ...(enabledAt && { enabledAt }),
    label,
    api: s.module === 'http' ? 'nginx server' : `nginx ${s.module} server`,
    recognition: s.assumed?.recognition ?? 'known-api',
  });

  // --- protocols (negotiated by the default server of the address) ---------------------------
  const own = serverProtocols(s, scope, env);
  let protocols = own;
  // The address to probe: the one whose protocols the context reports.
  let probed: Listen | undefined;
  if (tlsListens.length === 0 && !s.assumed) {
    protocols = defaultSetting<ProtocolVersion[]>(
      ['TLSv1.3'],
      'QUIC always negotiates TLS 1.3',
      'ssl_protocols',
    );
  } else if (
    s.module === 'http' ||
    (s.module === 'stream' && hasStreamVirtualServers(env.version))
  ) {
    const negotiated = negotiatedProtocols(s, own, tlsListens, table, scope, env);
    protocols = negotiated.setting;
    probed = negotiated.listen;
    if (negotiated.note) notes.protocols = negotiated.note;
  }
  ctx.protocols = protocols;

  // --- ciphers, TLS 1.3 suites, curves, preference ------------------------------------------
  const cipherDefault = defaultServerCiphers(env.version);
  ctx.ciphers = resolve(
    scope,
    'ssl_ciphers',
    (ds) => opensslCiphers(firstArg(ds)),
    () =>
      defaultSetting(
        opensslCiphers(cipherDefault.value),
        `nginx's default "ssl_ciphers ${cipherDefault.written}" (${cipherDefault.range}; ${env.versionNote}; none set in this server or in ${s.module}{})`,
        'ssl_ciphers',
      ),
  );
  ctx.curves = resolve(
    scope,
    'ssl_ecdh_curve',
    (ds) => firstArg(ds).split(':').filter(Boolean),
    () =>
      defaultSetting(
        ['auto'],
        `nginx's default "ssl_ecdh_curve auto" (OpenSSL's built-in list of groups)`,
        'ssl_ecdh_curve',
      ),
  );
  ctx.serverCipherPreference = resolve(scope, 'ssl_prefer_server_ciphers', onOff, () =>
    defaultSetting(
      false,
      `nginx's default "ssl_prefer_server_ciphers off"`,
      'ssl_prefer_server_ciphers',
    ),
  );
  // Conf commands are applied last (after ssl_ciphers and ssl_prefer_server_ciphers): they win.
  applyConfCommands(ctx, confCommands(scope, 'ssl_conf_command'), scope, 'ssl_conf_command');
  const hole = env.targets && !s.assumed ? protocolHoleFailure(ctx, env.targets) : undefined;
  if (hole) ctx.protocolFailures = [hole];

  // --- client certificates ----------------------------------------------------------------------
  applyClientVerification(ctx, scope, env, notes);

  // --- material ---------------------------------------------------------------------------------
  collectMaterial(ctx, s, scope, env, names);
  if (env.complete) checkCertificatePairs(s, scope, env, enabledAt);

  // --- deprecated features -------------------------------------------------------------------
  if (s.sslOn && s.module === 'http')
    ctx.features.push({ feature: 'nginx.ssl-on', at: s.sslOn.at, detail: 'ssl on' });

  // --- probe target --------------------------------------------------------------------------------
  const t = probed ?? tlsListens[0] ?? quicListens[0];
  if (t) ctx.target = probeTarget(t, names);
  if (Object.keys(notes).length > 0) ctx.notes = notes;
  return ctx;
}

/** Certificates, keys, DH parameters and CA files a server names, as material to read. */
function collectMaterial(
  ctx: TlsContext,
  s: ServerInfo,
  scope: Scope,
  env: EvalEnv,
  names: readonly string[],
): void {
  const material = (name: string, purpose: MaterialRef['purpose']): void => {
    const lk = lookup(s.level, name, scope.allowed, env.prefixDir);
    if (lk.kind !== 'found') return;
    for (const d of lk.directives) {
      const ref = materialRef(d, purpose, env.prefixDir);
      if (!ref) continue;
      // `certs/$ssl_server_name.pem`: the file served for each name this server answers to.
      const perName = ref.path === undefined && ref.written ? namedBySni(ref.written, names) : [];
      if (perName.length === 0) ctx.material.push(ref);
      for (const written of perName) {
        const expanded = materialRef(d, purpose, env.prefixDir, written);
        if (expanded) ctx.material.push(expanded);
      }
    }
  };
  material('ssl_certificate', 'server-certificate');
  material('ssl_certificate_key', 'server-key');
  material('ssl_dhparam', 'dhparam');
  material('ssl_client_certificate', 'client-ca');
  material('ssl_trusted_certificate', 'trusted-ca');
}

/** Where the live probe connects: the listen's host and port, the first literal server_name as SNI. */
function probeTarget(t: Listen, names: readonly string[]): NonNullable<TlsContext['target']> {
  return {
    ...(t.host && { host: t.host }),
    ...(t.port !== undefined && { port: t.port }),
    ...(names[0] && { sni: names[0] }),
    ...(t.port !== undefined && { at: t.d.at }),
  };
}

/** `nginx's default "ssl_protocols TLSv1 TLSv1.1 TLSv1.2" (nginx 1.9.1–1.23.3; target nginx 1.22[; where])`. */
function defaultProtocolsReason(
  def: ReturnType<typeof defaultProtocols>,
  env: EvalEnv,
  where?: string,
): string {
  return `nginx's default "ssl_protocols ${def.written}" (${def.range}; ${env.versionNote}${where ? `; ${where}` : ''})`;
}

/** The protocol versions a server's own configuration asks for (before virtual-server rules). */
function serverProtocols(s: ServerInfo, scope: Scope, env: EvalEnv): Setting<ProtocolVersion[]> {
  const def = defaultProtocols(env.version);
  const setting: Setting<ProtocolVersion[]> = resolve(scope, 'ssl_protocols', protocolsOf, () =>
    defaultSetting(
      def.value,
      defaultProtocolsReason(def, env, `none set in this server or in ${s.module}{}`),
      'ssl_protocols',
    ),
  );
  // `ssl_conf_command MinProtocol …` runs after ssl_protocols and wins.
  return withProtocolCommands(
    setting,
    confCommands(scope, 'ssl_conf_command').commands,
    scope,
    'ssl_conf_command',
  );
}

/**
 * stream{} servers share an address and are chosen by SNI only since nginx 1.25.5 (stream
 * `server_name`, `listen … default_server`); before, each address had exactly one server.
 * Selection then works like http's (`ngx_stream_ssl_servername` switches the SSL_CTX after the
 * protocol versions are fixed), so the default-server rule applies too.
 */
const STREAM_VIRTUAL_SERVERS_SINCE = '1.25.5';

function hasStreamVirtualServers(version: string): boolean {
  return compareVersions(version, STREAM_VIRTUAL_SERVERS_SINCE) >= 0;
}

/**
 * What a server negotiates over all its TLS addresses. On each address the default server's
 * protocols are in force; a server listening on several addresses may negotiate different sets
 * on each. The context keeps the weakest (lowest minimum version): that is what a client can get.
 */
function negotiatedProtocols(
  s: ServerInfo,
  own: Setting<ProtocolVersion[]>,
  tlsListens: readonly Listen[],
  table: AddressTable,
  scope: Scope,
  env: EvalEnv,
): { setting: Setting<ProtocolVersion[]>; note?: string; listen?: Listen } {
  const candidates: Array<{ setting: Setting<ProtocolVersion[]>; note?: string; listen?: Listen }> =
    [];
  const several = new Set(tlsListens.map((l) => l.key)).size > 1;
  for (const l of tlsListens) {
    const ds = table.defaultServer(l.key);
    const theirs =
      ds && ds !== s ? serverProtocols(ds, { ...scope, own: ds.level }, env) : undefined;
    if (!ds || !theirs || sameValues(own, theirs)) candidates.push({ setting: own, listen: l });
    else
      candidates.push({
        setting: fromDefaultServer(theirs, ds, l.key, env),
        note: trapNote(own, l.key, env, several),
        listen: l,
      });
  }
  let worst = candidates[0] ?? { setting: own };
  for (const c of candidates.slice(1))
    if (lowestRank(c.setting) < lowestRank(worst.setting)) worst = c;
  return worst;
}

/** The rank of the lowest version a setting may enable; unknown settings rank last. */
function lowestRank(s: Setting<ProtocolVersion[]>): number {
  const ranks = knownValues(s).flatMap((v) => v.map(protocolRank));
  return ranks.length > 0 ? Math.min(...ranks) : Number.POSITIVE_INFINITY;
}

function sameValues(a: Setting<ProtocolVersion[]>, b: Setting<ProtocolVersion[]>): boolean {
  if (a.origin === 'unknown' || b.origin === 'unknown') return a.origin === b.origin;
  const va = knownValues(a).map((v) => v.join(' '));
  const vb = knownValues(b).map((v) => v.join(' '));
  return va.length === vb.length && va.every((v, i) => v === vb[i]);
}

function serverName(ds: ServerInfo, env: EvalEnv): string {
  const name = serverNames(ds.level)[0];
  return `server{}${name ? ` "${name}"` : ''} (${shortLocation(ds.level.directive!.at, env.prefixDir)})`;
}

/** What a non-default vhost really negotiates: the default server's protocols. */
function fromDefaultServer(
  theirs: Setting<ProtocolVersion[]>,
  ds: ServerInfo,
  key: string,
  env: EvalEnv,
): Setting<ProtocolVersion[]> {
  const from = `the default server of ${key}, ${serverName(ds, env)}`;
  switch (theirs.origin) {
    case 'explicit':
      return {
        origin: 'inherited',
        value: theirs.value,
        at: theirs.at,
        key: theirs.key ?? 'ssl_protocols',
        ...(theirs.raw !== undefined && { raw: theirs.raw }),
        from,
      };
    case 'inherited':
      return { ...theirs, from: `${theirs.from} via ${from}` };
    case 'default': {
      // Rebuilt from its parts: "none set in this server" is about the other server.
      const def = defaultProtocols(env.version);
      return { ...theirs, reason: `${defaultProtocolsReason(def, env)}, in force in ${from}` };
    }
    case 'unknown':
      return { ...theirs, reason: `protocols come from ${from}: ${theirs.reason}` };
    default:
      return theirs;
  }
}

/** The explanation appended to protocol messages (the default server itself is named by the setting). */
function trapNote(
  own: Setting<ProtocolVersion[]>,
  key: string,
  env: EvalEnv,
  severalAddresses = false,
): string {
  const rule = `nginx fixes the protocol versions of ${key} in its default server, before SNI selects a server; set them there`;
  if (own.origin === 'explicit' || own.origin === 'inherited') {
    return `this server's "ssl_protocols ${own.raw ?? ''}" (${shortLocation(own.at, env.prefixDir)}) is ignored${severalAddresses ? ` on ${key}` : ''}: ${rule}`;
  }
  return rule;
}

function applyConfCommands(
  ctx: TlsContext,
  commands: ReturnType<typeof confCommands>,
  scope: Scope,
  key: string,
): void {
  if (commands.unknown) {
    ctx.tls13Ciphers = {
      origin: 'unknown',
      reason: commands.unknown.reason,
      key,
      ...(commands.unknown.at && { at: commands.unknown.at }),
    };
    return;
  }
  for (const c of commands.commands) {
    const name = c.name.toLowerCase();
    if (name === 'ciphersuites')
      ctx.tls13Ciphers = commandSetting(c, scope, key, { syntax: 'openssl-tls13', text: c.value });
    // `CipherString` is applied after `ssl_ciphers` and replaces it.
    if (name === 'cipherstring')
      ctx.ciphers = commandSetting(c, scope, key, opensslCiphers(c.value));
    // `Options ServerPreference` / `-ServerPreference` overrides ssl_prefer_server_ciphers.
    if (name === 'options') {
      const preference = serverPreferenceOption(c.value);
      if (preference !== undefined)
        ctx.serverCipherPreference = commandSetting(c, scope, key, preference);
    }
  }
}

/** `if ($ssl_client_verify != SUCCESS) { return 403; }` directly in a server{}: its `if` and `return`. */
function httpLayerCertificateGate(
  server: Level,
): { condition: Directive; refusal: Directive } | undefined {
  for (const node of server.block.nodes) {
    if (node.d.name !== 'if' || !node.block) continue;
    const test = node.d.args.map((a) => a.value).join(' ');
    if (!/^\(\s*\$ssl_client_verify\s*!=\s*"?SUCCESS"?\s*\)$/.test(test)) continue;
    const refusal = node.block.nodes.find(
      (n) => n.d.name === 'return' && /^(4\d\d)$/.test(n.d.args[0]?.value ?? ''),
    );
    if (refusal) return { condition: node.d, refusal: refusal.d };
  }
  return undefined;
}

const VERIFY_MODES: Record<string, { auth: ClientAuthMode; verify?: ClientVerifyMode }> = {
  off: { auth: 'none' },
  on: { auth: 'required', verify: 'ca' },
  optional: { auth: 'optional', verify: 'ca' },
  optional_no_ca: { auth: 'optional', verify: 'external' },
};

function applyClientVerification(
  ctx: TlsContext,
  scope: Scope,
  env: EvalEnv,
  notes: Record<string, string>,
): void {
  const verify = resolve(
    scope,
    'ssl_verify_client',
    (ds) => keyword(firstArg(ds)),
    () => defaultSetting('off', `nginx's default "ssl_verify_client off"`, 'ssl_verify_client'),
  );
  const mode = (v: string) => VERIFY_MODES[v] ?? VERIFY_MODES.off!;
  ctx.clientAuth = mapSetting(verify, (v) => mode(v).auth);
  const verifyValues = knownValues(verify);
  if (verify.origin === 'unknown') ctx.clientVerify = verify;
  else if (verifyValues.some((v) => mode(v).verify))
    ctx.clientVerify = mapSetting(verify, (v) => mode(v).verify ?? 'ca');

  // `ssl_verify_client optional[_no_ca]` plus a server-level `if ($ssl_client_verify != SUCCESS)
  // { return 4xx; }` refuses every request without a CA-verified certificate at the HTTP layer —
  // where nginx's own "on" refuses it too. $ssl_client_verify is SUCCESS only for a certificate
  // that verified against the configured CA.
  const gate =
    scope.own.kind === 'server' &&
    verifyValues.some((v) => v === 'optional' || v === 'optional_no_ca')
      ? httpLayerCertificateGate(scope.own)
      : undefined;
  if (gate) {
    const raw = `if ${argsText(gate.condition)} { return ${argsText(gate.refusal)}; }`;
    ctx.clientAuth = {
      origin: 'explicit',
      value: 'required',
      at: gate.condition.at,
      key: 'if ($ssl_client_verify != SUCCESS)',
      raw,
    };
    ctx.clientVerify = {
      origin: 'explicit',
      value: 'ca',
      at: gate.condition.at,
      key: 'if ($ssl_client_verify != SUCCESS)',
      raw,
    };
  }

  const clientCert = resolve<boolean>(
    scope,
    'ssl_client_certificate',
    () => true,
    () => defaultSetting(false, 'no "ssl_client_certificate" is set', 'ssl_client_certificate'),
  );
  const trusted = resolve<boolean>(
    scope,
    'ssl_trusted_certificate',
    () => true,
    () => defaultSetting(false, 'no "ssl_trusted_certificate" is set', 'ssl_trusted_certificate'),
  );
  const requests = verifyValues.some((v) => v !== 'off');
  if (knownValues(clientCert).includes(true) || clientCert.origin === 'unknown')
    ctx.clientCa = clientCert;
  // `ssl_trusted_certificate` alone also serves OCSP stapling: it shows mTLS intent only when
  // client certificates are requested.
  else if (requests && (knownValues(trusted).includes(true) || trusted.origin === 'unknown'))
    ctx.clientCa = trusted;
  else
    ctx.clientCa = defaultSetting(
      false,
      `no "ssl_client_certificate"${requests ? ' or "ssl_trusted_certificate"' : ''} is set`,
      'ssl_client_certificate',
    );

  const needsCa = verifyValues.some((v) => v === 'on' || v === 'optional');
  if (needsCa && ctx.clientCa.origin === 'default') {
    const where =
      verify.origin === 'explicit' || verify.origin === 'inherited'
        ? ` (${shortLocation(verify.at, env.prefixDir)})`
        : '';
    notes.clientVerify = `nginx refuses to start with "ssl_verify_client ${verifyValues.find((v) => v === 'on' || v === 'optional') ?? 'on'}"${where} and no "ssl_client_certificate" or "ssl_trusted_certificate" ("no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client")`;
  }
}

/**
 * A certificate/key/DH file reference, resolved like nginx (`ngx_conf_full_name`, conf prefix).
 *
 * An absolute path into the system (`/etc/letsencrypt/live/…`) names a file on the host the
 * config is deployed to. It is read only when the config itself is installed on this machine
 * (its prefix is /etc/nginx or another packaged prefix); for a checked-out tree, `/etc/nginx/…` is looked up in the
 * tree (like includes) and other system paths are left unread: this machine's
 * /etc/ssl/certs/ssl-cert-snakeoil.pem says nothing about the deployed one.
 */
export function materialRef(
  d: Directive,
  purpose: MaterialRef['purpose'],
  prefixDir: string,
  value?: string,
): MaterialRef | undefined {
  const written = value ?? d.args[0]?.value;
  if (!written) return undefined;
  const ref: MaterialRef = { purpose, written, at: d.at, key: d.name };
  // Variables (1.15.9+), `data:` and `engine:` values are only known at run time.
  if (
    written.includes('$') ||
    written.startsWith('data:') ||
    written.startsWith('engine:') ||
    (value === undefined && d.args[0]!.placeholder)
  )
    return ref;
  if (!path.isAbsolute(written) || !isSystemPath(written) || isInstalledPrefix(prefixDir)) {
    ref.path = path.resolve(prefixDir, written);
    return ref;
  }
  const inTree = candidatePaths(written, d.file, { prefixDir, rootIsMain: true }).find(
    (p) => p !== written,
  );
  if (inTree) ref.path = inTree;
  return ref;
}

const SNI_VARIABLE = /\$(?:ssl_server_name\b|\{ssl_server_name\})/g;

/**
 * A certificate path whose only variable is `$ssl_server_name` (the SNI name the client sent),
 * written out for each literal `server_name` of the server: for those names nginx loads exactly
 * these files at handshake time. Any other variable (or a server without literal names) leaves
 * the path unknown: nothing is read.
 */
function namedBySni(written: string, names: readonly string[]): string[] {
  if (!written.replace(SNI_VARIABLE, '').length || written.replace(SNI_VARIABLE, '') === written)
    return [];
  const out: string[] = [];
  // `.example.com` also matches subdomains: not a single name.
  for (const name of names.filter((n) => !n.startsWith('.'))) {
    const path = written.replace(SNI_VARIABLE, name.toLowerCase());
    if (!path.includes('$') && !out.includes(path)) out.push(path);
  }
  return out;
}

/** `ssl_certificate` without its key (or no certificate at all) is a config nginx refuses. */
function checkCertificatePairs(
  s: ServerInfo,
  scope: Scope,
  env: EvalEnv,
  enabledAt: TlsContext['enabledAt'],
): void {
  const certs = lookup(s.level, 'ssl_certificate', scope.allowed, env.prefixDir);
  const keys = lookup(s.level, 'ssl_certificate_key', scope.allowed, env.prefixDir);
  if (certs.kind === 'unknown' || keys.kind === 'unknown') return;
  const at = enabledAt ?? s.level.directive!.at;
  if (certs.kind === 'none') {
    if (!s.listens.some((l) => l.ssl)) return;
    env.errors.push({
      file: at.file,
      line: at.line,
      column: at.column,
      kind: 'refused',
      message: `nginx would refuse this configuration: no "ssl_certificate" is defined for the "listen ... ssl" directive in ${serverName(s, env)}`,
    });
    return;
  }
  const certCount = certs.directives.length;
  const keyCount = keys.kind === 'found' ? keys.directives.length : 0;
  if (keyCount < certCount) {
    const d = certs.directives[keyCount]!;
    env.errors.push({
      file: d.at.file,
      line: d.at.line,
      column: d.at.column,
      kind: 'refused',
      message: `nginx would refuse this configuration: no "ssl_certificate_key" is defined for certificate "${argsText(d)}"`,
    });
  }
}
