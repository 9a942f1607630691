/**
 * Envoy config text → YAML documents with positions, safely.
 *
 * - YAML (one or many documents, anchors, aliases, `<<` merge keys) and JSON (a YAML subset) go
 *   through the `yaml` package's parser; nothing is converted to plain objects, so an alias is
 *   never expanded: the reader walks the node graph and an aliased node keeps its own lines.
 * - Limits, checked before and after parsing so hostile input ends in an error entry, never a
 *   hang: size, flow nesting and indentation depth, alias count, and the size the document would
 *   have with every alias expanded (the "billion laughs").
 * - Helm / Go-template / Jinja placeholders (`{{ … }}`, `{% … %}`) are masked before parsing with
 *   text of the same length, so lines and columns stay true: a value that holds one is unknown,
 *   a line that is only a template action is blanked (and remembered: what it could add is
 *   unknown too).
 * - A document embedded as a block string (a Kubernetes ConfigMap `data: envoy.yaml: |`) is
 *   parsed on its own with positions mapped back to the lines of the outer file.
 */
import type { Document, Node, Scalar } from 'yaml';
import { yamlPackage } from '../../config/yaml.js';
import type { LintError } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';

/** Larger files are not parsed (an Envoy bootstrap is a few KiB; xDS dumps are not linted). */
const MAX_ENVOY_BYTES = 1024 * 1024;
/** Deeper flow nesting (`[[[[…`) than any config needs is refused before parsing. */
const MAX_FLOW_DEPTH = 128;
/** Likewise block indentation, in columns. */
const MAX_INDENT = 512;
/** Aliases per document. */
const MAX_ALIASES = 10_000;
/** Nodes a document may have with its aliases expanded. */
const MAX_EXPANDED_NODES = 1_000_000;

/** A `{{ … }}` placeholder after masking: same length, a plain scalar that cannot occur in a real config. */
const PLACEHOLDER = /«~*»/;

export interface Masked {
  text: string;
  /** The file has template syntax. */
  template: boolean;
  /** 1-based lines that held only a template action and were blanked. */
  blankedLines: number[];
}

/** Masks template actions; plain files come back unchanged. */
export function maskTemplates(text: string): Masked {
  if (!text.includes('{{') && !text.includes('{%'))
    return { text, template: false, blankedLines: [] };
  const re = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
  let found = false;
  const masked = text.replace(re, (m) => {
    found = true;
    if (m.includes('\n') || m.length < 2) return m.replace(/[^\n]/g, ' ');
    return `«${'~'.repeat(m.length - 2)}»`;
  });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the replace callback
  if (!found) return { text, template: false, blankedLines: [] };
  const lines = masked.split('\n');
  const original = text.split('\n');
  const blankedLines: number[] = [];
  lines.forEach((line, i) => {
    const rest = line.replace(/«~*»/g, '').trim();
    const hadTemplate = line !== original[i];
    if (
      hadTemplate &&
      (rest === '' || rest === '-') &&
      !/:\s*«/.test(line) &&
      !/^\s*-\s+«/.test(line)
    ) {
      lines[i] = ' '.repeat(line.length);
      blankedLines.push(i + 1);
    }
  });
  return { text: lines.join('\n'), template: true, blankedLines };
}

