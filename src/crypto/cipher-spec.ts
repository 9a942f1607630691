/**
 * One entry point for every platform's cipher configuration: `resolveCipherSpec` turns a
 * `CipherSpec` (as a reader wrote it down) into the suites the platform really enables, in
 * order, with the token of the string that brought each in, and the problems the platform has
 * with the string (refused at start, handshakes fail, silently ignored parts).
 *
 * Platform semantics (config-facts §1.1, §2.2, §4.1–4.4):
 * - OpenSSL strings (nginx `ssl_ciphers`, Python `set_ciphers`, Apache, HAProxy): the OpenSSL
 *   engine of the target family; TLS 1.3 suites are separate and keep their default.
 * - Node `ciphers`: split on ":" only; `TLS_`-prefixed tokens go to the TLS 1.3 list
 *   (SSL_CTX_set_ciphersuites), the rest to the TLS ≤1.2 list. OpenSSL ≥1.1.1 also accepts a TLS
 *   1.2 suite by IANA name in the TLS 1.3 list, which yields no TLS 1.3 suite; with no TLS ≤1.2
 *   token left Node raises the minimum version to TLS 1.3, so every handshake fails.
 * - `openssl-tls13`: an exact ":" list (nginx `ssl_conf_command Ciphersuites`).
 * - Go `CipherSuites`: constant names; TLS 1.3 is not configurable; order ignored since Go 1.17.
 * - Envoy `cipher_suites`: BoringSSL names with `[a|b]` groups; unknown names reject the config.
 * - `suites`: exact IANA names seen by the probe.
 */
import { versionAtLeast, type Targets } from '../config/targets.js';
import type { CipherSpec } from '../model/context.js';
import { displayName, suiteByAnyName, suiteByGoName, suiteByIanaName, suiteByOpenSslName } from './cipher-suites.js';
import { expandOpenSslCipherString, type CipherStringItem } from './openssl/engine.js';
import { familyDefinition, opensslFamilyFor, type OpenSslFamily } from './openssl/families.js';
import { expandBoringSslList } from './platforms/boringssl.js';
import { nodeOpenSslFamily } from './platforms/node-defaults.js';
import type { CipherSuite } from './suite-types.js';

export type CipherPlatform = 'node' | 'python' | 'nginx' | 'apache' | 'haproxy' | 'openssl' | 'go' | 'envoy' | 'probe';

export interface ResolvedSuite {
  suite: CipherSuite;
  /** The item of the string that brought the suite in (`ALL`, `HIGH`, `ECDHE+AESGCM`, a name). */
  token?: string;
}

/**
 * - `refused`: the platform rejects the configuration (exception, config test fails)
 * - `handshakes-fail`: it loads, but handshakes fail (all, or all TLS 1.3 ones)
 * - `ignored`: part of the string is silently dropped
 * - `note`: worth knowing, no effect on security
 */
export type CipherProblemEffect = 'refused' | 'handshakes-fail' | 'ignored' | 'note';

export type CipherProblemKind =
  | 'no-cipher-match'
  | 'invalid-command'
  | 'unknown-name'
  | 'case-mistake'
  | 'iana-name-in-openssl-list'
  | 'tls13-name-in-tls12-list'
  | 'not-built'
  | 'matches-nothing'
  | 'default-not-first'
  | 'node-tls12-iana-names'
  | 'unknown-tls13-name'
  | 'tls12-name-in-tls13-list'
  | 'go-tls13-not-configurable'
  | 'unknown-go-name'
  | 'unknown-boringssl-name';

export interface CipherProblem {
  kind: CipherProblemKind;
  effect: CipherProblemEffect;
  message: string;
  /** The tokens concerned, as written. */
  tokens: string[];
}

