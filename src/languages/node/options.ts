/**
 * Translates a Node TLS options object (as a static value) into `TlsContext` settings, with
 * Node's semantics and defaults. It records facts only; whether they are weak is the rules' call.
 */
import type { SourceRange } from '../../model/location.js';
import { nodeDefaultCipherList } from '../../crypto/platforms/node-defaults.js';
import type {
  CipherSpec,
  ClientAuthMode,
  ClientVerifyMode,
  FeatureUse,
  MaterialRef,
  ProtocolFailure,
  TlsContext,
  TlsRole,
} from '../../model/context.js';
import {
  PROTOCOL_DISPLAY,
  protocolRank,
  protocolRange,
  type ProtocolVersion,
} from '../../model/protocol.js';
import {
  byDefault,
  explicit,
  knownValues,
  unknown,
  type ConditionalSetting,
  type Setting,
} from '../../model/setting.js';
import { bodyOf, definedAtOf, fieldsOf, isNode, rangeOf, unwrap, type EsNode } from './ast.js';
import {
  nodeProtocolDefaults,
  nodeVersionFromName,
  secureProtocolMeaning,
  versionsDisabledBy,
  type NodeProtocolDefaults,
} from './protocols.js';
import { alternatives, refName, type Evaluator, type Value } from './values.js';

export interface OptionsInput {
  ev: Evaluator;
  /** The options object; undefined when the call passes none. */
  options: Value | undefined;
  role: TlsRole;
  /**
   * Known Node APIs get Node's defaults for what is not written. Objects handed to libraries or
   * unknown callees get only what is written: the library may use its own defaults.
   */
  withDefaults: boolean;
  nodeVersion: string;
  /**
   * The options build a `tls.Server` (`tls/https.createServer`, `http2.createSecureServer`): it
   * defaults `honorCipherOrder` to true and ignores a `secureContext` option, unlike
   * `tls.createSecureContext()` and `new tls.TLSSocket()` (verified on Node 20.20).
   */
  tlsServer?: boolean;
  /**
   * `new tls.TLSSocket()`: Node checks nothing for it (verified on Node 20.20). Only `tls.connect()`
   * rejects a server certificate that fails verification or names another host, and only
   * `tls.Server` rejects a failing client certificate; a bare TLSSocket defaults
   * `rejectUnauthorized` to false and leaves `socket.authorized` to the caller.
   */
  rawTlsSocket?: boolean;
  /** Option names that are TLS switches for the library receiving the options (`LIBRARY_OPTION_KEYS`). */
  libraryKeys?: readonly string[];
}

const RAW_SOCKET_CLIENT =
  'new tls.TLSSocket() does not reject an unverified server certificate itself (only tls.connect() does): the caller must check it';

export interface Translated {
  fields: Partial<TlsContext>;
  /** Property nodes that fed a setting (so the same object is not reported again heuristically). */
  usedProps: EsNode[];
}

/** One option as found in the object. */
interface Read {
  key: string;
  state: 'absent' | 'unknown' | 'present';
  reason?: string;
  propNode?: EsNode;
  valueNode?: EsNode;
  value?: Value;
}

type Alt =
  | { kind: 'absent' }
  | { kind: 'unknown'; reason: string; present: boolean }
  | { kind: 'value'; value: Value };

type Outcome<T> =
  | { value: T; by?: string; reason?: string }
  | { unknown: string; by?: string }
  | undefined;

type Branch<T> = ConditionalSetting<T>['branches'][number];

/** More alternatives than this (several conditionals multiplied) are not enumerated. */
const MAX_COMBINATIONS = 64;

/** A value imported from another module: the setting written here names where it was defined. */
function withDefinedAt(at: SourceRange, alt: Alt | undefined): SourceRange {
  const definedAt = alt?.kind === 'value' ? definedAtOf(alt.value.node) : undefined;
  return definedAt && !at.definedAt ? { ...at, definedAt } : at;
}

export function translateOptions(input: OptionsInput): Translated {
  const r = makeReading(input);
  const { role } = input;
  const fields: Partial<TlsContext> = {};
  translateProtocols(r, fields);
  translateCipherSettings(r, fields);
  const rejectUnauthorized = r.read('rejectUnauthorized');
  const ca = r.read('ca');
  if (role === 'client' || role === 'either')
    translateServerVerification(r, fields, rejectUnauthorized, ca);
  if (role === 'server') translateClientCertificates(r, fields, rejectUnauthorized, ca);
  translateMaterialAndFeatures(r, fields, ca);
  return { fields, usedProps: r.usedProps };
}

