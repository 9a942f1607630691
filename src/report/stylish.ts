/**
 * The human report: findings grouped by file, `line:col  severity  message  [rule-id]`, a code
 * frame under each finding, then a summary line. Parse errors are listed after the findings.
 */
import { relativePath } from '../model/location.js';
import { plural } from '../engine/rule-helpers.js';
import {
  LINT_ERROR_LABELS,
  findingText,
  type Finding,
  type LintError,
  type LintNotice,
  type Severity,
} from '../model/finding.js';
import type { Palette } from './colors.js';
import { displayPath, escapeControl } from './escape.js';
import type { EndpointReport } from '../confirm/index.js';
import { confirmSummary, probeLine, probeMark } from './confirm.js';

export interface StylishOptions {
  cwd: string;
  palette: Palette;
  /** Source text for code frames; undefined → no frame. */
  sourceOf(file: string): string | undefined;
  /** Lines of context above and below the flagged line. */
  contextLines?: number;
  /** List parse errors after the findings (false when the caller prints them to stderr). */
  listErrors?: boolean;
  notices?: readonly LintNotice[];
  /** With `--confirm`: the endpoints probed (findings carry their `probe` verdicts). */
  endpoints?: readonly EndpointReport[];
  /** Where each rule's README is; with `links`, each finding ends with its rule id linked there. */
  docsUrl?(ruleId: string): string;
  /** `osc8`: the rule id is a terminal hyperlink (OSC 8); `url`: each rule's URL is listed once before the summary. */
  links?: 'osc8' | 'url';
  /** Wrap messages to this many columns (a terminal's width); no wrapping when undefined. */
  width?: number;
  /** Findings in test code (they carry `context: "test"`), for their own summary line. */
  testCode?: { findings: number; files: number; skipped: number; mode: string };
  /** With --baseline: how many findings the baseline accounts for, and how many of its entries are gone. */
  baseline?: { known: number; gone: number };
}

/** Columns before a finding's message: `  1:2     error    `. */
const MESSAGE_INDENT = 2 + 7 + 1 + 7 + 2;

export function formatStylish(
  findings: readonly Finding[],
  errors: readonly LintError[],
  options: StylishOptions,
): string {
  const { palette: c, cwd } = options;
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.at.file) ?? [];
    list.push(f);
    byFile.set(f.at.file, list);
  }
  // Production files first, test code after them.
  const files = [...byFile].sort(
    ([, a], [, b]) => Number(a[0]!.context === 'test') - Number(b[0]!.context === 'test'),
  );
  for (const [file, list] of files) {
    out.push(
      c.underline(displayPath(relativePath(cwd, file))) +
        (list[0]!.context === 'test' ? c.dim('  (test code)') : ''),
    );
    const source = options.sourceOf(file);
    const lines = source?.split(/\r?\n/);
    for (const f of list) {
      const pos = `${f.at.line}:${f.at.column}`.padEnd(7);
      const { statement, help } = findingText(f);
      out.push(
        `  ${c.dim(pos)} ${severityLabel(f.severity, c)}  ${probeMark(f.probe, c)}${wrapMessage(escapeControl(statement), ruleTag(f.ruleId, options), options.width)}`,
      );
      if (help !== undefined) out.push(helpLine(escapeControl(help), c, options.width));
      if (f.probe) out.push(probeLine(f.probe, c));
      if (lines) out.push(...codeFrame(lines, f, c, options.contextLines ?? 0));
    }
    out.push('');
  }
  for (const e of options.listErrors === false ? [] : errors)
    out.push(`${c.red('error')} ${errorLine(e, cwd)}`);
  if (errors.length && options.listErrors !== false) out.push('');
  for (const n of options.notices ?? []) out.push(noticeLine(n, cwd, c));
  if (options.notices?.length) out.push('');
  if (options.links === 'url' && options.docsUrl && findings.length) {
    const ids = [...new Set(findings.map((f) => f.ruleId))];
    const width = Math.max(...ids.map((id) => id.length));
    out.push(
      'Rule docs:',
      ...ids.map((id) => `  ${escapeControl(id).padEnd(width)}  ${c.dim(options.docsUrl!(id))}`),
      '',
    );
  }
  // Under --tests report, test findings are judged as production code: the summary counts them.
  const counted =
    options.testCode?.mode === 'report' ? findings : findings.filter((f) => f.context !== 'test');
  out.push(summaryLine(counted, errors, c, options.notices?.length ?? 0));
  if (options.testCode?.findings) out.push(testCodeLine(options.testCode, c));
  if (options.baseline) out.push(baselineLine(options.baseline, c));
  if (options.endpoints) out.push(confirmSummary(findings, options.endpoints, c));
  return out.join('\n') + '\n';
}

