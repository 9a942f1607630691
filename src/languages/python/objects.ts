/**
 * The TLS objects a Python program builds, as the reader tracks them while it walks the code,
 * and their translation into the model:
 * - `SslContextObject`: an `ssl.SSLContext` (or pyOpenSSL `SSL.Context`) with its attribute
 *   writes and method calls, turned into protocols, ciphers, verification and client-certificate
 *   settings by Python's own rules for the target Python and OpenSSL versions;
 * - `LibraryObject`: a library client or server (requests, httpx, aiohttp, urllib3, grpc) whose
 *   own switches (`verify=False`, `cert_reqs`, `require_client_auth`) are model settings already.
 */
import type { Targets } from '../../config/targets.js';
import { compareVersions } from '../../config/targets.js';
import {
  pythonDefaultCiphers,
  pythonDefaultProtocolRange,
} from '../../crypto/platforms/defaults.js';
import {
  newContext,
  type CipherSpec,
  type ClientAuthMode,
  type FeatureUse,
  type MaterialRef,
  type Recognition,
  type TlsContext,
  type TlsRole,
} from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import { PROTOCOL_VERSIONS, protocolRank, type ProtocolVersion } from '../../model/protocol.js';
import {
  byDefault,
  explicit,
  knownAlternatives,
  mapSetting,
  unknown,
  type ConditionalSetting,
  type ExplicitSetting,
  type Setting,
} from '../../model/setting.js';
import type { VerifyMode } from './semantics.js';

type Bound = ProtocolVersion | 'MINIMUM_SUPPORTED' | 'MAXIMUM_SUPPORTED';

/** One write to `options` (or pyOpenSSL `set_options`): versions switched off or back on. */
export interface OptionsWrite {
  op: 'disable' | 'enable' | 'replace';
  versions: ProtocolVersion[];
  /** The flags could not all be read: the resulting set is unknown. */
  unknownFlags?: boolean;
  at: SourceRange;
  raw: string;
  conditional: boolean;
}

export interface SslContextObject {
  type: 'ssl-context';
  flavour: 'ssl' | 'pyopenssl';
  /** `ssl.create_default_context`, `ssl.SSLContext`, `OpenSSL.SSL.Context`, `ssl.wrap_socket`… */
  api: string;
  at: SourceRange;
  calleeAt: SourceRange;
  /** The name the context was first bound to, for messages. */
  boundName?: string;
  /** Role fixed by the constructor (PROTOCOL_TLS_CLIENT, Purpose), else `either`. */
  ctorRole: TlsRole;
  usedAs: Set<'client' | 'server'>;
  /** Where the use that decided the role is (`wrap_socket(server_side=True)`). */
  usedAt?: SourceRange;
  /** The protocol argument, as written, and the version it pins. */
  protocolArg?: { raw: string; at: SourceRange; pinned?: ProtocolVersion; unknownReason?: string };
  createDefault: boolean;
  verifyMode: Setting<VerifyMode>;
  checkHostname: Setting<boolean>;
  minimum?: Setting<Bound>;
  maximum?: Setting<Bound>;
  options: OptionsWrite[];
  ciphers?: Setting<CipherSpec>;
  /** load_verify_locations / cafile / load_default_certs: trust anchors (client) or client CAs (server). */
  caLoaded?: Setting<boolean>;
  /** pyOpenSSL: certificate/key loaded with use_* (a server sign). */
  loadsOwnCertificate: boolean;
  material: MaterialRef[];
  features: FeatureUse[];
  /** `ssl._create_default_https_context` points at this context (every urllib/http.client request). */
  processWide?: SourceRange;
  notes: Record<string, string>;
}

export interface LibraryObject {
  type: 'library';
  api: string;
  library: string;
  at: SourceRange;
  calleeAt: SourceRange;
  label: string;
  role: 'client' | 'server';
  recognition: Recognition;
  scope?: 'process';
  peerVerification?: Setting<boolean>;
  hostnameVerification?: Setting<boolean>;
  protocols?: Setting<ProtocolVersion[]>;
  ciphers?: Setting<CipherSpec>;
  trustedCa?: Setting<boolean>;
  clientAuth?: Setting<ClientAuthMode>;
  clientVerify?: Setting<'ca'>;
  clientCa?: Setting<boolean>;
  material: MaterialRef[];
  features: FeatureUse[];
  notes?: Record<string, string>;
  /** A session object (requests.Session) that only matters once something is set on it. */
  session?: boolean;
}

export type TrackedObject = SslContextObject | LibraryObject;

