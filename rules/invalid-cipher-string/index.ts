/**
 * Cipher configuration the platform rejects (refuses to start, throws), that makes handshakes
 * fail (IANA TLS 1.2 names in Node `ciphers`), or that it silently half-ignores (unknown names,
 * case slips, IANA names in an OpenSSL list, TLS 1.3 names in a TLS 1.2 list).
 *
 * Severity by effect, whatever the profile: refused or failing handshakes → error; silently
 * ignored part → warning; an item that selects nothing → info. Platform defaults are not judged
 * here (the user did not write them).
 */
import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { cipherViews, tls13Views, type CipherView } from '../../src/crypto/context-ciphers.js';
import type {
  CipherProblem,
  CipherProblemEffect,
  CipherProblemKind,
} from '../../src/crypto/cipher-spec.js';
import { listSome } from '../../src/engine/rule-helpers.js';
import type { Severity } from '../../src/model/finding.js';
import { meta } from './meta.js';

const SEVERITY: Record<CipherProblemEffect, Severity> = {
  refused: 'error',
  'handshakes-fail': 'error',
  ignored: 'warning',
  note: 'info',
};

/** What is wrong, short, with the tokens concerned (quoted, the first few). */
const HEADLINE: Record<CipherProblemKind, string> = {
  'no-cipher-match': 'The cipher list matches no suite',
  'invalid-command': 'The cipher string is invalid at {}',
  'unknown-name': 'Unknown cipher name {}',
  'case-mistake': 'Cipher name {} in the wrong case',
  'iana-name-in-openssl-list': 'IANA suite name {} in an OpenSSL cipher list',
  'tls13-name-in-tls12-list': 'TLS 1.3 suite {} in a TLS 1.2 cipher list',
  'not-built': '{} is not built into this OpenSSL',
  'matches-nothing': '{} selects no suite',
  'default-not-first': 'DEFAULT is not at the start of the cipher string',
  'node-tls12-iana-names': 'TLS 1.2 suites in IANA spelling ({})',
  'unknown-tls13-name': 'Unknown TLS 1.3 suite name {}',
  'tls12-name-in-tls13-list': 'TLS 1.2 suite {} in a TLS 1.3 list',
  'go-tls13-not-configurable': 'TLS 1.3 suite {} has no effect',
  'unknown-go-name': 'Unknown Go cipher suite {}',
  'unknown-boringssl-name': 'Unknown BoringSSL cipher suite {}',
};

/** The fix for each kind, unless the platform's resolution gives a more precise one. */
const FIX: Record<CipherProblemKind, string> = {
  'no-cipher-match':
    "name at least one suite the platform knows (the Mozilla profile's list is a safe start)",
  'invalid-command': 'remove or correct the item',
  'unknown-name': 'correct the name, or remove it',
  'case-mistake': 'write the name in the case OpenSSL uses',
  'iana-name-in-openssl-list': 'write the OpenSSL name of the suite',
  'tls13-name-in-tls12-list':
    'remove it from this list and set TLS 1.3 suites where the platform takes them',
  'not-built': 'remove it: this OpenSSL cannot negotiate it',
  'matches-nothing': 'remove it',
  'default-not-first': 'put DEFAULT first, or list the suites yourself',
  'node-tls12-iana-names': 'write TLS 1.2 suites with OpenSSL names',
  'unknown-tls13-name':
    'use TLS 1.3 suite names (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256)',
  'tls12-name-in-tls13-list': 'move it to the TLS 1.2 list',
  'go-tls13-not-configurable': 'remove it from CipherSuites (Go chooses TLS 1.3 suites itself)',
  'unknown-go-name': 'use the tls.TLS_* constants of crypto/tls',
  'unknown-boringssl-name':
    'use suite names BoringSSL knows (ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256, …)',
};

function headlineOf(problem: CipherProblem, key: string, branch: string): string {
  const tokens = problem.tokens.length
    ? listSome(
        problem.tokens.map((t) => `"${t}"`),
        3,
      )
    : 'an item';
  return `${HEADLINE[problem.kind].replace('{}', tokens)} in "${key}"${branch}`;
}

function reportsFor(view: CipherView): RuleReport[] {
  if (view.setting.origin === 'default' || view.setting.origin === 'observed') return [];
  const key = view.setting.key ?? 'ciphers';
  const branch = view.conditional ? ' (in some branches)' : '';
  return view.resolved.problems.map((p) => ({
    headline: headlineOf(p, key, branch),
    evidence: p.message,
    fix: p.fix ?? FIX[p.kind],
    at: view.at,
    severity: SEVERITY[p.effect],
  }));
}

export const rule = defineRule({
  meta,
  check: (context, env) => {
    const seen = new Set<string>();
    const out: RuleReport[] = [];
    for (const view of [
      ...cipherViews(context, env.targets),
      ...tls13Views(context, env.targets),
    ]) {
      for (const r of reportsFor(view)) {
        const k = `${r.at.file}:${r.at.line}:${r.headline}:${r.evidence ?? ''}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(r);
      }
    }
    return out;
  },
});
