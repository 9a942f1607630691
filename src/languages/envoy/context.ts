/**
 * One `TlsContext` per Envoy TLS context (DownstreamTlsContext of a filter chain: role server;
 * UpstreamTlsContext of a cluster or transport socket match: role client), with each setting's
 * origin: written, Envoy's default for the target version, or unknown (templates, dynamic SDS).
 *
 * Notes keys this reader sets:
 * - `notes.peerVerification`, `notes.clientVerify`: what Envoy does instead (a SAN matcher without
 *   a CA, a validation context from a static secret).
 */
import type { Node } from 'yaml';
import {
  envoyDefaultCipherSuites,
  envoyDefaultMaxVersion,
  envoyDefaultMinVersion,
  ENVOY_DEFAULT_CURVES,
  type EnvoySide,
} from '../../crypto/platforms/envoy-defaults.js';
import { joinAnd } from '../../engine/rule-helpers.js';
import {
  newContext,
  type CipherSpec,
  type ClientAuthMode,
  type ClientVerifyMode,
  type ProtocolFailure,
  type TlsContext,
} from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import {
  platformProtocolName,
  protocolFromPlatformName,
  protocolRange,
  protocolRank,
  type ProtocolVersion,
} from '../../model/protocol.js';
import { byDefault, explicit, unknown, type Setting } from '../../model/setting.js';
import type { YDoc } from './source.js';
import { certificateRefs, materialRef, resolveValidation, type Validation } from './validation.js';
import type { Found, StaticSecret } from './walk.js';

export interface BuildEnv {
  version: string;
  /** `target envoy 1.21` or `Envoy 1.33 assumed; set --target envoy=<version>`. */
  versionNote: string;
  secrets: ReadonlyMap<string, StaticSecret>;
  nextId: () => string;
  resolvePath: (written: string) => string | undefined;
  /** When absent keys may come from a template line: the reason, for unknown settings. */
  templateGap: (range: SourceRange) => string | undefined;
  notice: (message: string) => void;
}

const ENUM_NUMBERS: Record<string, string> = {
  '0': 'TLS_AUTO',
  '1': 'TLSv1_0',
  '2': 'TLSv1_1',
  '3': 'TLSv1_2',
  '4': 'TLSv1_3',
};

