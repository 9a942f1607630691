/**
 * Public API of the cipher-suite module (stable names; owned by the cipher-suite work).
 *
 * Suite table (./cipher-suites.ts):
 *   CIPHER_SUITES: readonly CipherSuite[]        every IANA suite + legacy OpenSSL/SSLv2 ones
 *   suiteByCode(0xC02F), suiteByIanaName(s), suiteByOpenSslName(s), suiteByGoName(s),
 *   suiteByBoringSslName(s), suiteByAnyName(s), displayName(suite), formatCode(code),
 *   offerableSuites() (what the probe may put in a ClientHello), hasFlag(suite, flag)
 *
 * Cipher strings (./cipher-spec.ts):
 *   resolveCipherSpec(spec: CipherSpec, targets: Targets, opts?): ResolvedCiphers
 *     → suites (TLS ≤1.2, in order, each with the token that brought it in), tls13 suites,
 *       unknown tokens, problems (no cipher match, TLS 1.3 names in Node, case mistakes…)
 *   expandOpenSslCipherString(text, family) — the OpenSSL engine alone (./openssl/engine.ts)
 *   opensslFamilyFor(version): '1.0.2' | '1.1.1' | '3.x'
 *
 * Platform defaults (./platforms/): nodeDefaultCipherList(nodeVersion), nodeOpenSslFamily(v),
 *   pythonDefaultCiphers(v), ENVOY_DEFAULT_CIPHER_SUITES, goDefaultCipherSuites(v)
 *   (nginx's defaults live with the nginx reader)
 * Rules' view of a context (./context-ciphers.ts): cipherViews(context, targets), tls13Views(…)
 * Policy (./mozilla.ts): mozillaProfile(name) — the Mozilla guideline profiles.
 */
export * from './cipher-suites.js';
export * from './cipher-spec.js';
export { expandOpenSslCipherString, type CipherStringItem, type OpenSslExpansion } from './openssl/engine.js';
export { opensslFamilyFor, OPENSSL_FAMILIES, type OpenSslFamily } from './openssl/families.js';
export { nodeDefaultCipherList, nodeOpenSslFamily } from './platforms/node-defaults.js';
export { pythonDefaultCiphers, ENVOY_DEFAULT_CIPHER_SUITES } from './platforms/defaults.js';
export { goDefaultCipherSuites } from './platforms/go-defaults.js';
export { mozillaProfile, profileAllows, type MozillaProfile } from './mozilla.js';
export { cipherViews, tls13Views, type CipherView } from './context-ciphers.js';
