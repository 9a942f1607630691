import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { knownAlternatives } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * Renegotiation lets the peer start a new handshake inside an established connection: the TLS
 * state machine that has carried the renegotiation attacks (CVE-2009-3555 before RFC 5746,
 * renegotiation DoS, identity changes mid-connection). TLS 1.3 removed it. The model field
 * `renegotiation` says what the context allows: `never`, `once` per connection, or `freely`.
 * `freely` is reported at the rule's severity, `once` (Go's RenegotiateOnceAsClient, meant for
 * servers that ask for a client certificate after the first handshake) one level lower.
 */
export const rule = defineRule({
  meta,
  check(context) {
    const setting = context.renegotiation;
    if (!setting) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      if (alternative.value === 'never') continue;
      const fix = forLanguage(context.language, {
        go: 'remove Renegotiation (the default is tls.RenegotiateNever)',
        envoy: 'remove allow_renegotiation (the default is false)',
        default: 'turn renegotiation off',
      });
      const how = alternative.value === 'freely' ? 'as often as it wants' : 'once per connection';
      reports.push({
        headline: `The peer may renegotiate ${how}${branchNote(setting)} in ${context.label}`,
        evidence: `${originClause(alternative)} — renegotiation re-runs the handshake inside an established connection (renegotiation attacks and denial of service; TLS 1.3 dropped it)`,
        fix,
        at:
          setting.origin === 'conditional'
            ? locate(alternative, context)
            : locate(setting, context),
        severity: alternative.value === 'freely' ? 'warning' : 'info',
      });
    }
    return reports;
  },
});
