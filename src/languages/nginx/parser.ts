/**
 * nginx configuration syntax tree: directives with arguments and optional blocks, as nginx's
 * `ngx_conf_parse()` sees them (before any module gives them meaning).
 */
import type { SourceRange } from '../../model/location.js';
import { MASK, maskTemplate, type TemplateSyntax } from './template.js';
import { NginxSyntaxError, Tokenizer, type Token } from './tokenizer.js';

export interface Arg {
  value: string;
  raw: string;
  quoted: boolean;
  at: SourceRange;
  /** A template placeholder (`{{ protocols }}`, `<%= @port %>`, `${DOMAIN}`): known only when rendered. */
  placeholder?: boolean;
}

export interface Directive {
  name: string;
  args: Arg[];
  /** From the directive name to its `;` (or to the closing `}` of its block). */
  at: SourceRange;
  /** The directive name alone. */
  nameAt: SourceRange;
  /** Children of a block directive (`server { … }`); undefined for simple directives. */
  block?: Directive[];
  /** The body is not nginx syntax (`content_by_lua_block`) and was skipped. */
  rawBlock?: boolean;
  file: string;
  /** Inside a template conditional or loop (`{% if ssl %}…{% endif %}`): rendered or not. */
  inBranch?: boolean;
}

export interface ParseResult {
  directives: Directive[];
  /** The first syntax error (nginx stops at the first one too). */
  error?: { message: string; line: number; column: number; kind?: 'syntax' | 'too-deep' };
  /** The file is a template: what of its template syntax was masked (see template.ts). */
  template?: TemplateSyntax;
}

/** Directives whose `{ … }` body is Lua (lua-nginx-module, stream-lua), never nginx syntax. */
function isRawBlockDirective(name: string): boolean {
  return /_by_lua_block$/.test(name) || name === 'lua_block';
}

/**
 * Blocks nested deeper than this are not read: real configurations nest a few levels, and the
 * recursive walks over the tree (here, in includes and in the location walk) must not exhaust
 * the stack on a generated or corrupt file.
 */
export const MAX_BLOCK_DEPTH = 100;

export function parseNginx(text: string, file: string): ParseResult {
  const masked = maskTemplate(text, file);
  const tokenizer = new Tokenizer(masked.text, file);
  const template = masked.syntax ? { template: masked.syntax } : {};
  try {
    const directives = parseDirectives(tokenizer, file, 0).directives;
    if (masked.syntax) restorePlaceholders(directives, text, masked.syntax);
    return { directives, ...template };
  } catch (e) {
    if (e instanceof NginxSyntaxError)
      return {
        directives: [],
        error: { message: e.message, line: e.line, column: e.column, kind: e.kind },
        ...template,
      };
    throw e;
  }
}

/** Gives masked words back their written text, marks them placeholders, and marks directives in template branches. */
function restorePlaceholders(directives: Directive[], text: string, syntax: TemplateSyntax): void {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (line: number, column: number): number =>
    (lineStarts[line - 1] ?? text.length) + column - 1;
  const written = (at: SourceRange): string =>
    text.slice(offset(at.line, at.column), offset(at.endLine, at.endColumn));
  const walk = (list: Directive[]): void => {
    for (const d of list) {
      const start = offset(d.at.line, d.at.column);
      if (syntax.branches.some(([from, to]) => start >= from && start < to)) d.inBranch = true;
      if (d.name.includes(MASK)) d.name = written(d.nameAt);
      for (const a of d.args) {
        if (!a.raw.includes(MASK)) continue;
        // A template's insertion, read as an include nobody can follow: it is known by the whole tag.
        a.raw = d.name === 'include' && d.args.length === 1 ? written(d.at).trim() : written(a.at);
        a.value = a.quoted ? a.raw.slice(1, -1) : a.raw;
        a.placeholder = true;
      }
      if (d.block) walk(d.block);
    }
  };
  walk(directives);
}

function spanning(from: SourceRange, to: SourceRange): SourceRange {
  return {
    file: from.file,
    line: from.line,
    column: from.column,
    endLine: to.endLine,
    endColumn: to.endColumn,
  };
}

/**
 * Parses directives up to the end of file (top level) or the `}` that closes a nested block,
 * whose range is returned as `end`.
 */
function parseDirectives(
  tokenizer: Tokenizer,
  file: string,
  depth: number,
): { directives: Directive[]; end?: SourceRange } {
  const nested = depth > 0;
  const out: Directive[] = [];
  for (;;) {
    const first: Token = tokenizer.next();
    if (first.kind === 'eof') {
      if (nested)
        throw new NginxSyntaxError(
          'unexpected end of file, expecting "}"',
          first.at.line,
          first.at.column,
        );
      return { directives: out };
    }
    if (first.kind === 'close') {
      if (!nested) throw new NginxSyntaxError('unexpected "}"', first.at.line, first.at.column);
      return { directives: out, end: first.at };
    }
    if (first.kind !== 'word')
      throw new NginxSyntaxError(`unexpected "${first.raw}"`, first.at.line, first.at.column);

    const args: Arg[] = [];
    for (;;) {
      const t = tokenizer.next();
      if (t.kind === 'word') {
        args.push({ value: t.value, raw: t.raw, quoted: t.quoted, at: t.at });
        continue;
      }
      if (t.kind === 'semicolon') {
        out.push({ name: first.value, args, at: spanning(first.at, t.at), nameAt: first.at, file });
        break;
      }
      if (t.kind === 'open') {
        if (isRawBlockDirective(first.value)) {
          const end = tokenizer.skipRawBlock(t.at.line, t.at.column);
          out.push({
            name: first.value,
            args,
            at: spanning(first.at, end),
            nameAt: first.at,
            block: [],
            rawBlock: true,
            file,
          });
        } else {
          if (depth >= MAX_BLOCK_DEPTH)
            throw new NginxSyntaxError(
              `too deeply nested to analyse (blocks nested more than ${MAX_BLOCK_DEPTH} levels deep); the file was not checked`,
              t.at.line,
              t.at.column,
              'too-deep',
            );
          const inner = parseDirectives(tokenizer, file, depth + 1);
          out.push({
            name: first.value,
            args,
            at: spanning(first.at, inner.end!),
            nameAt: first.at,
            block: inner.directives,
            file,
          });
        }
        break;
      }
      if (t.kind === 'close') throw new NginxSyntaxError('unexpected "}"', t.at.line, t.at.column);
      throw new NginxSyntaxError(
        'unexpected end of file, expecting ";" or "}"',
        t.at.line,
        t.at.column,
      );
    }
  }
}
