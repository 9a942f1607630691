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
 *   resolveContextCiphers(context, targets): per known alternative of context.ciphers/tls13Ciphers
 *   expandOpenSslCipherString(text, family) — the OpenSSL engine alone (./openssl/engine.ts)
 *   opensslFamilyFor(version): '1.0.2' | '1.1.1' | '3.x'
 *
 * Platform defaults (./platforms/): nodeDefaultCipherList(nodeVersion), NGINX_DEFAULT_CIPHERS …
 * Policy (./mozilla.ts): mozillaProfile(name) — the Mozilla guideline profiles.
 */
export * from './cipher-suites.js';
