import type { SourceRange } from './location.js';

/**
 * A configured value together with where it came from. Rules must be able to say *why* a value
 * is what it is ("set here", "inherited from http{}", "nginx 1.22's default"), and must stay
 * silent when the file cannot know the value (`unknown`).
 */
export type Setting<T> =
  | ExplicitSetting<T>
  | InheritedSetting<T>
  | DefaultSetting<T>
  | UnknownSetting
  | ConditionalSetting<T>
  | ObservedSetting<T>;

/** Written in the file being linted. `raw` is the source text of the value when useful. */
export interface ExplicitSetting<T> {
  origin: 'explicit';
  value: T;
  at: SourceRange;
  /** The name of the option/directive as written, e.g. `minVersion`, `ssl_protocols`. */
  key?: string;
  raw?: string;
}

/** Taken from an enclosing block (nginx `http{}` → `server{}`); `at` is the parent's directive. */
export interface InheritedSetting<T> {
  origin: 'inherited';
  value: T;
  at: SourceRange;
  key?: string;
  raw?: string;
  /** A human name of the enclosing block, e.g. `http{}` or `server{} at nginx.conf:12`. */
  from: string;
}

/** Seen on a running endpoint by the live probe (`tls-lint probe`). */
export interface ObservedSetting<T> {
  origin: 'observed';
  value: T;
  /** What was seen, for messages: `a TLS 1.0 ClientHello was answered with a ServerHello`. */
  evidence: string;
  key?: string;
}

/** Not written anywhere: the platform's default for the target version. */
export interface DefaultSetting<T> {
  origin: 'default';
  value: T;
  /** Why this is the value, for messages: `Node 22 default minVersion "TLSv1.2"`. */
  reason: string;
  key?: string;
}

/** Decided at run time (env var, function result, import): rules never guess from it. */
export interface UnknownSetting {
  origin: 'unknown';
  reason: string;
  at?: SourceRange;
  key?: string;
}

/**
 * Several possible values (`cond ? false : true`). Each branch is itself a setting (explicit or
 * unknown). Rules judge the worst known branch and say "in some branches".
 */
export interface ConditionalSetting<T> {
  origin: 'conditional';
  branches: Array<ExplicitSetting<T> | UnknownSetting | DefaultSetting<T>>;
  at: SourceRange;
  key?: string;
  raw?: string;
}

export type KnownSetting<T> =
  | ExplicitSetting<T>
  | InheritedSetting<T>
  | DefaultSetting<T>
  | ObservedSetting<T>;

/** Every value the setting may take that is known; empty when unknown. */
export function knownValues<T>(s: Setting<T> | undefined): T[] {
  if (!s) return [];
  switch (s.origin) {
    case 'explicit':
    case 'inherited':
    case 'default':
    case 'observed':
      return [s.value];
    case 'unknown':
      return [];
    case 'conditional':
      return s.branches.flatMap((b) => (b.origin === 'unknown' ? [] : [b.value]));
  }
}

/**
 * The branches of a setting as a flat list of known alternatives with their own origin.
 * For a non-conditional setting this is the setting itself (or nothing when unknown).
 */
export function knownAlternatives<T>(s: Setting<T> | undefined): KnownSetting<T>[] {
  if (!s) return [];
  if (s.origin === 'unknown') return [];
  if (s.origin === 'conditional')
    return s.branches.filter(
      (b): b is ExplicitSetting<T> | DefaultSetting<T> => b.origin !== 'unknown',
    );
  return [s];
}

/** The value when the setting has exactly one known value (not conditional, not unknown). */
export function singleValue<T>(s: Setting<T> | undefined): T | undefined {
  if (!s) return undefined;
  if (
    s.origin === 'explicit' ||
    s.origin === 'inherited' ||
    s.origin === 'default' ||
    s.origin === 'observed'
  )
    return s.value;
  return undefined;
}

/** Where a setting was written, if anywhere in the linted files. */
export function settingLocation(s: Setting<unknown> | undefined): SourceRange | undefined {
  if (!s) return undefined;
  switch (s.origin) {
    case 'explicit':
    case 'inherited':
    case 'conditional':
      return s.at;
    case 'unknown':
      return s.at;
    case 'default':
    case 'observed':
      return undefined;
  }
}

export function explicit<T>(
  value: T,
  at: SourceRange,
  key?: string,
  raw?: string,
): ExplicitSetting<T> {
  return {
    origin: 'explicit',
    value,
    at,
    ...(key !== undefined && { key }),
    ...(raw !== undefined && { raw }),
  };
}

export function byDefault<T>(value: T, reason: string, key?: string): DefaultSetting<T> {
  return { origin: 'default', value, reason, ...(key !== undefined && { key }) };
}

export function unknown(reason: string, at?: SourceRange, key?: string): UnknownSetting {
  return { origin: 'unknown', reason, ...(at && { at }), ...(key !== undefined && { key }) };
}

/** Maps the value(s) of a setting, keeping origins. */
export function mapSetting<T, U>(s: Setting<T>, f: (v: T) => U): Setting<U> {
  switch (s.origin) {
    case 'explicit':
    case 'inherited':
    case 'default':
    case 'observed':
      return { ...s, value: f(s.value) };
    case 'unknown':
      return s;
    case 'conditional':
      return {
        ...s,
        branches: s.branches.map((b) => (b.origin === 'unknown' ? b : { ...b, value: f(b.value) })),
      };
  }
}
