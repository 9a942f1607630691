/** `tls-lint explain <rule-id>`: the rule's README in the terminal (plain text when piped). */
import type { Command } from 'commander';
import { UsageError } from '../../config/targets.js';
import { ruleDocsUrl } from '../../engine/rule-api.js';
import { paletteFor } from '../../report/colors.js';
import { renderMarkdown, ruleReadme } from '../../report/rule-docs.js';

export function registerExplainCommand(program: Command): void {
  program
    .command('explain <rule-id>')
    .description(
      "print a rule's documentation: what it flags, why it matters, how to fix, when to suppress",
    )
    .option('--markdown', 'print the README as Markdown')
    .action(async (id: string, flags: { markdown?: boolean }) => {
      const { RULES } = await import('../../../rules/index.js');
      if (!RULES.some((r) => r.meta.id === id)) {
        const near = RULES.map((r) => r.meta.id).filter((r) => r.includes(id) || id.includes(r));
        throw new UsageError(
          `unknown rule "${id}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''}; see "tls-lint rules"`,
        );
      }
      const readme = ruleReadme(id);
      if (readme === undefined)
        throw new UsageError(
          `the README of "${id}" is not installed; read it at ${ruleDocsUrl(id)}`,
        );
      const text = flags.markdown ? readme : renderMarkdown(readme, paletteFor(process.stdout));
      process.stdout.write(`${text.trimEnd()}\n\n${ruleDocsUrl(id)}\n`);
    });
}
