/**
 * NULL, EXPORT, anonymous, RC4, single-DES, 3DES or MD5-MAC suites that the configuration (or
 * the endpoint) enables for TLS ≤1.2.
 *
 * Severity: error under every profile, except 3DES, which Mozilla's "old" profile still keeps as
 * a last resort (warning there). Suites a security level ≥1 blocks (anonymous, NULL, EXPORT,
 * MD5) are reported one step lower, with a note.
 *
 * A platform's default list is judged like the same list written out: Go's default 3DES (before
 * Go 1.23, or with GODEBUG tls3des=1) is reported under every profile, once per run for servers
 * (see engine/suite-findings.ts).
 */
import { defineRule } from '../../src/engine/rule-api.js';
import { INSECURE_CATEGORIES } from '../../src/crypto/suite-categories.js';
import { reportSuiteCategories } from '../../src/engine/suite-findings.js';
import { meta } from './meta.js';

export const rule = defineRule({
  meta,
  check: (context, env) => reportSuiteCategories(context, env, INSECURE_CATEGORIES),
});
