/**
 * Reads semgrep-style fixture annotations (DESIGN.md §7) in any comment syntax:
 *
 *   // ruleid: insecure-protocol-version      the next code line must get this finding
 *   # ok: certificate-verification-disabled   the next code line must not
 *   // todoruleid: x / todook: x              known gaps; they fail once they start passing
 *   // fixture-options: --target node=18 --mtls required
 */
export type AnnotationKind = 'ruleid' | 'ok' | 'todoruleid' | 'todook';

export interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  /** The line the annotation is about (1-based). */
  line: number;
  /** Where the annotation itself is written. */
  annotationLine: number;
}

const ANNOTATION =
  /(?:\/\/|#|\/\*|<!--|;)\s*(ruleid|ok|todoruleid|todook)\s*:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;
const OPTIONS = /fixture-options:\s*(.*?)\s*(?:\*\/|-->)?\s*$/;

function isAnnotationLine(text: string): boolean {
  const trimmed = text.trim();
  return ANNOTATION.test(trimmed) && /^(\/\/|#|\/\*|<!--|;)/.test(trimmed);
}

export function parseAnnotations(text: string): Annotation[] {
  const lines = text.split(/\r?\n/);
  const out: Annotation[] = [];
  lines.forEach((lineText, i) => {
    const m = ANNOTATION.exec(lineText);
    if (!m || !isAnnotationLine(lineText)) return;
    // The annotated line is the next line that is not itself an annotation.
    let target = i + 1;
    while (target < lines.length && isAnnotationLine(lines[target]!)) target++;
    for (const ruleId of m[2]!.split(',').map((s) => s.trim())) {
      out.push({ kind: m[1] as AnnotationKind, ruleId, line: target + 1, annotationLine: i + 1 });
    }
  });
  return out;
}

/** Command-line style options from a `fixture-options:` comment, split on white space. */
export function parseFixtureOptions(text: string): string[] {
  for (const line of text.split(/\r?\n/)) {
    const m = OPTIONS.exec(line);
    if (m) return m[1]!.split(/\s+/).filter(Boolean);
  }
  return [];
}
