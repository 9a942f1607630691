/**
 * rules/README.md is generated from the rule metas (scripts/rules-index.ts): it must be what the
 * generator writes today, so a rule added or a meta changed without regenerating fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { REGENERATE, RULES_INDEX, renderRulesIndex } from '../../scripts/rules-index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('rules/README.md', () => {
  it('is up to date with the rule metas', () => {
    const committed = readFileSync(path.join(ROOT, RULES_INDEX), 'utf8');
    expect(committed, `${RULES_INDEX} is out of date: run \`${REGENERATE}\` and commit it`).toBe(
      renderRulesIndex(),
    );
  });

  it('lists every registered rule once, with its severity, category and probe', () => {
    const text = renderRulesIndex();
    for (const { meta } of RULES) {
      const rows = text.split('\n').filter((l) => l.startsWith(`| [\`${meta.id}\`]`));
      expect(rows, meta.id).toHaveLength(1);
      expect(rows[0]).toContain(`| ${meta.defaultSeverity} | ${meta.category} |`);
      expect(rows[0]).toContain(
        meta.probe.observes ? `yes: ${meta.probe.observes.join(', ')}` : 'no (',
      );
    }
  });

  it('changes when a meta changes (the check can fail)', () => {
    const metas = RULES.map((r) => r.meta);
    const changed = [
      ...metas.slice(1),
      { ...metas[0]!, defaultSeverity: 'info' as const, languages: ['go' as const] },
    ];
    const text = renderRulesIndex(changed);
    expect(text).not.toBe(renderRulesIndex());
    expect(text).toContain(
      `| [\`${metas[0]!.id}\`](${metas[0]!.id}/README.md) | ${metas[0]!.title} | info | ${metas[0]!.category} | go |`,
    );
  });
});
