/**
 * Turns the `tls.Config` values found in a package into TlsContexts: one per role the config is
 * used in (http.Server → server, http.Transport → client, …). A config whose use is not visible
 * takes its role from fields that only one side reads (ClientAuth/ClientCAs → server;
 * InsecureSkipVerify/RootCAs/ServerName/Renegotiation → client), else stays `either` and only
 * what is certain for both roles is filled in.
 */
import path from 'node:path';
import {
  goDefaultCipherReason,
  goDefaultCipherSuites,
  goDefaultMinVersion,
  goOrdersSuitesItself,
  type GoEnvironment,
} from '../../crypto/platforms/go-defaults.js';
import { compareVersions } from '../../config/targets.js';
import {
  newContext,
  type CipherSpec,
  type ClientAuthMode,
  type ClientVerifyMode,
  type MaterialRef,
  type ProtocolFailure,
  type TlsContext,
  type TlsRole,
} from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import {
  PROTOCOL_VERSIONS,
  protocolFromWireCode,
  protocolRange,
  type ProtocolVersion,
} from '../../model/protocol.js';
import {
  byDefault,
  explicit,
  knownValues,
  unknown,
  type ConditionalSetting,
  type DefaultSetting,
  type ExplicitSetting,
  type Setting,
  type UnknownSetting,
} from '../../model/setting.js';
import { CURVE_NAMES, type ConfigObject, type FieldWrite, type GoValue } from './values.js';

type Branch<T> = ExplicitSetting<T> | UnknownSetting | DefaultSetting<T>;

export interface BuildOptions {
  env: GoEnvironment;
  /**
   * The programs (main packages) that include this package, when their GODEBUG differ: the
   * settings GODEBUG changes (default floor, default suites) get one branch per program.
   */
  programs?: Array<{ env: GoEnvironment; program?: string }>;
  /** Resolves a certificate path as written to an existing file (undefined when none exists). */
  resolveMaterial(written: string, from: string): string | undefined;
  nextId(file: string): string;
}

const SERVER_FIELDS = [
  'ClientAuth',
  'ClientCAs',
  'GetCertificate',
  'GetConfigForClient',
  'SessionTicketsDisabled',
];
const CLIENT_FIELDS = [
  'InsecureSkipVerify',
  'RootCAs',
  'ServerName',
  'Renegotiation',
  'ClientSessionCache',
];

function written(obj: ConfigObject, field: string): FieldWrite[] {
  return (obj.fields.get(field) ?? []).filter((a): a is FieldWrite => !('absent' in a));
}

function isSet(obj: ConfigObject, field: string): boolean {
  return written(obj, field).some(
    (w) =>
      w.value.k !== 'nil' &&
      !(w.value.k === 'bool' && !w.value.v) &&
      !(w.value.k === 'int' && w.value.v === 0),
  );
}

function rolesOf(obj: ConfigObject): Array<{ role: TlsRole; inferred: boolean }> {
  const used = [...new Set(obj.uses.map((u) => u.role))];
  if (used.length) return used.map((role) => ({ role, inferred: false }));
  const server = SERVER_FIELDS.some((f) => isSet(obj, f));
  const client = CLIENT_FIELDS.some((f) => isSet(obj, f));
  if (server && !client) return [{ role: 'server', inferred: true }];
  if (client && !server) return [{ role: 'client', inferred: true }];
  return [{ role: 'either', inferred: true }];
}

/**
 * A setting from a field's alternatives: a write maps to explicit (or unknown when `map` cannot
 * tell), an absent field to the default (or nothing when `dflt` gives none).
 */