/** Merges a write made in a branch (`if`, `except`) with what was there before. */
export function mergeWrite<T>(
  before: Setting<T> | undefined,
  write: ExplicitSetting<T> | Setting<T>,
  conditional: boolean,
): Setting<T> {
  if (!conditional || !before) return write;
  const branches: ConditionalSetting<T>['branches'] = [];
  for (const s of [before, write]) {
    if (s.origin === 'conditional') branches.push(...s.branches);
    else if (s.origin === 'explicit' || s.origin === 'unknown' || s.origin === 'default')
      branches.push(s);
    else if (s.origin === 'inherited')
      branches.push({
        origin: 'explicit',
        value: s.value,
        at: s.at,
        ...(s.key !== undefined && { key: s.key }),
        ...(s.raw !== undefined && { raw: s.raw }),
      });
  }
  const at = 'at' in write && write.at ? write.at : (before as { at?: SourceRange }).at;
  return {
    origin: 'conditional',
    branches,
    at: at!,
    ...(write.key !== undefined && { key: write.key }),
  };
}

// --- ssl contexts → model --------------------------------------------------------------------

function lowestAvailable(opensslVersion: string): ProtocolVersion {
  // OpenSSL 1.1.0+ builds SSL 3.0 out by default (no-ssl3); Python asks for "the lowest supported".
  return compareVersions(opensslVersion, '1.1.0') >= 0 ? 'TLSv1.0' : 'SSLv3';
}

interface ProtocolInputs {
  min: ProtocolVersion;
  max: ProtocolVersion;
  disabled: Set<ProtocolVersion>;
  unknownReason?: string;
}

function boundValue(b: Bound, floor: ProtocolVersion): ProtocolVersion {
  if (b === 'MINIMUM_SUPPORTED') return floor;
  if (b === 'MAXIMUM_SUPPORTED') return 'TLSv1.3';
  return b;
}

/** The versions an `ssl` context enables, for each combination of its (conditional) writes. */
function sslProtocols(
  ctx: SslContextObject,
  targets: Targets,
): Setting<ProtocolVersion[]> | undefined {
  const python = targets.version('python');
  const openssl = targets.version('openssl');
  if (ctx.protocolArg?.unknownReason)
    return unknown(ctx.protocolArg.unknownReason, ctx.protocolArg.at, 'protocol');
  if (ctx.protocolArg?.pinned) {
    const set = ctx.options.some(
      (o) => o.versions.includes(ctx.protocolArg!.pinned!) && o.op === 'disable',
    )
      ? []
      : [ctx.protocolArg.pinned];
    return explicit(set, ctx.protocolArg.at, 'protocol', ctx.protocolArg.raw);
  }
  const floor = lowestAvailable(openssl);
  const defaults = pythonDefaultProtocolRange(python, openssl, ctx.createDefault);
  const defaultMin = protocolRank(defaults.min) < protocolRank(floor) ? floor : defaults.min;
  // Python ≥ 3.6 sets OP_NO_SSLv2 | OP_NO_SSLv3 on every context; create_default_context always did.
  const defaultDisabled: ProtocolVersion[] =
    compareVersions(python, '3.6') >= 0 || ctx.createDefault ? ['SSLv2', 'SSLv3'] : ['SSLv2'];

  const compute = (
    withConditional: boolean,
  ): ProtocolInputs & { last?: { at: SourceRange; key: string; raw?: string } } => {
    let min = defaultMin;
    let max: ProtocolVersion = defaults.max;
    let last: { at: SourceRange; key: string; raw?: string } | undefined;
    let unknownReason: string | undefined;
    const pick = (
      s: Setting<Bound> | undefined,
      key: string,
      apply: (v: ProtocolVersion) => void,
    ) => {
      if (!s) return;
      const alts = knownAlternatives(s).filter(
        (a) => withConditional || s.origin !== 'conditional' || a.origin === 'default',
      );
      if (s.origin === 'unknown') unknownReason = s.reason;
      // In a conditional write the last branch is the write itself.
      const chosen =
        s.origin === 'conditional' ? (withConditional ? alts[alts.length - 1] : alts[0]) : alts[0];
      if (!chosen) return;
      apply(boundValue(chosen.value, floor));
      if (chosen.origin === 'explicit')
        last = { at: chosen.at, key, ...(chosen.raw !== undefined && { raw: chosen.raw }) };
    };
    pick(
      ctx.minimum,
      'minimum_version',
      (v) => (min = protocolRank(v) < protocolRank(floor) ? floor : v),
    );
    pick(ctx.maximum, 'maximum_version', (v) => (max = v));
    const disabled = new Set<ProtocolVersion>(defaultDisabled);
    for (const w of ctx.options) {
      if (w.conditional && !withConditional) continue;
      if (w.unknownFlags) unknownReason = `the flags in "${w.raw}" are not known statically`;
      if (w.op === 'replace') {
        disabled.clear();
        disabled.add('SSLv2');
      }
      for (const v of w.versions) {
        if (w.op === 'enable') disabled.delete(v);
        else disabled.add(v);
      }
      // Re-enabling SSL 3.0 cannot bring back what OpenSSL was built without.
      if (w.op !== 'disable' && w.versions.length > 0)
        last = { at: w.at, key: 'options', raw: w.raw };
      if (w.op === 'disable' && w.versions.length > 0)
        last ??= { at: w.at, key: 'options', raw: w.raw };
    }
    return {
      min,
      max,
      disabled,
      ...(unknownReason !== undefined && { unknownReason }),
      ...(last && { last }),
    };
  };

  const toSet = (p: ProtocolInputs): ProtocolVersion[] =>
    PROTOCOL_VERSIONS.filter(
      (v) =>
        protocolRank(v) >= protocolRank(p.min) &&
        protocolRank(v) <= protocolRank(p.max) &&
        protocolRank(v) >= protocolRank(floor) &&
        !p.disabled.has(v),
    );

  const all = compute(true);
  if (all.unknownReason) return unknown(all.unknownReason, all.last?.at, all.last?.key);
  const asSetting = (
    p: ReturnType<typeof compute>,
  ): ExplicitSetting<ProtocolVersion[]> | Setting<ProtocolVersion[]> =>
    p.last
      ? explicit(toSet(p), p.last.at, p.last.key, p.last.raw)
      : byDefault(toSet(p), defaults.reason, 'minimum_version');
  const hasConditional =
    ctx.options.some((o) => o.conditional) ||
    ctx.minimum?.origin === 'conditional' ||
    ctx.maximum?.origin === 'conditional';
  if (!hasConditional) return asSetting(all);
  const base = compute(false);
  return mergeWrite(asSetting(base), asSetting(all), true);
}

