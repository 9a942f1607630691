/**
 * The curves half of weak-key: key-exchange groups configured with fewer than 224 bits
 * (`ecdhCurve: 'secp192r1'`, `ssl_ecdh_curve prime192v1`). Certificate keys are the other half
 * (material.ts).
 */
import type { RuleContext, RuleReport } from '../../src/engine/rule-api.js';
import type { TlsContext } from '../../src/model/context.js';
import { knownAlternatives, settingLocation } from '../../src/model/setting.js';
import { originClause } from '../../src/engine/rule-helpers.js';

/** Field sizes of the WAP/WTLS curves by number (wtls2 does not exist in OpenSSL). */
const WTLS_BITS: Record<number, number> = {
  1: 113,
  3: 163,
  4: 113,
  5: 163,
  6: 112,
  7: 160,
  8: 112,
  9: 160,
  10: 233,
  11: 233,
  12: 224,
};

/** Field size in bits of a named curve, from its name; undefined when not an EC curve we know. */
export function curveBits(name: string): number | undefined {
  const n = name.trim();
  if (/^(x25519|X25519|x448|X448)$/.test(n)) return n.toLowerCase() === 'x25519' ? 255 : 448;
  if (/MLKEM|Kyber|ffdhe/i.test(n)) return undefined;
  const p = /^P-(\d+)$/i.exec(n);
  if (p) return Number(p[1]);
  const m = /^(?:secp|sect|prime|brainpoolP|c2pnb|c2tnb|c2onb|wap-wsg-idm-ecid-wtls)(\d+)/i.exec(n);
  if (!m) return undefined;
  const digits = Number(m[1]);
  // wtls1…12 are curve numbers, not sizes (OpenSSL's curve list: `openssl ecparam -list_curves`)
  if (/^wap-wsg/i.test(n)) return WTLS_BITS[digits];
  return digits;
}

export function checkWeakCurves(context: TlsContext, _env: RuleContext): RuleReport[] {
  const out: RuleReport[] = [];
  for (const alt of knownAlternatives(context.curves)) {
    if (alt.origin === 'default') continue;
    const weak = alt.value.filter((c) => {
      const bits = curveBits(c);
      return bits !== undefined && bits < 224;
    });
    if (weak.length === 0) continue;
    const at = settingLocation(alt) ?? context.enabledAt ?? context.at;
    const key = alt.key ?? 'ecdhCurve';
    const list = weak.map((c) => `"${c}" (${curveBits(c)!}-bit)`).join(', ');
    const observed = alt.origin === 'observed';
    out.push({
      headline: observed
        ? `The endpoint uses ${list}, a curve under 224 bits`
        : `${list} in "${key}", a curve under 224 bits`,
      evidence: `${observed ? `observed: ${alt.evidence}` : originClause(alt, alt.value.join(':'))} — less than 112-bit security`,
      fix: 'use X25519, prime256v1 or secp384r1',
      at,
      severity: 'error',
      observable: { items: weak.map((c) => `curve:${c.toLowerCase()}`) },
    });
  }
  return out;
}
