/**
 * The observables of confirm mode (rule metas name them in `probe.observes`): for each, what the
 * live endpoint showed (or why it could not be seen), how its items read in a message, and
 * whether a configuration's own value explains what the endpoint shows. These are facts about
 * the model's fields, the same for every rule; rules stay the only judges of what is weak.
 */
import type { Targets } from '../config/targets.js';
import { suiteByIanaName, displayName, suiteKey } from '../crypto/cipher-suites.js';
import { certificateName } from '../crypto/certificate-facts.js';
import { cipherViews, tls13Views } from '../crypto/context-ciphers.js';
import type { ProbeObservable } from '../engine/rule-api.js';
import { joinAnd, listSome } from '../engine/rule-helpers.js';
import type { CertificateSummary, TlsContext } from '../model/context.js';
import { PROTOCOL_DISPLAY, PROTOCOL_VERSIONS, type ProtocolVersion } from '../model/protocol.js';
import { knownValues, type Setting } from '../model/setting.js';

/** Which observable an item belongs to, by its spelling (see `Observable.items`). */
export function observableOfItem(
  item: string,
  declared: readonly ProbeObservable[],
): ProbeObservable {
  if (item.startsWith('cert:') || item.startsWith('key:')) return 'served-certificate';
  if (item.startsWith('dh:')) return 'dh-group';
  if (item.startsWith('curve:')) return 'key-exchange-groups';
  if ((PROTOCOL_VERSIONS as readonly string[]).includes(item)) return 'protocols';
  if (suiteByIanaName(item)) return 'cipher-suites';
  return declared[0]!;
}

/** Items as people read them: `TLS 1.0 and TLS 1.1`, `NULL-SHA256, ADH-AES128-SHA`, `a 1024-bit RSA key`. */
export function describeItems(items: readonly string[]): string {
  const names = items
    .filter((i) => !i.startsWith('cert:'))
    .map((i) => {
      if ((PROTOCOL_VERSIONS as readonly string[]).includes(i))
        return PROTOCOL_DISPLAY[i as ProtocolVersion];
      const suite = suiteByIanaName(i);
      if (suite) return displayName(suite);
      const key = /^key:([a-z0-9-]+):(\d+)$/.exec(i);
      if (key) return `a ${key[2]!}-bit ${key[1]!.toUpperCase()} key`;
      const dh = /^dh:(\d+)$/.exec(i);
      if (dh) return `a ${dh[1]!}-bit DH group`;
      if (i.startsWith('curve:')) return `the curve ${i.slice(6)}`;
      return i;
    });
  return listSome([...new Set(names)], 6) || 'that certificate';
}

/** The leaf the endpoint served, when one was seen. */
export function servedLeaf(live: TlsContext): CertificateSummary | undefined {
  return live.material.find((r) => r.purpose === 'server-certificate' && r.source === 'endpoint')
    ?.summary?.certificates?.[0];
}

function evidenceOf(s: Setting<unknown> | undefined): string | undefined {
  if (!s) return undefined;
  if (s.origin === 'observed') return s.evidence;
  if (s.origin === 'unknown') return s.reason;
  return undefined;
}

/** Why the endpoint's side of an observable could not be seen; undefined when it was seen. */
export function unseen(o: ProbeObservable, live: TlsContext): string | undefined {
  const reasonOf = (s: Setting<unknown> | undefined) =>
    s?.origin === 'unknown' ? s.reason : undefined;
  switch (o) {
    case 'protocols':
    case 'cipher-suites':
    case 'dh-group':
    case 'key-exchange-groups':
      return reasonOf(live.protocols);
    case 'client-certificate-request':
      return reasonOf(live.clientAuth);
    case 'client-certificate-verification':
      return reasonOf(live.clientVerify) ?? reasonOf(live.clientAuth);
    case 'served-certificate':
      return servedLeaf(live) ? undefined : 'no certificate was received from the endpoint';
    case 'handshakes':
      return undefined;
  }
}

