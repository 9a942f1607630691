import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import {
  branchNote,
  forLanguage,
  joinAnd,
  locate,
  originClause,
} from '../../src/engine/rule-helpers.js';
import { negotiableProtocols } from '../../src/crypto/protocol-support.js';
import type { ProtocolFailure, TlsContext } from '../../src/model/context.js';
import { PROTOCOL_DISPLAY } from '../../src/model/protocol.js';
import { knownAlternatives } from '../../src/model/setting.js';
import { meta } from './meta.js';

function fixFor(context: TlsContext, key?: string): string {
  const nginxKey = key?.endsWith('_conf_command')
    ? key.replace(/_conf_command$/, '_protocols')
    : (key ?? 'ssl_protocols');
  const nginxCommand = key?.endsWith('_conf_command')
    ? `, and no "${key} MinProtocol/MaxProtocol" that contradicts it`
    : '';
  return forLanguage(context.language, {
    node: 'minVersion: "TLSv1.2" and no maxVersion (or maxVersion: "TLSv1.3"), no secureProtocol',
    nginx: `"${nginxKey} TLSv1.2 TLSv1.3"${nginxCommand}`,
    envoy: 'tls_minimum_protocol_version: TLSv1_2 and tls_maximum_protocol_version: TLSv1_3',
    go: 'MinVersion: tls.VersionTLS12 and no MaxVersion',
    python:
      'minimum_version = ssl.TLSVersion.TLSv1_2 and maximum_version = ssl.TLSVersion.MAXIMUM_SUPPORTED',
    default: 'allow TLS 1.2 and TLS 1.3',
  });
}

function consequence(failure: Pick<ProtocolFailure, 'when'>, context: TlsContext): string {
  if (failure.when === 'start-up')
    return context.role === 'client'
      ? 'the call throws and no connection is made'
      : context.role === 'server'
        ? 'the call throws and the server never starts'
        : 'the call throws';
  return 'every handshake fails';
}

export const rule = defineRule({
  meta,
  check(context, { targets }) {
    const reports: RuleReport[] = [];
    const failures = context.protocolFailures ?? [];
    for (const f of failures) {
      const scope = f.someBranches ? ' (in some branches)' : '';
      reports.push({
        headline: `${f.written} in ${context.label}${scope}`,
        evidence: `${f.failure}, so ${consequence(f, context)}`,
        fix: `${f.kind === 'refused' ? 'use a supported setting' : 'leave at least one version to negotiate'} (${fixFor(context, f.key)})`,
        at: f.at,
      });
    }
    // A reader that knows the platform's reaction has said it; otherwise judge the set itself.
    if (failures.length > 0) return reports;
    const setting = context.protocols;
    if (!setting) return reports;
    for (const alternative of knownAlternatives(setting)) {
      if (alternative.origin === 'observed') continue;
      const { usable, dropped } = negotiableProtocols(context, alternative.value, targets);
      if (usable.length > 0) continue;
      const why =
        dropped.length > 0
          ? `; ${joinAnd(dropped.map((d) => PROTOCOL_DISPLAY[d.version]))} cannot be enabled (${[...new Set(dropped.map((d) => d.why))].join('; ')})`
          : '';
      const note = context.notes?.protocols ? ` (${context.notes.protocols})` : '';
      reports.push({
        headline: `No protocol version is left to negotiate${branchNote(setting)} in ${context.label}`,
        evidence: `${originClause(alternative)}${note}${why}, so every handshake fails ("no protocols available")`,
        fix: `allow TLS 1.2 and TLS 1.3 (${fixFor(context, alternative.key)})`,
        at:
          setting.origin === 'conditional'
            ? locate(alternative, context)
            : locate(setting, context),
      });
    }
    return reports;
  },
});
