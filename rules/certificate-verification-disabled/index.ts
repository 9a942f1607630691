import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { knownAlternatives } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * A client (or a context that may act as one) that does not verify the server's certificate
 * chain accepts any certificate, so anyone on the path can impersonate the server.
 */
export const rule = defineRule({
  meta,
  check(context) {
    if (context.role === 'server') return [];
    const setting = context.peerVerification;
    if (!setting) return [];
    const reports: RuleReport[] = [];
    for (const alternative of knownAlternatives(setting)) {
      if (alternative.value) continue;
      const processWide = context.scope === 'process';
      // nginx: the context's own directive family (proxy_, grpc_ or uwsgi_ssl_verify).
      const verifyKey = alternative.key?.endsWith('_ssl_verify')
        ? alternative.key
        : 'proxy_ssl_verify';
      // NODE_TLS_REJECT_UNAUTHORIZED has its own fix; Python's process-wide switches are fixed in Python terms.
      const fixLanguage =
        processWide && context.api.includes('NODE_TLS_REJECT_UNAUTHORIZED')
          ? 'env'
          : context.language === 'env'
            ? 'python'
            : context.language;
      // SQL Server drivers: tedious' default for trustServerCertificate was true in some versions.
      const sqlServer = /^trustservercertificate$/i.test(alternative.key ?? '');
      const sqlServerFix =
        alternative.key === 'trustServerCertificate'
          ? 'set "trustServerCertificate: false" (some tedious versions default to true) and give the SQL Server\'s CA in options.cryptoCredentialsDetails.ca'
          : 'set "TrustServerCertificate=false" (some drivers default to true) and make the SQL Server\'s CA trusted';
      const fix = sqlServer
        ? sqlServerFix
        : forLanguage(fixLanguage, {
            node: 'remove it (the default verifies) and pass a private CA with "ca" or NODE_EXTRA_CA_CERTS',
            env: 'remove it and trust a private CA with NODE_EXTRA_CA_CERTS',
            nginx: `set "${verifyKey} on" with "${verifyKey.replace(/verify$/, 'trusted_certificate')}"`,
            envoy:
              alternative.key === 'trust_chain_verification'
                ? 'remove "trust_chain_verification: ACCEPT_UNTRUSTED" (VERIFY_TRUST_CHAIN is the default)'
                : 'configure a validation_context with trusted_ca (and match_typed_subject_alt_names or auto_sni_san_validation)',
            go: 'remove InsecureSkipVerify and set RootCAs to the private CA',
            python: processWide
              ? 'remove it and trust a private CA with SSL_CERT_FILE (REQUESTS_CA_BUNDLE for requests)'
              : context.library && context.library !== 'ssl'
                ? `remove "${alternative.key ?? 'verify'}=${alternative.origin === 'explicit' ? (alternative.raw ?? 'False') : 'False'}" (the default verifies) and pass the private CA bundle instead`
                : 'keep verify_mode = ssl.CERT_REQUIRED and load the private CA with load_verify_locations()',
            default: 'verify the peer against a trusted CA',
          });
      const scope = processWide ? 'for every TLS connection of the process' : `in ${context.label}`;
      reports.push({
        headline: `Server certificate verification is disabled${branchNote(setting)} ${scope}`,
        evidence: `${originClause(alternative)}${context.notes?.peerVerification ? ` (${context.notes.peerVerification})` : ''} — any certificate, self-signed or for another host, is accepted`,
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