/** Whether a value was a template placeholder (its text is decided at render time). */
function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** Checks the cheap limits before parsing; an error message, or undefined when within them. */
function precheck(
  text: string,
): { message: string; line?: number; kind: 'too-large' | 'too-deep' } | undefined {
  if (text.length > MAX_ENVOY_BYTES)
    return {
      kind: 'too-large',
      message: `file is ${text.length} bytes, larger than the ${MAX_ENVOY_BYTES} bytes an Envoy config is read up to; not checked`,
    };
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      lineStart = i + 1;
      if (quote === "'" || quote === '"') continue;
      continue;
    }
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (i === lineStart) {
      let j = i;
      while (text[j] === ' ') j++;
      if (j - i > MAX_INDENT)
        return {
          kind: 'too-deep',
          message: `indented deeper than ${MAX_INDENT} columns; nesting this deep is refused (not an Envoy config)`,
          line,
        };
    }
    const prev = i > 0 ? text[i - 1]! : '\n';
    if (ch === '#' && /\s/.test(prev)) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if ((ch === '"' || ch === "'") && /[\s:,[{-]/.test(prev)) quote = ch;
    else if ((ch === '[' || ch === '{') && /[\s:,[{-]/.test(prev)) {
      if (++depth > MAX_FLOW_DEPTH)
        return {
          kind: 'too-deep',
          message: `nested deeper than ${MAX_FLOW_DEPTH} levels; nesting this deep is refused (not an Envoy config)`,
          line,
        };
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** Maps an offset in the parsed text to a 1-based line and column of the file. */
export type Placer = (offset: number) => { line: number; col: number };

/** One parsed YAML document with the helpers the reader needs. */
export class YDoc {
  private readonly aliasTargets = new Map<Node, Node | undefined>();

  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly place: Placer,
    /** Parsed from a string embedded in another document (ConfigMap). */
    readonly embedded: boolean,
  ) {
    const seen: Node[] = [];
    yamlPackage().visit(doc, {
      Node: (_k, node) => {
        if (yamlPackage().isAlias(node)) {
          let found: Node | undefined;
          for (let i = seen.length - 1; i >= 0; i--) {
            if (seen[i]!.anchor === node.source) {
              found = seen[i];
              break;
            }
          }
          this.aliasTargets.set(node, found);
        }
        if ((node as { anchor?: string }).anchor) seen.push(node);
      },
    });
  }

  /** Where the nodes that aliases refer to are: settings written there are shared. */
  aliasedRanges(): SourceRange[] {
    const out: SourceRange[] = [];
    for (const target of new Set(this.aliasTargets.values()))
      if (target) out.push(this.range(target));
    return out;
  }

  get aliasCount(): number {
    return this.aliasTargets.size;
  }

  /**
   * Nodes of the document with every alias expanded, counted without expanding; Infinity for an
   * alias that refers to a node containing itself.
   */
  expandedSize(limit: number): number {
    const memo = new Map<unknown, number>();
    const size = (n: unknown): number => {
      if (!n || typeof n !== 'object') return 1;
      const cached = memo.get(n);
      if (cached !== undefined) return cached;
      memo.set(n, Infinity); // in progress: a cycle
      let total = 1;
      if (yamlPackage().isAlias(n)) total = size(this.aliasTargets.get(n as Node));
      else if (yamlPackage().isMap(n))
        for (const p of n.items) total += size(p.key) + size(p.value);
      else if (yamlPackage().isSeq(n)) for (const item of n.items) total += size(item);
      if (total > limit) total = Infinity;
      memo.set(n, total);
      return total;
    };
    return size(this.doc.contents);
  }

  /** The node an alias stands for; other nodes as they are. */
  resolve(n: unknown): Node | undefined {
    if (n === null || n === undefined) return undefined;
    if (yamlPackage().isAlias(n)) return this.aliasTargets.get(n);
    return n as Node;
  }

  root(): Node | undefined {
    return this.resolve(this.doc.contents);
  }

  /** Key/value pairs of a mapping, with `<<` merges applied (own keys first, as YAML says). */
  entries(node: unknown): Array<{ key: string; keyNode: Scalar; value: Node | undefined }> {
    const map = this.resolve(node);
    if (!yamlPackage().isMap(map)) return [];
    const own: Array<{ key: string; keyNode: Scalar; value: Node | undefined }> = [];
    const merged: Array<{ key: string; keyNode: Scalar; value: Node | undefined }> = [];
    for (const pair of map.items) {
      const key = pair.key;
      if (!yamlPackage().isScalar(key)) continue;
      if (typeof key.value === 'symbol' || key.value === '<<') {
        const sources = this.resolve(pair.value);
        const list = yamlPackage().isSeq(sources)
          ? sources.items.map((s) => this.resolve(s))
          : [sources];
        for (const source of list)
          if (yamlPackage().isMap(source) && source !== map)
            merged.push(...this.entriesNoMerge(source));
        continue;
      }
      own.push({ key: String(key.value), keyNode: key, value: this.resolve(pair.value) });
    }
    const names = new Set(own.map((e) => e.key));
    return [...own, ...merged.filter((e) => !names.has(e.key) && (names.add(e.key), true))];
  }

  private entriesNoMerge(
    map: Node,
  ): Array<{ key: string; keyNode: Scalar; value: Node | undefined }> {
    if (!yamlPackage().isMap(map)) return [];
    const out: Array<{ key: string; keyNode: Scalar; value: Node | undefined }> = [];
    for (const pair of map.items) {
      if (yamlPackage().isScalar(pair.key) && typeof pair.key.value !== 'symbol')
        out.push({
          key: String(pair.key.value),
          keyNode: pair.key,
          value: this.resolve(pair.value),
        });
    }
    return out;
  }

  get(node: unknown, key: string): { keyNode: Scalar; value: Node | undefined } | undefined {
    return this.entries(node).find((e) => e.key === key);
  }

  isMap(node: unknown): boolean {
    return yamlPackage().isMap(this.resolve(node));
  }

  items(node: unknown): Node[] {
    const seq = this.resolve(node);
    if (!yamlPackage().isSeq(seq)) return [];
    return seq.items.map((i) => this.resolve(i)).filter((i): i is Node => !!i);
  }

  /** A scalar's value as text (numbers and booleans too); undefined for maps, lists, null. */
  text(node: unknown): string | undefined {
    const n = this.resolve(node);
    if (!yamlPackage().isScalar(n) || n.value === null || n.value === undefined) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a YAML scalar holds a primitive
    return String(n.value);
  }

  /** A template placeholder (Helm `{{ … }}`) stands where the value is. */
  templated(node: unknown): boolean {
    const n = this.resolve(node);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a YAML scalar holds a primitive
    if (yamlPackage().isScalar(n)) return isPlaceholder(String(n.source ?? n.value ?? ''));
    return false;
  }

  /** true/false as protobuf JSON reads them (`true`, `"true"`). */
  bool(node: unknown): boolean | undefined {
    const n = this.resolve(node);
    if (!yamlPackage().isScalar(n)) return undefined;
    if (n.value === true || n.value === 'true') return true;
    if (n.value === false || n.value === 'false') return false;
    return undefined;
  }

  /** Where a node is (the anchored definition for an alias). */
  range(node: unknown): SourceRange {
    const n = this.resolve(node) as { range?: [number, number, number] } | undefined;
    const r = n?.range ?? [0, 0, 0];
    const a = this.place(r[0]);
    const b = this.place(Math.max(r[0], r[1]));
    return { file: this.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  /** A key's own range (`transport_socket`), for findings about the block it opens. */
  keyRange(keyNode: Scalar): SourceRange {
    return this.range(keyNode);
  }

  /** The 1-based line of an offset. */
  lineOf(offset: number): number {
    return this.place(offset).line;
  }
}

export interface ParseOutcome {
  docs: YDoc[];
  errors: LintError[];
  /** Parse problems of a template file: told as a notice, not an error. */
  templateProblems: string[];
}

/**
 * Parses (masked) text into documents. `place` maps offsets to the file's lines (identity for a
 * file, shifted for an embedded string).
 */
export function parseDocuments(
  file: string,
  text: string,
  options: { template: boolean; place?: Placer; embedded?: boolean },
): ParseOutcome {
  const errors: LintError[] = [];
  const templateProblems: string[] = [];
  const lineCounter = new (yamlPackage().LineCounter)();
  const place: Placer =
    options.place ??
    ((offset) => {
      const p = lineCounter.linePos(offset);
      return { line: p.line, col: p.col };
    });
  const limit = precheck(text);
  if (limit) {
    const at = limit.line !== undefined ? place(offsetOfLine(text, limit.line)) : undefined;
    errors.push({
      file,
      kind: limit.kind,
      message: `Envoy config not read: ${limit.message}`,
      ...(at && { line: at.line }),
    });
    return { docs: [], errors, templateProblems };
  }
  let parsed: Document.Parsed[];
  try {
    parsed = yamlPackage().parseAllDocuments(text, {
      lineCounter,
      merge: true,
      uniqueKeys: true,
      prettyErrors: false,
      strict: false,
    }) as Document.Parsed[];
  } catch (e) {
    errors.push({
      file,
      kind: e instanceof RangeError && /call stack/i.test(e.message) ? 'too-deep' : 'syntax',
      message: `Envoy config not read: ${(e as Error).message}`,
    });
    return { docs: [], errors, templateProblems };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  const docs: YDoc[] = [];
  for (const doc of parsed) {
    const problems = doc.errors;
    const ydoc = new YDoc(file, doc, place, options.embedded ?? false);
    if (problems.length) {
      const fatal = problems.filter((p) => p.code !== 'DUPLICATE_KEY');
      for (const p of problems.filter((q) => q.code === 'DUPLICATE_KEY')) {
        const at = place(p.pos[0]);
        const key =
          /^["']?([^"':\s,{}[\]]+)/.exec(text.slice(p.pos[0], p.pos[0] + 200))?.[1] ?? 'a key';
        errors.push({
          file,
          kind: 'syntax',
          line: at.line,
          column: at.col,
          message: `duplicate key ${JSON.stringify(key)} in one mapping: which value Envoy would use is not defined; keep one`,
        });
      }
      if (fatal.length) {
        const first = fatal[0]!;
        const at = place(first.pos[0]);
        const what = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        if (options.template) {
          templateProblems.push(`line ${at.line}: ${what}`);
        } else {
          errors.push({
            file,
            kind: 'syntax',
            line: at.line,
            column: at.col,
            message: `YAML syntax error: ${what}`,
          });
          continue;
        }
      }
    }
    if (ydoc.aliasCount > MAX_ALIASES) {
      errors.push({
        file,
        kind: 'budget',
        message: `Envoy config not read: ${ydoc.aliasCount} aliases in one document, more than the ${MAX_ALIASES} allowed`,
      });
      continue;
    }
    if (ydoc.aliasCount > 0 && ydoc.expandedSize(MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
      const at = ydoc.range(doc.contents);
      errors.push({
        file,
        kind: 'budget',
        line: at.line,
        message: `Envoy config not read: its aliases expand to more than ${MAX_EXPANDED_NODES} nodes (an alias bomb, or an alias that contains itself)`,
      });
      continue;
    }
    docs.push(ydoc);
  }
  return { docs, errors, templateProblems };
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset;
}

/**
 * For a block scalar (`envoy.yaml: |`) of `outer`, a placer that maps offsets in its value to the
 * file's lines; undefined when the value's lines cannot be matched to the source lines (a folded
 * or quoted string), in which case the caller points everything at the key.
 */
export function embeddedPlacer(
  doc: YDoc,
  node: Scalar,
  outerText: string,
): { text: string; place: Placer } | undefined {
  if (node.type !== 'BLOCK_LITERAL') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a YAML scalar holds a primitive
  const value = String(node.value ?? '');
  const start = node.range?.[0] ?? 0;
  const headerEnd = outerText.indexOf('\n', start);
  if (headerEnd < 0) return undefined;
  const firstLine = doc.lineOf(headerEnd + 1);
  const sourceLines = outerText
    .slice(headerEnd + 1)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const valueLines = value.split('\n');
  const firstContent = sourceLines.find((l) => l.trim() !== '');
  if (firstContent === undefined) return undefined;
  const indent = firstContent.length - firstContent.trimStart().length;
  for (let i = 0; i < valueLines.length; i++) {
    const inner = valueLines[i]!;
    const outer = sourceLines[i] ?? '';
    if (inner === '' ? outer.trim() !== '' : outer.slice(indent) !== inner) {
      // trailing lines kept by "|+" may differ only in blanks
      if (valueLines.slice(i).every((l) => l.trim() === '')) break;
      return undefined;
    }
  }
  const lineStarts: number[] = [0];
  for (let i = 0; i < value.length; i++) if (value[i] === '\n') lineStarts.push(i + 1);
  const place: Placer = (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: firstLine + lo, col: offset - lineStarts[lo]! + 1 + indent };
  };
  return { text: value, place };
}
