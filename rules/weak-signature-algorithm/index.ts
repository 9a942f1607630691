import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import {
  CERTIFICATE_PURPOSES,
  certificateRole,
  materialWhere,
} from '../../src/crypto/certificate-facts.js';
import { forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { knownAlternatives } from '../../src/model/setting.js';
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
          headline: `The ${certificateRole(cert, index)} is signed with "${cert.signatureAlgorithm}" (${cert.signatureHash.toUpperCase()})`,
          evidence: `in ${materialWhere(ref)} — a hash collision can forge such a certificate, and current clients refuse it`,
          fix: 'reissue it signed with SHA-256 or stronger',
          at: ref.at,
        });
      });
    }
    // A setting that makes the context accept broken hashes in the peer's signatures (Go
    // GODEBUG x509sha1=1, tlssha1=1). A platform default is not reported: it is what every
    // program of that version does; what is reported is a switch someone wrote to bring it back.
    const accepted = context.peerSignatureHashes ?? {};
    for (const where of ['certificates', 'handshake'] as const) {
      const setting = accepted[where];
      for (const alternative of knownAlternatives(setting)) {
        if (alternative.origin === 'default') continue;
        const broken = alternative.value.filter((h) => BROKEN_HASHES.has(h));
        if (!broken.length) continue;
        const names = broken.map((h) => h.toUpperCase().replace('SHA1', 'SHA-1')).join(' and ');
        const what =
          where === 'certificates'
            ? `${names} signed certificates from the peer verify`
            : `${names} signature algorithms are accepted in TLS 1.2 handshakes`;
        // A GODEBUG in a process environment (language `env`) is fixed the same way.
        const fix = forLanguage(context.tlsLibrary === 'go' ? 'go' : context.language, {
          go: 'remove the GODEBUG setting and have the peer use SHA-256 or stronger',
          default: 'remove the setting and have the peer use SHA-256 or stronger',
        });
        reports.push({
          headline: `${what} in ${context.label}`,
          evidence: `${originClause(alternative)} — a chosen-prefix collision lets an attacker forge such a signature`,
          fix,
          at: locate(alternative, context),
        });
      }
    }
    return reports;
  },
});
