/**
 * Fingerprints identify a finding across runs (baselines, SARIF `partialFingerprints`,
 * code-scanning de-duplication). They must survive unrelated edits that shift lines, so they hash
 * the rule, the file, and the text of the flagged line, not its number. Two equal findings on
 * identical lines of one file get an occurrence index.
 */
import { createHash } from 'node:crypto';

export function fingerprintOf(
  ruleId: string,
  relativeFile: string,
  lineText: string,
  occurrence: number,
): string {
  const normalized = lineText.trim().replace(/\s+/g, ' ');
  return createHash('sha256')
    .update(`${ruleId}\0${relativeFile}\0${normalized}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}