function fieldSetting<T>(
  obj: ConfigObject,
  field: string,
  map: (w: FieldWrite) => T | { unknown: string } | undefined,
  dflt: () => DefaultSetting<T> | undefined,
): Setting<T> | undefined {
  const alts = obj.fields.get(field) ?? [{ absent: true as const }];
  const branches: Branch<T>[] = [];
  for (const alt of alts) {
    if ('absent' in alt) {
      const d = dflt();
      if (d) branches.push(d);
      continue;
    }
    const v = map(alt);
    if (v === undefined) {
      const d = dflt();
      if (d) branches.push(d);
    } else if (typeof v === 'object' && v !== null && 'unknown' in v)
      branches.push(unknown(v.unknown, alt.at, field));
    else branches.push(explicit(v as T, alt.at, field, alt.raw));
  }
  if (branches.length === 0) return undefined;
  if (branches.length === 1) return branches[0];
  const at = branches.map((b) => ('at' in b ? b.at : undefined)).find(Boolean) ?? obj.at;
  return { origin: 'conditional', branches, at, key: field } satisfies ConditionalSetting<T>;
}

/**
 * One setting from the same field judged under each program's GODEBUG: the setting itself when
 * they all agree, else a conditional with one branch per distinct value.
 */
function mergePrograms<T>(
  settings: Array<Setting<T> | undefined>,
  obj: ConfigObject,
): Setting<T> | undefined {
  const known = settings.filter((s): s is Setting<T> => s !== undefined);
  if (known.length === 0) return undefined;
  const seen = new Set<string>();
  const branches: Branch<T>[] = [];
  for (const s of known) {
    for (const b of s.origin === 'conditional' ? s.branches : [s as Branch<T>]) {
      const key = JSON.stringify(b);
      if (seen.has(key)) continue;
      seen.add(key);
      branches.push(b);
    }
  }
  if (branches.length === 1) return branches[0];
  const at = branches.map((b) => ('at' in b ? b.at : undefined)).find(Boolean) ?? obj.at;
  return { origin: 'conditional', branches, at, key: known[0]!.key ?? '' };
}

function unknownOf(v: GoValue): string {
  return v.k === 'unknown'
    ? v.reason
    : v.k === 'opaque'
      ? `"${v.what}" is not a constant the reader knows`
      : 'not a constant';
}

export function buildContexts(obj: ConfigObject, opts: BuildOptions): TlsContext[] {
  // A config only cloned into others: its fields are judged there.
  if (obj.clonedInto.length && obj.uses.length === 0) return [];
  return rolesOf(obj).map(({ role, inferred }) => buildOne(obj, role, inferred, opts));
}

function describeUse(obj: ConfigObject, role: TlsRole, inferred: boolean): string {
  const apis = [...new Set(obj.uses.filter((u) => u.role === role).map((u) => u.api))];
  if (obj.made === 'implicit') return `the default tls.Config of ${apis[0] ?? 'the server'}`;
  const what = obj.made === 'clone' ? 'tls.Config clone' : 'tls.Config';
  if (apis.length) return `${what} used by ${apis.join(', ')}`;
  if (role === 'either') return `${what} (not seen used as a server or a client here)`;
  return `${what} with ${role} settings${inferred ? ' (its use is not visible here)' : ''}`;
}

