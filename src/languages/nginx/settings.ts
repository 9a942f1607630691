/**
 * Turns directive lookups into model Settings with their origins, and knows how nginx reads
 * the value of each TLS directive. No judgement of strength here: that is the rules' job.
 */
import type { CipherSpec } from '../../model/context.js';
import {
  protocolFromPlatformName,
  protocolRank,
  sortProtocols,
  PLATFORM_PROTOCOL_NAMES,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
} from '../../model/protocol.js';
import { byDefault, knownValues, type DefaultSetting, type Setting } from '../../model/setting.js';
import { argsText, lookup, type Level, type LevelKind, type Lookup } from './levels.js';
import type { Directive } from './parser.js';

export interface Scope {
  /** The level the context belongs to (server, or the location of a proxy_pass). */
  own: Level;
  /** Levels where the directive family may appear. */
  allowed: readonly LevelKind[];
  baseDir: string;
}

/**
 * A directive whose value holds a template placeholder (`{{ protocols }}`, `<%= @ciphers %>`, or
 * `${NAME}`, which the official nginx Docker image's `envsubst` fills in when the container
 * starts): its value is known only once the template is rendered.
 */
function filledAtStartup(d: Directive): boolean {
  return d.args.some((a) => a.placeholder);
}

/** Why a templated directive's value is unknown. */
function placeholderReason(d: Directive): string {
  const envsubst = d.args.every((a) => !a.placeholder || /^[^{<]*\$\{/.test(a.raw));
  const when = envsubst
    ? 'is filled in by envsubst from the environment when the container starts'
    : 'is a template placeholder, filled in when the template is rendered';
  return `"${d.name} ${argsText(d)}" ${when}`;
}

const name = (d: Directive): string => `${d.name} ${argsText(d)}`;

/** A Setting from a lookup: explicit on the own level, inherited above it, else the default. */
function settingFrom<T>(
  lk: Lookup,
  scope: Scope,
  key: string,
  value: (ds: Directive[]) => T,
  fallback: () => Setting<T>,
): Setting<T> {
  if (lk.kind === 'unknown')
    return { origin: 'unknown', reason: lk.reason, key, ...(lk.at && { at: lk.at }) };
  if (lk.kind === 'none') return fallback();
  const last = lk.directives[lk.directives.length - 1]!;
  if (lk.directives.length > 1 && lk.directives.some((d) => d.inBranch)) {
    return {
      origin: 'unknown',
      reason: `"${name(last)}" is set ${lk.directives.length} times, in template branches: which one applies depends on how the template is rendered`,
      key,
      at: last.at,
    };
  }
  if (filledAtStartup(last)) {
    return { origin: 'unknown', reason: placeholderReason(last), key, at: last.at };
  }
  const v = value(lk.directives);
  if (lk.level === scope.own)
    return { origin: 'explicit', value: v, at: last.at, key, raw: argsText(last) };
  return {
    origin: 'inherited',
    value: v,
    at: last.at,
    key,
    raw: argsText(last),
    from: lk.level.name,
  };
}

export function resolve<T>(
  scope: Scope,
  name: string,
  value: (ds: Directive[]) => T,
  fallback: () => Setting<T>,
): Setting<T> {
  return settingFrom(
    lookup(scope.own, name, scope.allowed, scope.baseDir),
    scope,
    name,
    value,
    fallback,
  );
}

/**
 * A flag or enum value as nginx compares it: `ngx_conf_set_flag_slot`, `_enum_slot` and
 * `_bitmask_slot` use `ngx_strcasecmp`, so `ON`, `Optional` and `tlsv1.2` are accepted.
 */
export function keyword(value: string | undefined): string {
  return (value ?? '').toLowerCase();
}

/** `on`/`off` of the last occurrence. */
export function onOff(ds: Directive[]): boolean {
  return keyword(ds[ds.length - 1]!.args[0]?.value) === 'on';
}

export function firstArg(ds: Directive[]): string {
  return ds[ds.length - 1]!.args[0]?.value ?? '';
}

/** nginx's `ssl_protocols` words by their lower-case spelling (nginx matches them case-insensitively). */
const NGINX_PROTOCOL_WORDS = new Map(
  Object.keys(PLATFORM_PROTOCOL_NAMES.nginx).map((word) => [word.toLowerCase(), word]),
);

/** The canonical version of one `ssl_protocols` word, whatever its case; undefined if nginx does not know it. */
export function nginxProtocol(word: string): ProtocolVersion | undefined {
  const spelled = NGINX_PROTOCOL_WORDS.get(word.toLowerCase());
  return spelled === undefined ? undefined : protocolFromPlatformName('nginx', spelled);
}

/** `ssl_protocols TLSv1 TLSv1.2` → canonical versions (unknown words are left out). */
export function protocolsOf(ds: Directive[]): ProtocolVersion[] {
  const d = ds[ds.length - 1]!;
  return sortProtocols(
    d.args.map((a) => nginxProtocol(a.value)).filter((v): v is ProtocolVersion => v !== undefined),
  );
}

export function opensslCiphers(text: string): CipherSpec {
  return { syntax: 'openssl', text };
}

export function defaultSetting<T>(value: T, reason: string, key: string): DefaultSetting<T> {
  return byDefault(value, reason, key);
}

/** `ssl_conf_command` entries of the nearest level that has any (they replace, not merge). */
export interface ConfCommand {
  name: string;
  value: string;
  d: Directive;
  lookupLevel: Level;
}

export function confCommands(
  scope: Scope,
  directive: string,
): { commands: ConfCommand[]; unknown?: Lookup & { kind: 'unknown' } } {
  const lk = lookup(scope.own, directive, scope.allowed, scope.baseDir);
  if (lk.kind === 'unknown') return { commands: [], unknown: lk };
  if (lk.kind === 'none') return { commands: [] };
  const templated = lk.directives.find(filledAtStartup);
  if (templated) {
    return {
      commands: [],
      unknown: { kind: 'unknown', reason: placeholderReason(templated), at: templated.at },
    };
  }
  return {
    commands: lk.directives.map((d) => ({
      name: d.args[0]?.value ?? '',
      value: d.args
        .slice(1)
        .map((a) => a.value)
        .join(' '),
      d,
      lookupLevel: lk.level,
    })),
  };
}

/** The Setting for one conf command, with the origin of its level. */
export function commandSetting<T>(c: ConfCommand, scope: Scope, key: string, value: T): Setting<T> {
  const raw = `${c.name} ${c.value}`;
  if (c.lookupLevel === scope.own) return { origin: 'explicit', value, at: c.d.at, key, raw };
  return { origin: 'inherited', value, at: c.d.at, key, raw, from: c.lookupLevel.name };
}

/** OpenSSL's own protocol names, as `MinProtocol`/`MaxProtocol`/`Protocol` take them. */
const opensslProtocol = (name: string): ProtocolVersion | undefined =>
  protocolFromPlatformName('openssl', name);

/**
 * Applies OpenSSL `MinProtocol`/`MaxProtocol`/`Protocol` commands (run after `ssl_protocols`,
 * so they win) to a set of versions. Returns undefined when a value is not understood.
 */
function applyProtocolCommand(
  set: readonly ProtocolVersion[],
  name: string,
  value: string,
): ProtocolVersion[] | undefined {
  const lower = name.toLowerCase();
  if (lower === 'minprotocol' || lower === 'maxprotocol') {
    if (value === 'None' || value === '') return [...set];
    const v = opensslProtocol(value);
    if (!v) return undefined;
    return set.filter((p) =>
      lower === 'minprotocol'
        ? protocolRank(p) >= protocolRank(v)
        : protocolRank(p) <= protocolRank(v),
    );
  }
  if (lower === 'protocol') {
    let out = new Set(set);
    for (const item of value.split(/[,\s]+/).filter(Boolean)) {
      const op = item[0] === '-' || item[0] === '+' ? item[0] : '';
      const word = op ? item.slice(1) : item;
      const versions =
        word === 'ALL'
          ? PROTOCOL_VERSIONS.filter((p) => p !== 'SSLv2')
          : opensslProtocol(word)
            ? [opensslProtocol(word)!]
            : undefined;
      if (!versions) return undefined;
      if (op === '-') for (const v of versions) out.delete(v);
      else out = new Set([...out, ...versions]);
    }
    return sortProtocols(out);
  }
  return [...set];
}

function isProtocolCommand(name: string): boolean {
  return ['minprotocol', 'maxprotocol', 'protocol'].includes(name.toLowerCase());
}

/**
 * Applies the `MinProtocol`/`MaxProtocol`/`Protocol` conf commands (in order) to the versions
 * the `*_protocols` directive (or its default) allows; each command that changes them becomes
 * the setting's origin.
 */
export function withProtocolCommands(
  setting: Setting<ProtocolVersion[]>,
  commands: readonly ConfCommand[],
  scope: Scope,
  key: string,
): Setting<ProtocolVersion[]> {
  let out = setting;
  for (const c of commands) {
    if (!isProtocolCommand(c.name)) continue;
    const base = knownValues(out)[0];
    if (!base) break;
    const next = applyProtocolCommand(base, c.name, c.value);
    if (!next) continue;
    out = commandSetting(c, scope, key, next);
  }
  return out;
}

/**
 * The server-preference flag an OpenSSL `Options` command sets (`ServerPreference`) or clears
 * (`-ServerPreference`); undefined when it does not mention it. Other options
 * (`PrioritizeChaCha`, `-SessionTicket`, …) change no setting the rules judge.
 */
export function serverPreferenceOption(value: string): boolean | undefined {
  let out: boolean | undefined;
  for (const item of value.split(/[,\s]+/).filter(Boolean)) {
    const word = item.replace(/^[-+]/, '');
    if (word.toLowerCase() === 'serverpreference') out = !item.startsWith('-');
  }
  return out;
}