/** The lookups the section translators share for one options object. */
interface Reading {
  input: OptionsInput;
  ev: Evaluator;
  file: string;
  /** The target Node version and its protocol defaults. */
  v: string;
  defaults: NodeProtocolDefaults;
  usedProps: EsNode[];
  read: (key: string) => Read;
  combine: <T>(
    reads: Read[],
    compute: (alts: Record<string, Alt>) => Outcome<T>,
    settingKey: string,
    useDefaults?: boolean,
  ) => Setting<T> | undefined;
}

function makeReading(input: OptionsInput): Reading {
  const { ev, options, withDefaults, nodeVersion } = input;
  const file = ev.file;
  const usedProps: EsNode[] = [];

  const read = (key: string): Read => {
    if (!options) return { key, state: 'absent' };
    const found = ev.property(options, key);
    if (found.state === 'absent') return { key, state: 'absent' };
    if (found.state === 'unknown') return { key, state: 'unknown', reason: found.reason };
    usedProps.push(found.propNode);
    return {
      key,
      state: 'present',
      propNode: found.propNode,
      valueNode: found.valueNode,
      value: found.value,
    };
  };

  const altsOf = (r: Read): Alt[] => {
    if (r.state === 'absent') return [{ kind: 'absent' }];
    if (r.state === 'unknown')
      return [{ kind: 'unknown', reason: r.reason ?? 'a run-time value', present: false }];
    return alternatives(r.value!).map((v): Alt => {
      if (v.kind === 'unknown') return { kind: 'unknown', reason: v.reason, present: true };
      if (v.kind === 'primitive' && v.value === undefined) return { kind: 'absent' };
      return { kind: 'value', value: v };
    });
  };

  const raw = (r: Read, alt: Alt | undefined): string | undefined => {
    if (
      alt?.kind === 'value' &&
      alt.value.kind === 'primitive' &&
      typeof alt.value.value === 'string'
    )
      return alt.value.value;
    return shortText(
      (alt?.kind === 'value' ? ev.text(alt.value.node) : undefined) ?? ev.text(r.valueNode),
    );
  };

  /** Builds one setting from several options, enumerating their alternatives. */
  function combine<T>(
    reads: Read[],
    compute: (alts: Record<string, Alt>) => Outcome<T>,
    settingKey: string,
    useDefaults = withDefaults,
  ): Setting<T> | undefined {
    if (reads.every((r) => r.state === 'absent') && !useDefaults) return undefined;
    const lists = reads.map(altsOf);
    let combos: Array<Record<string, Alt>> = [{}];
    for (let i = 0; i < reads.length; i++) {
      const next: Array<Record<string, Alt>> = [];
      for (const c of combos) for (const a of lists[i]!) next.push({ ...c, [reads[i]!.key]: a });
      combos = next;
      if (combos.length > MAX_COMBINATIONS)
        return unknown('too many run-time alternatives to enumerate', undefined, settingKey);
    }
    const byKey = new Map(reads.map((r) => [r.key, r]));
    const branches: Array<Branch<T>> = [];
    const seen = new Set<string>();
    for (const combo of combos) {
      const out = compute(combo);
      if (!out) continue;
      let b: Branch<T>;
      const r = out.by ? byKey.get(out.by) : undefined;
      const at = r?.propNode ? withDefinedAt(rangeOf(r.propNode, file), combo[r.key]) : undefined;
      if ('unknown' in out) b = unknown(out.unknown, at, out.by);
      else if (r && at) b = explicit(out.value, at, r.key, raw(r, combo[r.key]));
      else if (useDefaults) b = byDefault(out.value, out.reason ?? 'Node default', settingKey);
      else b = unknown('not set here; the library decides', undefined, settingKey);
      const id = JSON.stringify(b);
      if (seen.has(id)) continue;
      seen.add(id);
      branches.push(b);
    }
    if (branches.length === 0) return undefined;
    if (branches.length === 1) return branches[0]!;
    const condIndex = lists.findIndex((l) => l.length > 1);
    const cond = reads[condIndex] ?? reads[0]!;
    const at = cond.propNode
      ? rangeOf(cond.propNode, file)
      : branches.map((x) => ('at' in x ? x.at : undefined)).find(Boolean)!;
    const rawText = shortText(ev.text(cond.valueNode));
    return {
      origin: 'conditional',
      branches,
      at,
      key: cond.key,
      ...(rawText !== undefined && { raw: rawText }),
    };
  }

  return {
    input,
    ev,
    file,
    v: nodeVersion,
    defaults: nodeProtocolDefaults(nodeVersion),
    usedProps,
    read,
    combine,
  };
}

