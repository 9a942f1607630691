/**
 * The Envoy reader: v3 (and leftover v2) bootstrap configs and xDS resource files in YAML or
 * JSON, also embedded in a Kubernetes ConfigMap, also as Helm/Go templates. See README.md.
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import { unknown } from '../../model/setting.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';
import { yamlPackage } from '../../config/yaml.js';
import { plural } from '../../engine/rule-helpers.js';
import { readFailure } from '../failure.js';
import type { LanguageReader, ReadContext, ReadResult, SourceFile } from '../reader.js';
import { buildContext, type BuildEnv } from './context.js';
import { isEnvoyAtTopLevel, looksLikeEnvoy, looksLikeEnvoyPath } from './detect.js';
import { embeddedPlacer, maskTemplates, parseDocuments, type YDoc } from './source.js';
import { Walker } from './walk.js';

export const envoyReader: LanguageReader = {
  id: 'envoy',
  language: 'envoy',
  // Each config file on its own (a Kubernetes ConfigMap's embedded config is in the same file).
  readsFilesApart: true,
  matchesPath: looksLikeEnvoyPath,
  claims: (file: SourceFile) => looksLikeEnvoy(file.text),
  read: readEnvoy,
};

const EMBEDDED_MARKER = /static_resources|dynamic_resources/;

function readEnvoy(files: SourceFile[], ctx: ReadContext): ReadResult {
  const contexts: TlsContext[] = [];
  const errors: LintError[] = [];
  const notices: LintNotice[] = [];
  for (const file of files) {
    try {
      const out = readFile(file, ctx);
      contexts.push(...out.contexts);
      errors.push(...out.errors);
      notices.push(...out.notices);
    } catch (e) {
      // One file the reader cannot handle must not hide the others.
      errors.push(readFailure('envoy', file.path, e));
    }
  }
  return { contexts, errors, notices };
}

function readFile(
  file: SourceFile,
  ctx: ReadContext,
): { contexts: TlsContext[]; errors: LintError[]; notices: LintNotice[] } {
  const notices: LintNotice[] = [];
  const masked = maskTemplates(file.text.replace(/^\uFEFF/, ''));
  const outer = parseDocuments(file.path, masked.text, { template: masked.template });
  const errors: LintError[] = [];
  let ours = isEnvoyAtTopLevel(masked.text);
  const docs: YDoc[] = [];
  const templateProblems = [...outer.templateProblems];
  for (const doc of outer.docs) {
    const root = doc.root();
    if (doc.get(root, 'apiVersion') && doc.get(root, 'kind')) {
      // Kubernetes: only a ConfigMap's Envoy config is read; every other object is not ours.
      if (doc.text(doc.get(root, 'kind')?.value) !== 'ConfigMap') continue;
      for (const section of ['data', 'binaryData']) {
        for (const entry of doc.entries(doc.get(root, section)?.value)) {
          const value = entry.value;
          if (
            !yamlPackage().isScalar(value) ||
            typeof value.value !== 'string' ||
            !EMBEDDED_MARKER.test(value.value)
          )
            continue;
          ours = true;
          const mapped = embeddedPlacer(doc, value, masked.text);
          const keyAt = doc.keyRange(entry.keyNode);
          const place = mapped?.place ?? (() => ({ line: keyAt.line, col: keyAt.column }));
          const inner = parseDocuments(file.path, mapped?.text ?? value.value, {
            template: masked.template,
            place,
            embedded: true,
          });
          docs.push(...inner.docs);
          errors.push(
            ...inner.errors.map((e) => ({
              ...e,
              message: `${e.message} (in ConfigMap data "${entry.key}")`,
            })),
          );
          templateProblems.push(...inner.templateProblems);
        }
      }
      continue;
    }
    docs.push(doc);
  }

  const walker = new Walker();
  for (const doc of docs) walker.document(doc);
  const result = walker.result;
  ours ||= result.envoy;
  if (!ours) return { contexts: [], errors: [], notices: [] };
  errors.unshift(...outer.errors);
  if (result.budgetExceeded)
    errors.push({
      file: file.path,
      kind: 'budget',
      message:
        'Envoy config only partly read: it has more listeners, clusters and aliases to them than the reader visits (200000)',
    });

  const targets = ctx.targetsFor(file.path).get('envoy');
  let n = 0;
  const blanked = new Set(masked.blankedLines);
  const lines = masked.text.split('\n');
  const env: BuildEnv = {
    version: targets.version,
    versionNote:
      targets.source === 'assumed'
        ? `Envoy ${targets.version} assumed; set --target envoy=<version>`
        : targets.source === 'detected'
          ? `Envoy ${targets.version}, from the ${targets.reason}`
          : `target envoy ${targets.version}`,
    secrets: result.secrets,
    nextId: () => `${file.path}#${++n}`,
    resolvePath: (written) => resolveMaterialPath(written, file.path, ctx),
    templateGap: (range: SourceRange) => templateGap(range, blanked, lines),
    notice: (message) => notices.push({ file: file.path, message }),
  };
  const contexts = result.found.map((f) => buildContext(f, env));
  judgeSharedLinesOnce(
    contexts,
    docs.flatMap((d) => d.aliasedRanges()),
  );

  if (masked.template) {
    const parts = [
      `a template (Helm/Go "{{ … }}" or Jinja): values written as placeholders are unknown and not judged`,
    ];
    if (masked.blankedLines.length)
      parts.push(
        `${plural(masked.blankedLines.length, 'line')} holding only a template action (first: line ${masked.blankedLines[0]!}) could add keys, so what a missing key would default to is not judged near them`,
      );
    if (templateProblems.length)
      parts.push(
        `parts that are not YAML once the placeholders are masked were skipped (${templateProblems[0]!})`,
      );
    notices.push({
      file: file.path,
      message: `${parts.join('; ')}; lint the rendered config (helm template …) for a full check`,
    });
  }
  if (result.dynamicOnly && contexts.length === 0) {
    notices.push({
      file: file.path,
      message:
        'listeners and clusters come from a control plane ("dynamic_resources"): their TLS settings are not in this file and were not judged',
    });
  }
  return { contexts, errors, notices };
}

/** Settings whose finding is reported where the setting is written. */
const LOCATED_FIELDS = [
  'protocols',
  'ciphers',
  'curves',
  'peerVerification',
  'hostnameVerification',
  'clientAuth',
  'clientVerify',
  'renegotiation',
] as const;