export function buildContext(f: Found, env: BuildEnv): TlsContext {
  const { doc } = f;
  const role = f.side === 'downstream' ? 'server' : 'client';
  const side: EnvoySide = f.side;
  const label = sharedLabel(f.users.map((u) => u.label));
  const ctx = newContext({
    id: env.nextId(),
    language: 'envoy',
    role,
    at: f.at,
    enabledAt: f.enabledAt,
    label,
    api: side === 'downstream' ? 'envoy DownstreamTlsContext' : 'envoy UpstreamTlsContext',
    recognition: 'known-api',
    tlsLibrary: 'boringssl',
  });
  const notes: Record<string, string> = {};
  const gap = env.templateGap(f.at);
  /** A default, unless a template line could have set the key. */
  const orDefault = <T>(value: T, reason: string, key: string): Setting<T> =>
    gap ? unknown(gap, undefined, key) : byDefault(value, reason, key);

  const tls = f.tls;
  const common = doc.get(tls, 'common_tls_context')?.value;
  const params = doc.get(common, 'tls_params')?.value;
  const sideName =
    side === 'downstream' ? 'listeners (DownstreamTlsContext)' : 'clusters (UpstreamTlsContext)';

  // --- protocol versions ------------------------------------------------------------------------
  ctx.protocols = protocols(doc, params, side, env, sideName, orDefault);
  const failure = emptyRange(doc, params, side, env);
  if (failure) ctx.protocolFailures = [failure];

  // --- cipher suites and curves ---------------------------------------------------------------
  const suites = doc.get(params, 'cipher_suites');
  if (suites) {
    const items = (
      doc.items(suites.value).length ? doc.items(suites.value) : suites.value ? [suites.value] : []
    ).map((n) => ({ text: doc.text(n) ?? '', at: doc.range(n), templated: doc.templated(n) }));
    if (items.some((i) => i.templated))
      ctx.ciphers = unknown(
        '"cipher_suites" is filled in by a template',
        doc.keyRange(suites.keyNode),
        'cipher_suites',
      );
    else if (items.length) {
      const spec: CipherSpec = {
        syntax: 'boringssl',
        text: items.map((i) => i.text).join(':'),
        items: items.map(({ text, at }) => ({ text, at })),
      };
      ctx.ciphers = explicit(spec, doc.keyRange(suites.keyNode), 'cipher_suites', spec.text);
    }
  }
  if (!ctx.ciphers) {
    const def = envoyDefaultCipherSuites(side, env.version);
    const spec: CipherSpec = {
      syntax: 'boringssl',
      text: def.value.join(':'),
      items: def.value.map((text) => ({ text })),
    };
    ctx.ciphers = orDefault(
      spec,
      `Envoy's default "cipher_suites" for ${sideName} (${def.range}; ${env.versionNote})`,
      'cipher_suites',
    );
  }
  const curves = doc.get(params, 'ecdh_curves');
  const curveItems = doc.items(curves?.value);
  ctx.curves =
    curves && curveItems.length
      ? curveItems.some((n) => doc.templated(n))
        ? unknown(
            '"ecdh_curves" is filled in by a template',
            doc.keyRange(curves.keyNode),
            'ecdh_curves',
          )
        : explicit(
            curveItems.map((n) => doc.text(n) ?? ''),
            doc.keyRange(curves.keyNode),
            'ecdh_curves',
          )
      : orDefault(
          [...ENVOY_DEFAULT_CURVES],
          `Envoy's default "ecdh_curves" X25519, P-256`,
          'ecdh_curves',
        );
  if (side === 'downstream') {
    const prefer = doc.get(tls, 'prefer_client_ciphers');
    ctx.serverCipherPreference =
      prefer && doc.bool(prefer.value) === true
        ? explicit(false, doc.keyRange(prefer.keyNode), 'prefer_client_ciphers', 'true')
        : byDefault(
            true,
            `Envoy's default "prefer_client_ciphers: false" (the server's order)`,
            'prefer_client_ciphers',
          );
  }

  // --- verification -----------------------------------------------------------------------------
  const validation = resolveValidation(doc, common, env.secrets);
  for (const d of validation.facts.deprecated) ctx.features.push(d);
  if (side === 'upstream')
    upstreamVerification({ ctx, doc, tls, v: validation, env, notes, orDefault, label });
  else downstreamVerification({ ctx, doc, tls, v: validation, env, notes, orDefault, label });

  // --- material ---------------------------------------------------------------------------------
  const certs = certificateRefs(doc, common, env.secrets, role, env.resolvePath);
  ctx.material.push(...certs.refs);
  const ca = validation.facts.trustedCa;
  if (ca && !ca.runtime && validation.kind !== 'static-sds') {
    const ref = materialRef(
      ca,
      side === 'downstream' ? 'client-ca' : 'trusted-ca',
      env.resolvePath,
    );
    if (ref) ctx.material.push(ref);
  }

  // --- renegotiation (upstream only: Envoy never lets clients renegotiate) ----------------------
  if (side === 'upstream') {
    const reneg = doc.get(tls, 'allow_renegotiation');
    ctx.renegotiation =
      reneg && doc.bool(reneg.value) === true
        ? explicit('freely', doc.keyRange(reneg.keyNode), 'allow_renegotiation', 'true')
        : byDefault('never', `Envoy's default "allow_renegotiation: false"`, 'allow_renegotiation');
  }

  // --- v2 API ------------------------------------------------------------------------------------
  for (const v of f.v2) ctx.features.push(v);

  // --- probe target ---------------------------------------------------------------------------------
  const user = f.users[0]!;
  const sni =
    side === 'downstream'
      ? user.serverNames.find((n) => !n.includes('*'))
      : ctx.serverName && ctx.serverName.origin === 'explicit'
        ? ctx.serverName.value
        : undefined;
  if (user.host || user.port !== undefined || sni) {
    ctx.target = {
      ...(user.host && { host: user.host }),
      ...(user.port !== undefined && { port: user.port }),
      ...(sni && { sni }),
      ...(user.addressAt && { at: user.addressAt }),
    };
  }
  if (side === 'downstream' && sni)
    ctx.serverName = byDefault(sni, `filter_chain_match.server_names`, 'server_names');
  if (Object.keys(notes).length) ctx.notes = notes;
  return ctx;
}

