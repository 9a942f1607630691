import type { ProfileName } from '../../src/config/policy.js';
import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import {
  branchNote,
  forLanguage,
  joinAnd,
  locate,
  originClause,
} from '../../src/engine/rule-helpers.js';
import {
  BROKEN_PROTOCOLS,
  LEGACY_PROTOCOLS,
  PROTOCOL_DISPLAY,
  protocolRank,
  type ProtocolVersion,
} from '../../src/model/protocol.js';
import { knownAlternatives } from '../../src/model/setting.js';
import { negotiableProtocols } from '../../src/crypto/protocol-support.js';
import {
  levelZeroProtocolNote,
  openSsl3RefusingLegacyProtocols,
} from '../../src/crypto/security-level.js';
import type { TlsContext } from '../../src/model/context.js';
import type { Targets } from '../../src/config/targets.js';
import { oneStepLower, type Severity } from '../../src/model/finding.js';
import { meta } from './meta.js';

function severityFor(weak: readonly ProtocolVersion[], profile: ProfileName): Severity {
  if (weak.some((v) => BROKEN_PROTOCOLS.includes(v))) return 'error';
  return profile === 'old' ? 'info' : 'error';
}

/** The default-protocol note when the system's OpenSSL 3 refuses the versions at handshake time. */
function openSsl3SecurityLevelNote(context: TlsContext, targets: Targets): string | undefined {
  const openssl = openSsl3RefusingLegacyProtocols(context, targets);
  return openssl
    ? `OpenSSL ${openssl} refuses them unless the cipher string has "@SECLEVEL=0"; an OpenSSL 1.x build accepts them`
    : undefined;
}

export const rule = defineRule({
  meta,
  check(context, { policy, targets }) {
    const setting = context.protocols;
    if (!setting) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      const weak = alternative.value
        .filter((v) => BROKEN_PROTOCOLS.includes(v) || LEGACY_PROTOCOLS.includes(v))
        .sort((a, b) => protocolRank(a) - protocolRank(b));
      if (weak.length === 0) continue;
      // Nothing the library can speak is left: every handshake fails (invalid-protocol-range).
      if (negotiableProtocols(context, alternative.value, targets).usable.length === 0) continue;
      const names = joinAnd(weak.map((v) => PROTOCOL_DISPLAY[v]));
      const verb = alternative.origin === 'observed' ? 'accepted' : 'enabled';
      // A reader may know the fix its target takes (`protocolsFix`: Node without minVersion, a runtime floor).
      const fix =
        context.notes?.protocolsFix ??
        forLanguage(context.language, {
          node: 'minVersion: "TLSv1.2", no secureProtocol',
          nginx: alternative.key?.endsWith('_conf_command')
            ? `"${alternative.key} MinProtocol TLSv1.2"`
            : `"${alternative.key ?? 'ssl_protocols'} TLSv1.2 TLSv1.3"`,
          envoy: 'tls_minimum_protocol_version: TLSv1_2',
          go: 'MinVersion: tls.VersionTLS12',
          python: 'minimum_version = ssl.TLSVersion.TLSv1_2',
          default: 'change the configuration',
        });
      const note = context.notes?.protocols ? ` (${context.notes.protocols})` : '';
      const secLevel =
        alternative.origin === 'default' ? openSsl3SecurityLevelNote(context, targets) : undefined;
      // An inherited value is one finding for every server that inherits it: no per-server note.
      const levelZero =
        alternative.origin !== 'inherited' && weak.some((v) => LEGACY_PROTOCOLS.includes(v))
          ? levelZeroProtocolNote(context, targets)
          : undefined;
      const observed = alternative.origin === 'observed';
      reports.push({
        headline: observed
          ? `${names} ${verb} by ${context.label}`
          : `${names} ${verb}${branchNote(setting)} in ${context.label}`,
        evidence: observed
          ? alternative.evidence
          : `${originClause(alternative)}${note}${secLevel ? ` (${secLevel})` : ''}${levelZero ? `; ${levelZero}` : ''}`,
        fix: observed
          ? 'allow only TLS 1.2 and TLS 1.3 in the server configuration'
          : `allow only TLS 1.2 and TLS 1.3 (${fix})`,
        at:
          setting.origin === 'conditional'
            ? locate(alternative, context)
            : locate(setting, context),
        // A default that the assumed OpenSSL refuses at handshake time is a latent problem, not a
        // live one: one step below what the profile gives a written value.
        severity:
          secLevel && !weak.some((v) => BROKEN_PROTOCOLS.includes(v))
            ? oneStepLower(severityFor(weak, policy.profile))
            : severityFor(weak, policy.profile),
        observable: { items: [...weak] },
      });
    }
    return reports;
  },
});
