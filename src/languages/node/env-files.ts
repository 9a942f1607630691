/**
 * Process-wide TLS switches outside code: `.env` files, Dockerfiles (`ENV`/`ARG`/`RUN`),
 * package.json `scripts` (`NODE_TLS_REJECT_UNAUTHORIZED=0 node app.js`, `cross-env …`), YAML
 * (compose `environment:`, CI workflows, Kubernetes `env: [{ name, value }]`) and shell scripts.
 * Each occurrence is a process-wide client context; the finding points at the text itself.
 *
 * The variables are a table (`ENV_SWITCHES`): Node's `NODE_TLS_REJECT_UNAUTHORIZED`, the
 * Python ones whose meaning depends on the Python and requests versions (src/languages/python/
 * env-switches.ts says when each really disables verification), and Go's `GODEBUG`, whose TLS
 * settings override go.mod for every Go program of the environment (src/languages/go/
 * env-godebug.ts, facts in go-defaults.ts).
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import type { LintError } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';
import { explicit } from '../../model/setting.js';
import { newContext } from '../../model/context.js';
import type { Targets } from '../../config/targets.js';
import { godebugEnvContexts, GODEBUG } from '../go/env-godebug.js';
import { processEnvSwitch, PYTHON_ENV_SWITCHES } from '../python/env-switches.js';
import {
  connectionStringContext,
  connectionStringSwitches,
  mentionsConnectionParam,
  pgSslModeSwitch,
} from './connection-strings.js';
import { jsonStringValues, JsonSyntaxError, lineColumnAt } from './json-strings.js';
import {
  disablesVerification,
  envRejectContextAt,
  NODE_TLS_REJECT_UNAUTHORIZED,
} from './process-env.js';
import { runtimeFloorContext } from './runtime-floor.js';

/** One environment variable the env-file reader looks for, and what an assignment of it makes. */
interface EnvSwitch {
  name: string;
  /** The process-wide context of one assignment, or a notice when it changes nothing here. */
  read(
    file: string,
    at: SourceRange,
    value: string,
    raw: string,
    id: string,
    targets: Targets | undefined,
  ): { context?: TlsContext; contexts?: TlsContext[]; notice?: string; notices?: string[] };
}

const ENV_SWITCHES: readonly EnvSwitch[] = [
  {
    name: NODE_TLS_REJECT_UNAUTHORIZED,
    read(_file, at, value, raw, id) {
      const context = envRejectContextAt(
        id,
        'env',
        at,
        explicit(!disablesVerification(value), at, NODE_TLS_REJECT_UNAUTHORIZED, raw),
      );
      context.label = `every Node process started with this environment (${NODE_TLS_REJECT_UNAUTHORIZED}=${JSON.stringify(value)})`;
      return { context };
    },
  },
  ...PYTHON_ENV_SWITCHES.map(
    (name): EnvSwitch => ({
      name,
      read(_file, at, value, raw, id, targets) {
        const effect = targets ? processEnvSwitch(name, value, targets) : undefined;
        if (!effect?.peerVerification) return effect?.notice ? { notice: effect.notice } : {};
        const context = newContext({
          id,
          language: 'env',
          role: 'client',
          at,
          enabledAt: at,
          label: effect.label,
          api: name,
          recognition: 'known-api',
          library: effect.library,
          scope: 'process',
        });
        context.peerVerification = effect.peerVerification(at, raw);
        return { context };
      },
    }),
  ),
  {
    name: GODEBUG,
    read(_file, at, value, _raw, id, targets) {
      return godebugEnvContexts(at, value, id, targets);
    },
  },
];

/** Whether a text names one of the switches (cheap pre-filter). */
export function mentionsEnvSwitch(text: string): boolean {
  return ENV_SWITCHES.some((s) => text.includes(s.name));
}

export type EnvFileKind = 'dotenv' | 'dockerfile' | 'package-json' | 'yaml' | 'shell';

export function envFileKind(file: string): EnvFileKind | undefined {
  const base = path.basename(file);
  const lower = base.toLowerCase();
  if (lower === 'package.json') return 'package-json';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  if (
    lower === 'dockerfile' ||
    lower === 'containerfile' ||
    lower.startsWith('dockerfile.') ||
    lower.endsWith('.dockerfile')
  )
    return 'dockerfile';
  // Any YAML: compose files, CI workflows and Kubernetes manifests all set environments. The text
  // is searched only when it names the variable, so other YAML costs one `includes`.
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (
    /\.(sh|bash|zsh)$/.test(lower) ||
    lower === 'procfile' ||
    lower === 'makefile' ||
    lower.endsWith('.mk')
  )
    return 'shell';
  return undefined;
}