/** Protocol versions: `secureProtocol`, `minVersion`/`maxVersion`, `secureOptions`, and what Node refuses. */
function translateProtocols(r: Reading, fields: Partial<TlsContext>): void {
  const { ev, file, v, defaults, read, combine } = r;
  // --- protocol versions -----------------------------------------------------------------
  const secureProtocol = read('secureProtocol');
  const minVersion = read('minVersion');
  const maxVersion = read('maxVersion');
  const secureOptions = read('secureOptions');
  const protocolReads = [secureProtocol, minVersion, maxVersion, secureOptions];
  // What Node does with settings it refuses or that leave nothing: facts for invalid-protocol-range.
  const failures = new Map<string, ProtocolFailure>();
  let combosSeen = 0;
  let combosFailed = 0;
  const fail = (
    r: Read,
    f: Omit<ProtocolFailure, 'at' | 'key'>,
  ): { unknown: string; by: string } => {
    combosFailed++;
    const at = rangeOf(r.propNode ?? r.valueNode!, file);
    const id = `${r.key}|${f.written}`;
    if (!failures.has(id)) failures.set(id, { ...f, key: r.key, at });
    return { unknown: f.failure, by: r.key };
  };
  const protocols = combine<ProtocolVersion[]>(
    protocolReads,
    (a) => {
      combosSeen++;
      for (const k of ['secureProtocol', 'minVersion', 'maxVersion', 'secureOptions']) {
        const alt = a[k]!;
        if (alt.kind === 'unknown') return { unknown: alt.reason, by: k };
      }
      let base: ProtocolVersion[];
      let lowestBy: string | undefined;
      const sp = a.secureProtocol!;
      if (sp.kind === 'value') {
        const method = stringOf(sp.value);
        if (method === undefined)
          return { unknown: 'secureProtocol is not a string', by: 'secureProtocol' };
        if (a.minVersion!.kind !== 'absent' || a.maxVersion!.kind !== 'absent') {
          const other = a.minVersion!.kind !== 'absent' ? 'minVersion' : 'maxVersion';
          return fail(secureProtocol, {
            kind: 'refused',
            when: 'start-up',
            written: `secureProtocol "${method}" together with ${other}`,
            failure: `Node throws ERR_TLS_PROTOCOL_VERSION_CONFLICT (a secureProtocol method cannot be combined with minVersion/maxVersion)`,
          });
        }
        const meaning = secureProtocolMeaning(method, v);
        if (meaning.kind === 'rejected')
          return fail(secureProtocol, {
            kind: 'refused',
            when: 'start-up',
            written: `secureProtocol "${method}"`,
            failure: meaning.reason,
          });
        base = meaning.versions;
        lowestBy = 'secureProtocol';
      } else {
        const bound = (
          k: 'minVersion' | 'maxVersion',
          dflt: ProtocolVersion,
        ): ProtocolVersion | { unknown: string; by: string } => {
          const alt = a[k]!;
          if (alt.kind !== 'value') return dflt;
          // A package's export or a global is decided at run time: unknown, not refused.
          if (alt.value.kind === 'ref')
            return {
              unknown: `${k} comes from ${refName(alt.value) ?? 'another module'} at run time`,
              by: k,
            };
          const name = stringOf(alt.value);
          const version = name === undefined ? undefined : nodeVersionFromName(name);
          if (version) return version;
          const shown =
            name === undefined ? (ev.text(alt.value.node) ?? 'this value') : `"${name}"`;
          const which = k === 'minVersion' ? 'minimum' : 'maximum';
          return fail(k === 'minVersion' ? minVersion : maxVersion, {
            kind: 'refused',
            when: 'start-up',
            written: `${k} ${shown}`,
            failure: `Node throws ERR_TLS_INVALID_PROTOCOL_VERSION (${shown} is not a valid ${which} TLS protocol version; Node takes "TLSv1", "TLSv1.1", "TLSv1.2" or "TLSv1.3")`,
          });
        };
        const min = bound('minVersion', defaults.min);
        if (typeof min !== 'string') return min;
        const max = bound('maxVersion', defaults.max);
        if (typeof max !== 'string') return max;
        base = protocolRank(min) <= protocolRank(max) ? protocolRange(min, max) : [];
        if (a.minVersion!.kind === 'value') lowestBy = 'minVersion';
        // A maximum below the default minimum leaves nothing enabled: that maximum decides.
        else if (base.length === 0 && a.maxVersion!.kind === 'value') lowestBy = 'maxVersion';
        if (base.length === 0) {
          const minText =
            a.minVersion!.kind === 'value'
              ? `minVersion "${stringOf(a.minVersion!.value) ?? '?'}"`
              : `Node ${v}'s default minVersion "${defaults.minName}"`;
          const maxName = stringOf((a.maxVersion as { value: Value }).value);
          fail(
            a.minVersion!.kind === 'value' && a.maxVersion!.kind !== 'value'
              ? minVersion
              : maxVersion,
            {
              kind: 'empty',
              when: 'handshake',
              written:
                a.maxVersion!.kind === 'value'
                  ? `maxVersion "${maxName ?? '?'}" is below ${minText}`
                  : `${minText} is above Node ${v}'s highest version`,
              failure:
                'no version is left between them and OpenSSL ends each handshake with ERR_SSL_NO_PROTOCOLS_AVAILABLE',
            },
          );
        }
      }
      let final = base;
      const so = a.secureOptions!;
      if (so.kind === 'value') {
        const flags =
          so.value.kind === 'primitive' && typeof so.value.value === 'number'
            ? so.value.value
            : undefined;
        if (flags === undefined)
          return { unknown: 'secureOptions is not a number known here', by: 'secureOptions' };
        const off = new Set(versionsDisabledBy(flags));
        final = base.filter((x) => !off.has(x));
        if (final[0] !== base[0]) lowestBy = 'secureOptions';
        if (base.length > 0 && final.length === 0) {
          fail(secureOptions, {
            kind: 'empty',
            when: 'handshake',
            written: `secureOptions turns off every version the other settings allow (${base.map((x) => PROTOCOL_DISPLAY[x]).join(', ')})`,
            failure: 'OpenSSL ends each handshake with ERR_SSL_NO_PROTOCOLS_AVAILABLE',
          });
        }
      }
      return {
        value: final,
        ...(lowestBy && { by: lowestBy }),
        reason: `Node ${v} default minVersion "${defaults.minName}"`,
      };
    },
    'minVersion',
  );
  if (failures.size > 0) {
    const someBranches = combosFailed < combosSeen && combosFailed > 0;
    fields.protocolFailures = [...failures.values()].map((f) =>
      someBranches ? { ...f, someBranches: true } : f,
    );
  }
  if (protocols) fields.protocols = protocols;
}

