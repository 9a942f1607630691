import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { knownAlternatives } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * The chain may be verified, but a certificate issued for any other host is accepted: whoever
 * holds a certificate from the same CA can impersonate the server.
 */
export const rule = defineRule({
  meta,
  check(context) {
    if (context.role === 'server' && context.language !== 'probe') return [];
    const setting = context.hostnameVerification;
    if (!setting) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      if (alternative.value !== false) continue;
      if (context.language === 'probe') {
        reports.push({
          message: `The served certificate does not match the requested host name: ${originClause(alternative)}; clients that check host names will refuse it. Serve a certificate whose subjectAltName covers the name`,
          at: locate(setting, context),
        });
        continue;
      }
      const ownKey = alternative.key && alternative.key !== 'checkServerIdentity' ? `remove "${alternative.key}"` : undefined;
      const fix = ownKey ?? forLanguage(context.language, {
        node: 'remove the custom checkServerIdentity, or call tls.checkServerIdentity(host, cert) in it and return its result',
        nginx: 'set "proxy_ssl_verify on" and "proxy_ssl_name" to the upstream host name',
        go: 'do not replace VerifyPeerCertificate/VerifyConnection without checking the host name',
        python: 'keep check_hostname = True',
        default: 'check the certificate against the expected host name',
      });
      reports.push({
        message: `Host name verification is disabled${branchNote(setting)} in ${context.label}: ${originClause(alternative)}; a valid certificate for any other host is accepted. Instead ${fix}`,
        at: setting.origin === 'conditional' ? locate(alternative, context) : locate(setting, context),
      });
    }
    return reports;
  },
});
