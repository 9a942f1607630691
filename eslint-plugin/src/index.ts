/**
 * eslint-plugin-tls-lint (skeleton).
 *
 * The plan: each tls-lint rule becomes `tls-lint/<rule-id>`, running the Node reader's ESTree
 * extractor (src/languages/node) on ESLint's AST and the shared rules on the resulting contexts,
 * so the editor shows exactly what `tls-lint` prints. The extractor already works on any ESTree
 * program (tested with espree); wiring the ESLint rule objects is a later issue.
 */
import { RULES } from '../../rules/index.js';

export const meta = { name: 'eslint-plugin-tls-lint', version: '0.1.0' };

/** The rule ids the plugin will expose, as `tls-lint/<id>`. */
export const plannedRuleIds: readonly string[] = RULES.map((r) => `tls-lint/${r.meta.id}`);

export default { meta, rules: {} as Record<string, never> };
