/**
 * Code in Markdown: fenced blocks whose info string names a language with a reader are handed to
 * that reader (no second implementation), with findings at their real line in the .md file.
 *
 * Each block becomes a virtual file in a folder that does not exist next to the document
 * (`.README.md-block3/main.go`), whose text is the document with every line outside the block
 * blanked: line and column numbers are the document's own, suppression comments inside a block
 * work as in any file, and `<!-- tls-lint-disable-next-block [ids] -- reason -->` before a fence
 * covers the block (src/engine/suppress.ts); an info string with `tls-lint:bad|good` (the rule docs
 * examples, judged for their one rule by test/rules/readme-examples) is not linted. Results are mapped back to the document; a block
 * that does not parse is a notice, never an error (fragments are normal in docs).
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import type { LanguageReader, ReadContext, SourceFile } from '../reader.js';
import { envoyReader } from '../envoy/index.js';
import { goReader } from '../go/index.js';
import { nginxReader } from '../nginx/index.js';
import { nodeEnvReader, nodeReader } from '../node/index.js';
import { pythonReader } from '../python/index.js';

/** How a block of one language is read: by which reader, under which file name. */
export interface EmbeddedLanguage {
  reader: LanguageReader;
  /** The file name the reader expects (its extension decides how it parses). */
  fileName: string;
  /** Completes a fragment so that it parses (Go code without `package` or a function body). */
  wrap?(lines: string[], block: FenceBlock): void;
}

const js: EmbeddedLanguage = { reader: nodeReader, fileName: 'block.js' };
const ts: EmbeddedLanguage = { reader: nodeReader, fileName: 'block.ts' };
const go: EmbeddedLanguage = { reader: goReader, fileName: 'main.go', wrap: wrapGo };
const python: EmbeddedLanguage = { reader: pythonReader, fileName: 'block.py' };
const shell: EmbeddedLanguage = { reader: nodeEnvReader, fileName: 'block.sh' };

/** Info-string language → reader. A new reader adds its names here, one line each. */
const FENCE_LANGUAGES: Readonly<Record<string, EmbeddedLanguage>> = {
  js,
  javascript: js,
  mjs: { reader: nodeReader, fileName: 'block.mjs' },
  cjs: { reader: nodeReader, fileName: 'block.cjs' },
  jsx: { reader: nodeReader, fileName: 'block.jsx' },
  ts,
  typescript: ts,
  tsx: { reader: nodeReader, fileName: 'block.tsx' },
  go,
  golang: go,
  nginx: { reader: nginxReader, fileName: 'nginx.conf' },
  python,
  py: python,
  python3: python,
  yaml: { reader: envoyReader, fileName: 'envoy.yaml' },
  yml: { reader: envoyReader, fileName: 'envoy.yaml' },
  json: { reader: envoyReader, fileName: 'envoy.json' },
  dotenv: { reader: nodeEnvReader, fileName: '.env' },
  env: { reader: nodeEnvReader, fileName: '.env' },
  sh: shell,
  bash: shell,
  shell,
  console: shell,
  dockerfile: { reader: nodeEnvReader, fileName: 'Dockerfile' },
};