/** The role an `ssl` context plays: its constructor's, else how the code uses it. */
function sslRole(ctx: SslContextObject): TlsRole {
  if (ctx.ctorRole !== 'either') return ctx.ctorRole;
  if (ctx.usedAs.size === 1) return [...ctx.usedAs][0]!;
  if (ctx.usedAs.size === 0 && ctx.loadsOwnCertificate) return 'server';
  return 'either';
}

export function sslContextToModel(ctx: SslContextObject, id: string, targets: Targets): TlsContext {
  const role = sslRole(ctx);
  const python = targets.version('python');
  const name = ctx.boundName ? `"${ctx.boundName}" (${ctx.api}())` : `${ctx.api}()`;
  const label = ctx.processWide
    ? `the process-wide default HTTPS context (${ctx.api}())`
    : `the ${role === 'server' ? 'server ' : role === 'client' ? 'client ' : ''}context ${name}`;
  const context = newContext({
    id,
    language: 'python',
    role,
    at: ctx.at,
    enabledAt: ctx.calleeAt,
    label,
    api: ctx.api,
    recognition: 'known-api',
    tlsLibrary: 'system-openssl',
    ...(ctx.processWide && { scope: 'process' as const }),
  });
  context.material = ctx.material.map((m) => ({
    ...m,
    purpose:
      role === 'client'
        ? m.purpose === 'server-key'
          ? 'client-key'
          : m.purpose === 'server-certificate'
            ? 'client-certificate'
            : m.purpose
        : m.purpose,
  }));
  context.features = ctx.features;
  if (Object.keys(ctx.notes).length > 0) context.notes = { ...ctx.notes };

  const protocols =
    ctx.flavour === 'ssl' ? sslProtocols(ctx, targets) : pyOpenSslProtocols(ctx, targets);
  if (protocols) context.protocols = protocols;
  context.ciphers =
    ctx.ciphers ??
    byDefault(
      { syntax: 'openssl', text: ctx.flavour === 'ssl' ? pythonDefaultCiphers(python) : 'DEFAULT' },
      ctx.flavour === 'ssl'
        ? `Python ${python}'s default cipher string`
        : `OpenSSL's default cipher list (pyOpenSSL sets none)`,
      ctx.flavour === 'ssl' ? 'set_ciphers' : 'set_cipher_list',
    );

  const verifyKnownWritten = ctx.verifyMode.origin !== 'default';
  if (role !== 'server') {
    // An 'either' context whose verify_mode was never written: as a server its CERT_NONE is
    // normal, so the default says nothing until the code shows a client use.
    if (
      role === 'either' &&
      !verifyKnownWritten &&
      ctx.verifyMode.origin === 'default' &&
      ctx.verifyMode.value === 'CERT_NONE'
    ) {
      context.peerVerification = unknown(
        'the context is not visibly used as a client; as a server its default CERT_NONE only means no client certificate is asked for',
        undefined,
        'verify_mode',
      );
    } else {
      context.peerVerification = mapSetting(ctx.verifyMode, (m) => m !== 'CERT_NONE');
      // With the chain unverified, the host-name check is moot (and Python refuses CERT_NONE
      // while check_hostname is on): report the written check_hostname only.
      if (
        ctx.flavour === 'ssl' &&
        (ctx.checkHostname.origin !== 'default' ||
          ctx.checkHostname.value ||
          knownAlternatives(context.peerVerification).every((a) => a.value))
      ) {
        context.hostnameVerification = ctx.checkHostname;
      }
    }
    if (ctx.caLoaded) context.trustedCa = ctx.caLoaded;
  }
  if (role === 'server') {
    context.clientAuth = mapSetting(
      ctx.verifyMode,
      (m): ClientAuthMode =>
        m === 'CERT_REQUIRED' ? 'required' : m === 'CERT_OPTIONAL' ? 'optional' : 'none',
    );
    // OpenSSL checks a presented client certificate against the loaded CAs, also with CERT_OPTIONAL.
    context.clientVerify = mapSetting(ctx.verifyMode, () => 'ca' as const);
    context.clientCa =
      ctx.caLoaded ??
      byDefault(false, 'no load_verify_locations() on this context', 'load_verify_locations');
  }
  return context;
}

