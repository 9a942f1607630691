/**
 * Suites with a static key exchange (RSA key transport, static DH/ECDH): a stolen server key
 * decrypts every recorded session.
 *
 * A platform's default list is judged like the same list written out (see engine/suite-findings.ts).
 * Severity by Mozilla profile: modern → error, intermediate → warning, old → not reported (the
 * old profile keeps RSA key exchange for ancient clients). PSK/SRP suites are left out (usable
 * only with application callbacks); NULL/anonymous ones are insecure-cipher-suite's business.
 */
import { defineRule } from '../../src/engine/rule-api.js';
import { INSECURE_CATEGORIES, type SuiteCategory } from '../../src/crypto/suite-categories.js';
import { reportSuiteCategories } from '../../src/engine/suite-findings.js';
import { meta } from './meta.js';

const STATIC: SuiteCategory = {
  label: 'static-key-exchange',
  selects: (s) =>
    !s.tls13 &&
    !s.flags.includes('forward-secrecy') &&
    ['RSA', 'DH', 'ECDH', 'KRB5'].includes(s.kx) &&
    !INSECURE_CATEGORIES.some((c) => c.selects(s)),
  // OpenSSL 1.0.2 also has static DH/ECDH suites, removed with !kDH and !kECDH
  opensslFix: (suites) =>
    [
      '!kRSA',
      ...(suites.some((s) => s.kx === 'DH') ? ['!kDH'] : []),
      ...(suites.some((s) => s.kx === 'ECDH') ? ['!kECDH'] : []),
    ].join(':'),
  severity: (p) => (p === 'modern' ? 'error' : p === 'intermediate' ? 'warning' : undefined),
  why: 'no forward secrecy: whoever gets the server key can decrypt recorded traffic',
};

export const rule = defineRule({
  meta,
  check: (context, env) => reportSuiteCategories(context, env, [STATIC]),
});