/** `cluster "a"`; `clusters "a", "b" and "c" (one shared TLS context)` for an aliased context. */
function sharedLabel(labels: string[]): string {
  if (labels.length === 1) return labels[0]!;
  const simple = labels.map((l) => /^(cluster|listener) ("[^"]*")$/.exec(l));
  const kinds = new Set(simple.map((m) => m?.[1]));
  const list =
    simple.every((m) => m) && kinds.size === 1
      ? `${[...kinds][0]!}s ${joinAnd(simple.map((m) => m![2]!))}`
      : joinAnd(labels);
  return `${list} (one shared TLS context)`;
}

type OrDefault = <T>(value: T, reason: string, key: string) => Setting<T>;

function protocols(
  doc: YDoc,
  params: Node | undefined,
  side: EnvoySide,
  env: BuildEnv,
  sideName: string,
  orDefault: OrDefault,
): Setting<ProtocolVersion[]> {
  const read = (
    key: string,
  ): { v?: ProtocolVersion; at?: SourceRange; raw?: string; unknown?: boolean } => {
    const e = doc.get(params, key);
    if (!e) return {};
    if (doc.templated(e.value)) return { unknown: true, at: doc.keyRange(e.keyNode) };
    const raw = doc.text(e.value);
    const name = raw !== undefined ? (ENUM_NUMBERS[raw] ?? raw) : undefined;
    if (name === undefined || name === 'TLS_AUTO') return {};
    const v = protocolFromPlatformName('envoy', name);
    return v
      ? { v, at: doc.keyRange(e.keyNode), raw: name }
      : { unknown: true, at: doc.keyRange(e.keyNode) };
  };
  const min = read('tls_minimum_protocol_version');
  const max = read('tls_maximum_protocol_version');
  if (min.unknown || max.unknown)
    return unknown(
      'a TLS protocol version is a template placeholder or not a TlsProtocol name',
      min.at ?? max.at,
      'tls_minimum_protocol_version',
    );
  const defMin = envoyDefaultMinVersion(side, env.version);
  const defMax = envoyDefaultMaxVersion(side, env.version);
  const lo = min.v ?? defMin.value;
  const hi = max.v ?? defMax.value;
  const set = protocolRange(lo, hi);
  const name = (v: ProtocolVersion) => platformProtocolName('envoy', v);
  if (!min.v && !max.v) {
    return orDefault(
      set,
      `Envoy's default "tls_minimum_protocol_version" ${name(defMin.value)} for ${sideName} (${defMin.range}; ${env.versionNote}; ${params ? 'tls_params sets no minimum' : 'no tls_params set'})`,
      'tls_minimum_protocol_version',
    );
  }
  if (min.v) return explicit(set, min.at!, 'tls_minimum_protocol_version', min.raw);
  // Only the maximum is written: the floor is Envoy's default.
  return byDefault(
    set,
    `Envoy's default "tls_minimum_protocol_version" ${name(defMin.value)} for ${sideName} (${defMin.range}; ${env.versionNote}; only "tls_maximum_protocol_version" ${max.raw ?? '?'} is set)`,
    'tls_minimum_protocol_version',
  );
}

/**
 * A minimum above the maximum (written, or Envoy's default maximum: TLSv1_2 for clusters) leaves
 * BoringSSL nothing to negotiate: Envoy loads the config and every handshake fails
 * (context_config_impl.cc hands both to SSL_CTX_set_min/max_proto_version without comparing them).
 */
function emptyRange(
  doc: YDoc,
  params: Node | undefined,
  side: EnvoySide,
  env: BuildEnv,
): ProtocolFailure | undefined {
  const name = (key: string) => {
    const e = doc.get(params, key);
    if (!e || doc.templated(e.value)) return undefined;
    const raw = doc.text(e.value);
    const text = raw !== undefined ? (ENUM_NUMBERS[raw] ?? raw) : undefined;
    const v = text ? protocolFromPlatformName('envoy', text) : undefined;
    return v ? { v, text: text!, at: doc.keyRange(e.keyNode) } : undefined;
  };
  const min = name('tls_minimum_protocol_version');
  const max = name('tls_maximum_protocol_version');
  if (!min) return undefined;
  const maxV = max?.v ?? envoyDefaultMaxVersion(side, env.version).value;
  if (protocolRank(min.v) <= protocolRank(maxV)) return undefined;
  const maxText = max
    ? `"tls_maximum_protocol_version" ${max.text}`
    : `Envoy's default maximum ${platformProtocolName('envoy', maxV)} for ${side === 'upstream' ? 'clusters' : 'listeners'}`;
  return {
    kind: 'empty',
    when: 'handshake',
    failure: `the minimum is above the maximum (${maxText}): BoringSSL has no version left`,
    written: `"tls_minimum_protocol_version" ${min.text}`,
    key: 'tls_minimum_protocol_version',
    at: min.at,
  };
}

function where(v: Validation): string {
  if (v.kind === 'static-sds')
    return ` (from static secret "${v.secretName ?? '?'}"${v.secretAt ? ` at line ${v.secretAt.line}` : ''})`;
  return '';
}

/** What the upstream and downstream verification readers work from: one context and its side's block. */
interface VerificationInputs {
  ctx: TlsContext;
  doc: YDoc;
  tls: Node | undefined;
  v: Validation;
  env: BuildEnv;
  notes: Record<string, string>;
  orDefault: OrDefault;
  label: string;
}

function upstreamVerification({
  ctx,
  doc,
  tls,
  v,
  env,
  notes,
  orDefault,
  label,
}: VerificationInputs): void {
  const f = v.facts;
  const autoSan = doc.get(tls, 'auto_sni_san_validation');
  const autoSanOn = autoSan && doc.bool(autoSan.value) === true;
  const sni = doc.get(tls, 'sni');
  const autoHost = doc.get(tls, 'auto_host_sni');
  if (sni && doc.templated(sni.value))
    ctx.serverName = unknown('"sni" is filled in by a template', doc.keyRange(sni.keyNode), 'sni');
  else if (sni && doc.text(sni.value))
    ctx.serverName = explicit(doc.text(sni.value)!, doc.keyRange(sni.keyNode), 'sni');
  if (autoHost && doc.bool(autoHost.value) === true)
    ctx.serverName = unknown(
      '"auto_host_sni": the SNI is the host name of each endpoint',
      doc.keyRange(autoHost.keyNode),
      'auto_host_sni',
    );

  if (v.kind === 'dynamic-sds' || v.kind === 'missing-secret') {
    const why = unknownWhy(v);
    env.notice(`${label}: ${why}; server certificate verification was not judged`);
    ctx.peerVerification =
      f.trustedCa || f.pins.length
        ? explicit(true, (f.trustedCa ?? f.pins[0])!.at, (f.trustedCa ?? f.pins[0])!.key)
        : unknown(why, v.at, v.key);
    ctx.hostnameVerification =
      f.sanMatchers.length || f.pins.length || autoSanOn
        ? explicit(
            true,
            (f.sanMatchers[0] ?? f.pins[0] ?? { at: doc.keyRange(autoSan!.keyNode) }).at,
          )
        : unknown(why, v.at, v.key);
    if (f.trustedCa) ctx.trustedCa = explicit(true, f.trustedCa.at, 'trusted_ca');
    return;
  }
  if (f.unknownBecause) {
    ctx.peerVerification = unknown(f.unknownBecause, v.at, v.key);
    ctx.hostnameVerification = unknown(f.unknownBecause, v.at, v.key);
    return;
  }
  if (v.kind === 'none') {
    ctx.peerVerification = orDefault(
      false,
      `no validation_context: Envoy verifies an upstream's certificate only when "trusted_ca" is configured (its default for an UpstreamTlsContext)`,
      'validation_context',
    );
    return;
  }
  const src = where(v);
  if (f.trustedCa?.runtime) {
    ctx.peerVerification = unknown(
      `"trusted_ca" comes from ${f.trustedCa.runtime}`,
      f.trustedCa.at,
      'trusted_ca',
    );
  } else if (f.acceptUntrusted) {
    ctx.peerVerification = explicit(
      false,
      f.acceptUntrusted.at,
      'trust_chain_verification',
      'ACCEPT_UNTRUSTED',
    );
    notes.peerVerification = `Envoy completes the handshake whatever the verification says${src}`;
    return;
  } else if (f.trustedCa) {
    ctx.trustedCa = explicit(true, f.trustedCa.at, 'trusted_ca');
    ctx.peerVerification = explicit(true, f.trustedCa.at, 'trusted_ca');
  } else if (f.pins.length) {
    ctx.peerVerification = explicit(true, f.pins[0]!.at, f.pins[0]!.key);
  } else {
    const raw = f.sanMatchers.length
      ? `${f.sanMatchers[0]!.key} without trusted_ca`
      : 'no trusted_ca';
    ctx.peerVerification = explicit(false, v.at!, v.key, raw);
    notes.peerVerification = f.sanMatchers.length
      ? `a name matcher without a CA accepts any self-signed certificate that carries the name${src}`
      : `without "trusted_ca" Envoy does not check the chain${src}`;
    return;
  }
  // The chain is verified (or pinned): is the name checked?
  if (f.sanMatchers.length)
    ctx.hostnameVerification = explicit(true, f.sanMatchers[0]!.at, f.sanMatchers[0]!.key);
  else if (f.pins.length) ctx.hostnameVerification = explicit(true, f.pins[0]!.at, f.pins[0]!.key);
  else if (autoSanOn)
    ctx.hostnameVerification = explicit(
      true,
      doc.keyRange(autoSan.keyNode),
      'auto_sni_san_validation',
    );
  else if (f.trustedCa && !f.trustedCa.runtime) {
    ctx.hostnameVerification = explicit(
      false,
      v.at!,
      v.key,
      `trusted_ca${src} without match_typed_subject_alt_names or auto_sni_san_validation`,
    );
  }
}

function downstreamVerification({
  ctx,
  doc,
  tls,
  v,
  env,
  notes,
  orDefault,
  label,
}: VerificationInputs): void {
  const f = v.facts;
  const require = doc.get(tls, 'require_client_certificate');
  const requireValue = require
    ? doc.templated(require.value)
      ? undefined
      : doc.bool(require.value)
    : undefined;
  const requireUnknown = !!require && requireValue === undefined;
  const requireAt = require ? doc.keyRange(require.keyNode) : undefined;
  const src = where(v);

  if (v.kind === 'dynamic-sds' || v.kind === 'missing-secret' || f.unknownBecause) {
    const why = f.unknownBecause ?? unknownWhy(v);
    if (!f.unknownBecause)
      env.notice(`${label}: ${why}; client certificate verification was not judged`);
    ctx.clientCa = f.trustedCa
      ? explicit(true, f.trustedCa.at, 'trusted_ca')
      : unknown(why, v.at, v.key);
    ctx.clientAuth =
      requireValue === true
        ? explicit<ClientAuthMode>('required', requireAt!, 'require_client_certificate', 'true')
        : requireValue === false
          ? explicit<ClientAuthMode>('optional', requireAt!, 'require_client_certificate', 'false')
          : unknown(why, v.at, v.key);
    ctx.clientVerify = unknown(why, v.at, v.key);
    return;
  }

  // Is a certificate requested, and is it mandatory? (default_validator.cc verify modes)
  const hasCa = !!f.trustedCa;
  const matchers = [...f.sanMatchers, ...f.pins];
  const requested = hasCa || matchers.length > 0 || !!f.acceptUntrusted || requireValue === true;
  if (requireUnknown)
    ctx.clientAuth = unknown(
      '"require_client_certificate" is filled in by a template',
      requireAt,
      'require_client_certificate',
    );
  else if (requireValue === true)
    ctx.clientAuth = explicit<ClientAuthMode>(
      'required',
      requireAt!,
      'require_client_certificate',
      'true',
    );
  else if (matchers.length && !f.acceptUntrusted)
    ctx.clientAuth = explicit<ClientAuthMode>('required', matchers[0]!.at, matchers[0]!.key);
  else if (requireValue === false && requested)
    ctx.clientAuth = explicit<ClientAuthMode>(
      'optional',
      requireAt!,
      'require_client_certificate',
      'false',
    );
  else if (requested) {
    ctx.clientAuth = orDefault<ClientAuthMode>(
      'optional',
      `Envoy's default "require_client_certificate: false" when a validation context is set (Envoy warns: "Using deprecated insecure default of not requiring client cert when a validation context is configured")`,
      'require_client_certificate',
    );
  } else {
    ctx.clientAuth =
      v.kind === 'none'
        ? orDefault<ClientAuthMode>(
            'none',
            'no validation_context: Envoy does not ask for client certificates',
            'validation_context',
          )
        : orDefault<ClientAuthMode>(
            'none',
            'the validation_context sets neither trusted_ca nor a matcher: Envoy does not ask for client certificates',
            v.key ?? 'validation_context',
          );
  }

  if (f.trustedCa?.runtime)
    ctx.clientCa = unknown(
      `"trusted_ca" comes from ${f.trustedCa.runtime}`,
      f.trustedCa.at,
      'trusted_ca',
    );
  else if (hasCa) ctx.clientCa = explicit(true, f.trustedCa!.at, 'trusted_ca');
  else if (f.pins.length) ctx.clientCa = explicit(true, f.pins[0]!.at, f.pins[0]!.key);
  else if (v.kind !== 'none') ctx.clientCa = explicit(false, v.at!, v.key, 'no trusted_ca');
  else ctx.clientCa = orDefault(false, 'no validation_context', 'validation_context');

  if (!requested) return;
  let verify: Setting<ClientVerifyMode>;
  if (f.acceptUntrusted) {
    verify = explicit<ClientVerifyMode>(
      'any',
      f.acceptUntrusted.at,
      'trust_chain_verification',
      'ACCEPT_UNTRUSTED',
    );
    notes.clientVerify = `Envoy lets a certificate that fails verification through${src}`;
  } else if (hasCa || f.pins.length) {
    verify = explicit<ClientVerifyMode>(
      'ca',
      (f.trustedCa ?? f.pins[0])!.at,
      (f.trustedCa ?? f.pins[0])!.key,
    );
  } else if (f.sanMatchers.length) {
    verify = explicit<ClientVerifyMode>(
      'any',
      f.sanMatchers[0]!.at,
      'validation_context',
      `${f.sanMatchers[0]!.key} without trusted_ca`,
    );
  } else {
    // require_client_certificate: true with nothing to verify against
    verify = explicit<ClientVerifyMode>('ca', requireAt ?? ctx.at, 'require_client_certificate');
    notes.clientVerify = 'Envoy has no validation_context to check them against';
  }
  ctx.clientVerify = verify;
}

function unknownWhy(v: Validation): string {
  if (v.kind === 'missing-secret') {
    return `its validation context names the static secret "${v.secretName ?? '?'}", which is not defined in static_resources.secrets of this file (Envoy refuses it with "Unknown static certificate validation context" unless another file of the bootstrap defines it)`;
  }
  return `its validation context comes from the SDS secret "${v.secretName ?? '?'}" served by a control plane ("sds_config"); its content is not visible in the file, so it is unknown, not insecure`;
}
