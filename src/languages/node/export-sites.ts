/**
 * An exported options object is reported where it is written (heuristically: who uses it is not
 * known there), and again where another module of the run hands it to a TLS API (placed at the
 * use site, with `definedAt` naming the export). When both are in the same run, the use site
 * says it better: the settings of the export site that some use site took over are dropped, and
 * the export-site context with them when nothing else is left in it.
 */
import type { TlsContext } from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';

/** Contexts made at an export (`module.exports = { … }`, `export const x = { … }`), filled by the extractor. */
export const EXPORT_SITE_CONTEXTS = new WeakSet<TlsContext>();

export function dropExportSitesUsedElsewhere(contexts: TlsContext[]): TlsContext[] {
  if (!contexts.some((c) => EXPORT_SITE_CONTEXTS.has(c))) return contexts;
  const usedDefinitions = new Set<string>();
  for (const c of contexts) {
    if (EXPORT_SITE_CONTEXTS.has(c)) continue;
    collectDefinedAt(c, usedDefinitions, 0);
  }
  if (usedDefinitions.size === 0) return contexts;
  return contexts.filter((c) => {
    if (!EXPORT_SITE_CONTEXTS.has(c)) return true;
    const record = c as unknown as Record<string, unknown>;
    let dropped = false;
    for (const [field, value] of Object.entries(record)) {
      if (isSetting(value) && settingAts(value).some((at) => usedDefinitions.has(key(at)))) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- drops any setting field the site defines
        delete record[field];
        dropped = true;
      }
    }
    // Nothing left that the export site itself says: the use sites report it all.
    return (
      !dropped ||
      Object.values(record).some(
        (v) => isSetting(v) && v.origin !== 'default' && v.origin !== 'unknown',
      )
    );
  });
}

function key(at: SourceRange): string {
  return `${at.file}\0${at.line}\0${at.column}`;
}

function isSetting(v: unknown): v is { origin: string; at?: SourceRange; branches?: unknown[] } {
  return (
    typeof v === 'object' && v !== null && typeof (v as { origin?: unknown }).origin === 'string'
  );
}

function settingAts(s: { origin: string; at?: SourceRange; branches?: unknown[] }): SourceRange[] {
  const out: SourceRange[] = [];
  if (s.at) out.push(s.at);
  for (const b of s.branches ?? []) if (isSetting(b) && b.at) out.push(b.at);
  return out;
}

/** Every `definedAt` anywhere in a context (settings, branches, material). */
function collectDefinedAt(value: unknown, out: Set<string>, depth: number): void {
  if (depth > 8 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) collectDefinedAt(v, out, depth + 1);
    return;
  }
  const d = (value as { definedAt?: SourceRange }).definedAt;
  if (d && typeof d.file === 'string') out.add(key(d));
  for (const v of Object.values(value)) collectDefinedAt(v, out, depth + 1);
}