/**
 * `note  file  message`; a notice about many files is one line that names the first few (the
 * JSON report lists them all, with each file's own notice).
 */
function noticeLine(n: LintNotice, cwd: string, c: Palette): string {
  if (!n.files)
    return `${c.blue('note')}  ${displayPath(relativePath(cwd, n.file))}  ${escapeControl(n.message)}`;
  const names = n.files.map((f) => displayPath(relativePath(cwd, f.file)));
  const shown =
    names.length > 3
      ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
      : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
  return `${c.blue('note')}  ${escapeControl(n.message)} (${escapeControl(shown)}; --format json lists them)`;
}

/** `[rule-id]`, linked to the rule's README when asked. */
function ruleTag(ruleId: string, options: StylishOptions): { text: string; width: number } {
  const c = options.palette;
  const id = escapeControl(ruleId);
  const url = options.docsUrl?.(ruleId);
  if (url && options.links === 'osc8')
    return {
      text: c.dim(`[\u001b]8;;${url}\u001b\\${id}\u001b]8;;\u001b\\]`),
      width: id.length + 2,
    };
  return { text: c.dim(`[${id}]`), width: id.length + 2 };
}

const HELP = 'help: ';

/** `help: <fix>` under the message, wrapped like it, continuation lines under the fix's first word. */
export function helpLine(
  fix: string,
  c: Palette,
  width: number | undefined,
  indent = MESSAGE_INDENT,
): string {
  const room = width === undefined ? Infinity : Math.max(30, width - indent - HELP.length);
  return `${' '.repeat(indent)}${c.blue(HELP)}${wrapWords(fix, room).join(`\n${' '.repeat(indent + HELP.length)}`)}`;
}

/** The message, wrapped at word boundaries under its own column, with the rule tag at the end. */
function wrapMessage(
  message: string,
  tag: { text: string; width: number },
  width: number | undefined,
): string {
  const room = width === undefined ? Infinity : Math.max(30, width - MESSAGE_INDENT);
  if (message.length + 2 + tag.width <= room) return `${message}  ${tag.text}`;
  const lines = wrapWords(message, room);
  const last = lines.pop()!;
  if (last.length + 2 + tag.width <= room) lines.push(`${last}  ${tag.text}`);
  else lines.push(last, tag.text);
  return lines.join(`\n${' '.repeat(MESSAGE_INDENT)}`);
}