/** Ciphers, curves and (servers) the cipher preference. */
function translateCipherSettings(r: Reading, fields: Partial<TlsContext>): void {
  const { v, read, combine } = r;
  const { role, tlsServer = false } = r.input;
  // --- ciphers ---------------------------------------------------------------------------
  const ciphersRead = read('ciphers');
  const ciphers = combine<CipherSpec>(
    [ciphersRead],
    (a) => {
      const alt = a.ciphers!;
      if (alt.kind === 'unknown') return { unknown: alt.reason, by: 'ciphers' };
      if (alt.kind === 'absent')
        return {
          value: { syntax: 'node', text: nodeDefaultCipherList(v) },
          reason: `Node ${v} default ciphers (tls.DEFAULT_CIPHERS)`,
        };
      const text = stringOf(alt.value);
      return text === undefined
        ? { unknown: 'ciphers is not a string known here', by: 'ciphers' }
        : { value: { syntax: 'node', text }, by: 'ciphers' };
    },
    'ciphers',
  );
  if (ciphers) fields.ciphers = ciphers;

  const curves = combine<string[]>(
    [read('ecdhCurve')],
    (a) => {
      const alt = a.ecdhCurve!;
      if (alt.kind === 'unknown') return { unknown: alt.reason, by: 'ecdhCurve' };
      if (alt.kind === 'absent')
        return { value: ['auto'], reason: 'Node default ecdhCurve "auto"' };
      const text = stringOf(alt.value);
      return text === undefined
        ? { unknown: 'ecdhCurve is not a string known here', by: 'ecdhCurve' }
        : {
            value: text
              .split(':')
              .map((s) => s.trim())
              .filter(Boolean),
            by: 'ecdhCurve',
          };
    },
    'ecdhCurve',
  );
  if (curves) fields.curves = curves;

  if (role !== 'client') {
    const pref = combine<boolean>(
      [read('honorCipherOrder')],
      (a) =>
        tlsServer
          ? booleanOutcome(
              a.honorCipherOrder!,
              'honorCipherOrder',
              (x) => Boolean(x),
              true,
              'Node default for servers: honorCipherOrder true (tls.Server)',
            )
          : booleanOutcome(
              a.honorCipherOrder!,
              'honorCipherOrder',
              (x) => x === true || (x !== false && Boolean(x)),
              false,
              'Node default honorCipherOrder: false',
            ),
      'honorCipherOrder',
    );
    if (pref) fields.serverCipherPreference = pref;
  }
}

