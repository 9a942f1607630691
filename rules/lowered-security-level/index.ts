/**
 * `@SECLEVEL=0` in an OpenSSL cipher string (nginx `ssl_ciphers`, Node `ciphers`, Python
 * `set_ciphers`, …). The level is not a filter on the list: it sets what the whole TLS context
 * accepts, so level 0 lets back in more than suites — on OpenSSL 3, TLS 1.0/1.1 handshakes and
 * SHA-1 signatures; on every OpenSSL with levels, keys under 1024 bits (the peer's too) and the
 * anonymous, NULL, EXPORT and MD5-MAC suites. The facts live in src/crypto/security-level.ts.
 *
 * Severity: warning; info under the Mozilla "old" profile, which sets "@SECLEVEL=0" itself to
 * keep TLS 1.0 clients working on OpenSSL 3.
 */
import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { cipherViews } from '../../src/crypto/context-ciphers.js';
import { DEFAULT_SECURITY_LEVEL, reenabledAtLevelZero } from '../../src/crypto/security-level.js';
import { LEGACY_PROTOCOLS } from '../../src/model/protocol.js';
import { knownValues } from '../../src/model/setting.js';
import { meta } from './meta.js';

export const rule = defineRule({
  meta,
  check(context, { policy, targets }) {
    const reports: RuleReport[] = [];
    const legacyEnabled = knownValues(context.protocols).some((set) =>
      LEGACY_PROTOCOLS.some((v) => set.includes(v)),
    );
    for (const view of cipherViews(context, targets)) {
      // only a level the string itself sets: a platform without levels (1.0.2, Go, BoringSSL) has none
      if (view.resolved.secLevel !== 0 || !view.resolved.family) continue;
      const reenabled = reenabledAtLevelZero(view.resolved.family);
      if (reenabled.length === 0) continue;
      if (legacyEnabled && view.resolved.family === '3.x')
        reenabled[0] = `${reenabled[0]!} (enabled here)`;
      reports.push({
        headline: `"@SECLEVEL=0" ${view.origin} sets OpenSSL's security level to 0 for the whole TLS context`,
        evidence: `it lets back in what the default level ${DEFAULT_SECURITY_LEVEL} refuses (OpenSSL ${view.resolved.family}): ${reenabled.join(', ')}`,
        fix: `remove ":@SECLEVEL=0" from ${view.setting.key ? `"${view.setting.key}"` : 'the cipher string'}`,
        at: view.at,
        severity: policy.profile === 'old' ? 'info' : 'warning',
      });
    }
    return reports;
  },
});
