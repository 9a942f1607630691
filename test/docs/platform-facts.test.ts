/**
 * docs/platform-facts.md is where the rule READMEs send a reader for the platform facts a rule
 * relies on: every `platform-facts.md#anchor` they cite (and every in-page link of the page
 * itself) must name a heading that exists, and no README cites the old, unpublished facts file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const FACTS = path.join(ROOT, 'docs', 'platform-facts.md');

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** `file: #anchor` for each link into the facts page whose anchor is not a heading there. */
function brokenFactLinks(
  sources: ReadonlyArray<{ file: string; text: string; self?: boolean }>,
  anchors: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const { file, text, self } of sources) {
    const pattern = self ? /\]\(#([^)\s]+)\)/g : /platform-facts\.md#([^)\s`"']+)/g;
    for (const m of text.matchAll(pattern))
      if (!anchors.has(m[1]!))
        out.push(`${file}: #${m[1]!} is not a heading of docs/platform-facts.md`);
  }
  return out;
}

const ruleReadmes = readdirSync(path.join(ROOT, 'rules'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `rules/${d.name}/README.md`)
  .flatMap((file) => {
    try {
      return [{ file, text: readFileSync(path.join(ROOT, file), 'utf8') }];
    } catch {
      return [];
    }
  });

describe('docs/platform-facts.md', () => {
  const facts = readFileSync(FACTS, 'utf8');
  const anchors = headingAnchors(facts);

  it('every anchor the rule READMEs (and the page itself) cite exists', () => {
    expect(
      brokenFactLinks(
        [...ruleReadmes, { file: 'docs/platform-facts.md', text: facts, self: true }],
        anchors,
      ),
    ).toEqual([]);
    const cited = ruleReadmes.flatMap((r) => [...r.text.matchAll(/platform-facts\.md#/g)]);
    expect(cited.length, 'the rule READMEs cite the facts page').toBeGreaterThan(20);
  });

  it('no rule README cites the old facts file, which is not in the repository', () => {
    expect(ruleReadmes.filter((r) => /config-facts/.test(r.text)).map((r) => r.file)).toEqual([]);
  });

  it('every platform section names its sources', () => {
    for (const platform of ['nginx', 'Envoy', 'OpenSSL', 'Node.js', 'Go', 'Python']) {
      const section = facts.split(/^## /m).find((s) => s.startsWith(`${platform}\n`));
      expect(section, platform).toBeDefined();
      expect(section, platform).toMatch(/^Sources: /m);
      expect(section, platform).toMatch(/<?https:\/\/[^\s)>]+/);
    }
  });

  it('the check finds a missing anchor (it can fail)', () => {
    expect(
      headingAnchors(
        '# A\n## Node.js the ciphers option\n## Go: GODEBUG\n## Go: GODEBUG\n```\n# not a heading\n```',
      ),
    ).toEqual(new Set(['a', 'nodejs-the-ciphers-option', 'go-godebug', 'go-godebug-1']));
    expect(
      brokenFactLinks(
        [
          {
            file: 'x.md',
            text: 'see [it](../../docs/platform-facts.md#go-godebug) and [that](../../docs/platform-facts.md#nope)',
          },
        ],
        new Set(['go-godebug']),
      ),
    ).toEqual(['x.md: #nope is not a heading of docs/platform-facts.md']);
  });
});
