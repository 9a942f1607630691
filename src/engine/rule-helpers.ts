/**
 * Small helpers shared by the rules: where a finding points and how a setting's origin reads in
 * a message. They work on the model only.
 */
import type { Language } from '../model/context.js';
import { definedElsewhere } from '../model/location.js';
import type { KnownSetting, Setting } from '../model/setting.js';

// The rules take `locate` from here with the other helpers; it lives with the model.
export { locate } from '../model/context.js';

/**
 * How a known value came about, as a clause for messages:
 * - explicit: `"minVersion" is "TLSv1"` (or `"ssl_protocols TLSv1 TLSv1.2"`)
 * - inherited: `"ssl_protocols TLSv1" inherited from http{} (nginx.conf:3)`
 * - default: the reader's reason, e.g. `nginx 1.22 default "ssl_protocols TLSv1 TLSv1.1 TLSv1.2"`
 * - observed: `observed: <evidence>`
 */
export function originClause(setting: KnownSetting<unknown>, valueText?: string): string {
  const raw =
    setting.origin === 'explicit' || setting.origin === 'inherited' ? setting.raw : undefined;
  const shown = raw ?? valueText;
  const key = setting.key;
  const written =
    key && shown !== undefined
      ? `"${key}" is ${quoteValue(shown)}`
      : key
        ? `"${key}"`
        : shown !== undefined
          ? quoteValue(shown)
          : 'the setting';
  switch (setting.origin) {
    case 'explicit':
      return `${written}${definedElsewhere(setting.at)}`;
    case 'inherited':
      return `${written}${definedElsewhere(setting.at)}, inherited from ${setting.from}`;
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

// The wording helpers every layer uses live in model/text.ts; the rules take them from here.
export { joinAnd, listSome, plural } from '../model/text.js';

/** Picks a platform-specific phrase (fix hints), with a generic fallback. */
export function forLanguage(
  language: Language,
  hints: Partial<Record<Language, string>> & { default: string },
): string {
  return hints[language] ?? hints.default;
}