/**
 * Two contexts that take a setting from the same anchored lines (`common_tls_context: *common`
 * with different SNIs) would report it twice there: the first context judges it, the others
 * get it as unknown, and the first one's label names them all.
 */
function judgeSharedLinesOnce(contexts: TlsContext[], aliased: SourceRange[]): void {
  if (aliased.length === 0) return;
  const inside = (at: SourceRange) =>
    aliased.some(
      (r) =>
        r.file === at.file &&
        (at.line > r.line || (at.line === r.line && at.column >= r.column)) &&
        (at.line < r.endLine || (at.line === r.endLine && at.column <= r.endColumn)),
    );
  const owners = new Map<string, TlsContext>();
  /** Per first context: the fields it judges for others, and who shares each. */
  const shared = new Map<TlsContext, Map<string, Set<string>>>();
  for (const c of contexts) {
    for (const field of LOCATED_FIELDS) {
      const s = c[field];
      if (!s || s.origin !== 'explicit' || !inside(s.at)) continue;
      const key = `${c.role}\0${field}\0${s.at.line}:${s.at.column}\0${JSON.stringify(s.value)}`;
      const first = owners.get(key);
      if (!first) {
        owners.set(key, c);
        const fields = shared.get(c) ?? new Map<string, Set<string>>();
        fields.set(field, fields.get(field) ?? new Set());
        shared.set(c, fields);
        continue;
      }
      (c as unknown as Record<string, unknown>)[field] = unknown(
        `the same anchored lines as in ${first.label}, judged there`,
        s.at,
        s.key,
      );
      shared.get(first)!.get(field)!.add(c.label);
    }
  }
  // Name in the label only the contexts that share every such setting, so no message says more.
  for (const [c, fields] of shared) {
    const sets = [...fields.values()];
    const everywhere = [...(sets[0] ?? [])].filter((label) => sets.every((set) => set.has(label)));
    if (everywhere.length) c.label = `${c.label} (and ${everywhere.join(', ')}, through an alias)`;
  }
}

/** The first blanked template line inside a context's lines (or the blank lines right after them). */
function templateGap(
  range: SourceRange,
  blanked: ReadonlySet<number>,
  lines: readonly string[],
): string | undefined {
  if (blanked.size === 0) return undefined;
  let end = range.endLine;
  while (end < lines.length && (lines[end]!.trim() === '' || blanked.has(end + 1))) end++;
  for (let l = range.line; l <= end; l++) {
    if (blanked.has(l)) return `a template action at line ${l} may set it`;
  }
  return undefined;
}

/**
 * Where a certificate file named in the config is in the linted tree. Envoy runs in a container
 * with the files mounted (`./certs:/etc/envoy/certs`): an absolute path is looked for by its
 * trailing parts next to the config and a few folders up; the host's own /etc is never read.
 */
function resolveMaterialPath(
  written: string,
  configFile: string,
  ctx: ReadContext,
): string | undefined {
  if (!written || written.includes('\0')) return undefined;
  const dir = path.dirname(configFile);
  const bases = [dir, path.dirname(dir), path.dirname(path.dirname(dir))];
  const candidates: string[] = [];
  if (!path.isAbsolute(written)) {
    for (const base of bases) candidates.push(path.resolve(base, written));
  } else {
    if (bases.some((b) => written.startsWith(b + path.sep))) candidates.push(written);
    const parts = written.split('/').filter(Boolean);
    for (let k = 1; k < parts.length; k++) {
      const suffix = parts.slice(k).join(path.sep);
      for (const base of bases) candidates.push(path.join(base, suffix));
    }
  }
  for (const c of [...new Set(candidates)]) {
    if (ctx.readBytes(c) !== undefined) return c;
  }
  return undefined;
}
