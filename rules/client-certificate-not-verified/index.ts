import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { mtlsIntent } from '../../src/engine/mtls-intent.js';
import { knownAlternatives, knownValues } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * A client certificate that is asked for but not checked against a CA proves nothing: anyone can
 * make a self-signed one. Also flags a requested certificate with no client CA configured, where
 * the platform falls back to its public roots (any publicly-trusted certificate gets in).
 */
export const rule = defineRule({
  meta,
  check(context, { policy }) {
    const intent = mtlsIntent(context, policy);
    if (!intent.applies) return [];
    const requested = knownValues(context.clientAuth).some((m) => m !== 'none');
    if (!requested) return [];
    const reports: RuleReport[] = [];

    const verify = context.clientVerify;
    for (const alternative of knownAlternatives(verify)) {
      if (alternative.value === 'ca') continue;
      // A reader that knows what its platform does with an unverified certificate says so
      // (Envoy's ACCEPT_UNTRUSTED, Go's VerifyPeerCertificate skipped on resumed sessions).
      const consequence =
        alternative.value === 'any'
          ? (context.notes?.clientVerify ??
            'any client certificate, even a self-signed one, is accepted')
          : 'certificates that fail the CA check are accepted and must be verified by something after the TLS layer';
      // A bare tls.TLSSocket never rejects a certificate itself, whatever its options say.
      const bareSocket = context.api === 'tls.TLSSocket' && alternative.value === 'external';
      const fix = bareSocket
        ? 'accept connections with tls.createServer() (or tls.Server), which rejects unverified certificates, or check socket.ssl.verifyError() yourself before trusting the peer'
        : forLanguage(context.language, {
            node: 'keep rejectUnauthorized: true (the default) and set "ca" to the client CA',
            nginx: 'use "ssl_verify_client on" with "ssl_client_certificate" naming the client CA',
            envoy:
              'set trusted_ca in the validation_context and trust_chain_verification: VERIFY_TRUST_CHAIN',
            go: 'use ClientAuth: tls.RequireAndVerifyClientCert with ClientCAs',
            python:
              'use verify_mode = ssl.CERT_REQUIRED and load_verify_locations() with the client CA',
            probe:
              'make the server verify client certificates against its client CA (nginx "ssl_verify_client on", not "optional_no_ca")',
            default: 'verify client certificates against the client CA',
          });
      const clientsWithout = knownValues(context.clientAuth).includes('optional')
        ? '; clients without a certificate are let in too'
        : '';
      reports.push({
        headline: `Client certificates are not verified${branchNote(verify!)} in ${context.label}`,
        evidence: `${originClause(alternative)} — ${consequence}${clientsWithout}`,
        fix,
        at:
          verify!.origin === 'conditional' ? locate(alternative, context) : locate(verify, context),
      });
    }

    // Requested and "verified", but against no client CA of its own.
    if (reports.length === 0 && knownValues(verify).includes('ca')) {
      for (const alternative of knownAlternatives(context.clientCa)) {
        if (alternative.value) continue;
        // A reader may know better what happens without a CA (nginx refuses to start).
        const consequence =
          context.notes?.clientVerify ??
          'any certificate issued by a CA the platform trusts is accepted';
        reports.push({
          headline: `Client certificates are requested in ${context.label} but no client CA is configured`,
          evidence: `${originClause(alternative)} — ${consequence}`,
          fix: 'configure the CA that issues your client certificates',
          at: locate(context.clientCa, context),
        });
      }
    }
    return reports;
  },
});
