/**
 * Certificate material for the rules: reads the certificate, key and DH-parameter files that
 * contexts reference, through the source cache, and attaches their summaries. Shared by the
 * linter (`lint.ts`) and the ESLint plugin, which must not load the lint pipeline for it.
 */
import { summarize } from '../crypto/material.js';
import type { MaterialRef, MaterialSummary, TlsContext } from '../model/context.js';
import type { LintError, LintNotice } from '../model/finding.js';
import { relativePath } from '../model/location.js';
import { describeReadFailure, readFailureKind, type SourceCache } from './source-cache.js';

const MATERIAL_WORDS: Record<MaterialRef['purpose'], string> = {
  'server-certificate': 'Certificate',
  'client-certificate': 'Client certificate',
  'server-key': 'Private key',
  'client-key': 'Client private key',
  'client-ca': 'Client CA file',
  'trusted-ca': 'CA file',
  dhparam: 'DH parameters file',
  pfx: 'PKCS#12 file',
};

/**
 * Reads the certificates, keys and DH parameters the contexts reference. A file that is not in
 * the tree (the live keys rarely are) stays unknown; one that is there but cannot be read or
 * parsed is an error of the run (file and reason), one read outside the tree is only a notice.
 */
export function loadMaterial(
  contexts: readonly TlsContext[],
  sources: SourceCache,
  cwd: string,
  errors: LintError[],
  notices: LintNotice[],
): void {
  const cache = new Map<string, MaterialSummary | undefined>();
  const reported = new Set<string>();
  for (const context of contexts) {
    for (const ref of context.material) {
      if (ref.summary || ref.source === 'endpoint') continue;
      if (!ref.path && ref.inline === undefined) continue;
      const key = ref.path ?? `inline:${ref.inline ?? ''}`;
      if (!cache.has(key)) {
        let summary: MaterialSummary | undefined;
        const where = `${ref.key}, ${relativePath(cwd, ref.at.file)}:${ref.at.line}`;
        const say = (e: LintError | LintNotice, isError: boolean) => {
          const k = `${e.file}\0${e.message}`;
          if (reported.has(k)) return;
          reported.add(k);
          (isError ? errors : notices).push(e);
        };
        if (ref.path) {
          const r = sources.readBytesOutcome(ref.path);
          if (r.ok) summary = summarizeSafely(ref.purpose, r.bytes);
          else if (r.reason === 'outside')
            say(
              {
                file: ref.at.file,
                message: `${MATERIAL_WORDS[ref.purpose]} "${ref.written ?? ref.path}" (${where}) ${describeReadFailure(r)}`,
              },
              false,
            );
          else if (r.reason !== 'missing') {
            say(
              {
                file: ref.path,
                kind: readFailureKind(r.reason)!,
                message: `${MATERIAL_WORDS[ref.purpose]} (${where}) ${describeReadFailure(r, sources.maxFileBytes)}`,
              },
              true,
            );
          }
        } else {
          summary = summarizeSafely(ref.purpose, Buffer.from(ref.inline!, 'utf8'));
        }
        if (summary?.kind === 'unreadable') {
          const file = ref.path ?? ref.at.file;
          const message = `${MATERIAL_WORDS[ref.purpose]} (${where}) could not be parsed: ${summary.error ?? 'unknown reason'}`;
          if (summary.unsupported)
            say(
              {
                file,
                message: `${MATERIAL_WORDS[ref.purpose]} (${where}) not judged: ${summary.error ?? 'unknown reason'}`,
              },
              false,
            );
          else
            say(
              {
                file,
                kind: 'unreadable',
                message,
                ...(!ref.path && { line: ref.at.line, column: ref.at.column }),
              },
              true,
            );
        }
        cache.set(key, summary);
      }
      const summary = cache.get(key);
      if (summary) ref.summary = summary;
    }
  }
}

function summarizeSafely(purpose: MaterialRef['purpose'], bytes: Buffer): MaterialSummary {
  try {
    return summarize(purpose, bytes);
  } catch (e) {
    return { kind: 'unreadable', error: e instanceof Error ? e.message : String(e) };
  }
}