/** Client side: how the server's certificate and name are verified, the trusted CAs, SNI. */
function translateServerVerification(
  r: Reading,
  fields: Partial<TlsContext>,
  rejectUnauthorized: Read,
  ca: Read,
): void {
  const { ev, read, combine } = r;
  const { role, withDefaults, rawTlsSocket = false, libraryKeys = [] } = r.input;
  // --- client side: verifying the server --------------------------------------------------
  const clientDefaults = withDefaults && role === 'client';
  const verifyKeys = [
    rejectUnauthorized,
    read('strictSSL'),
    read('tlsAllowInvalidCertificates'),
    read('tlsInsecure'),
    read('sslValidate'),
    read('trustServerCertificate'),
  ];
  if (libraryKeys.includes('secure')) verifyKeys.push(read('secure'));
  const decisive = verifyKeys.find((r) => r.state !== 'absent') ?? rejectUnauthorized;
  // tedious reads `encrypt` beside `trustServerCertificate` (see `tediousOutcome`).
  const tedious = decisive.key === 'trustServerCertificate';
  const peer = combine<boolean>(
    tedious ? [decisive, read('encrypt')] : [decisive],
    (a) => {
      const alt = a[decisive.key]!;
      if (tedious) return tediousOutcome(alt, a.encrypt!);
      // Node verifies unless rejectUnauthorized is exactly `false`; MongoDB's names are inverted.
      const inverted =
        decisive.key === 'tlsAllowInvalidCertificates' || decisive.key === 'tlsInsecure';
      if (rawTlsSocket && !(alt.kind === 'value' && isFalse(alt.value)))
        return { unknown: RAW_SOCKET_CLIENT, ...(alt.kind !== 'absent' && { by: decisive.key }) };
      // http-proxy: `if (typeof options.secure !== 'undefined' && !options.secure) rejectUnauthorized = false`.
      if (decisive.key === 'secure')
        return booleanOutcome(
          alt,
          'secure',
          (x) => Boolean(x),
          true,
          'Node default rejectUnauthorized: true',
        );
      if (MONGODB_BOOLEAN_KEYS.has(decisive.key))
        return mongoBooleanOutcome(
          alt,
          decisive.key,
          (x) => (inverted ? !x : x),
          'Node default rejectUnauthorized: true',
        );
      return booleanOutcome(
        alt,
        decisive.key,
        (x) => (inverted ? x !== true : x !== false),
        true,
        'Node default rejectUnauthorized: true',
      );
    },
    decisive.key,
    clientDefaults,
  );
  if (peer) fields.peerVerification = peer;

  const hostKeys = [read('checkServerIdentity'), read('tlsAllowInvalidHostnames')];
  const hostRead = hostKeys.find((r) => r.state !== 'absent') ?? hostKeys[0]!;
  const tlsInsecure = read('tlsInsecure');
  const hostDecisive =
    hostRead.state === 'absent' && tlsInsecure.state !== 'absent' ? tlsInsecure : hostRead;
  const host = combine<boolean>(
    [hostDecisive],
    (a) => {
      const alt = a[hostDecisive.key]!;
      if (hostDecisive.key !== 'checkServerIdentity') {
        return mongoBooleanOutcome(
          alt,
          hostDecisive.key,
          (x) => !x,
          'Node default checkServerIdentity: tls.checkServerIdentity',
        );
      }
      if (alt.kind === 'unknown') return { unknown: alt.reason, by: 'checkServerIdentity' };
      if (alt.kind === 'absent' && rawTlsSocket)
        return {
          unknown: 'new tls.TLSSocket() does not check the host name (only tls.connect() does)',
        };
      if (alt.kind === 'absent')
        return { value: true, reason: 'Node default checkServerIdentity: tls.checkServerIdentity' };
      const fn = alt.value;
      if (fn.kind === 'function') {
        return returnsNothing(fn.node, ev)
          ? { value: false, by: 'checkServerIdentity' }
          : { unknown: 'a custom checkServerIdentity function', by: 'checkServerIdentity' };
      }
      if (refName(fn) === 'tls.checkServerIdentity')
        return { value: true, by: 'checkServerIdentity' };
      return {
        unknown: 'checkServerIdentity is not a function known here',
        by: 'checkServerIdentity',
      };
    },
    hostDecisive.key,
    clientDefaults,
  );
  if (host) fields.hostnameVerification = host;

  const trusted = combine<boolean>(
    [ca],
    (a) => presenceOutcome(a.ca!, 'ca', "Node default ca: Node's bundled Mozilla CA store"),
    'ca',
    clientDefaults,
  );
  if (trusted) fields.trustedCa = trusted;

  const sni = combine<string>(
    [read('servername')],
    (a) => {
      const alt = a.servername!;
      if (alt.kind === 'absent') return undefined;
      if (alt.kind === 'unknown') return { unknown: alt.reason, by: 'servername' };
      const s = stringOf(alt.value);
      return s === undefined
        ? { unknown: 'servername is not a string known here', by: 'servername' }
        : { value: s, by: 'servername' };
    },
    'servername',
  );
  if (sni) fields.serverName = sni;
}

