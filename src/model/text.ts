/** English wording helpers for messages, shared by rules, crypto, reporters and the probe. */

/** `1 suite`, `3 suites`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Lists a few items, then "and N more". */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return joinAnd(items);
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}
