/**
 * `NODE_TLS_REJECT_UNAUTHORIZED` outside code: `.env` files, Dockerfiles (`ENV`/`ARG`/`RUN`),
 * package.json `scripts` (`NODE_TLS_REJECT_UNAUTHORIZED=0 node app.js`, `cross-env …`), YAML
 * (compose `environment:`, CI workflows, Kubernetes `env: [{ name, value }]`) and shell scripts.
 * Each occurrence is a process-wide client context; the finding points at the text itself.
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import type { LintError } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';
import { explicit } from '../../model/setting.js';
import { jsonStringValues, JsonSyntaxError, lineColumnAt } from './json-strings.js';
import { disablesVerification, envRejectContextAt, NODE_TLS_REJECT_UNAUTHORIZED } from './process-env.js';

export type EnvFileKind = 'dotenv' | 'dockerfile' | 'package-json' | 'yaml' | 'shell';

export function envFileKind(file: string): EnvFileKind | undefined {
  const base = path.basename(file);
  const lower = base.toLowerCase();
  if (lower === 'package.json') return 'package-json';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  // Any YAML: compose files, CI workflows and Kubernetes manifests all set environments. The text
  // is searched only when it names the variable, so other YAML costs one `includes`.
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (/\.(sh|bash|zsh)$/.test(lower) || lower === 'procfile' || lower === 'makefile' || lower.endsWith('.mk')) return 'shell';
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

const NAME = NODE_TLS_REJECT_UNAUTHORIZED;
/** `NAME=value`, `NAME="value"`, `NAME='value'` (shell, .env, ENV/ARG, compose list items). */
const ASSIGN = new RegExp(`(?<![\\w$.])${NAME}\\s*=\\s*(?:"([^"\\n]*)"|'([^'\\n]*)'|([^\\s"'#;&|)]*))`, 'g');
/** Dockerfile `ENV NAME value` (the legacy one-pair form). */
const DOCKER_ENV_SPACE = new RegExp(`^(\\s*ENV\\s+)(${NAME}\\s+(?:"([^"\\n]*)"|'([^'\\n]*)'|(\\S+)))\\s*$`, 'i');
/** YAML `NAME: "value"` mapping form (compose, workflow `env:`). */
const YAML_MAP = new RegExp(`(?<![\\w$.])${NAME}\\s*:\\s*(?:"([^"\\n]*)"|'([^'\\n]*)'|([^\\s#]*))`, 'g');

function scanLines(text: string, kind: EnvFileKind): Occurrence[] {
  const out: Occurrence[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('#')) {
      const docker = kind === 'dockerfile' ? DOCKER_ENV_SPACE.exec(line) : null;
      if (docker) {
        const start = offset + docker[1]!.length;
        out.push({ start, end: start + docker[2]!.length, value: docker[3] ?? docker[4] ?? docker[5] ?? '', raw: docker[2]!.replace(/^\S+\s+/, '') });
      } else {
        for (const re of kind === 'yaml' ? [ASSIGN, YAML_MAP] : [ASSIGN]) {
          re.lastIndex = 0;
          for (const m of line.matchAll(re)) {
            const start = offset + m.index;
            out.push({ start, end: start + m[0].length, value: m[1] ?? m[2] ?? m[3] ?? '', raw: valueText(m[0]) });
          }
        }
      }
    }
    offset += line.length + 1;
  }
  if (kind === 'yaml') out.push(...scanNameValuePairs(text));
  return out;
}

/** Kubernetes-style `- name: NODE_TLS_REJECT_UNAUTHORIZED` with `value: "0"` on a nearby line. */
const K8S_NAME = new RegExp(`^(\\s*-?\\s*)name:\\s*["']?${NAME}["']?\\s*(?:#.*)?$`);
const K8S_VALUE = /^(\s*)value:\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#]*))/;

function scanNameValuePairs(text: string): Occurrence[] {
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
      out.push({ start, end: starts[j]! + m[0].length, value: m[2] ?? m[3] ?? m[4] ?? '', raw: m[0].slice(m[1]!.length).replace(/^value:\s*/, '') });
      break;
    }
  });
  return out;
}

/** Occurrences inside package.json `scripts` values (JSON-escaped quotes allowed around the value). */
function scanPackageJson(text: string): Occurrence[] {
  const out: Occurrence[] = [];
  const re = new RegExp(`(?<![\\w$.])${NAME}=(?:\\\\"([^"\\\\]*)\\\\"|'([^']*)'|([^\\s"'\\\\;&|)]*))`, 'g');
  for (const s of jsonStringValues(text)) {
    if (s.path.length !== 2 || s.path[0] !== 'scripts') continue;
    const content = text.slice(s.start, s.end);
    for (const m of content.matchAll(re)) {
      out.push({ start: s.start + m.index, end: s.start + m.index + m[0].length, value: m[1] ?? m[2] ?? m[3] ?? '', raw: valueText(m[0]).replace(/\\"/g, '"') });
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

export function readEnvFile(file: string, text: string, firstId: number): { contexts: TlsContext[]; errors: LintError[] } {
  const kind = envFileKind(file);
  // package.json is always parsed: a broken one is reported (the target detector skips it silently).
  if (!kind || (kind !== 'package-json' && !text.includes(NAME))) return { contexts: [], errors: [] };
  let occurrences: Occurrence[];
  try {
    occurrences = kind === 'package-json' ? scanPackageJson(text) : scanLines(text, kind);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      const { line, column } = lineColumnAt(text, e.offset);
      return { contexts: [], errors: [{ file, kind: 'syntax', message: `Invalid JSON: ${e.message}`, line, column }] };
    }
    throw e;
  }
  const contexts = occurrences.map((o, i) => {
    const at = rangeAt(file, text, o.start, o.end);
    const context = envRejectContextAt(`${file}#${firstId + i}`, 'env', at, explicit(!disablesVerification(o.value), at, NAME, o.raw));
    context.label = `every Node process started with this environment (${NAME}=${JSON.stringify(o.value)})`;
    return context;
  });
  return { contexts, errors: [] };
}