/** Server side: whether client certificates are asked for, required and verified, and against which CA. */
function translateClientCertificates(
  r: Reading,
  fields: Partial<TlsContext>,
  rejectUnauthorized: Read,
  ca: Read,
): void {
  const { read, combine } = r;
  const { tlsServer = false, rawTlsSocket = false } = r.input;
  // --- server side: client certificates ---------------------------------------------------
  const requestCert = read('requestCert');
  const clientAuth = combine<ClientAuthMode>(
    [requestCert, rejectUnauthorized],
    (a) => {
      const rc = a.requestCert!;
      const ru = a.rejectUnauthorized!;
      if (rc.kind === 'unknown') return { unknown: rc.reason, by: 'requestCert' };
      if (rc.kind === 'absent') return { value: 'none', reason: 'Node default requestCert: false' };
      // Node asks for a certificate only when requestCert is exactly `true`.
      if (!isTrue(rc.value)) return { value: 'none', by: 'requestCert' };
      if (ru.kind === 'unknown') return { unknown: ru.reason, by: 'rejectUnauthorized' };
      if (ru.kind === 'value' && isFalse(ru.value))
        return { value: 'optional', by: 'rejectUnauthorized' };
      // A bare TLSSocket requires the certificate only for a truthy rejectUnauthorized.
      if (rawTlsSocket && ru.kind === 'absent')
        return {
          value: 'optional',
          reason: 'Node default for new tls.TLSSocket(): rejectUnauthorized false',
        };
      if (rawTlsSocket && ru.kind === 'value' && !truthy(ru.value))
        return { value: 'optional', by: 'rejectUnauthorized' };
      return { value: 'required', by: 'requestCert' };
    },
    'requestCert',
  );
  if (clientAuth) fields.clientAuth = clientAuth;

  const clientVerify = combine<ClientVerifyMode>(
    [rejectUnauthorized],
    (a) => {
      const ru = a.rejectUnauthorized!;
      if (ru.kind === 'unknown') return { unknown: ru.reason, by: 'rejectUnauthorized' };
      if (rawTlsSocket && !(ru.kind === 'value' && isFalse(ru.value))) {
        return {
          value: 'external',
          reason:
            'Node default for new tls.TLSSocket(): a client certificate that fails verification is never rejected (only tls.Server, from tls.createServer(), rejects one)',
        };
      }
      if (ru.kind === 'absent')
        return { value: 'ca', reason: 'Node default rejectUnauthorized: true' };
      return isFalse(ru.value)
        ? { value: 'any', by: 'rejectUnauthorized' }
        : { value: 'ca', by: 'rejectUnauthorized' };
    },
    'rejectUnauthorized',
  );
  if (clientVerify) fields.clientVerify = clientVerify;

  // Without "ca" Node loads its bundled root CAs, so a client certificate from any public CA
  // passes. Contexts that replace these options at run time make the CA unknown: an
  // SNICallback's context brings its own verify store; a TLSSocket uses its "secureContext".
  const sniCallback = read('SNICallback');
  const secureContext = tlsServer
    ? ({ key: 'secureContext', state: 'absent' } as Read)
    : read('secureContext');
  const clientCa = combine<boolean>(
    [ca, sniCallback, secureContext],
    (a) => {
      if (a.ca!.kind === 'absent') {
        if (a.SNICallback!.kind !== 'absent')
          return {
            unknown: 'the context picked by "SNICallback" at run time may bring its own client CA',
            by: 'SNICallback',
          };
        if (a.secureContext!.kind !== 'absent')
          return {
            unknown: 'the client CA comes from the "secureContext" object',
            by: 'secureContext',
          };
      }
      return presenceOutcome(
        a.ca!,
        'ca',
        'Node default: no "ca" means client certificates are verified against Node\'s bundled public root CAs',
      );
    },
    'ca',
  );
  // On a Node server "ca" also completes the chain sent to clients: it is a client CA only
  // where client certificates are requested at all (requestCert: true in some branch).
  const neverRequested =
    clientAuth !== undefined &&
    clientAuth.origin !== 'unknown' &&
    (clientAuth.origin !== 'conditional' ||
      clientAuth.branches.every((b) => b.origin !== 'unknown')) &&
    knownValues(clientAuth).every((m) => m === 'none');
  if (clientCa && !(neverRequested && ca.state === 'present')) fields.clientCa = clientCa;
}

