/**
 * OpenSSL cipher strings (nginx `ssl_ciphers`, Python `set_ciphers`, Apache, HAProxy; also the
 * TLS ≤1.2 part of Node's `ciphers`) and exact TLS 1.3 lists (`ssl_conf_command Ciphersuites`),
 * with the semantics of the target OpenSSL family (docs/platform-facts.md#openssl-cipher-strings).
 */
import {
  platformName,
  quoteList,
  refusalPhrase,
  type CipherPlatform,
  type CipherProblem,
  type ResolvedCiphers,
  type ResolvedSuite,
} from '../cipher-resolution.js';
import {
  displayName,
  suiteByAnyName,
  suiteByIanaName,
  suiteByOpenSslName,
} from '../cipher-suites.js';
import { expandOpenSslCipherString, type CipherStringItem } from '../openssl/engine.js';
import { familyDefinition, type OpenSslFamily } from '../openssl/families.js';

export function defaultTls13(family: OpenSslFamily): ResolvedSuite[] {
  return familyDefinition(family).tls13Default.map((suite) => ({ suite }));
}

export function resolveOpenSsl(
  text: string,
  family: OpenSslFamily,
  platform: CipherPlatform,
  out: ResolvedCiphers,
): ResolvedCiphers {
  out.family = family;
  out.tls13 = defaultTls13(family);
  const x = expandOpenSslCipherString(text, family);
  out.items = x.items;
  if (x.secLevel !== undefined) out.secLevel = x.secLevel;
  out.suites = x.suites.map((suite) => ({
    suite,
    ...(x.broughtBy.get(suite) && { token: x.broughtBy.get(suite)!.text }),
  }));
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
export function refusalHint(problems: readonly CipherProblem[]): string {
  const useful = problems.find(
    (p) =>
      p.kind === 'case-mistake' ||
      p.kind === 'iana-name-in-openssl-list' ||
      p.kind === 'tls13-name-in-tls12-list',
  );
  return useful ? ` (${useful.message})` : '';
}

/** Problems with single items of an OpenSSL string that OpenSSL silently ignores. */
export function itemProblems(
  items: readonly CipherStringItem[],
  family: OpenSslFamily,
  platform: CipherPlatform,
): CipherProblem[] {
  const out: CipherProblem[] = [];
  const adding = (i: CipherStringItem) => i.op === 'add';
  for (const item of items) {
    const name = (item.op === 'add' ? item.text : item.text.slice(1)).split('+')[0] ?? item.text;
    if (item.kind === 'unknown') {
      if (/^TLS_/.test(name)) {
        const suite = suiteByIanaName(name);
        if (suite?.tls13) {
          out.push({
            kind: 'tls13-name-in-tls12-list',
            effect: 'ignored',
            tokens: [item.text],
            message: `"${item.text}" is a TLS 1.3 suite; this OpenSSL cipher list only sets TLS 1.2-and-older suites, so it is ignored${platform === 'nginx' ? ' (TLS 1.3 suites are set with "ssl_conf_command Ciphersuites")' : ''}`,
          });
        } else {
          out.push({
            kind: 'iana-name-in-openssl-list',
            effect: 'ignored',
            tokens: [item.text],
            message: `"${item.text}" is an IANA name; OpenSSL cipher lists only know OpenSSL names${suite?.openssl ? ` ("${suite.openssl}")` : ''}, so it is silently ignored`,
          });
        }
      } else if (item.caseSuggestion) {
        out.push({
          kind:
            item.caseSuggestion === 'DEFAULT' && item !== items[0]
              ? 'default-not-first'
              : 'case-mistake',
          effect: 'ignored',
          tokens: [item.text],
          message: `"${item.text}" is silently ignored: OpenSSL cipher names are case-sensitive; did you mean "${item.caseSuggestion}"?${item.caseSuggestion === 'DEFAULT' && item !== items[0] ? ' (DEFAULT itself only works as the first item)' : ''}`,
        });
      } else if (name === 'DEFAULT') {
        out.push({
          kind: 'default-not-first',
          effect: 'ignored',
          tokens: [item.text],
          message: `"${item.text}" is ignored: OpenSSL only expands DEFAULT at the very start of the string`,
        });
      } else {
        const other = suiteByOpenSslName(name) ?? suiteByAnyName(name);
        if (other) {
          // excluding a suite this OpenSSL does not build is harmless (like !EXPORT on 3.x)
          if (adding(item))
            out.push({
              kind: 'not-built',
              effect: 'ignored',
              tokens: [item.text],
              message: `"${item.text}" ${displayName(other) === name ? 'is a suite' : `names ${displayName(other)}, a suite`} OpenSSL ${family} does not build by default; it is ignored`,
            });
        } else {
          out.push({
            kind: 'unknown-name',
            effect: 'ignored',
            tokens: [item.text],
            message: `"${item.text}" is not a cipher suite or alias OpenSSL ${family} knows; it is silently ignored`,
          });
        }
      }
    } else if (
      (item.kind === 'alias' || item.kind === 'suite' || item.kind === 'legacy') &&
      adding(item) &&
      item.matched === 0
    ) {
      // OpenSSL ≥1.1.0 keeps old suite names as aliases (EDH-RSA-DES-CBC3-SHA): say it like for DES-CBC3-SHA
      const named = item.text === name ? suiteByOpenSslName(name) : undefined;
      if (named) {
        out.push({
          kind: 'not-built',
          effect: 'ignored',
          tokens: [item.text],
          message: `"${item.text}" names ${displayName(named)}, a suite OpenSSL ${family} does not build by default; it is ignored`,
        });
        continue;
      }
      out.push({
        kind: 'matches-nothing',
        effect: 'note',
        tokens: [item.text],
        message: `"${item.text}" selects no suite in OpenSSL ${family}`,
      });
    }
  }
  return out;
}

export function resolveTls13List(
  text: string,
  family: OpenSslFamily,
  platform: CipherPlatform,
  out: ResolvedCiphers,
): ResolvedCiphers {
  out.family = family;
  out.tls13Configured = true;
  const def = familyDefinition(family);
  const tokens = text
    .split(':')
    .map((t) => t.trim())
    .filter(Boolean);
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
    out.problems.push({
      kind: 'unknown-tls13-name',
      effect: 'ignored',
      tokens: unknown,
      message: `${quoteList(unknown)} ${unknown.length === 1 ? 'is not a TLS 1.3 suite name' : 'are not TLS 1.3 suite names'}; OpenSSL skips ${unknown.length === 1 ? 'it' : 'them'}`,
    });
  }
  if (tls12.length) {
    out.problems.push({
      kind: 'tls12-name-in-tls13-list',
      effect: out.tls13.length ? 'ignored' : 'handshakes-fail',
      tokens: tls12,
      message: `${quoteList(tls12)} ${tls12.length === 1 ? 'is a TLS 1.2 suite' : 'are TLS 1.2 suites'} in the TLS 1.3 suite list${out.tls13.length ? ' (OpenSSL accepts them there by accident and prefers them for TLS 1.2)' : ', which leaves no TLS 1.3 suite: while TLS 1.3 is enabled OpenSSL refuses every handshake ("no ciphers available"), TLS 1.2 ones included'}`,
    });
  }
  const refusal =
    platform === 'nginx'
      ? 'nginx refuses to start (ssl_conf_command "Ciphersuites" fails)'
      : 'OpenSSL rejects the list';
  if (unknown.length > 0 && family === '1.1.1') {
    // OpenSSL 1.1.1 fails the whole list on the first unknown name (3.x skips it)
    out.refused = true;
    out.problems = out.problems.filter((p) => p.kind !== 'unknown-tls13-name');
    out.problems.unshift({
      kind: 'no-cipher-match',
      effect: 'refused',
      tokens: unknown,
      message: `OpenSSL 1.1.1 rejects the whole TLS 1.3 list "${text}" because ${quoteList(unknown)} ${unknown.length === 1 ? 'is not a suite name' : 'are not suite names'} it knows; ${refusal}`,
    });
  } else if (tokens.length > 0 && out.tls13.length === 0 && tls12.length === 0) {
    out.refused = true;
    out.problems.unshift({
      kind: 'no-cipher-match',
      effect: 'refused',
      tokens,
      message: `no TLS 1.3 suite matches "${text}"; ${refusal}`,
    });
  }
  return out;
}
