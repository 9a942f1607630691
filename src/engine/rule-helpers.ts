/**
 * Small helpers shared by the rules: where a finding points and how a setting's origin reads in
 * a message. They work on the model only.
 */
import type { Language, TlsContext } from '../model/context.js';
import type { SourceRange } from '../model/location.js';
import type { KnownSetting, Setting } from '../model/setting.js';

/**
 * Where a finding about `setting` points: the place it was written or inherited from; for a
 * platform default or an observation, the construct that turns TLS on.
 */
export function locate(setting: Setting<unknown> | KnownSetting<unknown> | undefined, context: TlsContext): SourceRange {
  if (setting && 'at' in setting && setting.at) return setting.at;
  return context.enabledAt ?? context.at;
}

/**
 * How a known value came about, as a clause for messages:
 * - explicit: `"minVersion" is "TLSv1"` (or `"ssl_protocols TLSv1 TLSv1.2"`)
 * - inherited: `"ssl_protocols TLSv1" inherited from http{} (nginx.conf:3)`
 * - default: the reader's reason, e.g. `nginx 1.22 default "ssl_protocols TLSv1 TLSv1.1 TLSv1.2"`
 * - observed: `observed: <evidence>`
 */
export function originClause(setting: KnownSetting<unknown>, valueText?: string): string {
  const raw = setting.origin === 'explicit' || setting.origin === 'inherited' ? setting.raw : undefined;
  const shown = raw ?? valueText;
  const key = setting.key;
  const written = key && shown !== undefined ? `"${key}" is ${quoteValue(shown)}` : key ? `"${key}"` : shown !== undefined ? quoteValue(shown) : 'the setting';
  switch (setting.origin) {
    case 'explicit':
      return written;
    case 'inherited':
      return `${written}, inherited from ${setting.from}`;
    case 'default':
      // Readers phrase reasons as defaults already ("nginx's default "ssl_protocols …"").
      return /\bdefault/i.test(setting.reason) ? setting.reason : `by default (${setting.reason})`;
    case 'observed':
      return `observed: ${setting.evidence}`;
  }
}

function quoteValue(text: string): string {
  return /^["'`]/.test(text) ? text : `"${text}"`;
}

/** "in some branches" when the worst value comes from one branch of a conditional. */
export function branchNote(setting: Setting<unknown>): string {
  return setting.origin === 'conditional' ? ' in some branches' : '';
}

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
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Picks a platform-specific phrase (fix hints), with a generic fallback. */
export function forLanguage(language: Language, hints: Partial<Record<Language, string>> & { default: string }): string {
  return hints[language] ?? hints.default;
}