/** Certificates, keys and CAs the options name, and the features they use. */
function translateMaterialAndFeatures(r: Reading, fields: Partial<TlsContext>, ca: Read): void {
  const { ev, file, read } = r;
  const { role } = r.input;
  const secureProtocol = read('secureProtocol');
  // --- material and features -------------------------------------------------------------
  const material: MaterialRef[] = [];
  for (const key of ['cert', 'key', 'ca', 'pfx'] as const) {
    const r = key === 'ca' ? ca : read(key);
    if (r.state !== 'present') continue;
    collectMaterial(r.value!, r.propNode!, key, purposeOf(key, role), ev, material);
  }
  fields.material = material;

  const features: FeatureUse[] = [];
  if (secureProtocol.state === 'present') {
    const s = stringOf(secureProtocol.value!);
    const detail = s ?? ev.text(secureProtocol.valueNode);
    features.push({
      feature: 'node.secureProtocol',
      at: rangeOf(secureProtocol.propNode!, file),
      ...(detail !== undefined && { detail }),
    });
  }
  fields.features = features;
}

function booleanOutcome(
  alt: Alt,
  key: string,
  meaning: (x: unknown) => boolean,
  dflt: boolean,
  reason: string,
): Outcome<boolean> {
  if (alt.kind === 'unknown') return { unknown: alt.reason, by: key };
  if (alt.kind === 'absent') return { value: dflt, reason };
  const v = alt.value;
  if (v.kind === 'primitive') return { value: meaning(v.value), by: key };
  // Objects and functions are truthy and never `false`.
  return { value: meaning(true), by: key };
}

/**
 * MongoDB's TLS switches (`tlsAllowInvalidCertificates`, `tlsAllowInvalidHostnames`, `tlsInsecure`,
 * `sslValidate`): the driver takes a boolean or the string "true"/"false" (every version's
 * `getBoolean`) and throws for anything else, so an object (a yargs or JSON-schema entry
 * that happens to use the name) says nothing about verification.
 */
const MONGODB_BOOLEAN_KEYS: ReadonlySet<string> = new Set([
  'tlsAllowInvalidCertificates',
  'tlsAllowInvalidHostnames',
  'tlsInsecure',
  'sslValidate',
]);

function mongoBooleanOutcome(
  alt: Alt,
  key: string,
  verifies: (flag: boolean) => boolean,
  reason: string,
): Outcome<boolean> {
  if (alt.kind === 'unknown') return { unknown: alt.reason, by: key };
  if (alt.kind === 'absent') return { value: true, reason };
  const v = alt.value;
  const flag =
    v.kind === 'primitive'
      ? v.value === true || v.value === 'true'
        ? true
        : v.value === false || v.value === 'false'
          ? false
          : undefined
      : undefined;
  return flag === undefined
    ? { unknown: `the MongoDB driver accepts only true or false for "${key}"`, by: key }
    : { value: verifies(flag), by: key };
}

/**
 * tedious (and node-mssql, TypeORM, Sequelize and Knex, which hand it their `options`): `trustServerCertificate: true` makes `MessageIO.startTls` call
 * `tls.connect({ …, rejectUnauthorized: !trustServerCertificate })` (tedious `src/message-io.ts`).
 * tedious ≥ 4 throws a TypeError for a value that is not a boolean (`src/connection.ts`), and
 * node-mssql's top-level `trustServerCertificate` takes only booleans too (`typeof … === 'boolean'`,
 * `lib/tedious/connection-pool.js`), so `"true"` or an object says nothing: unknown.
 * `encrypt: false` sends everything in plaintext (tedious starts TLS only when `encrypt` is true
 * or `'strict'`, and fails when the server requires encryption): no TLS, so no setting here,
 * as for pg's `sslmode=disable`. `encrypt: 'strict'` (TDS 8.0, tedious ≥ 15) wraps the socket in
 * `Connection.wrapWithTls`, whose `tls.connect` options have no `rejectUnauthorized`: Node
 * verifies and `trustServerCertificate` is not used (older versions throw for the string).
 * An absent key is not read: its default changed with the version (tedious `src/connection.ts`
 * defaults at each tag: true up to 8.x, false in 9.0.0–11.0.8 (PR #1116), true again in
 * 11.0.9–14.x (commit 19948ee9, an always-encrypted refactor; issue #1361; a deprecation warning
 * from 14.1.0, PR #1381), false from 15.0.0 (PR #1464)), and the tedious version is not
 * read: neither insecure nor verified.
 */
function tediousOutcome(alt: Alt, encrypt: Alt): Outcome<boolean> {
  const mode =
    encrypt.kind === 'value' && encrypt.value.kind === 'primitive'
      ? encrypt.value.value
      : undefined;
  if (mode === false || mode === 'strict') return undefined;
  if (alt.kind === 'unknown') return { unknown: alt.reason, by: 'trustServerCertificate' };
  if (alt.kind === 'absent') return undefined;
  const v = alt.value;
  return v.kind === 'primitive' && typeof v.value === 'boolean'
    ? { value: !v.value, by: 'trustServerCertificate' }
    : {
        unknown:
          'tedious accepts only true or false for "trustServerCertificate" (it throws for anything else)',
        by: 'trustServerCertificate',
      };
}

