import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { knownAlternatives, singleValue } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * The chain may be verified, but a certificate issued for any other host is accepted: whoever
 * holds a certificate from the same CA can impersonate the server.
 */
export const rule = defineRule({
  meta,
  check(context) {
    const setting = context.hostnameVerification;
    if (!setting) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      if (alternative.value) continue;
      if (context.role === 'server') {
        // On a server only an observation means something: the served certificate does not
        // cover the name clients ask for (the live probe).
        if (alternative.origin !== 'observed') continue;
        const name = singleValue(context.serverName);
        const quoted = name !== undefined ? `"${name}"` : 'the requested name';
        const hint = context.notes?.hostnameVerification
          ? ` (${context.notes.hostnameVerification})`
          : '';
        reports.push({
          headline: `The certificate served by ${context.label} does not match ${quoted}`,
          evidence: `${originClause(alternative)} — clients that verify host names refuse it, and clients told to skip the check can be impersonated`,
          fix: `serve a certificate whose subjectAltName covers ${quoted}${hint}`,
          at: locate(setting, context),
        });
        continue;
      }
      // A library's own switch (MongoDB `tlsAllowInvalidHostnames`) is fixed by removing it.
      const ownKey =
        context.library && alternative.key && alternative.key !== 'checkServerIdentity'
          ? `remove "${alternative.key}"`
          : undefined;
      const fix =
        ownKey ??
        forLanguage(context.language, {
          node: 'remove the custom checkServerIdentity, or call tls.checkServerIdentity(host, cert) in it and return its result',
          nginx: 'set "proxy_ssl_verify on" and "proxy_ssl_name" to the upstream host name',
          go: 'do not replace VerifyPeerCertificate/VerifyConnection without checking the host name',
          python: 'keep check_hostname = True',
          envoy:
            'add match_typed_subject_alt_names (san_type: DNS, matcher exact: the upstream host) to the validation context, or set sni with auto_sni_san_validation: true',
          default: 'check the certificate against the expected host name',
        });
      reports.push({
        headline: `Host name verification is disabled${branchNote(setting)} in ${context.label}`,
        evidence: `${originClause(alternative)} — a valid certificate for any other host is accepted`,
        fix,
        at:
          setting.origin === 'conditional'
            ? locate(alternative, context)
            : locate(setting, context),
      });
    }
    return reports;
  },
});