export interface ResolvedCiphers {
  syntax: CipherSpec['syntax'];
  platform: CipherPlatform;
  /** The OpenSSL family whose semantics were applied (OpenSSL-based platforms). */
  family?: OpenSslFamily;
  /** TLS ≤1.2 suites in preference order. */
  suites: ResolvedSuite[];
  /** TLS 1.3 suites in effect. */
  tls13: ResolvedSuite[];
  /** Whether the spec itself set the TLS 1.3 suites (else they are the platform default). */
  tls13Configured: boolean;
  /** Tokens that name nothing the platform knows (ignored, or fatal where the parser is strict). */
  unknownTokens: string[];
  problems: CipherProblem[];
  /** The platform refuses the configuration. */
  refused: boolean;
  /** TLS ≤1.2 is switched off by the string itself (Node with only `TLS_` tokens). */
  tls12Disabled: boolean;
  /** Go ≥1.17 ignores the configured order. */
  orderIgnored: boolean;
  /** `@SECLEVEL=n` in an OpenSSL string. */
  secLevel?: number;
  /** Item-level detail of an OpenSSL string (what each item matched and did). */
  items?: CipherStringItem[];
}

export interface ResolveOptions {
  /** Whose semantics and wording (defaults from the syntax). */
  platform?: CipherPlatform;
  /** Overrides the family derived from the targets. */
  family?: OpenSslFamily;
}

/** The OpenSSL family a platform uses under the given targets. */
export function opensslFamilyForPlatform(platform: CipherPlatform, targets: Targets): OpenSslFamily {
  if (platform === 'node') return nodeOpenSslFamily(targets.version('node'));
  return opensslFamilyFor(targets.version('openssl'));
}

function defaultPlatform(syntax: CipherSpec['syntax']): CipherPlatform {
  switch (syntax) {
    case 'node': return 'node';
    case 'go': return 'go';
    case 'boringssl': return 'envoy';
    case 'suites': return 'probe';
    default: return 'openssl';
  }
}

/**
 * Every rule resolves the same settings: remember recent results (they are never mutated).
 * Keyed first by the text itself — servers that inherit one string share the string object, whose
 * hash V8 caches, so a long string is not re-serialised for every rule and context.
 */
const memo = new Map<string, Map<string, ResolvedCiphers>>();
let memoSize = 0;

export function resolveCipherSpec(spec: CipherSpec, targets: Targets, options: ResolveOptions = {}): ResolvedCiphers {
  const platform = options.platform ?? defaultPlatform(spec.syntax);
  const family = options.family ?? opensslFamilyForPlatform(platform, targets);
  const key = JSON.stringify([spec.syntax, spec.items?.map((i) => i.text), platform, family, spec.syntax === 'go' ? targets.version('go') : '']);
  let byText = memo.get(spec.text);
  const hit = byText?.get(key);
  if (hit) return hit;
  if (memoSize > 1000) {
    memo.clear();
    memoSize = 0;
    byText = undefined;
  }
  const result = resolveUncached(spec, targets, platform, family);
  if (!byText) memo.set(spec.text, (byText = new Map()));
  byText.set(key, result);
  memoSize++;
  return result;
}

function resolveUncached(spec: CipherSpec, targets: Targets, platform: CipherPlatform, family: OpenSslFamily): ResolvedCiphers {
  const base: ResolvedCiphers = {
    syntax: spec.syntax,
    platform,
    suites: [],
    tls13: [],
    tls13Configured: false,
    unknownTokens: [],
    problems: [],
    refused: false,
    tls12Disabled: false,
    orderIgnored: false,
  };
  switch (spec.syntax) {
    case 'openssl':
      return resolveOpenSsl(spec.text, family, platform, base);
    case 'node':
      return resolveNode(spec.text, family, base);
    case 'openssl-tls13':
      return resolveTls13List(spec.text, family, platform, base);
    case 'go':
      return resolveGo(spec, targets, base);
    case 'boringssl':
      return resolveBoringSsl(spec, base);
    case 'suites':
      return resolveObserved(spec, base);
  }
}

// --- wording ----------------------------------------------------------------------------------

function platformName(platform: CipherPlatform): string {
  return { node: 'Node', python: 'Python', nginx: 'nginx', apache: 'Apache httpd', haproxy: 'HAProxy', openssl: 'OpenSSL', go: 'Go', envoy: 'Envoy', probe: 'the endpoint' }[platform];
}

