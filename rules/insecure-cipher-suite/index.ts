/**
 * NULL, EXPORT, anonymous, RC4, single-DES, 3DES or MD5-MAC suites that the configuration (or
 * the endpoint) enables for TLS ≤1.2.
 *
 * Severity: error under every profile, except 3DES, which Mozilla's "old" profile still keeps as
 * a last resort (warning there). Suites a security level ≥1 blocks (anonymous, NULL, EXPORT,
 * MD5) are reported one step lower, with a note.
 *
 * A platform default that ranks suites itself (Go ≥ 1.17: `orderIgnored`) puts 3DES last, so it is
 * negotiated only with a peer that offers nothing better; Go's default 3DES (before Go 1.23, or
 * with GODEBUG tls3des=1) is therefore judged under the modern profile only, like default CBC.
 */
import { defineRule } from '../../src/engine/rule-api.js';
import { reportSuiteCategories, type SuiteCategory } from '../../src/crypto/suite-findings.js';
import { meta } from './meta.js';

const always = () => 'error' as const;

export const INSECURE_CATEGORIES: readonly SuiteCategory[] = [
  { label: 'NULL-encryption', selects: (s) => s.flags.includes('NULL'), opensslFix: '!eNULL', severity: always, why: 'traffic is sent in clear text' },
  { label: 'anonymous', selects: (s) => s.flags.includes('anon'), opensslFix: '!aNULL', severity: always, why: 'no server authentication: anyone in the middle can impersonate the server' },
  { label: 'EXPORT', selects: (s) => s.flags.includes('EXPORT'), opensslFix: '!EXPORT', severity: always, why: '40/56-bit keys, FREAK/Logjam' },
  { label: 'RC4', selects: (s) => s.flags.includes('RC4'), opensslFix: '!RC4', severity: always, why: 'RFC 7465 prohibits RC4' },
  { label: 'single-DES', selects: (s) => s.flags.includes('DES'), opensslFix: '!DES', severity: always, why: '56-bit keys' },
  { label: 'MD5-MAC', selects: (s) => s.flags.includes('MD5'), opensslFix: '!MD5', severity: always },
  { label: '3DES', selects: (s) => s.flags.includes('3DES'), opensslFix: '!3DES', severity: (p) => (p === 'old' ? 'warning' : 'error'), why: '64-bit blocks, SWEET32', judgeDefaults: (p, view) => !view.resolved.orderIgnored || p === 'modern' },
];

export const rule = defineRule({
  meta,
  check: (context, env) => reportSuiteCategories(context, env, INSECURE_CATEGORIES),
});
