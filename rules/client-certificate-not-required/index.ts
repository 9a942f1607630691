import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { mtlsIntent } from '../../src/engine/mtls-intent.js';
import type { TlsContext } from '../../src/model/context.js';
import { knownAlternatives, knownValues, settingLocation } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * One setting can make a certificate both optional and unverified (Node `requestCert: true`
 * with `rejectUnauthorized: false`). Then client-certificate-not-verified tells the story and
 * this rule stays quiet, so one mistake gives one finding.
 */
function coveredByNotVerified(context: TlsContext): boolean {
  const verify = context.clientVerify;
  if (!verify || !knownValues(verify).some((v) => v !== 'ca')) return false;
  const a = settingLocation(context.clientAuth);
  const b = settingLocation(verify);
  return !!a && !!b && a.file === b.file && a.line === b.line && a.column === b.column;
}

export const rule = defineRule({
  meta,
  check(context, { policy }) {
    const intent = mtlsIntent(context, policy);
    if (!intent.applies) return [];
    const setting = context.clientAuth;
    if (!setting || coveredByNotVerified(context)) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      if (alternative.value === 'required') continue;
      const observed = alternative.origin === 'observed';
      const what =
        alternative.value === 'none'
          ? observed
            ? 'The server does not request a client certificate'
            : 'Client certificates are never requested'
          : observed
            ? 'Clients without a certificate are accepted'
            : 'Client certificates are optional';
      const fix = forLanguage(context.language, {
        node: 'set requestCert: true and keep rejectUnauthorized: true',
        nginx: 'set "ssl_verify_client on"',
        envoy: 'set require_client_certificate: true',
        go: 'set ClientAuth: tls.RequireAndVerifyClientCert',
        python: 'set verify_mode = ssl.CERT_REQUIRED',
        probe:
          'make the server refuse clients without a certificate (nginx "ssl_verify_client on", Node requestCert: true with rejectUnauthorized: true)',
        default: 'require a client certificate',
      });
      const letIn =
        alternative.value === 'optional' && !observed ? ', so clients without one are let in' : '';
      // When the request itself is the only sign of intent, the message must not say both
      // "requested" and "never requested": say which branches fall short.
      const onlySomeBranches = intent.source === 'client-auth' && setting.origin === 'conditional';
      reports.push({
        headline: onlySomeBranches
          ? `Client certificates are required only in some branches of ${context.label}`
          : `${what}${branchNote(setting)} in ${context.label}`,
        evidence: onlySomeBranches
          ? `where ${originClause(alternative)}, ${what.charAt(0).toLowerCase()}${what.slice(1)}${letIn}`
          : `${originClause(alternative)}${letIn}, although ${intent.because}`,
        fix: `to require mutual TLS, ${fix}`,
        at:
          setting.origin === 'conditional'
            ? locate(alternative, context)
            : locate(setting, context),
      });
    }
    return reports;
  },
});
