/**
 * The project configuration file: `tls-lint.config.json`, `tls-lint.config.yaml` (`.yml`), or a
 * `"tls-lint"` key in package.json, found upwards from the linted path (up to the repository
 * root). Its shape is `schema/tls-lint.config.schema.json` (shipped, and what the loader checks
 * with); a bad file is a usage error naming the key. Command-line flags win over it.
 *
 * Globs (`ignore`, `overrides[].files`) are .gitignore patterns relative to the folder of the
 * file, the same dialect as `.tls-lintignore` and `--exclude`.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { Severity } from '../model/finding.js';
import { packageFile } from './package-files.js';
import type { MtlsMode, ProfileName } from './policy.js';
import { checkSchema, type JsonSchema } from './schema-check.js';
import { parseTargetArgs, UsageError, type TargetPlatform } from './targets.js';
import { yamlPackage } from './yaml.js';
import type { TestMode } from './test-code.js';

const CONFIG_FILE_NAMES = [
  'tls-lint.config.json',
  'tls-lint.config.yaml',
  'tls-lint.config.yml',
] as const;
const PACKAGE_JSON_KEY = 'tls-lint';

/** A rule's level in the config: off, or the severity it is reported at. */
export type RuleLevel = 'off' | Severity;

interface RawOverride {
  files: string | string[];
  severity?: RuleLevel;
  rules?: Record<string, RuleLevel>;
  tests?: TestMode;
}

interface RawConfig {
  targets?: Record<string, string>;
  profile?: ProfileName;
  mtls?: MtlsMode;
  failOn?: Severity;
  expiryDays?: number;
  tests?: TestMode;
  includeMinified?: boolean;
  rules?: Record<string, RuleLevel>;
  ignore?: string[];
  overrides?: RawOverride[];
}

interface Override {
  matcher: Ignore;
  severity?: RuleLevel;
  rules: Record<string, RuleLevel>;
  tests?: TestMode;
}

export class ProjectConfig {
  readonly targets: Map<TargetPlatform, string>;
  readonly profile?: ProfileName;
  readonly mtls?: MtlsMode;
  readonly failOn?: Severity;
  readonly expiryDays?: number;
  readonly tests?: TestMode;
  readonly includeMinified?: boolean;
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly ignore: readonly string[];
  private readonly overrides: Override[];

  constructor(
    /** Where it was read (a config file, or package.json). */
    readonly file: string,
    raw: RawConfig,
  ) {
    this.targets = parseTargetArgs(Object.entries(raw.targets ?? {}).map(([k, v]) => `${k}=${v}`));
    if (raw.profile) this.profile = raw.profile;
    if (raw.mtls) this.mtls = raw.mtls;
    if (raw.failOn) this.failOn = raw.failOn;
    if (raw.expiryDays !== undefined) this.expiryDays = raw.expiryDays;
    if (raw.tests) this.tests = raw.tests;
    if (raw.includeMinified !== undefined) this.includeMinified = raw.includeMinified;
    this.rules = raw.rules ?? {};
    this.ignore = raw.ignore ?? [];
    this.overrides = (raw.overrides ?? []).map((o) => ({
      matcher: ignore().add(typeof o.files === 'string' ? [o.files] : o.files),
      rules: o.rules ?? {},
      ...(o.severity && { severity: o.severity }),
      ...(o.tests && { tests: o.tests }),
    }));
  }

  /** The folder globs are relative to. */
  get dir(): string {
    return path.dirname(this.file);
  }

  /** The rule ids the file names (top level and overrides), to check against the rule list. */
  ruleIds(): string[] {
    return [
      ...new Set([
        ...Object.keys(this.rules),
        ...this.overrides.flatMap((o) => Object.keys(o.rules)),
      ]),
    ];
  }

