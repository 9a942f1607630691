import type { RuleContext, RuleReport } from '../../src/engine/rule-api.js';
import {
  CERTIFICATE_PURPOSES,
  KEY_PURPOSES,
  certificatePurposeFor,
  certificateRole,
  keyDescription,
  materialWhere,
} from '../../src/crypto/certificate-facts.js';
import type { KeySummary, MaterialRef, TlsContext } from '../../src/model/context.js';
import type { Observable } from '../../src/model/finding.js';

/** NIST SP 800-57 / Mozilla: 112-bit security at least, i.e. RSA/DSA/DH 2048, EC 224. */
const MIN_FINITE_FIELD_BITS = 2048;
const MIN_EC_BITS = 224;

/** Why a key is too weak, or undefined when it is not. */
function weakness(key: KeySummary): string | undefined {
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
    case 'dh':
      return key.bits > 0 && key.bits < MIN_FINITE_FIELD_BITS
        ? `below ${MIN_FINITE_FIELD_BITS} bits`
        : undefined;
    case 'ec':
      return key.bits > 0 && key.bits < MIN_EC_BITS
        ? `a curve below ${MIN_EC_BITS} bits`
        : undefined;
    default:
      return undefined;
  }
}

/** The key as confirm mode compares it between a file and a served certificate. */
function keyItem(key: KeySummary): string {
  return `key:${key.type}:${key.bits}`;
}

/** A server's own certificate and key are served; a client's are not seen by any probe. */
function servedOrNot(ref: MaterialRef, items: string[]): Observable {
  return ref.purpose.startsWith('server-')
    ? { items }
    : {
        notObservable:
          'a client certificate is only sent by this side when it connects to a server',
      };
}

const FIX = 'use an RSA key of at least 2048 bits or an EC key on P-256 or larger';

/**
 * The key/DH half of weak-key: keys in certificate and key files, and DH parameter files.
 * A key file is only reported when its certificate was not (the same key, said once).
 */
export function checkWeakMaterial(context: TlsContext, _env: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  const reportedCertificateKeys = new Set<string>();
  for (const ref of context.material) {
    if (!CERTIFICATE_PURPOSES.has(ref.purpose) || ref.summary?.kind !== 'certificates') continue;
    (ref.summary.certificates ?? []).forEach((cert, index) => {
      if (index > 0 && cert.selfSigned) return; // a root in a chain file is not served for trust
      const why = weakness(cert.key);
      if (index === 0)
        reportedCertificateKeys.add(`${ref.purpose}\0${cert.key.type}\0${cert.key.bits}`);
      if (!why) return;
      reports.push({
        headline: `The ${certificateRole(cert, index)} has an ${keyDescription(cert.key)}, ${why}`,
        evidence: `in ${materialWhere(ref)} — it can be broken with feasible effort`,
        fix: `reissue it: ${FIX}`,
        at: ref.at,
        observable: servedOrNot(ref, [`cert:${cert.fingerprint256}`, keyItem(cert.key)]),
      });
    });
  }
  for (const ref of context.material) {
    const summary = ref.summary;
    if (KEY_PURPOSES.has(ref.purpose) && summary?.kind === 'private-key' && summary.key) {
      const why = weakness(summary.key);
      if (!why) continue;
      const pair = certificatePurposeFor(ref.purpose);
      if (
        pair !== undefined &&
        reportedCertificateKeys.has(`${pair}\0${summary.key.type}\0${summary.key.bits}`)
      )
        continue;
      reports.push({
        headline: `The private key is an ${keyDescription(summary.key)}, ${why}`,
        evidence: `in ${materialWhere(ref)} — it can be broken with feasible effort`,
        fix: `replace it: ${FIX}`,
        at: ref.at,
        observable: servedOrNot(ref, [keyItem(summary.key)]),
      });
    }
    if (
      ref.purpose === 'dhparam' &&
      summary?.kind === 'dh-params' &&
      summary.dhBits !== undefined &&
      summary.dhBits < MIN_FINITE_FIELD_BITS
    ) {
      reports.push({
        headline: `The DH parameters are a ${summary.dhBits}-bit group, below ${MIN_FINITE_FIELD_BITS} bits`,
        evidence: `in ${materialWhere(ref)} — DHE key exchange with it can be broken (Logjam)`,
        fix: 'use a 2048-bit or larger group (RFC 7919 ffdhe2048), or drop DHE suites',
        at: ref.at,
        observable: { items: [`dh:${summary.dhBits}`] },
      });
    }
  }
  return reports;
}