function refusalPhrase(platform: CipherPlatform): string {
  switch (platform) {
    case 'node': return 'tls.createSecureContext() throws "No cipher match"';
    case 'python': return 'set_ciphers() raises SSLError("No cipher can be selected.")';
    case 'nginx': return 'nginx refuses to start (SSL_CTX_set_cipher_list() failed: no cipher match)';
    case 'apache': return 'Apache httpd refuses to start (unable to configure cipher list)';
    case 'haproxy': return 'HAProxy refuses to start (unable to set SSL cipher list)';
    default: return 'OpenSSL fails with "no cipher match"';
  }
}

/** `A, B, C and 4 more` */
export function listSome(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

// --- OpenSSL strings ---------------------------------------------------------------------------

function defaultTls13(family: OpenSslFamily): ResolvedSuite[] {
  return familyDefinition(family).tls13Default.map((suite) => ({ suite }));
}

function resolveOpenSsl(text: string, family: OpenSslFamily, platform: CipherPlatform, out: ResolvedCiphers): ResolvedCiphers {
  out.family = family;
  out.tls13 = defaultTls13(family);
  const x = expandOpenSslCipherString(text, family);
  out.items = x.items;
  if (x.secLevel !== undefined) out.secLevel = x.secLevel;
  out.suites = x.suites.map((suite) => ({ suite, ...(x.broughtBy.get(suite) && { token: x.broughtBy.get(suite)!.text }) }));
  out.problems.push(...itemProblems(x.items, family, platform));
  out.unknownTokens = x.items.filter((i) => i.kind === 'unknown').map((i) => i.text);
  if (x.error) {
    out.refused = true;
    out.suites = [];
    const hint = refusalHint(out.problems);
    out.problems = [];
    out.problems.push({
      kind: x.error.kind,
      effect: 'refused',
      tokens: x.error.item ? [x.error.item.text] : [],
      message:
        x.error.kind === 'invalid-command'
          ? `${platformName(platform)} rejects the cipher string "${text}" at "${x.error.item?.text ?? ''}" (OpenSSL: invalid command); ${refusalPhrase(platform).replace(/no cipher match/, 'invalid command')}`
          : `no cipher suite of OpenSSL ${family} matches "${text}"; ${refusalPhrase(platform)}${hint}`,
    });
  }
  return out;
}

/** When the whole string is refused, item notes collapse into one hint on the error. */
function refusalHint(problems: readonly CipherProblem[]): string {
  const useful = problems.find((p) => p.kind === 'case-mistake' || p.kind === 'iana-name-in-openssl-list' || p.kind === 'tls13-name-in-tls12-list');
  return useful ? ` (${useful.message})` : '';
}

/** Problems with single items of an OpenSSL string that OpenSSL silently ignores. */
function itemProblems(items: readonly CipherStringItem[], family: OpenSslFamily, platform: CipherPlatform): CipherProblem[] {
  const out: CipherProblem[] = [];
  const adding = (i: CipherStringItem) => i.op === 'add';
  for (const item of items) {
    const name = (item.op === 'add' ? item.text : item.text.slice(1)).split('+')[0] ?? item.text;
    if (item.kind === 'unknown') {
      if (/^TLS_/.test(name)) {
        const suite = suiteByIanaName(name);
        if (suite?.tls13) {
          out.push({ kind: 'tls13-name-in-tls12-list', effect: 'ignored', tokens: [item.text], message: `"${item.text}" is a TLS 1.3 suite; this OpenSSL cipher list only sets TLS 1.2-and-older suites, so it is ignored${platform === 'nginx' ? ' (TLS 1.3 suites are set with "ssl_conf_command Ciphersuites")' : ''}` });
        } else {
          out.push({ kind: 'iana-name-in-openssl-list', effect: 'ignored', tokens: [item.text], message: `"${item.text}" is an IANA name; OpenSSL cipher lists only know OpenSSL names${suite?.openssl ? ` ("${suite.openssl}")` : ''}, so it is silently ignored` });
        }
      } else if (item.caseSuggestion) {
        out.push({ kind: item.caseSuggestion === 'DEFAULT' && item !== items[0] ? 'default-not-first' : 'case-mistake', effect: 'ignored', tokens: [item.text], message: `"${item.text}" is silently ignored: OpenSSL cipher names are case-sensitive; did you mean "${item.caseSuggestion}"?${item.caseSuggestion === 'DEFAULT' && item !== items[0] ? ' (DEFAULT itself only works as the first item)' : ''}` });
      } else if (name === 'DEFAULT') {
        out.push({ kind: 'default-not-first', effect: 'ignored', tokens: [item.text], message: `"${item.text}" is ignored: OpenSSL only expands DEFAULT at the very start of the string` });
      } else {
        const other = suiteByOpenSslName(name) ?? suiteByAnyName(name);
        if (other) {
          // excluding a suite this OpenSSL does not build is harmless (like !EXPORT on 3.x)
          if (adding(item)) out.push({ kind: 'not-built', effect: 'ignored', tokens: [item.text], message: `"${item.text}" ${displayName(other) === name ? 'is a suite' : `names ${displayName(other)}, a suite`} OpenSSL ${family} does not build by default; it is ignored` });
        } else {
          out.push({ kind: 'unknown-name', effect: 'ignored', tokens: [item.text], message: `"${item.text}" is not a cipher suite or alias OpenSSL ${family} knows; it is silently ignored` });
        }
      }
    } else if ((item.kind === 'alias' || item.kind === 'suite' || item.kind === 'legacy') && adding(item) && item.matched === 0) {
      // OpenSSL ≥1.1.0 keeps old suite names as aliases (EDH-RSA-DES-CBC3-SHA): say it like for DES-CBC3-SHA
      const named = item.text === name ? suiteByOpenSslName(name) : undefined;
      if (named) {
        out.push({ kind: 'not-built', effect: 'ignored', tokens: [item.text], message: `"${item.text}" names ${displayName(named)}, a suite OpenSSL ${family} does not build by default; it is ignored` });
        continue;
      }
      out.push({ kind: 'matches-nothing', effect: 'note', tokens: [item.text], message: `"${item.text}" selects no suite in OpenSSL ${family}` });
    }
  }
  return out;
}

// --- Node ----------------------------------------------------------------------------------------

function resolveNode(text: string, family: OpenSslFamily, out: ResolvedCiphers): ResolvedCiphers {
  out.family = family;
  // Node: `ciphers || tls.DEFAULT_CIPHERS`; an empty string means the default (the reader puts
  // the default text in that case already).
  const tokens = text.split(':').filter((t) => t.length > 0);
  if (text !== '' && tokens.length === 0) {
    // only separators: both lists are empty and Node throws ERR_INVALID_ARG_VALUE
    out.refused = true;
    out.problems.push({ kind: 'no-cipher-match', effect: 'refused', tokens: [text], message: `"${text}" names no suite at all; tls.createSecureContext() throws ERR_INVALID_ARG_VALUE` });
    return out;
  }
  const tls13Tokens = tokens.filter((t) => t.startsWith('TLS_'));
  const tls12Text = tokens.filter((t) => !t.startsWith('TLS_')).join(':');
  const def = familyDefinition(family);

  // TLS 1.3 list
  if (tls13Tokens.length === 0) {
    out.tls13 = defaultTls13(family);
  } else {
    out.tls13Configured = true;
    const iana12: string[] = [];
    const unknown13: string[] = [];
    for (const t of tls13Tokens) {
      const suite = suiteByIanaName(t);
      if (suite?.tls13 && def.tls13Known.includes(suite)) out.tls13.push({ suite, token: t });
      // only suites this OpenSSL builds: "TLS_RSA_WITH_RC4_128_SHA" is skipped like a typo
      else if (suite && !suite.tls13 && def.ciphers.some((c) => c.suite === suite)) iana12.push(t);
      else unknown13.push(t);
    }
    if (unknown13.length) {
      out.unknownTokens.push(...unknown13);
      out.problems.push({ kind: 'unknown-tls13-name', effect: 'ignored', tokens: unknown13, message: `Node passes ${quoteList(unknown13)} to the TLS 1.3 suite list, where ${unknown13.length === 1 ? 'it is not a known TLS 1.3 suite' : 'they are not known TLS 1.3 suites'}; OpenSSL skips ${unknown13.length === 1 ? 'it' : 'them'}` });
    }
    if (iana12.length) {
      const openssl = iana12.map((t) => suiteByIanaName(t)?.openssl).filter((n): n is string => !!n);
      const noTls12 = tls12Text === '';
      const noTls13 = out.tls13.length === 0;
      // [LOCAL, Node 20.20 / OpenSSL 3.0.19] OpenSSL accepts a TLS 1.2 suite by IANA name in the
      // TLS 1.3 list and puts it in front of the TLS ≤1.2 list. A server whose TLS 1.3 list then
      // holds no TLS 1.3 suite refuses EVERY handshake while TLS 1.3 is enabled ("No ciphers
      // enabled for max supported SSL/TLS version"), TLS 1.2 clients included. With a real
      // TLS 1.3 suite beside them, the IANA-named suites do work for TLS 1.2, preferred first.
      const consequence =
        noTls12 && noTls13
          ? 'no TLS 1.2 suite is configured, Node raises the minimum version to TLS 1.3, and no TLS 1.3 suite is configured either: every handshake will fail'
          : noTls12
            ? 'no TLS 1.2 suite is configured and Node raises the minimum version to TLS 1.3: handshakes with TLS 1.2 clients will fail'
            : noTls13
              ? 'no TLS 1.3 suite is configured while TLS 1.3 stays enabled: every handshake will fail, TLS 1.2 ones included (OpenSSL: "no ciphers available")'
              : `OpenSSL only accepts ${iana12.length === 1 ? 'it' : 'them'} there by accident and puts ${iana12.length === 1 ? 'it' : 'them'} first in the TLS 1.2 preference order`;
      out.problems.push({
        kind: 'node-tls12-iana-names',
        // the last case breaks nothing today but depends on an OpenSSL quirk: a warning
        effect: noTls12 || noTls13 ? 'handshakes-fail' : 'ignored',
        tokens: iana12,
        message: `Node treats every "TLS_"-prefixed name in "ciphers" as a TLS 1.3 suite name; ${quoteList(iana12)} ${iana12.length === 1 ? 'is a TLS 1.2 suite' : 'are TLS 1.2 suites'} in IANA spelling, so ${consequence}; write TLS 1.2 suites with OpenSSL names${openssl.length ? ` (${listSome(openssl, 4)})` : ''}`,
      });
    }
    // OpenSSL 3 fails SSL_CTX_set_ciphersuites when no name in it is known (Node 20, OpenSSL 3.0);
    // OpenSSL 1.1.1 (Node 12–16) fails it on the first unknown name (ssl_ciph.c ciphersuite_cb).
    if (unknown13.length > 0 && family === '1.1.1') {
      out.refused = true;
      out.problems = out.problems.filter((p) => p.kind !== 'unknown-tls13-name');
      out.problems.unshift({ kind: 'no-cipher-match', effect: 'refused', tokens: unknown13, message: `OpenSSL 1.1.1 rejects the whole TLS 1.3 list because ${quoteList(unknown13)} ${unknown13.length === 1 ? 'is not a suite name' : 'are not suite names'} it knows; ${refusalPhrase('node')}` });
    } else if (out.tls13.length === 0 && iana12.length === 0 && unknown13.length > 0) {
      out.refused = true;
      out.problems.unshift({ kind: 'no-cipher-match', effect: 'refused', tokens: unknown13, message: `none of ${quoteList(unknown13)} is a TLS 1.3 suite; ${refusalPhrase('node')}` });
    }
  }

  // TLS ≤1.2 list
  if (tls12Text === '') {
    out.tls12Disabled = true;
    return out;
  }
  const x = expandOpenSslCipherString(tls12Text, family);
  out.items = x.items;
  if (x.secLevel !== undefined) out.secLevel = x.secLevel;
  out.problems.push(...itemProblems(x.items, family, 'node'));
  out.unknownTokens.push(...x.items.filter((i) => i.kind === 'unknown').map((i) => i.text));
  if (x.error) {
    out.refused = true;
    const hint = refusalHint(out.problems);
    out.problems = out.problems.filter((p) => p.kind === 'node-tls12-iana-names' || p.kind === 'unknown-tls13-name');
    out.problems.unshift({
      kind: x.error.kind,
      effect: 'refused',
      tokens: x.error.item ? [x.error.item.text] : [],
      message: x.error.kind === 'invalid-command'
        ? `OpenSSL rejects "${tls12Text}" at "${x.error.item?.text ?? ''}" (invalid command); tls.createSecureContext() throws`
        : `no TLS 1.2-or-older suite of OpenSSL ${family} matches "${tls12Text}"; ${refusalPhrase('node')}${hint}`,
    });
    return out;
  }
  out.suites = x.suites.map((suite) => ({ suite, ...(x.broughtBy.get(suite) && { token: x.broughtBy.get(suite)!.text }) }));
  // TLS 1.2 suites named in IANA spelling sit in the TLS 1.3 list, which OpenSSL puts first
  // (see node-tls12-iana-names above); they are usable when a real TLS 1.3 suite is there too.
  if (out.tls13.length > 0) {
    const front: ResolvedSuite[] = [];
    for (const t of tls13Tokens) {
      const suite = suiteByIanaName(t);
      if (suite && !suite.tls13 && !front.some((r) => r.suite === suite)) front.push({ suite, token: t });
    }
    if (front.length) out.suites = [...front, ...out.suites.filter((r) => !front.some((f) => f.suite === r.suite))];
  }
  return out;
}

function quoteList(tokens: readonly string[], max = 3): string {
  return listSome(tokens.map((t) => `"${t}"`), max);
}

// --- TLS 1.3 list ------------------------------------------------------------------------------

function resolveTls13List(text: string, family: OpenSslFamily, platform: CipherPlatform, out: ResolvedCiphers): ResolvedCiphers {
  out.family = family;
  out.tls13Configured = true;
  const def = familyDefinition(family);
  const tokens = text.split(':').map((t) => t.trim()).filter(Boolean);
  const unknown: string[] = [];
  const tls12: string[] = [];
  for (const t of tokens) {
    const suite = suiteByIanaName(t);
    if (suite?.tls13 && def.tls13Known.includes(suite)) out.tls13.push({ suite, token: t });
    else if (suite && !suite.tls13 && family !== '1.0.2') tls12.push(t);
    else unknown.push(t);
  }
  if (unknown.length) {
    out.unknownTokens.push(...unknown);
    out.problems.push({ kind: 'unknown-tls13-name', effect: 'ignored', tokens: unknown, message: `${quoteList(unknown)} ${unknown.length === 1 ? 'is not a TLS 1.3 suite name' : 'are not TLS 1.3 suite names'}; OpenSSL skips ${unknown.length === 1 ? 'it' : 'them'}` });
  }
  if (tls12.length) {
    out.problems.push({ kind: 'tls12-name-in-tls13-list', effect: out.tls13.length ? 'ignored' : 'handshakes-fail', tokens: tls12, message: `${quoteList(tls12)} ${tls12.length === 1 ? 'is a TLS 1.2 suite' : 'are TLS 1.2 suites'} in the TLS 1.3 suite list${out.tls13.length ? ' (OpenSSL accepts them there by accident and prefers them for TLS 1.2)' : ', which leaves no TLS 1.3 suite: while TLS 1.3 is enabled OpenSSL refuses every handshake ("no ciphers available"), TLS 1.2 ones included'}` });
  }
  const refusal = platform === 'nginx' ? 'nginx refuses to start (ssl_conf_command "Ciphersuites" fails)' : 'OpenSSL rejects the list';
  if (unknown.length > 0 && family === '1.1.1') {
    // OpenSSL 1.1.1 fails the whole list on the first unknown name (3.x skips it)
    out.refused = true;
    out.problems = out.problems.filter((p) => p.kind !== 'unknown-tls13-name');
    out.problems.unshift({ kind: 'no-cipher-match', effect: 'refused', tokens: unknown, message: `OpenSSL 1.1.1 rejects the whole TLS 1.3 list "${text}" because ${quoteList(unknown)} ${unknown.length === 1 ? 'is not a suite name' : 'are not suite names'} it knows; ${refusal}` });
  } else if (tokens.length > 0 && out.tls13.length === 0 && tls12.length === 0) {
    out.refused = true;
    out.problems.unshift({ kind: 'no-cipher-match', effect: 'refused', tokens, message: `no TLS 1.3 suite matches "${text}"; ${refusal}` });
  }
  return out;
}

// --- Go ------------------------------------------------------------------------------------------

function resolveGo(spec: CipherSpec, targets: Targets, out: ResolvedCiphers): ResolvedCiphers {
  const items = spec.items?.map((i) => i.text) ?? spec.text.split(/[\s,]+/).filter(Boolean);
  out.tls13 = [0x1301, 0x1302, 0x1303].map((c) => ({ suite: suiteByAnyName(`0x${c.toString(16)}`)! }));
  out.orderIgnored = versionAtLeast(targets.version('go'), '1.17');
  const tls13Named: string[] = [];
  for (const item of items) {
    const suite = suiteByGoName(item) ?? suiteByAnyName(item.replace(/^tls\./, ''));
    if (!suite) {
      out.unknownTokens.push(item);
      continue;
    }
    if (suite.tls13) {
      tls13Named.push(item);
      continue;
    }
    if (!out.suites.some((s) => s.suite === suite)) out.suites.push({ suite, token: item });
  }
  if (out.unknownTokens.length) {
    out.problems.push({ kind: 'unknown-go-name', effect: 'refused', tokens: [...out.unknownTokens], message: `${quoteList(out.unknownTokens)} ${out.unknownTokens.length === 1 ? 'is not a' : 'are not'} Go crypto/tls cipher suite constant${out.unknownTokens.length === 1 ? '' : 's'}` });
  }
  if (tls13Named.length) {
    out.problems.push({ kind: 'go-tls13-not-configurable', effect: 'note', tokens: tls13Named, message: `${quoteList(tls13Named)} in CipherSuites ${tls13Named.length === 1 ? 'has' : 'have'} no effect: Go's TLS 1.3 suites are not configurable` });
  }
  return out;
}

// --- Envoy / BoringSSL -------------------------------------------------------------------------

function resolveBoringSsl(spec: CipherSpec, out: ResolvedCiphers): ResolvedCiphers {
  const items = spec.items?.map((i) => i.text) ?? [spec.text];
  const x = expandBoringSslList(items);
  out.suites = x.suites.map(({ suite, token }) => ({ suite, token }));
  out.tls13 = [0x1301, 0x1302, 0x1303].map((c) => ({ suite: suiteByAnyName(`0x${c.toString(16)}`)! }));
  out.unknownTokens = x.unknown;
  if (x.unknown.length) {
    out.refused = true;
    out.problems.push({ kind: 'unknown-boringssl-name', effect: 'refused', tokens: x.unknown, message: `${quoteList(x.unknown)} ${x.unknown.length === 1 ? 'is not a cipher suite' : 'are not cipher suites'} BoringSSL knows; Envoy rejects the configuration ("Failed to initialize cipher suites")` });
  }
  if (x.tls13Names.length) {
    out.problems.push({ kind: 'tls13-name-in-tls12-list', effect: 'note', tokens: x.tls13Names, message: `${quoteList(x.tls13Names)} in cipher_suites ${x.tls13Names.length === 1 ? 'has' : 'have'} no effect: Envoy's TLS 1.3 suites are not configurable` });
  }
  if (!out.refused && out.suites.length === 0 && items.length > 0) {
    out.refused = true;
    out.problems.unshift({ kind: 'no-cipher-match', effect: 'refused', tokens: items, message: `no cipher suite matches "${items.join(':')}"; Envoy rejects the configuration` });
  }
  return out;
}

// --- observed by the probe -----------------------------------------------------------------------

function resolveObserved(spec: CipherSpec, out: ResolvedCiphers): ResolvedCiphers {
  const items = spec.items?.map((i) => i.text) ?? spec.text.split(/[\s:,]+/).filter(Boolean);
  for (const item of items) {
    const suite = suiteByIanaName(item) ?? suiteByAnyName(item);
    if (!suite) {
      out.unknownTokens.push(item);
      continue;
    }
    (suite.tls13 ? out.tls13 : out.suites).push({ suite, token: item });
  }
  out.tls13Configured = true;
  return out;
}