function buildOne(
  obj: ConfigObject,
  role: TlsRole,
  inferred: boolean,
  opts: BuildOptions,
): TlsContext {
  const { env } = opts;
  const api = obj.uses.find((u) => u.role === role)?.api ?? 'tls.Config';
  const ctx = newContext({
    id: opts.nextId(obj.file),
    language: 'go',
    role,
    at: obj.at,
    label: describeUse(obj, role, inferred),
    api,
    recognition: obj.uses.length || inferred ? 'known-api' : 'known-api',
  });
  ctx.tlsLibrary = 'go';
  const envs = opts.programs ?? [{ env }];
  const failures: ProtocolFailure[] = [];
  ctx.protocols = mergePrograms(
    envs.map((p) => protocols(obj, role, p.env, envs.length > 1 ? [] : failures)),
    obj,
  );
  if (envs.length > 1) protocols(obj, role, env, failures);
  if (failures.length)
    ctx.protocolFailures = failures.map((f) => ({
      ...f,
      ...(ctx.protocols?.origin === 'conditional' && { someBranches: true }),
    }));
  ctx.ciphers = mergePrograms(
    envs.map((p) =>
      fieldSetting<CipherSpec>(
        obj,
        'CipherSuites',
        (w) => cipherSpec(w),
        () => {
          const names = goDefaultCipherSuites(p.env.version, p.env.godebug);
          return byDefault(
            { syntax: 'go', text: names.join(', '), items: names.map((text) => ({ text })) },
            goDefaultCipherReason(p.env),
            'CipherSuites',
          );
        },
      ),
    ),
    obj,
  );
  if (envs.length > 1 && ctx.protocols?.origin === 'conditional') {
    const names = envs.map((p) => p.program ?? 'another program').join('; ');
    ctx.notes = {
      ...ctx.notes,
      protocols: `this package is built into programs whose GODEBUG differ: ${names}`,
    };
  }
  const curves = fieldSetting<string[]>(
    obj,
    'CurvePreferences',
    (w) => {
      if (w.value.k === 'nil') return undefined;
      if (w.value.k !== 'list') return { unknown: unknownOf(w.value) };
      const names: string[] = [];
      for (const item of w.value.items) {
        if (item.value.k !== 'int')
          return { unknown: `"${item.raw}" is not a constant the reader knows` };
        names.push(CURVE_NAMES[item.value.v] ?? `CurveID(${item.value.v})`);
      }
      return names;
    },
    () => undefined,
  );
  if (curves) ctx.curves = curves;
  if (role !== 'server') clientSide(ctx, obj, role);
  if (role === 'server') serverSide(ctx, obj);
  for (const w of written(obj, 'PreferServerCipherSuites')) {
    if (goOrdersSuitesItself(env.toolchain))
      ctx.features.push({ feature: 'go.PreferServerCipherSuites', at: w.at, detail: w.raw });
  }
  ctx.material = material(obj, role, opts);
  return ctx;
}

// --- protocol versions ------------------------------------------------------------------------

function versionOf(
  v: GoValue,
  toolchain: string,
): ProtocolVersion | 'default' | { unknown: string } {
  if (v.k === 'nil') return 'default';
  if (v.k !== 'int') return { unknown: unknownOf(v) };
  if (v.v === 0) return 'default';
  // SSL 3.0 support was removed in Go 1.14: a lower MinVersion means TLS 1.0 there.
  if (v.v < 0x0301)
    return compareVersions(toolchain, '1.14') >= 0 || v.v < 0x0300 ? 'TLSv1.0' : 'SSLv3';
  if (v.v > 0x0304) return 'TLSv1.3';
  return protocolFromWireCode(v.v) ?? { unknown: `0x${v.v.toString(16)} is not a TLS version` };
}

function defaultFloor(
  role: TlsRole,
  env: GoEnvironment,
): { version: ProtocolVersion; reason: string } | { unknown: string } {
  if (role !== 'either') return goDefaultMinVersion(env, role);
  const s = goDefaultMinVersion(env, 'server');
  const c = goDefaultMinVersion(env, 'client');
  if (s.version === c.version) return { version: s.version, reason: `${c.reason}; ${s.reason}` };
  return {
    unknown: `Go's default MinVersion differs for servers (${s.version.replace('v', ' ')}) and clients (${c.version.replace('v', ' ')}) and this config's use is not visible`,
  };
}