export interface FenceBlock {
  /** Lower-cased first word of the info string. */
  lang: string;
  /** The info string marks a rule-doc example (`tls-lint:bad`/`good`), tested by its own test. */
  badExample: boolean;
  /** 0-based line index of the opening and closing fence (closing = last line when unclosed). */
  open: number;
  close: number;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`{]*)/;

/** The fenced code blocks of a Markdown text. */
export function fencedBlocks(text: string): FenceBlock[] {
  const lines = text.split(/\r?\n/);
  const out: FenceBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]!);
    if (!m) continue;
    const marker = m[2]!;
    const closeRe = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let close = lines.findIndex((l, j) => j > i && closeRe.test(l));
    if (close < 0) close = lines.length;
    out.push({
      lang: m[3]!.replace(/^\{?\.?/, '').toLowerCase(),
      badExample: /\btls-lint:(bad|good)\b/.test(lines[i]!),
      open: i,
      close,
    });
    i = close;
  }
  return out;
}

/**
 * Go fragments: a block without a package clause gets `package main` and the usual imports on its
 * opening-fence line; one made of statements also gets `func _() {` there and `}` on the closing
 * fence line. Line numbers do not move.
 */
function wrapGo(lines: string[], block: FenceBlock): void {
  const body = lines.slice(block.open + 1, block.close);
  const code = body.filter((l) => l.trim() && !l.trim().startsWith('//'));
  if (code.some((l) => /^\s*package\s+\w+/.test(l))) return;
  const hasImports = code.some((l) => /^\s*import\b/.test(l));
  const header = `package main;${hasImports ? '' : 'import ("crypto/tls"; "crypto/x509"; "net/http");'}`;
  const declarations = /^\s*(func|import|var|const|type)\b/.test(code[0] ?? '');
  lines[block.open] = declarations ? header : `${header}func _() {`;
  if (!declarations && block.close < lines.length) lines[block.close] = '}';
  else if (!declarations) lines.push('}');
}

/** Replaces every `file` equal to `from` with `to`, deep (contexts, settings, material, errors). */
function remapFile<T>(value: T, from: string, to: string, seen = new Set<object>()): T {
  if (!value || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (key === 'file' && v === from) record[key] = to;
    else if (v && typeof v === 'object') remapFile(v, from, to, seen);
  }
  return value;
}

async function readBlock(
  md: SourceFile,
  mdLines: readonly string[],
  block: FenceBlock,
  index: number,
  lang: EmbeddedLanguage,
  ctx: ReadContext,
) {
  const virtual = path.join(
    path.dirname(md.path),
    `.${path.basename(md.path)}-block${index + 1}`,
    lang.fileName,
  );
  // A text prefilter sees the same words in the block alone: most blocks of a long document
  // (a changelog) stop here, before the document is blanked around them.
  const { prefilter } = lang.reader;
  if (prefilter && !lang.wrap) {
    const text = mdLines.slice(block.open + 1, block.close).join('\n');
    if (!prefilter({ path: virtual, text, explicit: md.explicit }, ctx))
      return { contexts: [], errors: [], notices: [] };
  }
  const lines = mdLines.map((l, i) => (i > block.open && i < block.close ? l : ''));
  lang.wrap?.(lines, block);
  const file: SourceFile = { path: virtual, text: lines.join('\n'), explicit: md.explicit };
  // As the engine routes a file: the reader's claim, then its prefilter.
  if (!lang.reader.claims(file) || (lang.reader.prefilter && !lang.reader.prefilter(file, ctx)))
    return { contexts: [], errors: [], notices: [] };
  const result = await lang.reader.read([file], ctx);
  return {
    contexts: result.contexts.map((c) => remapFile(c, virtual, md.path)),
    errors: result.errors.map((e) => remapFile(e, virtual, md.path)),
    notices: (result.notices ?? []).map((n) => remapFile(n, virtual, md.path)),
  };
}

export const markdownReader: LanguageReader = {
  id: 'markdown',
  language: 'markdown',
  // Each document on its own: its blocks are read as files of their own, nothing is shared.
  readsFilesApart: true,
  matchesPath: (p) => /\.(md|markdown|mdx)$/i.test(p),
  claims: (file) =>
    /\.(md|markdown|mdx)$/i.test(file.path) &&
    fencedBlocks(file.text).some((b) => b.lang in FENCE_LANGUAGES),
  async read(files, ctx) {
    const contexts: TlsContext[] = [];
    const errors: LintError[] = [];
    const notices: LintNotice[] = [];
    for (const md of files) {
      const blocks = fencedBlocks(md.text);
      const lines = md.text.split(/\r?\n/);
      for (const [i, block] of blocks.entries()) {
        const lang = FENCE_LANGUAGES[block.lang];
        if (!lang || block.badExample) continue;
        try {
          const r = await readBlock(md, lines, block, i, lang, ctx);
          contexts.push(...r.contexts);
          notices.push(...r.notices);
          // Fragments are normal in docs: a block that does not parse is a notice, not an error.
          for (const e of r.errors) {
            notices.push({
              file: md.path,
              message: `code block at line ${block.open + 1} (${block.lang}) was not read: ${e.message}`,
            });
          }
        } catch (e) {
          notices.push({
            file: md.path,
            message: `code block at line ${block.open + 1} (${block.lang}) was not read: ${(e as Error).message}`,
          });
        }
      }
    }
    return { contexts, errors, ...(notices.length && { notices }) };
  },
};
