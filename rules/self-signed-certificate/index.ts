import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { certificateName, materialWhere } from '../../src/crypto/certificate-facts.js';
import { meta } from './meta.js';

/**
 * A self-signed server certificate can only be trusted by pinning it: clients that verify
 * refuse it, and clients taught to accept it accept an attacker's just as well.
 */
export const rule = defineRule({
  meta,
  check(context) {
    if (context.role === 'client') return [];
    const reports: RuleReport[] = [];
    for (const ref of context.material) {
      if (ref.purpose !== 'server-certificate' || ref.summary?.kind !== 'certificates') continue;
      const leaf = ref.summary.certificates?.[0];
      if (!leaf?.selfSigned) continue;
      reports.push({
        headline: `The server certificate ${certificateName(leaf)} is self-signed`,
        evidence: `in ${materialWhere(ref)}, issuer "${leaf.issuer}" is its own subject — clients can trust it only by pinning it`,
        fix: 'serve a certificate issued by a public CA (ACME) or by an internal CA the clients trust',
        at: ref.at,
      });
    }
    return reports;
  },
});