/** `ca` given (with any value the file cannot know) → true. */
function presenceOutcome(alt: Alt, key: string, reason: string): Outcome<boolean> {
  if (alt.kind === 'absent') return { value: false, reason };
  if (alt.kind === 'unknown')
    return alt.present ? { value: true, by: key } : { unknown: alt.reason, by: key };
  if (alt.value.kind === 'primitive' && (alt.value.value === null || alt.value.value === undefined))
    return { value: false, by: key };
  return { value: true, by: key };
}

/** Source text for messages: on one line, and cut when long (a whole function body is no help). */
export function shortText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= 60 ? one : `${one.slice(0, 57)}…`;
}

function stringOf(v: Value): string | undefined {
  return v.kind === 'primitive' && typeof v.value === 'string' ? v.value : undefined;
}

function isTrue(v: Value): boolean {
  return v.kind === 'primitive' && v.value === true;
}

/** Objects and functions count as truthy. */
function truthy(v: Value): boolean {
  return v.kind !== 'primitive' || Boolean(v.value);
}

function isFalse(v: Value): boolean {
  return v.kind === 'primitive' && v.value === false;
}

function purposeOf(key: 'cert' | 'key' | 'ca' | 'pfx', role: TlsRole): MaterialRef['purpose'] {
  if (key === 'pfx') return 'pfx';
  if (role === 'client')
    return key === 'cert' ? 'client-certificate' : key === 'key' ? 'client-key' : 'trusted-ca';
  if (role === 'server')
    return key === 'cert' ? 'server-certificate' : key === 'key' ? 'server-key' : 'client-ca';
  return key === 'cert' ? 'server-certificate' : key === 'key' ? 'server-key' : 'trusted-ca';
}

function collectMaterial(
  value: Value,
  propNode: EsNode,
  key: string,
  purpose: MaterialRef['purpose'],
  ev: Evaluator,
  out: MaterialRef[],
  elementNode?: EsNode,
): void {
  const at = rangeOf(elementNode ?? propNode, ev.file);
  for (const v of alternatives(value)) {
    if (v.kind === 'file') {
      out.push({ purpose, path: v.path, written: v.written, at, key });
    } else if (
      v.kind === 'primitive' &&
      typeof v.value === 'string' &&
      v.value.includes('-----BEGIN')
    ) {
      out.push({ purpose, inline: v.value, at, key });
    } else if (v.kind === 'array') {
      const elements = v.node.type === 'ArrayExpression' ? v.node.elements : [];
      v.elements.forEach((el, i) => {
        const node = elements[i];
        collectMaterial(el, propNode, key, purpose, ev, out, node ? unwrap(node) : undefined);
      });
    } else if (v.kind === 'object') {
      // `key: [{ pem, passphrase }]`, `pfx: [{ buf, passphrase }]`
      for (const inner of ['pem', 'buf']) {
        const found = ev.property(v, inner);
        if (found.state === 'present')
          collectMaterial(
            found.value,
            propNode,
            key,
            purpose,
            ev,
            out,
            elementNode ?? found.propNode,
          );
      }
    }
  }
}

/**
 * Whether a function returns nothing (or a falsy constant) on every path and never throws:
 * as `checkServerIdentity` that accepts every host name.
 */
function returnsNothing(fn: EsNode, ev: Evaluator): boolean {
  const body = bodyOf(fn);
  // A signature without a body (overload, `declare`, abstract) says nothing about what it does.
  if (!body) return false;
  if (body.type !== 'BlockStatement') return isFalsyConstant(body, ev);
  let ok = true;
  const visit = (node: EsNode): void => {
    if (!ok) return;
    if (
      node !== body &&
      (node.type === 'FunctionDeclaration' ||
        node.type === 'FunctionExpression' ||
        node.type === 'ArrowFunctionExpression')
    )
      return;
    if (node.type === 'ThrowStatement') ok = false;
    else if (
      node.type === 'ReturnStatement' &&
      node.argument &&
      !isFalsyConstant(node.argument, ev)
    )
      ok = false;
    for (const [key, child] of fieldsOf(node)) {
      if (key === 'loc' || key === 'range' || key === 'parent') continue;
      if (Array.isArray(child))
        for (const c of child as unknown[]) {
          if (isNode(c)) visit(c);
        }
      else if (isNode(child)) visit(child);
    }
  };
  visit(body);
  return ok;
}

function isFalsyConstant(node: EsNode, ev: Evaluator): boolean {
  const v = ev.evaluate(node);
  return v.kind === 'primitive' && !v.value;
}
