/**
 * CBC-mode suites (MAC-then-encrypt: Lucky13, POODLE-TLS family) enabled for TLS ≤1.2.
 *
 * A platform's default list is judged like the same list written out (see engine/suite-findings.ts).
 * Severity by Mozilla profile: modern → error (AEAD only), intermediate → warning (6.0 allows
 * only AEAD suites), old → not reported (the old profile lists CBC suites itself). Suites that
 * insecure-cipher-suite already reports (3DES, DES, NULL…) are left to that rule.
 */
import { defineRule } from '../../src/engine/rule-api.js';
import { INSECURE_CATEGORIES, type SuiteCategory } from '../../src/crypto/suite-categories.js';
import { reportSuiteCategories } from '../../src/engine/suite-findings.js';
import { meta } from './meta.js';

const insecure = (s: Parameters<SuiteCategory['selects']>[0]) =>
  INSECURE_CATEGORIES.some((c) => c.selects(s));

const CBC: SuiteCategory = {
  label: 'CBC-mode',
  selects: (s) => s.mode === 'CBC' && !insecure(s),
  opensslFix: '!SHA1:!SHA256:!SHA384',
  severity: (p) => (p === 'modern' ? 'error' : p === 'intermediate' ? 'warning' : undefined),
  why: 'MAC-then-encrypt, exposed to Lucky13-style padding-oracle attacks, unlike AEAD (GCM, CHACHA20-POLY1305)',
};

export const rule = defineRule({
  meta,
  check: (context, env) => reportSuiteCategories(context, env, [CBC]),
});
