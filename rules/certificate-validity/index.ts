import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import {
  CERTIFICATE_PURPOSES,
  certificateRole,
  daysBetween,
  isoDate,
  materialWhere,
} from '../../src/crypto/certificate-facts.js';
import { meta } from './meta.js';

/**
 * A certificate outside its validity window fails every handshake with a verifying peer (or
 * trains users and clients to click through errors); one that expires within
 * `policy.certificateExpiryWarningDays` is about to.
 *
 * Judged: every certificate in the files a context presents (server or client certificate and
 * its chain). CA bundles are left alone: system bundles carry expired roots harmlessly.
 */
/**
 * How long ago / how far ahead, in days up to a year. Beyond that the exact count adds nothing
 * (the date is in the message) and would change the message every day.
 */
const YEAR_DAYS = 365;
const dayCount = (days: number): string => `${days} day${days === 1 ? '' : 's'}`;
const ago = (days: number): string =>
  days > YEAR_DAYS ? 'over a year ago' : days === 0 ? 'today' : `${dayCount(days)} ago`;
const ahead = (days: number): string =>
  days > YEAR_DAYS ? 'over a year from now' : days === 0 ? 'today' : `in ${dayCount(days)}`;

export const rule = defineRule({
  meta,
  check(context, { policy }) {
    const reports: RuleReport[] = [];
    const now = Date.now();
    const windowDays = policy.certificateExpiryWarningDays;
    for (const ref of context.material) {
      if (!CERTIFICATE_PURPOSES.has(ref.purpose) || ref.summary?.kind !== 'certificates') continue;
      (ref.summary.certificates ?? []).forEach((cert, index) => {
        const what = `The ${certificateRole(cert, index)}`;
        const where = `in ${materialWhere(ref)}`;
        const notAfter = Date.parse(cert.notAfter);
        const notBefore = Date.parse(cert.notBefore);
        if (notAfter < now) {
          reports.push({
            headline: `${what} expired on ${isoDate(cert.notAfter)} (${ago(daysBetween(notAfter, now))})`,
            evidence: `${where} — peers that verify it refuse the handshake`,
            fix: 'renew it',
            at: ref.at,
          });
        } else if (notBefore > now) {
          reports.push({
            headline: `${what} is not valid before ${isoDate(cert.notBefore)} (${ahead(daysBetween(now, notBefore))})`,
            evidence: `${where} — peers that verify it refuse the handshake`,
            fix: "check the issuing system's clock and reissue it",
            at: ref.at,
          });
        } else if (notAfter - now < windowDays * 86_400_000) {
          reports.push({
            headline: `${what} expires on ${isoDate(cert.notAfter)} (${ahead(daysBetween(now, notAfter))})`,
            evidence: `${where}, within the ${windowDays}-day warning window`,
            fix: 'renew it before then',
            at: ref.at,
            severity: 'warning',
          });
        }
      });
    }
    return reports;
  },
});