function protocols(
  obj: ConfigObject,
  role: TlsRole,
  env: GoEnvironment,
  failures: ProtocolFailure[],
): Setting<ProtocolVersion[]> {
  const failure =
    role === 'client'
      ? 'Go refuses the handshake ("tls: no supported versions satisfy MinVersion and MaxVersion")'
      : 'no protocol version is left to negotiate';
  const empty = (written: string, key: string, at: SourceRange) =>
    failures.push({ kind: 'empty', when: 'handshake', failure, written, key, at });
  const mins = obj.fields.get('MinVersion') ?? [{ absent: true as const }];
  const maxs = obj.fields.get('MaxVersion') ?? [{ absent: true as const }];
  const branches: Branch<ProtocolVersion[]>[] = [];
  for (const min of mins) {
    for (const max of maxs) {
      const maxV = 'absent' in max ? 'default' : versionOf(max.value, env.toolchain);
      const minV = 'absent' in min ? 'default' : versionOf(min.value, env.toolchain);
      if (typeof minV === 'object') {
        branches.push(unknown(minV.unknown, (min as FieldWrite).at, 'MinVersion'));
        continue;
      }
      const top: ProtocolVersion =
        maxV === 'default' || typeof maxV === 'object' ? 'TLSv1.3' : maxV;
      if (minV !== 'default') {
        // Written floor: an unknown MaxVersion can only remove versions, never add one.
        const set = protocolRangeOrEmpty(minV, top);
        const m = min as FieldWrite;
        if (set.length === 0 && !('absent' in max))
          empty(`"MaxVersion" ${max.raw} is below "MinVersion" ${m.raw}`, 'MaxVersion', max.at);
        branches.push(explicit(set, m.at, 'MinVersion', m.raw));
        continue;
      }
      const floor = defaultFloor(role, env);
      if ('unknown' in floor) {
        branches.push(unknown(floor.unknown, undefined, 'MinVersion'));
        continue;
      }
      const set = protocolRangeOrEmpty(floor.version, top);
      const zero = !('absent' in min)
        ? `"MinVersion" is "${min.raw}", which means the default: `
        : '';
      if (
        maxV !== 'default' &&
        typeof maxV !== 'object' &&
        set.every((v) => v !== 'TLSv1.2' && v !== 'TLSv1.3')
      ) {
        // The cap alone leaves only old versions (or none): that is what was written.
        const m = max as FieldWrite;
        if (set.length === 0)
          empty(
            `"MaxVersion" ${m.raw} is below Go's default MinVersion (${floor.version.replace('v', ' ')})`,
            'MaxVersion',
            m.at,
          );
        branches.push(explicit(set, m.at, 'MaxVersion', m.raw));
        continue;
      }
      branches.push(byDefault(set, `${zero}${floor.reason}`, 'MinVersion'));
    }
  }
  if (branches.length === 1) return branches[0]!;
  const at = branches.map((b) => ('at' in b ? b.at : undefined)).find(Boolean) ?? obj.at;
  return { origin: 'conditional', branches, at, key: 'MinVersion' };
}

function protocolRangeOrEmpty(min: ProtocolVersion, max: ProtocolVersion): ProtocolVersion[] {
  return PROTOCOL_VERSIONS.indexOf(min) > PROTOCOL_VERSIONS.indexOf(max)
    ? []
    : protocolRange(min, max);
}

// --- cipher suites --------------------------------------------------------------------------

function cipherSpec(w: FieldWrite): CipherSpec | { unknown: string } | undefined {
  if (w.value.k === 'nil') return undefined;
  if (w.value.k !== 'list') return { unknown: unknownOf(w.value) };
  const items: Array<{ text: string; at: SourceRange }> = [];
  for (const item of w.value.items) {
    if (item.value.k !== 'int')
      return { unknown: `"${item.raw}" is not a cipher suite constant the reader knows` };
    items.push({
      text: item.value.name ?? `0x${item.value.v.toString(16).padStart(4, '0')}`,
      at: item.at,
    });
  }
  return { syntax: 'go', text: items.map((i) => i.text).join(', '), items };
}

// --- client side ------------------------------------------------------------------------------

function customVerifier(
  obj: ConfigObject,
  field: string,
): { trivial: boolean; at: SourceRange } | undefined {
  const w = written(obj, field).find((x) => x.value.k !== 'nil');
  if (!w) return undefined;
  return { trivial: w.value.k === 'func' && w.value.trivial, at: w.at };
}