/** One `NAME=value` found in a text: offsets of the whole assignment and the value as written. */
interface Occurrence {
  start: number;
  end: number;
  value: string;
  /** The value as written, quotes included. */
  raw: string;
}

interface Patterns {
  /** `NAME=value`, `NAME="value"`, `NAME='value'` (shell, .env, ENV/ARG, compose list items). */
  assign: RegExp;
  /** Dockerfile `ENV NAME value` (the legacy one-pair form). */
  dockerEnvSpace: RegExp;
  /** YAML `NAME: "value"` mapping form (compose, workflow `env:`). */
  yamlMap: RegExp;
  /** Kubernetes-style `- name: NAME` (its `value:` follows). */
  k8sName: RegExp;
  /** package.json scripts, JSON-escaped quotes allowed around the value. */
  packageJson: RegExp;
}

const patternCache = new Map<string, Patterns>();

function patternsFor(NAME: string): Patterns {
  let p = patternCache.get(NAME);
  if (!p) {
    p = {
      assign: new RegExp(
        `(?<![\\w$.])${NAME}\\s*=\\s*(?:"([^"\\n]*)"|'([^'\\n]*)'|([^\\s"'#;&|)]*))`,
        'g',
      ),
      dockerEnvSpace: new RegExp(
        `^(\\s*ENV\\s+)(${NAME}\\s+(?:"([^"\\n]*)"|'([^'\\n]*)'|(\\S+)))\\s*$`,
        'i',
      ),
      yamlMap: new RegExp(
        `(?<![\\w$.])${NAME}\\s*:\\s*(?:"([^"\\n]*)"|'([^'\\n]*)'|([^\\s#]*))`,
        'g',
      ),
      k8sName: new RegExp(`^(\\s*-?\\s*)name:\\s*["']?${NAME}["']?\\s*(?:#.*)?$`),
      packageJson: new RegExp(
        `(?<![\\w$.])${NAME}=(?:\\\\"([^"\\\\]*)\\\\"|'([^']*)'|([^\\s"'\\\\;&|)]*))`,
        'g',
      ),
    };
    patternCache.set(NAME, p);
  }
  return p;
}

function scanLines(text: string, kind: EnvFileKind, NAME: string): Occurrence[] {
  const { assign: ASSIGN, dockerEnvSpace: DOCKER_ENV_SPACE, yamlMap: YAML_MAP } = patternsFor(NAME);
  const out: Occurrence[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('#')) {
      const docker = kind === 'dockerfile' ? DOCKER_ENV_SPACE.exec(line) : null;
      if (docker) {
        const start = offset + docker[1]!.length;
        out.push({
          start,
          end: start + docker[2]!.length,
          value: docker[3] ?? docker[4] ?? docker[5] ?? '',
          raw: docker[2]!.replace(/^\S+\s+/, ''),
        });
      } else {
        for (const re of kind === 'yaml' ? [ASSIGN, YAML_MAP] : [ASSIGN]) {
          re.lastIndex = 0;
          for (const m of line.matchAll(re)) {
            const start = offset + m.index;
            out.push({
              start,
              end: start + m[0].length,
              value: m[1] ?? m[2] ?? m[3] ?? '',
              raw: valueText(m[0]),
            });
          }
        }
      }
    }
    offset += line.length + 1;
  }
  if (kind === 'yaml') out.push(...scanNameValuePairs(text, NAME));
  return out;
}

/** Kubernetes-style `- name: NODE_TLS_REJECT_UNAUTHORIZED` with `value: "0"` on a nearby line. */
const K8S_VALUE = /^(\s*)value:\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#]*))/;

function scanNameValuePairs(text: string, NAME: string): Occurrence[] {
  const K8S_NAME = patternsFor(NAME).k8sName;
  const out: Occurrence[] = [];
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  lines.forEach((line, i) => {
    if (!K8S_NAME.test(line)) return;
    // The value sits within the next few lines of the same list item (before the next `- `).
    for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
      if (/^\s*-\s/.test(lines[j]!)) break;
      const m = K8S_VALUE.exec(lines[j]!);
      if (!m) continue;
      const start = starts[j]! + m[1]!.length;
      out.push({
        start,
        end: starts[j]! + m[0].length,
        value: m[2] ?? m[3] ?? m[4] ?? '',
        raw: m[0].slice(m[1]!.length).replace(/^value:\s*/, ''),
      });
      break;
    }
  });
  return out;
}

