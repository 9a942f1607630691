/**
 * The rules' READMEs, shipped with the package (`rules/<id>/README.md`): `tls-lint explain`
 * prints them, SARIF carries their fix section as the rule's `help`. The URL they are published
 * at has one home: `ruleDocsUrl` in engine/rule-api.ts.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../config/package-files.js';

/**
 * The sections of every rule README, in this order (`###` subsections may sit inside them):
 * test/rules/rule-folders.test.ts checks them, `npm run new-rule` writes them.
 */
export const RULE_README_SECTIONS = [
  'What it flags',
  'Why it matters',
  'Examples',
  'How to fix',
  'Live probe',
  'When to suppress',
  'References',
] as const;

export function ruleReadme(id: string): string | undefined {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return undefined;
  try {
    return readFileSync(packageFile('rules', id, 'README.md'), 'utf8');
  } catch {
    return undefined;
  }
}

/** The body of the README's fix section ("## How to fix" / "## Fix"), trimmed; undefined when there is none. */
export function fixSection(readme: string): string | undefined {
  const m = /^##\s+(?:How to fix|Fix)\s*\n([\s\S]*?)(?=^##\s|(?![\s\S]))/im.exec(readme);
  const body = m?.[1]?.trim();
  return body || undefined;
}

/** Markdown to terminal text: headings bold, code fences dimmed, emphasis markers and link targets dropped. */
export function renderMarkdown(
  md: string,
  c: { bold(s: string): string; dim(s: string): string },
): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of md.split(/\r?\n/)) {
    if (/^```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(c.dim(`    ${line}`));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push(c.bold(heading[1]!.length === 1 ? heading[2]!.toUpperCase() : heading[2]!));
      continue;
    }
    out.push(
      line
        .replace(/\*\*([^*]+)\*\*/g, (_, t: string) => c.bold(t))
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, t: string, u: string) =>
          /^https?:/.test(u) ? `${t} <${u}>` : t,
        ),
    );
  }
  return out.join('\n');
}