function clientSide(ctx: TlsContext, obj: ConfigObject, role: TlsRole): void {
  const vpc = customVerifier(obj, 'VerifyPeerCertificate');
  const vc = customVerifier(obj, 'VerifyConnection');
  const resumption = isSet(obj, 'ClientSessionCache');
  const peer = fieldSetting<boolean>(
    obj,
    'InsecureSkipVerify',
    (w) => {
      if (w.value.k !== 'bool') return { unknown: unknownOf(w.value) };
      if (!w.value.v) return true;
      if (vc && !vc.trivial)
        return {
          unknown: 'InsecureSkipVerify with a custom VerifyConnection: the callback decides',
        };
      if (vpc && !vpc.trivial && !resumption)
        return {
          unknown: 'InsecureSkipVerify with a custom VerifyPeerCertificate: the callback decides',
        };
      return false;
    },
    () => byDefault(true, "Go verifies the server's certificate by default"),
  );
  if (peer) ctx.peerVerification = peer;
  if (
    vpc &&
    !vpc.trivial &&
    resumption &&
    !(vc && !vc.trivial) &&
    written(obj, 'InsecureSkipVerify').some((w) => w.value.k === 'bool' && w.value.v)
  ) {
    // gosec G123: resumed sessions skip VerifyPeerCertificate, and nothing else checks them.
    ctx.peerVerification = explicit(
      false,
      vpc.at,
      'VerifyPeerCertificate',
      'skipped on resumed sessions (ClientSessionCache is set and there is no VerifyConnection), with InsecureSkipVerify',
    );
  } else if (
    ((vpc?.trivial && !vc) || (vc?.trivial && !vpc)) &&
    ctx.peerVerification?.origin === 'explicit' &&
    !ctx.peerVerification.value
  ) {
    ctx.notes = {
      ...ctx.notes,
      peerVerification: `the ${vpc ? 'VerifyPeerCertificate' : 'VerifyConnection'} callback returns nil without checking anything`,
    };
  }
  if (isSet(obj, 'RootCAs'))
    ctx.trustedCa = explicit(true, written(obj, 'RootCAs')[0]!.at, 'RootCAs');
  const sni = written(obj, 'ServerName')[0];
  if (sni)
    ctx.serverName =
      sni.value.k === 'str'
        ? explicit(sni.value.v, sni.at, 'ServerName', sni.raw)
        : unknown(unknownOf(sni.value), sni.at, 'ServerName');
  const reneg = fieldSetting<'never' | 'once' | 'freely'>(
    obj,
    'Renegotiation',
    (w) =>
      w.value.k === 'int' && w.value.v >= 0 && w.value.v <= 2
        ? (['never', 'once', 'freely'] as const)[w.value.v]
        : { unknown: unknownOf(w.value) },
    () =>
      role === 'client'
        ? byDefault('never', "Go's default Renegotiation is RenegotiateNever")
        : undefined,
  );
  if (reneg) ctx.renegotiation = reneg;
}

// --- server side: client certificates ---------------------------------------------------------