/** Words into lines of at most `room` columns (a longer word gets a line of its own). */
function wrapWords(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

/** `ℹ 14 findings in test code (6 files), reported as info: …` */
function testCodeLine(t: NonNullable<StylishOptions['testCode']>, c: Palette): string {
  const what = `${plural(t.findings, 'finding')} in test, example or benchmark code (${plural(t.files, 'file')})`;
  if (t.mode === 'skip')
    return c.dim(
      `ℹ ${what} not shown (--tests skip); --tests report judges them as production code`,
    );
  if (t.mode === 'info')
    return c.blue(
      `ℹ ${what} lowered to info, not counted above; --tests report judges them as production code`,
    );
  return c.blue(`ℹ ${what} reported as production code (--tests report)`);
}

function baselineLine(b: { known: number; gone: number }, c: Palette): string {
  const gone = b.gone
    ? `; ${plural(b.gone, 'baselined finding')} no longer found (fixed or changed) — rewrite the baseline to drop ${b.gone === 1 ? 'it' : 'them'}`
    : '';
  return c.dim(`ℹ ${plural(b.known, 'finding')} known from the baseline not shown${gone}`);
}

/** `file:line:col  message` of a file that could not be checked, escaped for a terminal. */
export function errorLine(
  e: LintError,
  cwd: string,
  rel: (cwd: string, file: string) => string = relativePath,
): string {
  const where =
    e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : '';
  return `${displayPath(rel(cwd, e.file))}${where}  ${escapeControl(e.message)}`;
}

export function severityLabel(s: Severity, c: Palette): string {
  const text = s.padEnd(7);
  return s === 'error' ? c.red(text) : s === 'warning' ? c.yellow(text) : c.blue(text);
}

function codeFrame(lines: readonly string[], f: Finding, c: Palette, context: number): string[] {
  const first = Math.max(1, f.at.line - context);
  const last = Math.min(lines.length, f.at.line + context);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = escapeControl((lines[n - 1] ?? '').replace(/\t/g, '  '));
    const marker = n === f.at.line ? '>' : ' ';
    frame.push(`    ${c.dim(`${marker} ${String(n).padStart(width)} |`)} ${truncate(text, 160)}`);
    if (n === f.at.line) {
      const raw = lines[n - 1] ?? '';
      const startCol = visualColumn(raw, f.at.column);
      const endCol =
        f.at.endLine === f.at.line
          ? visualColumn(raw, f.at.endColumn)
          : visualColumn(raw, raw.length + 1);
      const length = Math.max(1, Math.min(endCol - startCol, 160 - startCol + 1));
      frame.push(
        `    ${c.dim(`  ${' '.repeat(width)} |`)} ${' '.repeat(Math.max(0, startCol - 1))}${f.severity === 'error' ? c.red('^'.repeat(length)) : c.yellow('^'.repeat(length))}`,
      );
    }
  }
  return frame;
}

/** Column after expanding tabs the way the frame prints them. */
function visualColumn(line: string, column: number): number {
  const before = line.slice(0, Math.max(0, column - 1));
  return escapeControl(before.replace(/\t/g, '  ')).length + 1;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function summaryLine(
  findings: readonly Finding[],
  errors: readonly LintError[],
  c: Palette,
  notes = 0,
): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const e = count('error');
  const w = count('warning');
  const i = count('info');
  const parts = [plural(e, 'error'), plural(w, 'warning')];
  if (i) parts.push(plural(i, 'info'));
  const files = new Set(findings.map((f) => f.at.file)).size;
  // No tick when some file could not be judged.
  const head =
    findings.length === 0
      ? errors.length
        ? '⚠ No TLS problems found in what could be checked'
        : '✔ No TLS problems found'
      : `✖ ${plural(findings.length, 'problem')} (${parts.join(', ')}) in ${plural(files, 'file')}`;
  const text = head + (notes ? `; ${plural(notes, 'note')} above on how files were judged` : '');
  const line =
    findings.length === 0 && errors.length === 0
      ? text
      : e > 0 || errors.length
        ? c.red(c.bold(text))
        : c.yellow(c.bold(text));
  return errors.length ? `${line}\n${uncheckedLine(errors, c)}` : line;
}

/**
 * The last line when some file could not be checked: how many, and why ("2 files could not be
 * checked (1 syntax error, 1 not a regular file); exit code 2"). The run then always exits 2.
 */
function uncheckedLine(errors: readonly LintError[], c: Palette): string {
  const files = new Set(errors.map((e) => e.file)).size;
  const byKind = new Map<string, Set<string>>();
  for (const e of errors) {
    const label = e.kind ? LINT_ERROR_LABELS[e.kind] : 'could not be read or parsed';
    const set = byKind.get(label) ?? new Set<string>();
    set.add(e.file);
    byKind.set(label, set);
  }
  const why = [...byKind].map(([label, set]) => `${set.size} ${label}`).join(', ');
  return c.red(c.bold(`✖ ${plural(files, 'file')} could not be checked (${why}); exit code 2`));
}
