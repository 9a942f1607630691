/**
 * Inline suppressions, the same in every comment syntax (line comments with // or #, block comments):
 *
 *   tls-lint-disable-next-line certificate-verification-disabled -- test server with a self-signed cert
 *   tls-lint-disable-line weak-key
 *   tls-lint-disable-file
 *
 * With no rule ids, every rule is suppressed. Text after `--` is the reason and is ignored.
 */
const DIRECTIVE = /tls-lint-disable(-next-line|-line|-file)?(?:[ \t]+([a-z0-9, \t-]*?))?(?:[ \t]+--.*)?(?:\*\/.*)?$/;

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
