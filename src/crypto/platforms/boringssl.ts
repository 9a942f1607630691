/**
 * BoringSSL cipher lists as Envoy passes them (`tls_params.cipher_suites`, joined with ":"):
 * names (BoringSSL's OpenSSL-style names or IANA names), a few aliases, `a+b` intersections,
 * `!`/`-` removal and `[a|b]` equal-preference groups. Envoy uses the strict parser, so an
 * unknown name makes it reject the configuration.
 *
 * Order is approximate for aliases (BoringSSL's own preference order is not modelled); explicit
 * lists keep their written order.
 */
import type { CipherSpec } from '../../model/context.js';
import { quoteList, type ResolvedCiphers } from '../cipher-resolution.js';
import { CIPHER_SUITES, suiteByAnyName, suiteByBoringSslName } from '../cipher-suites.js';
import type { CipherSuite } from '../suite-types.js';

const BORING_SUITES: readonly CipherSuite[] = CIPHER_SUITES.filter((s) => s.boringssl && !s.tls13);

const ALIASES: Record<string, (s: CipherSuite) => boolean> = {
  ALL: () => true,
  DEFAULT: () => true,
  HIGH: (s) => s.cipher !== '3DES',
  FIPS: (s) => s.cipher === 'AES' || s.cipher === '3DES',
  kRSA: (s) => s.kx === 'RSA',
  RSA: (s) => s.kx === 'RSA',
  kECDHE: (s) => s.kx === 'ECDHE' || s.kx === 'ECDHE-PSK',
  kEECDH: (s) => s.kx === 'ECDHE' || s.kx === 'ECDHE-PSK',
  ECDHE: (s) => s.kx === 'ECDHE',
  EECDH: (s) => s.kx === 'ECDHE',
  kPSK: (s) => s.kx === 'PSK',
  PSK: (s) => s.flags.includes('PSK'),
  aRSA: (s) => s.au === 'RSA',
  aECDSA: (s) => s.au === 'ECDSA',
  ECDSA: (s) => s.au === 'ECDSA',
  aPSK: (s) => s.au === 'PSK',
  '3DES': (s) => s.cipher === '3DES',
  AES: (s) => s.cipher === 'AES',
  AES128: (s) => s.cipher === 'AES' && s.bits === 128,
  AES256: (s) => s.cipher === 'AES' && s.bits === 256,
  AESGCM: (s) => s.enc === 'AESGCM',
  CHACHA20: (s) => s.cipher === 'CHACHA20',
  SHA1: (s) => s.mac === 'SHA1',
  SHA: (s) => s.mac === 'SHA1',
  SHA256: (s) => s.mac === 'SHA256',
  SHA384: (s) => s.mac === 'SHA384',
  TLSv1: (s) => s.minProtocol !== 'TLSv1.2',
  'TLSv1.0': (s) => s.minProtocol !== 'TLSv1.2',
  'TLSv1.2': (s) => s.minProtocol === 'TLSv1.2',
};

export interface BoringSslExpansion {
  suites: Array<{ suite: CipherSuite; token: string }>;
  unknown: string[];
  /** Names of TLS 1.3 suites: BoringSSL does not configure TLS 1.3 through this list. */
  tls13Names: string[];
}

function selector(name: string): ((s: CipherSuite) => boolean) | undefined {
  const parts = name.split('+');
  const preds: Array<(s: CipherSuite) => boolean> = [];
  for (const p of parts) {
    const suite = suiteByBoringSslName(p);
    if (suite) preds.push((s) => s === suite);
    else if (ALIASES[p]) preds.push(ALIASES[p]);
    else return undefined;
  }
  return (s) => preds.every((f) => f(s));
}

function expandBoringSslList(items: readonly string[]): BoringSslExpansion {
  const active: Array<{ suite: CipherSuite; token: string }> = [];
  const killed = new Set<CipherSuite>();
  const unknown: string[] = [];
  const tls13Names: string[] = [];
  const tokens = items
    .flatMap((i) => i.split(':'))
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of tokens) {
    const group = /^\[(.*)\]$/.exec(token);
    const members = group ? group[1]!.split('|').map((t) => t.trim()) : [token];
    for (const raw of members) {
      const op = raw[0] === '!' || raw[0] === '-' || raw[0] === '+' ? raw[0] : '';
      const name = op ? raw.slice(1) : raw;
      if (/^TLS_(AES|CHACHA20)_/.test(name)) {
        tls13Names.push(raw);
        continue;
      }
      const sel = selector(name);
      if (!sel) {
        unknown.push(raw);
        continue;
      }
      const matched = BORING_SUITES.filter(sel);
      if (op === '!' || op === '-') {
        for (const s of matched) {
          if (op === '!') killed.add(s);
          const i = active.findIndex((x) => x.suite === s);
          if (i >= 0) active.splice(i, 1);
        }
      } else if (op === '+') {
        for (const s of matched) {
          const i = active.findIndex((x) => x.suite === s);
          if (i >= 0) active.push(...active.splice(i, 1));
        }
      } else {
        for (const s of matched)
          if (!killed.has(s) && !active.some((x) => x.suite === s))
            active.push({ suite: s, token: raw });
      }
    }
  }
  return { suites: active, unknown, tls13Names };
}

// --- as Envoy resolves it ---------------------------------------------------------------------

export function resolveBoringSsl(spec: CipherSpec, out: ResolvedCiphers): ResolvedCiphers {
  const items = spec.items?.map((i) => i.text) ?? [spec.text];
  const x = expandBoringSslList(items);
  out.suites = x.suites.map(({ suite, token }) => ({ suite, token }));
  out.tls13 = [0x1301, 0x1302, 0x1303].map((c) => ({
    suite: suiteByAnyName(`0x${c.toString(16)}`)!,
  }));
  out.unknownTokens = x.unknown;
  if (x.unknown.length) {
    out.refused = true;
    out.problems.push({
      kind: 'unknown-boringssl-name',
      effect: 'refused',
      tokens: x.unknown,
      message: `${quoteList(x.unknown)} ${x.unknown.length === 1 ? 'is not a cipher suite' : 'are not cipher suites'} BoringSSL knows; Envoy rejects the configuration ("Failed to initialize cipher suites")`,
    });
  }
  if (x.tls13Names.length) {
    out.problems.push({
      kind: 'tls13-name-in-tls12-list',
      effect: 'note',
      tokens: x.tls13Names,
      message: `${quoteList(x.tls13Names)} in cipher_suites ${x.tls13Names.length === 1 ? 'has' : 'have'} no effect: Envoy's TLS 1.3 suites are not configurable`,
    });
  }
  if (!out.refused && out.suites.length === 0 && items.length > 0) {
    out.refused = true;
    out.problems.unshift({
      kind: 'no-cipher-match',
      effect: 'refused',
      tokens: items,
      message: `no cipher suite matches "${items.join(':')}"; Envoy rejects the configuration`,
    });
  }
  return out;
}
