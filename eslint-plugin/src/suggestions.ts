/**
 * Edits offered for a finding (ESLint suggestions, never automatic fixes: each one changes what
 * the program negotiates). They are chosen from the finding's rule and the option it points at.
 * The plugin is a host: it may look at ESLint's AST to place an edit, the rules never do.
 */
import type { Rule, SourceCode } from 'eslint';
import { mozillaProfile } from '../../src/crypto/mozilla.js';
import type { Finding } from '../../src/model/finding.js';

export const SUGGESTION_MESSAGES = {
  raiseMinVersion: 'Raise "minVersion" to \'TLSv1.2\'',
  replaceSecureProtocol: 'Replace "secureProtocol" with minVersion: \'TLSv1.2\'',
  dropRejectUnauthorized:
    'Remove "rejectUnauthorized: false" (certificates are then verified; pass a private CA with "ca" instead)',
  mozillaCiphers: 'Use the Mozilla intermediate cipher list',
} as const;

const CIPHER_RULES = new Set([
  'insecure-cipher-suite',
  'cbc-cipher-suite',
  'no-forward-secrecy',
  'invalid-cipher-string',
]);
const PROTOCOL_RULES = new Set([
  'insecure-protocol-version',
  'invalid-protocol-range',
  'deprecated-tls-api',
]);

/** Which suggestions a rule may offer (for `meta.hasSuggestions`). */
export function ruleMayOfferSuggestions(ruleId: string): boolean {
  return (
    CIPHER_RULES.has(ruleId) ||
    PROTOCOL_RULES.has(ruleId) ||
    ruleId === 'certificate-verification-disabled'
  );
}

type EsTreeNode = Rule.Node & { range: [number, number] };

export function suggestionsFor(
  finding: Finding,
  sourceCode: SourceCode,
): Rule.SuggestionReportDescriptor[] {
  const property = propertyAt(finding, sourceCode);
  if (!property) return [];
  const key = propertyKey(property);
  const value = (property as unknown as { value: EsTreeNode }).value;
  const quote = quoteOf(value, sourceCode);
  const out: Rule.SuggestionReportDescriptor[] = [];
  if (PROTOCOL_RULES.has(finding.ruleId) && key === 'minVersion') {
    out.push({
      messageId: 'raiseMinVersion',
      fix: (fixer) => fixer.replaceText(value, `${quote}TLSv1.2${quote}`),
    });
  }
  if (
    PROTOCOL_RULES.has(finding.ruleId) &&
    key === 'secureProtocol' &&
    !hasSibling(property, 'minVersion')
  ) {
    out.push({
      messageId: 'replaceSecureProtocol',
      fix: (fixer) => fixer.replaceText(property, `minVersion: ${quote}TLSv1.2${quote}`),
    });
  }
  if (finding.ruleId === 'certificate-verification-disabled' && key === 'rejectUnauthorized') {
    out.push({
      messageId: 'dropRejectUnauthorized',
      fix: (fixer) => removeProperty(fixer, property, sourceCode),
    });
  }
  if (CIPHER_RULES.has(finding.ruleId) && key === 'ciphers') {
    out.push({
      messageId: 'mozillaCiphers',
      fix: (fixer) => fixer.replaceText(value, `${quote}${intermediateCiphers()}${quote}`),
    });
  }
  return out;
}

/** The object property the finding points at: its range starts where the property does. */
function propertyAt(finding: Finding, sourceCode: SourceCode): EsTreeNode | undefined {
  const index = sourceCode.getIndexFromLoc({
    line: finding.at.line,
    column: finding.at.column - 1,
  });
  let node = sourceCode.getNodeByRangeIndex(index) as EsTreeNode | null;
  while (node && node.type !== 'Property') node = (node as { parent?: EsTreeNode }).parent ?? null;
  if (!node || node.range[0] !== index) return undefined;
  return node;
}

function propertyKey(property: EsTreeNode): string | undefined {
  const p = property as unknown as {
    key: { type: string; name?: string; value?: unknown };
    computed: boolean;
  };
  if (p.key.type === 'Identifier' && !p.computed) return p.key.name;
  if (p.key.type === 'Literal' && typeof p.key.value === 'string') return p.key.value;
  return undefined;
}

function hasSibling(property: EsTreeNode, key: string): boolean {
  const parent = (property as { parent?: { type: string; properties?: EsTreeNode[] } }).parent;
  return !!parent?.properties?.some((p) => p.type === 'Property' && propertyKey(p) === key);
}

function quoteOf(value: EsTreeNode, sourceCode: SourceCode): string {
  return sourceCode.getText(value).startsWith('"') ? '"' : "'";
}

function removeProperty(
  fixer: Rule.RuleFixer,
  property: EsTreeNode,
  sourceCode: SourceCode,
): Rule.Fix {
  const after = sourceCode.getTokenAfter(property);
  if (after && after.value === ',') {
    const next = sourceCode.getTokenAfter(after, { includeComments: true });
    return fixer.removeRange([property.range[0], next?.range ? next.range[0] : after.range[1]]);
  }
  const before = sourceCode.getTokenBefore(property);
  if (before && before.value === ',')
    return fixer.removeRange([before.range[0], property.range[1]]);
  return fixer.remove(property);
}

let intermediate: string | undefined;
function intermediateCiphers(): string {
  intermediate ??= mozillaProfile('intermediate')
    .suites.map((s) => s.openssl)
    .filter((n): n is string => !!n)
    .join(':');
  return intermediate;
}