function pyOpenSslProtocols(
  ctx: SslContextObject,
  targets: Targets,
): Setting<ProtocolVersion[]> | undefined {
  if (ctx.protocolArg?.unknownReason)
    return unknown(ctx.protocolArg.unknownReason, ctx.protocolArg.at, 'method');
  const floor = lowestAvailable(targets.version('openssl'));
  const maxDefault: ProtocolVersion =
    compareVersions(targets.version('openssl'), '1.1.1') >= 0 ? 'TLSv1.3' : 'TLSv1.2';
  if (ctx.protocolArg?.pinned)
    return explicit([ctx.protocolArg.pinned], ctx.protocolArg.at, 'method', ctx.protocolArg.raw);
  let min: ProtocolVersion = floor;
  let max: ProtocolVersion = maxDefault;
  let last: { at: SourceRange; key: string; raw?: string } | undefined;
  for (const [s, key] of [
    [ctx.minimum, 'set_min_proto_version'],
    [ctx.maximum, 'set_max_proto_version'],
  ] as const) {
    if (s?.origin === 'explicit') {
      const v = boundValue(s.value, floor);
      if (key === 'set_min_proto_version') min = v;
      else max = v;
      last = { at: s.at, key, ...(s.raw !== undefined && { raw: s.raw }) };
    } else if (s?.origin === 'unknown') return s;
  }
  const disabled = new Set<ProtocolVersion>(['SSLv2']);
  for (const w of ctx.options) {
    if (w.unknownFlags)
      return unknown(`the flags in "${w.raw}" are not known statically`, w.at, 'set_options');
    for (const v of w.versions) disabled.add(v);
    if (w.versions.length > 0) last ??= { at: w.at, key: 'set_options', raw: w.raw };
  }
  const set = PROTOCOL_VERSIONS.filter(
    (v) =>
      protocolRank(v) >= protocolRank(min) &&
      protocolRank(v) <= protocolRank(max) &&
      !disabled.has(v),
  );
  if (last) return explicit(set, last.at, last.key, last.raw);
  const where = ctx.protocolArg
    ? explicit(set, ctx.protocolArg.at, 'method', ctx.protocolArg.raw)
    : undefined;
  return (
    where ??
    byDefault(
      set,
      `OpenSSL ${targets.version('openssl')}'s version range (pyOpenSSL sets no minimum)`,
    )
  );
}

// --- library objects → model -----------------------------------------------------------------

export function hasLibrarySettings(o: LibraryObject): boolean {
  return !!(
    o.peerVerification ||
    o.hostnameVerification ||
    o.protocols ||
    o.ciphers ||
    o.clientAuth ||
    o.clientCa ||
    o.features.length > 0
  );
}

export function libraryToModel(o: LibraryObject, id: string): TlsContext {
  const context = newContext({
    id,
    language: 'python',
    role: o.role,
    at: o.at,
    enabledAt: o.calleeAt,
    label: o.label,
    api: o.api,
    recognition: o.recognition,
    library: o.library,
    tlsLibrary: 'system-openssl',
    ...(o.scope && { scope: o.scope }),
  });
  for (const key of [
    'peerVerification',
    'hostnameVerification',
    'protocols',
    'ciphers',
    'trustedCa',
    'clientAuth',
    'clientVerify',
    'clientCa',
  ] as const) {
    if (o[key]) (context as unknown as Record<string, unknown>)[key] = o[key];
  }
  context.material = o.material;
  context.features = o.features;
  if (o.notes) context.notes = o.notes;
  return context;
}