/** Occurrences inside package.json `scripts` values (JSON-escaped quotes allowed around the value). */
function scanPackageJson(text: string, NAME: string): Occurrence[] {
  const out: Occurrence[] = [];
  const re = patternsFor(NAME).packageJson;
  re.lastIndex = 0;
  for (const s of jsonStringValues(text)) {
    if (s.path.length !== 2 || s.path[0] !== 'scripts') continue;
    const content = text.slice(s.start, s.end);
    for (const m of content.matchAll(re)) {
      out.push({
        start: s.start + m.index,
        end: s.start + m.index + m[0].length,
        value: m[1] ?? m[2] ?? m[3] ?? '',
        raw: valueText(m[0]).replace(/\\"/g, '"'),
      });
    }
  }
  return out;
}

/** `NAME=value` / `NAME: value` → `value`. */
function valueText(assignment: string): string {
  return assignment.replace(/^[^=:]*[=:]\s*/, '');
}

function rangeAt(file: string, text: string, start: number, end: number): SourceRange {
  const a = lineColumnAt(text, start);
  const b = lineColumnAt(text, end);
  return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

export function readEnvFile(
  file: string,
  text: string,
  firstId: number,
  targets?: Targets,
): { contexts: TlsContext[]; errors: LintError[]; notices?: string[] } {
  const kind = envFileKind(file);
  const contexts: TlsContext[] = [];
  const notices: string[] = [];
  // package.json is always parsed: a broken one is reported (the target detector skips it silently).
  if (!kind) return { contexts, errors: [] };
  const switches =
    kind === 'package-json' ? [] : connectionStringContexts(file, text, firstId + 1000);
  if (kind !== 'package-json' && !mentionsEnvSwitch(text))
    return { contexts: switches, errors: [] };
  let id = firstId;
  for (const variable of ENV_SWITCHES) {
    if (kind !== 'package-json' && !text.includes(variable.name)) continue;
    let occurrences: Occurrence[];
    try {
      occurrences =
        kind === 'package-json'
          ? scanPackageJson(text, variable.name)
          : scanLines(text, kind, variable.name);
    } catch (e) {
      if (e instanceof JsonSyntaxError) {
        const { line, column } = lineColumnAt(text, e.offset);
        return {
          contexts: [],
          errors: [{ file, kind: 'syntax', message: `Invalid JSON: ${e.message}`, line, column }],
        };
      }
      throw e;
    }
    for (const o of occurrences) {
      const at = rangeAt(file, text, o.start, o.end);
      const made = variable.read(file, at, o.value, o.raw, `${file}#${id++}`, targets);
      if (made.context) contexts.push(made.context);
      if (made.contexts) contexts.push(...made.contexts);
      if (made.notice) notices.push(made.notice);
      if (made.notices) notices.push(...made.notices);
    }
  }
  contexts.push(...switches);
  if (kind === 'package-json') {
    const floor = runtimeFloorContext(file, text, `${file}#${id++}`, targets);
    if (floor) contexts.push(floor);
  }
  return { contexts, errors: [], ...(notices.length > 0 && { notices }) };
}

/** Whether a text may hold a connection-string switch or PGSSLMODE (cheap pre-filter). */
export function mentionsConnectionSwitch(text: string): boolean {
  return mentionsConnectionParam(text) || text.includes('PGSSLMODE');
}

const PGSSLMODE = /(?<![\w$.])PGSSLMODE\s*[=:]\s*["']?([\w-]+)/g;

/** Connection strings and `PGSSLMODE` in .env values, compose/Kubernetes environments, Dockerfile ENV lines and scripts. */
function connectionStringContexts(file: string, text: string, firstId: number): TlsContext[] {
  if (!mentionsConnectionSwitch(text)) return [];
  const out: TlsContext[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (!line.trimStart().startsWith('#')) {
      for (const sw of connectionStringSwitches(line)) {
        out.push(
          connectionStringContext(
            `${file}#${firstId + out.length}`,
            'env',
            sw,
            rangeAt(file, text, offset + sw.start, offset + sw.end),
          ),
        );
      }
      for (const m of line.matchAll(PGSSLMODE)) {
        const sw = pgSslModeSwitch(m[1]!);
        if (sw)
          out.push(
            connectionStringContext(
              `${file}#${firstId + out.length}`,
              'env',
              sw,
              rangeAt(file, text, offset + m.index, offset + m.index + m[0].length),
            ),
          );
      }
    }
    offset += line.length + 1;
  }
  return out;
}
