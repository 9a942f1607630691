import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { CERTIFICATE_PURPOSES, certificateRole, materialWhere } from '../../src/crypto/certificate-facts.js';
import { meta } from './meta.js';

/** Hashes with practical collision attacks (chosen-prefix for MD5 and SHA-1). */
const BROKEN_HASHES = new Set(['md2', 'md4', 'md5', 'sha1']);

/**
 * A certificate signed with MD5 or SHA-1 can be forged by a chosen-prefix collision, and
 * current clients refuse it. The self-signature of a root is not checked by anyone (roots are
 * trusted as such), so self-signed certificates further down a chain file are skipped.
 */
export const rule = defineRule({
  meta,
  check(context) {
    const reports: RuleReport[] = [];
    for (const ref of context.material) {
      if (!CERTIFICATE_PURPOSES.has(ref.purpose) || ref.summary?.kind !== 'certificates') continue;
      (ref.summary.certificates ?? []).forEach((cert, index) => {
        if (index > 0 && cert.selfSigned) return;
        if (!cert.signatureHash || !BROKEN_HASHES.has(cert.signatureHash)) return;
        reports.push({
          message: `The ${certificateRole(cert, index)} in ${materialWhere(ref)} is signed with "${cert.signatureAlgorithm}" (${cert.signatureHash.toUpperCase()}), which allows forged certificates by hash collision and is refused by current clients. Reissue it signed with SHA-256 or stronger`,
          at: ref.at,
        });
      });
    }
    return reports;
  },
});