function serverSide(ctx: TlsContext, obj: ConfigObject): void {
  const modeOf = (w: FieldWrite): number | { unknown: string } =>
    w.value.k === 'int' && w.value.v >= 0 && w.value.v <= 4
      ? w.value.v
      : { unknown: unknownOf(w.value) };
  const auth = fieldSetting<ClientAuthMode>(
    obj,
    'ClientAuth',
    (w) => {
      const m = modeOf(w);
      return typeof m === 'object'
        ? m
        : m === 0
          ? 'none'
          : m === 1 || m === 3
            ? 'optional'
            : 'required';
    },
    () => byDefault('none', "Go's default ClientAuth is NoClientCert"),
  );
  if (auth) ctx.clientAuth = auth;
  const vpc = customVerifier(obj, 'VerifyPeerCertificate');
  const vc = customVerifier(obj, 'VerifyConnection');
  const ticketsOff = written(obj, 'SessionTicketsDisabled').some(
    (w) => w.value.k === 'bool' && w.value.v,
  );
  const verify = fieldSetting<ClientVerifyMode>(
    obj,
    'ClientAuth',
    (w) => {
      const m = modeOf(w);
      if (typeof m === 'object') return m;
      if (m !== 1 && m !== 2) return 'ca';
      if (vc && !vc.trivial)
        return { unknown: 'client certificates are checked by a custom VerifyConnection' };
      if (vpc && !vpc.trivial && ticketsOff)
        return { unknown: 'client certificates are checked by a custom VerifyPeerCertificate' };
      return 'any';
    },
    () => undefined,
  );
  let resumedUnchecked = false;
  if (verify) {
    ctx.clientVerify = verify;
    // gosec G123: a custom VerifyPeerCertificate that resumed sessions skip.
    if (
      vpc &&
      !vpc.trivial &&
      !ticketsOff &&
      !(vc && !vc.trivial) &&
      verify.origin === 'explicit' &&
      verify.value === 'any'
    ) {
      ctx.clientVerify = explicit(
        'any',
        vpc.at,
        'VerifyPeerCertificate',
        `skipped on resumed sessions (session tickets are on and there is no VerifyConnection), with ClientAuth ${verify.raw ?? 'RequireAnyClientCert'}`,
      );
      resumedUnchecked = true;
    }
  }
  const cas = written(obj, 'ClientCAs');
  ctx.clientCa = cas.length
    ? cas[0]!.value.k === 'nil'
      ? explicit(false, cas[0]!.at, 'ClientCAs', 'nil')
      : explicit(true, cas[0]!.at, 'ClientCAs')
    : byDefault(false, `"ClientCAs" is not set, Go's default`, 'ClientCAs');
  // What an unverified or CA-less client certificate means in Go, for the rules' messages: a
  // resumed session is let in on its first handshake's word; without ClientCAs, Go verifies
  // against the system roots. (A plain RequireAnyClientCert needs no note: nothing is checked.)
  const clientVerify = resumedUnchecked
    ? "VerifyPeerCertificate does not run on resumed sessions, so a resumed connection is accepted without the callback's check (a ticket from a session it never checked, a certificate revoked since)"
    : knownValues(ctx.clientVerify).includes('any')
      ? undefined
      : 'Go then verifies client certificates against the system roots, so a certificate from any public CA is accepted';
  if (clientVerify) ctx.notes = { ...ctx.notes, clientVerify };
}

// --- certificates and keys ----------------------------------------------------------------------

function material(obj: ConfigObject, role: TlsRole, opts: BuildOptions): MaterialRef[] {
  const out: MaterialRef[] = [];
  const pairs = [...obj.keyPairs];
  for (const w of written(obj, 'Certificates')) {
    if (w.value.k !== 'list') continue;
    for (const item of w.value.items)
      if (item.value.k === 'keypair') pairs.push({ ...item.value, api: 'tls.LoadX509KeyPair' });
  }
  const side = role === 'client' ? 'client' : 'server';
  for (const p of pairs) {
    for (const [v, at, purpose, key] of [
      [p.cert, p.certAt, `${side}-certificate`, `${p.api} certFile`],
      [p.key, p.keyAt, `${side}-key`, `${p.api} keyFile`],
    ] as const) {
      if (!v || v.k !== 'str') continue;
      const resolved = opts.resolveMaterial(v.v, obj.file);
      out.push({ purpose, written: v.v, at, key, ...(resolved && { path: resolved }) });
    }
  }
  return out;
}

/** Candidate absolute paths for a certificate path written in a Go file (run-time CWD is unknown). */
export function materialCandidates(
  written: string,
  file: string,
  moduleDir: string | undefined,
): string[] {
  if (path.isAbsolute(written)) return [written];
  const dirs = [path.dirname(file), ...(moduleDir ? [moduleDir] : [])];
  return [...new Set(dirs.map((d) => path.resolve(d, written)))];
}