/** What the endpoint showed for an observable, as evidence for a refuted finding. */
export function observedText(o: ProbeObservable, live: TlsContext, targets: Targets): string {
  switch (o) {
    case 'protocols': {
      const accepted = knownValues(live.protocols)[0] ?? [];
      return `the endpoint accepts ${joinAnd(accepted.map((v) => PROTOCOL_DISPLAY[v]))} (${evidenceOf(live.protocols) ?? 'observed'})`;
    }
    case 'cipher-suites': {
      const names = [...cipherViews(live, targets), ...tls13Views(live, targets)].flatMap((v) =>
        v.resolved.suites.map((r) => displayName(r.suite)),
      );
      return names.length
        ? `the endpoint accepts ${listSome([...new Set(names)], 8)}`
        : 'the endpoint accepted no suite';
    }
    case 'client-certificate-request':
      return evidenceOf(live.clientAuth) ?? 'not observed';
    case 'client-certificate-verification':
      return (
        evidenceOf(live.clientVerify) ??
        `the endpoint does not request a client certificate (${evidenceOf(live.clientAuth) ?? 'observed'})`
      );
    case 'served-certificate': {
      const leaf = servedLeaf(live);
      return leaf
        ? `the endpoint serves certificate ${certificateName(leaf)} (${leaf.key.type.toUpperCase()} ${leaf.key.bits} bits, ${leaf.signatureAlgorithm}, valid until ${leaf.notAfter.slice(0, 10)}${leaf.selfSigned ? ', self-signed' : ''})`
        : 'no certificate was received';
    }
    case 'dh-group': {
      const dh = live.material.find((r) => r.purpose === 'dhparam')?.summary?.dhBits;
      return dh !== undefined
        ? `the endpoint's DHE key exchange uses a ${dh}-bit group`
        : 'no DHE key exchange was negotiated';
    }
    case 'key-exchange-groups':
      return evidenceOf(live.curves) ?? 'no key-exchange group was seen';
    case 'handshakes':
      return `handshakes complete: ${observedText('protocols', live, targets)}`;
  }
}

/**
 * Whether the configuration of the contexts explains an item (or, without items, the live
 * finding) of this observable: it enables that version or suite, does not require what the
 * endpoint does not enforce, names that certificate. Unknown values explain everything (never
 * reported as drift).
 */
