/**
 * Findings about a platform's default cipher list (CBC, static RSA, Go's 3DES before 1.23) come
 * once per run for every server that sets no cipher list (see engine/suite-findings.ts). Tests
 * about something else (config files, output, another reader's feature) leave them out, so they
 * still say exactly what they check.
 */
const CIPHER_RULES = new Set(['cbc-cipher-suite', 'no-forward-secrecy', 'insecure-cipher-suite']);

function isDefaultCipherFinding(f: { ruleId: string; message: string }): boolean {
  return CIPHER_RULES.has(f.ruleId) && /\bconfigure "[^"]+" yourself\b/.test(f.message);
}

export function withoutDefaultCiphers<T extends { ruleId: string; message: string }>(
  findings: readonly T[],
): T[] {
  return findings.filter((f) => !isDefaultCipherFinding(f));
}