  /** A rule's level for one file: the last matching override that says, else the top level. */
  levelFor(file: string, ruleId: string): RuleLevel | undefined {
    let level: RuleLevel | undefined = this.rules[ruleId];
    const rel = this.relative(file);
    if (rel === undefined) return level;
    for (const o of this.overrides) {
      if (!o.matcher.ignores(rel)) continue;
      level = o.rules[ruleId] ?? o.severity ?? level;
    }
    return level;
  }

  /** How test code is reported for one file, when the file says. */
  testsFor(file: string): TestMode | undefined {
    let mode = this.tests;
    const rel = this.relative(file);
    if (rel === undefined) return mode;
    for (const o of this.overrides) if (o.tests && o.matcher.ignores(rel)) mode = o.tests;
    return mode;
  }

  private relative(file: string): string | undefined {
    const rel = path.relative(this.dir, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }
}

let schema: JsonSchema | undefined;
export function configSchema(): JsonSchema {
  schema ??= JSON.parse(
    readFileSync(packageFile('schema', 'tls-lint.config.schema.json'), 'utf8'),
  ) as JsonSchema;
  return schema;
}

/** Checks a parsed config against the schema; throws a usage error naming the first bad key. */
export function validateConfig(raw: unknown, where: string): RawConfig {
  const problems = checkSchema(raw, configSchema());
  if (problems.length) {
    const p = problems[0]!;
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    throw new UsageError(`${where}: ${p.key ? `"${p.key}" ` : ''}${p.message}${more}`);
  }
  return raw as RawConfig;
}

/** Reads and checks one config file (or package.json's key); throws a usage error when bad. */
export function loadConfigFile(file: string, cwd = process.cwd()): ProjectConfig | undefined {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `${shown}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let raw: unknown;
  if (path.basename(file) === 'package.json') {
    let pkg: unknown;
    try {
      pkg = JSON.parse(text);
    } catch {
      return undefined; // a broken package.json is not a tls-lint config; readers report it
    }
    if (typeof pkg !== 'object' || pkg === null || !(PACKAGE_JSON_KEY in pkg)) return undefined;
    raw = (pkg as Record<string, unknown>)[PACKAGE_JSON_KEY];
    return new ProjectConfig(file, validateConfig(raw, `${shown} "${PACKAGE_JSON_KEY}"`));
  }
  if (file.endsWith('.json')) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${shown}: not valid JSON (${(e as Error).message})`);
    }
  } else {
    const doc = yamlPackage().parseDocument(text, { prettyErrors: false });
    if (doc.errors.length) {
      const err = doc.errors[0]!;
      throw new UsageError(
        `${shown}:${err.linePos?.[0]?.line ?? 1}: not valid YAML (${err.message.split('\n')[0]!})`,
      );
    }
    raw = doc.toJS() ?? {};
  }
  return new ProjectConfig(file, validateConfig(raw, shown));
}

/**
 * The config in force for a run over `paths`: the nearest one at or above the folder that holds
 * them all, stopping at the repository root. Two config files in one folder are a usage error.
 */
export function findConfig(
  paths: readonly string[],
  cwd = process.cwd(),
): ProjectConfig | undefined {
  for (let dir = commonFolder(paths.map((p) => path.resolve(cwd, p))); ; dir = path.dirname(dir)) {
    const here = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).filter(isFile);
    if (here.length > 1)
      throw new UsageError(
        `${here.map((f) => displayPath(f, cwd)).join(' and ')} both configure tls-lint; keep one`,
      );
    if (here.length === 1) return loadConfigFile(here[0]!, cwd);
    const pkg = path.join(dir, 'package.json');
    if (isFile(pkg)) {
      const fromPkg = loadConfigFile(pkg, cwd);
      if (fromPkg) return fromPkg;
    }
    if (exists(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

function commonFolder(files: readonly string[]): string {
  const folders = files.map((f) => (isDirectory(f) ? f : path.dirname(f)));
  let common = folders[0] ?? process.cwd();
  for (const f of folders.slice(1)) {
    while (path.relative(common, f).startsWith('..') || path.isAbsolute(path.relative(common, f)))
      common = path.dirname(common);
  }
  return common;
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