export function configExplains(
  o: ProbeObservable,
  contexts: readonly TlsContext[],
  item: string | undefined,
  live: TlsContext,
  targetsFor: (c: TlsContext) => Targets,
): boolean {
  for (const c of contexts) {
    switch (o) {
      case 'protocols': {
        const s = c.protocols;
        if (
          !s ||
          s.origin === 'unknown' ||
          (s.origin === 'conditional' && s.branches.some((b) => b.origin === 'unknown'))
        )
          return true;
        if (item === undefined || knownValues(s).some((v) => v.includes(item as ProtocolVersion)))
          return true;
        break;
      }
      case 'cipher-suites': {
        const unknownSpec = [c.ciphers, c.tls13Ciphers].some(
          (s) =>
            s?.origin === 'unknown' ||
            (s?.origin === 'conditional' && s.branches.some((b) => b.origin === 'unknown')),
        );
        if (unknownSpec || !c.ciphers) return true;
        const targets = targetsFor(c);
        const views = [...cipherViews(c, targets), ...tls13Views(c, targets)];
        if (views.some((v) => v.resolved.unknownTokens.length)) return true;
        if (
          item === undefined ||
          views.some((v) =>
            [...v.resolved.suites, ...v.resolved.tls13].some((r) => suiteKey(r.suite) === item),
          )
        )
          return true;
        break;
      }
      case 'client-certificate-request': {
        const s = c.clientAuth;
        if (!s || s.origin === 'unknown' || knownValues(s).some((v) => v !== 'required'))
          return true;
        if (s.origin === 'conditional' && s.branches.some((b) => b.origin === 'unknown'))
          return true;
        break;
      }
      case 'client-certificate-verification': {
        const s = c.clientVerify;
        if (!s || s.origin === 'unknown' || knownValues(s).some((v) => v !== 'ca')) return true;
        break;
      }
      case 'served-certificate': {
        const files = c.material.filter((r) => r.purpose === 'server-certificate');
        const prints = files.map((r) => r.summary?.certificates?.[0]?.fingerprint256);
        // A certificate file not read (run-time path, unreadable) explains anything.
        if (files.length === 0 || prints.some((p) => p === undefined)) return true;
        const leaf = servedLeaf(live);
        if (!leaf || prints.includes(leaf.fingerprint256)) return true;
        if (
          item?.startsWith('key:') &&
          files.some(
            (r) =>
              r.summary?.certificates?.[0] &&
              `key:${r.summary.certificates[0].key.type}:${r.summary.certificates[0].key.bits}` ===
                item,
          )
        )
          return true;
        break;
      }
      case 'dh-group': {
        const files = c.material.filter((r) => r.purpose === 'dhparam');
        if (files.some((r) => r.summary?.dhBits === undefined)) return true;
        if (item === undefined || files.some((r) => `dh:${r.summary?.dhBits ?? ''}` === item))
          return true;
        break;
      }
      case 'handshakes':
        return true;
      case 'key-exchange-groups': {
        const s = c.curves;
        if (!s || s.origin === 'unknown' || s.origin === 'default') return true;
        if (
          item === undefined ||
          knownValues(s).some((v) =>
            v.some((n) => n.toLowerCase() === 'auto' || `curve:${n.toLowerCase()}` === item),
          )
        )
          return true;
        break;
      }
    }
  }
  return false;
}

/** What the configuration says instead, for the message of a live-only finding. */
export function configText(o: ProbeObservable, contexts: readonly TlsContext[]): string {
  const c = contexts[0]!;
  const written = (s: Setting<unknown> | undefined, fallback: string): string => {
    if (!s) return fallback;
    if (s.origin === 'explicit' || s.origin === 'inherited')
      return `${s.key ? `"${s.key}" ` : ''}${'raw' in s && s.raw ? `"${s.raw}" ` : ''}at line ${s.at.line}`.trim();
    if (s.origin === 'default') return s.reason;
    return fallback;
  };
  switch (o) {
    case 'protocols': {
      const v = knownValues(c.protocols)[0] ?? [];
      return `the configuration enables ${joinAnd(v.map((p) => PROTOCOL_DISPLAY[p]))} (${written(c.protocols, 'as configured')})`;
    }
    case 'cipher-suites':
      return `the configuration's cipher string does not enable it (${written(c.ciphers, 'as configured')})`;
    case 'client-certificate-request':
      return `the configuration requires a client certificate (${written(c.clientAuth, 'as configured')})`;
    case 'client-certificate-verification':
      return `the configuration verifies client certificates against its CA (${written(c.clientVerify, 'as configured')})`;
    case 'served-certificate': {
      const file = c.material.find((r) => r.purpose === 'server-certificate');
      const leaf = file?.summary?.certificates?.[0];
      return `the configuration names another certificate${file ? ` ("${file.key} ${file.written ?? ''}"${leaf ? `: ${certificateName(leaf)}, SHA-256 ${leaf.fingerprint256.slice(0, 23)}…` : ''})` : ''}`;
    }
    case 'dh-group': {
      const file = c.material.find((r) => r.purpose === 'dhparam');
      return file
        ? `the configuration's DH parameters are ${file.summary?.dhBits ?? 'unknown'}-bit ("${file.key} ${file.written ?? ''}")`
        : 'the configuration sets no DH parameters';
    }
    case 'key-exchange-groups':
      return `the configuration does not list it (${written(c.curves, 'as configured')})`;
    case 'handshakes':
      return 'the configuration leaves versions to negotiate';
  }
}
