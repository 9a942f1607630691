import type { ProfileName } from '../../src/config/policy.js';
import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, joinAnd, locate, originClause } from '../../src/engine/rule-helpers.js';
import { PROTOCOL_DISPLAY, protocolRank, type ProtocolVersion } from '../../src/model/protocol.js';
import { knownAlternatives } from '../../src/model/setting.js';
import type { Severity } from '../../src/model/finding.js';
import { meta } from './meta.js';

/** Versions below this are insecure under every profile; TLS 1.0/1.1 are tolerated by `old`. */
const BROKEN: readonly ProtocolVersion[] = ['SSLv2', 'SSLv3'];
const LEGACY: readonly ProtocolVersion[] = ['TLSv1.0', 'TLSv1.1'];

function severityFor(weak: readonly ProtocolVersion[], profile: ProfileName): Severity {
  if (weak.some((v) => BROKEN.includes(v))) return 'error';
  return profile === 'old' ? 'info' : 'error';
}

export const rule = defineRule({
  meta,
  check(context, { policy }) {
    const setting = context.protocols;
    if (!setting) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      const weak = alternative.value.filter((v) => BROKEN.includes(v) || LEGACY.includes(v)).sort((a, b) => protocolRank(a) - protocolRank(b));
      if (weak.length === 0) continue;
      const names = joinAnd(weak.map((v) => PROTOCOL_DISPLAY[v]));
      const verb = alternative.origin === 'observed' ? 'accepted' : 'enabled';
      const fix = forLanguage(context.language, {
        node: 'minVersion: "TLSv1.2", no secureProtocol',
        nginx: '"ssl_protocols TLSv1.2 TLSv1.3"',
        envoy: 'tls_minimum_protocol_version: TLSv1_2',
        go: 'MinVersion: tls.VersionTLS12',
        python: 'minimum_version = ssl.TLSVersion.TLSv1_2',
        probe: 'change the server configuration',
        default: 'change the configuration',
      });
      const note = context.notes?.protocols ? ` (${context.notes.protocols})` : '';
      reports.push({
        message: `${names} ${verb}${branchNote(setting)} in ${context.label}: ${originClause(alternative)}${note}; allow only TLS 1.2 and TLS 1.3 (${fix})`,
        at: setting.origin === 'conditional' ? locate(alternative, context) : locate(setting, context),
        severity: severityFor(weak, policy.profile),
      });
    }
    return reports;
  },
});
