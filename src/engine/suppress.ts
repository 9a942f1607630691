/**
 * Inline suppressions, the same in every comment syntax (line comments with // or #, block comments):
 *
 *   tls-lint-disable-next-line certificate-verification-disabled -- test server with a self-signed cert
 *   tls-lint-disable-line weak-key
 *   tls-lint-disable-file
 *   <!-- tls-lint-disable-next-block insecure-protocol-version -- a bad example on purpose -->
 *
 * `-next-block` (Markdown) covers the next fenced code block, fences included.
 * With no rule ids, every rule is suppressed. Text after `--` is the reason and is ignored.
 */
const DIRECTIVE =
  /tls-lint-disable(-next-line|-next-block|-line|-file)?(?:[ \t]+([a-z0-9, \t-]*?))?(?:[ \t]+--.*)?(?:\*\/.*|-->.*)?$/;

/** A Markdown code fence (``` or ~~~, up to three spaces of indentation). */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
}

const NONE: Suppressions = { isSuppressed: () => false };

export function parseSuppressions(text: string): Suppressions {
  if (!text.includes('tls-lint-disable')) return NONE;
  const byLine = new Map<number, Set<string> | 'all'>();
  let file: Set<string> | 'all' | undefined;
  const add = (line: number, ids: Set<string> | 'all') => {
    const prev = byLine.get(line);
    if (prev === 'all' || ids === 'all') byLine.set(line, 'all');
    else byLine.set(line, new Set([...(prev ?? []), ...ids]));
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, i) => {
    const at = lineText.indexOf('tls-lint-disable');
    if (at < 0) return;
    const m = DIRECTIVE.exec(lineText.slice(at));
    if (!m) return;
    const ids = (m[2] ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const set: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    switch (m[1]) {
      case '-next-line':
        add(i + 2, set);
        break;
      case '-next-block': {
        const open = lines.findIndex((l, j) => j > i && FENCE.test(l));
        if (open < 0) break;
        const marker = FENCE.exec(lines[open]!)![1]!;
        let close = lines.findIndex(
          (l, j) => j > open && new RegExp(`^ {0,3}${marker[0]!}{${marker.length},}\\s*$`).test(l),
        );
        if (close < 0) close = lines.length - 1;
        for (let l = open; l <= close; l++) add(l + 1, set);
        break;
      }
      case '-file':
        file = set === 'all' || file === 'all' ? 'all' : new Set([...(file ?? []), ...set]);
        break;
      default:
        add(i + 1, set);
    }
  });
  return {
    isSuppressed(ruleId, line) {
      if (file === 'all' || file?.has(ruleId)) return true;
      const s = byLine.get(line);
      return s === 'all' || (s !== undefined && s.has(ruleId));
    },
  };
}
