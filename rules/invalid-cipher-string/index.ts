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
import type { CipherProblemEffect } from '../../src/crypto/cipher-spec.js';
import type { Severity } from '../../src/model/finding.js';
import { meta } from './meta.js';

const SEVERITY: Record<CipherProblemEffect, Severity> = {
  refused: 'error',
  'handshakes-fail': 'error',
  ignored: 'warning',
  note: 'info',
};

function reportsFor(view: CipherView): RuleReport[] {
  if (view.setting.origin === 'default' || view.setting.origin === 'observed') return [];
  const key = view.setting.key ?? 'ciphers';
  const branch = view.conditional ? ' (in some branches)' : '';
  return view.resolved.problems.map((p) => ({
    message: `"${key}"${branch}: ${p.message}`,
    at: view.at,
    severity: SEVERITY[p.effect],
  }));
}

export const rule = defineRule({
  meta,
  check: (context, env) => {
    const seen = new Set<string>();
    const out: RuleReport[] = [];
    for (const view of [...cipherViews(context, env.targets), ...tls13Views(context, env.targets)]) {
      for (const r of reportsFor(view)) {
        const k = `${r.at.file}:${r.at.line}:${r.message}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(r);
      }
    }
    return out;
  },
});
