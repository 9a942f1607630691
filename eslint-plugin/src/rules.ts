/**
 * One ESLint rule per tls-lint rule: `tls-lint/<id>`. Each reports the findings of its own id
 * from the shared per-file analysis, with the CLI's message text and lines.
 */
import type { Rule as EslintRule } from 'eslint';
import { RULES } from '../../rules/index.js';
import { ruleDocsUrl, type Rule } from '../../src/engine/rule-api.js';
import type { EsNode } from '../../src/languages/node/ast.js';
import { findingText, type Finding } from '../../src/model/finding.js';
import { analyzeFile } from './analyze.js';
import { resolveSettings, SETTINGS_SCHEMA } from './settings.js';
import { ruleMayOfferSuggestions, SUGGESTION_MESSAGES, suggestionsFor } from './suggestions.js';

/** The tls-lint rules that can fire on JavaScript/TypeScript. */
export const JS_RULES: readonly Rule[] = RULES.filter(
  (r) => !r.meta.languages || r.meta.languages.includes('node'),
);

/** Analysis errors are reported once per file, by the first rule that sees them. */
const errorsReported = new WeakSet<object>();

export function eslintRuleFor(rule: Rule): EslintRule.RuleModule {
  const id = rule.meta.id;
  return {
    meta: {
      type: 'problem',
      docs: { description: rule.meta.title, url: ruleDocsUrl(id), recommended: true },
      messages: {
        finding: '{{ message }}',
        analysisError: '{{ message }}',
        ...SUGGESTION_MESSAGES,
      },
      ...(ruleMayOfferSuggestions(id) && { hasSuggestions: true }),
      schema: [SETTINGS_SCHEMA],
    },
    create(context) {
      const settings = resolveSettings(context.settings['tls-lint'], context.options[0]);
      const sourceCode = context.sourceCode;
      return {
        'Program:exit'(program) {
          const services = sourceCode.parserServices as
            | { program?: { getCompilerOptions(): object } | null }
            | undefined;
          // ESLint types its AST with @types/estree; the reader's node types are TSESTree's.
          const analysis = analyzeFile(
            program as unknown as EsNode,
            context.filename,
            sourceCode.text,
            settings,
            {
              cwd: context.cwd,
              program: services?.program ?? null,
            },
          );
          if (analysis.errors.length > 0 && !errorsReported.has(program)) {
            errorsReported.add(program);
            for (const message of analysis.errors)
              context.report({
                loc: { line: 1, column: 0 },
                messageId: 'analysisError',
                data: { message },
              });
          }
          for (const f of analysis.byRule.get(id) ?? []) {
            context.report({
              loc: {
                start: { line: f.at.line, column: f.at.column - 1 },
                end: { line: f.at.endLine, column: f.at.endColumn - 1 },
              },
              messageId: 'finding',
              data: { message: eslintMessage(f) },
              suggest: suggestionsFor(f, sourceCode),
            });
          }
        },
      };
    },
  };
}

/**
 * A finding as one ESLint message: what is wrong and where the value came from, then the fix
 * after "Fix:" — one line, as ESLint's formatters and editors show messages.
 */
export function eslintMessage(
  f: Pick<Finding, 'message' | 'headline' | 'evidence' | 'fix'>,
): string {
  const { statement, help } = findingText(f);
  return help === undefined ? statement : `${statement}. Fix: ${help}`;
}
