/**
 * Node.js `ciphers` (docs/platform-facts.md#nodejs): split on ":" only; `TLS_`-prefixed tokens go to the
 * TLS 1.3 list, the rest to the TLS ≤1.2 list; IANA TLS 1.2 names in the TLS 1.3 list and
 * strings with only `TLS_` tokens break handshakes.
 */
import {
  listSome,
  quoteList,
  refusalPhrase,
  type ResolvedCiphers,
  type ResolvedSuite,
} from '../cipher-resolution.js';
import { suiteByIanaName } from '../cipher-suites.js';
import { expandOpenSslCipherString } from '../openssl/engine.js';
import { familyDefinition, type OpenSslFamily } from '../openssl/families.js';
import { defaultTls13, itemProblems, refusalHint } from './openssl.js';

export function resolveNode(
  text: string,
  family: OpenSslFamily,
  out: ResolvedCiphers,
): ResolvedCiphers {
  out.family = family;
  // Node: `ciphers || tls.DEFAULT_CIPHERS`; an empty string means the default (the reader puts
  // the default text in that case already).
  const tokens = text.split(':').filter((t) => t.length > 0);
  if (text !== '' && tokens.length === 0) {
    // only separators: both lists are empty and Node throws ERR_INVALID_ARG_VALUE
    out.refused = true;
    out.problems.push({
      kind: 'no-cipher-match',
      effect: 'refused',
      tokens: [text],
      message: `"${text}" names no suite at all; tls.createSecureContext() throws ERR_INVALID_ARG_VALUE`,
    });
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
      out.problems.push({
        kind: 'unknown-tls13-name',
        effect: 'ignored',
        tokens: unknown13,
        message: `Node passes ${quoteList(unknown13)} to the TLS 1.3 suite list, where ${unknown13.length === 1 ? 'it is not a known TLS 1.3 suite' : 'they are not known TLS 1.3 suites'}; OpenSSL skips ${unknown13.length === 1 ? 'it' : 'them'}`,
      });
    }
    if (iana12.length) {
      const openssl = iana12
        .map((t) => suiteByIanaName(t)?.openssl)
        .filter((n): n is string => !!n);
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
        message: `Node treats every "TLS_"-prefixed name in "ciphers" as a TLS 1.3 suite name; ${quoteList(iana12)} ${iana12.length === 1 ? 'is a TLS 1.2 suite' : 'are TLS 1.2 suites'} in IANA spelling, so ${consequence}`,
        fix: `write TLS 1.2 suites with OpenSSL names${openssl.length ? ` (${listSome(openssl, 4)})` : ''}`,
      });
    }
    // OpenSSL 3 fails SSL_CTX_set_ciphersuites when no name in it is known (Node 20, OpenSSL 3.0);
    // OpenSSL 1.1.1 (Node 12–16) fails it on the first unknown name (ssl_ciph.c ciphersuite_cb).
    if (unknown13.length > 0 && family === '1.1.1') {
      out.refused = true;
      out.problems = out.problems.filter((p) => p.kind !== 'unknown-tls13-name');
      out.problems.unshift({
        kind: 'no-cipher-match',
        effect: 'refused',
        tokens: unknown13,
        message: `OpenSSL 1.1.1 rejects the whole TLS 1.3 list because ${quoteList(unknown13)} ${unknown13.length === 1 ? 'is not a suite name' : 'are not suite names'} it knows; ${refusalPhrase('node')}`,
      });
    } else if (out.tls13.length === 0 && iana12.length === 0 && unknown13.length > 0) {
      out.refused = true;
      out.problems.unshift({
        kind: 'no-cipher-match',
        effect: 'refused',
        tokens: unknown13,
        message: `none of ${quoteList(unknown13)} is a TLS 1.3 suite; ${refusalPhrase('node')}`,
      });
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
    out.problems = out.problems.filter(
      (p) => p.kind === 'node-tls12-iana-names' || p.kind === 'unknown-tls13-name',
    );
    out.problems.unshift({
      kind: x.error.kind,
      effect: 'refused',
      tokens: x.error.item ? [x.error.item.text] : [],
      message:
        x.error.kind === 'invalid-command'
          ? `OpenSSL rejects "${tls12Text}" at "${x.error.item?.text ?? ''}" (invalid command); tls.createSecureContext() throws`
          : `no TLS 1.2-or-older suite of OpenSSL ${family} matches "${tls12Text}"; ${refusalPhrase('node')}${hint}`,
    });
    return out;
  }
  out.suites = x.suites.map((suite) => ({
    suite,
    ...(x.broughtBy.get(suite) && { token: x.broughtBy.get(suite)!.text }),
  }));
  // TLS 1.2 suites named in IANA spelling sit in the TLS 1.3 list, which OpenSSL puts first
  // (see node-tls12-iana-names above); they are usable when a real TLS 1.3 suite is there too.
  if (out.tls13.length > 0) {
    const front: ResolvedSuite[] = [];
    for (const t of tls13Tokens) {
      const suite = suiteByIanaName(t);
      if (suite && !suite.tls13 && !front.some((r) => r.suite === suite))
        front.push({ suite, token: t });
    }
    if (front.length)
      out.suites = [...front, ...out.suites.filter((r) => !front.some((f) => f.suite === r.suite))];
  }
  return out;
}
