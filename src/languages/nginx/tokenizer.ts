/**
 * A tokenizer that follows nginx's own `ngx_conf_read_token()` (src/core/ngx_conf_file.c):
 *
 * - words are separated by blanks; `;` and `{` end a word, `}` only at a word boundary;
 * - `#` starts a comment only at a word boundary (`a#b` is one word);
 * - single and double quotes group, a backslash escapes the next character (in and out of
 *   quotes), and `\"`, `\'`, `\\`, `\t`, `\r`, `\n` are unescaped like nginx does;
 * - after a closing quote a blank, `;`, `{` or `)` must follow;
 * - `${name}` keeps its braces inside a word.
 *
 * Every token carries exact 1-based line/column positions. `*_by_lua_block { … }` bodies are
 * Lua, not nginx syntax: the parser asks {@link Tokenizer.skipRawBlock} to step over them.
 */
import type { SourceRange } from '../../model/location.js';

export type TokenKind = 'word' | 'semicolon' | 'open' | 'close' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The word after unescaping (for `word`). */
  value: string;
  /** The source text of the token, quotes included. */
  raw: string;
  quoted: boolean;
  at: SourceRange;
}

export class NginxSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** Valid syntax nested deeper than tls-lint follows is not a syntax error. */
    readonly kind: 'syntax' | 'too-deep' = 'syntax',
  ) {
    super(message);
    this.name = 'NginxSyntaxError';
  }
}

const BLANK = new Set([' ', '\t', '\r', '\n']);

export class Tokenizer {
  private pos = 0;
  private line = 1;
  private col = 1;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  private peekChar(): string | undefined {
    return this.text[this.pos];
  }

  private advance(): string {
    const ch = this.text[this.pos++]!;
    if (ch === '\n') {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return ch;
  }

  private range(line: number, column: number): SourceRange {
    return { file: this.file, line, column, endLine: this.line, endColumn: this.col };
  }

  /** The next token; throws {@link NginxSyntaxError} on quoting errors. */
  next(): Token {
    // Skip blanks and comments.
    for (;;) {
      const ch = this.peekChar();
      if (ch === undefined) {
        return {
          kind: 'eof',
          value: '',
          raw: '',
          quoted: false,
          at: this.range(this.line, this.col),
        };
      }
      if (BLANK.has(ch)) {
        this.advance();
        continue;
      }
      if (ch === '#') {
        while (this.peekChar() !== undefined && this.peekChar() !== '\n') this.advance();
        continue;
      }
      break;
    }
    const startLine = this.line;
    const startCol = this.col;
    const start = this.pos;
    const ch = this.peekChar()!;
    if (ch === ';' || ch === '{' || ch === '}') {
      this.advance();
      const kind: TokenKind = ch === ';' ? 'semicolon' : ch === '{' ? 'open' : 'close';
      return { kind, value: ch, raw: ch, quoted: false, at: this.range(startLine, startCol) };
    }
    if (ch === '"' || ch === "'") return this.quoted(ch, startLine, startCol, start);
    return this.word(startLine, startCol, start);
  }

  private quoted(quote: string, startLine: number, startCol: number, start: number): Token {
    this.advance();
    let value = '';
    for (;;) {
      const ch = this.peekChar();
      if (ch === undefined)
        throw new NginxSyntaxError(
          `unexpected end of file, expecting closing ${quote}`,
          startLine,
          startCol,
        );
      this.advance();
      if (ch === '\\') {
        const next = this.peekChar();
        if (next === undefined) continue;
        this.advance();
        value += unescape(next);
        continue;
      }
      if (ch === quote) break;
      value += ch;
    }
    const after = this.peekChar();
    if (
      after !== undefined &&
      !BLANK.has(after) &&
      after !== ';' &&
      after !== '{' &&
      after !== ')'
    ) {
      throw new NginxSyntaxError(`unexpected "${after}"`, this.line, this.col);
    }
    return {
      kind: 'word',
      value,
      raw: this.text.slice(start, this.pos),
      quoted: true,
      at: this.range(startLine, startCol),
    };
  }

  private word(startLine: number, startCol: number, start: number): Token {
    let value = '';
    let variable = false;
    for (;;) {
      const ch = this.peekChar();
      if (ch === undefined || BLANK.has(ch) || ch === ';') break;
      if (ch === '{' && !variable) break;
      variable = false;
      this.advance();
      if (ch === '\\') {
        const next = this.peekChar();
        if (next === undefined) break;
        this.advance();
        value += unescape(next);
        continue;
      }
      if (ch === '$') variable = true;
      value += ch;
    }
    return {
      kind: 'word',
      value,
      raw: this.text.slice(start, this.pos),
      quoted: false,
      at: this.range(startLine, startCol),
    };
  }

  /**
   * Steps over a Lua body that starts after an already-read `{`, up to and including its
   * matching `}`: braces are counted outside Lua strings and comments. Returns the range of the
   * closing brace.
   */
  skipRawBlock(openLine: number, openCol: number): SourceRange {
    let depth = 1;
    for (;;) {
      const ch = this.peekChar();
      if (ch === undefined)
        throw new NginxSyntaxError(
          'unexpected end of file, expecting "}" to close the Lua block',
          openLine,
          openCol,
        );
      if (ch === '-' && this.text[this.pos + 1] === '-') {
        this.advance();
        this.advance();
        const level = this.longBracketLevel();
        if (level >= 0) this.skipLongBracket(level);
        else while (this.peekChar() !== undefined && this.peekChar() !== '\n') this.advance();
        continue;
      }
      if (ch === '[') {
        const level = this.longBracketLevel();
        if (level >= 0) {
          this.skipLongBracket(level);
          continue;
        }
      }
      if (ch === '"' || ch === "'") {
        this.advance();
        while (
          this.peekChar() !== undefined &&
          this.peekChar() !== ch &&
          this.peekChar() !== '\n'
        ) {
          if (this.advance() === '\\' && this.peekChar() !== undefined) this.advance();
        }
        if (this.peekChar() === ch) this.advance();
        continue;
      }
      const line = this.line;
      const col = this.col;
      this.advance();
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0)
        return { file: this.file, line, column: col, endLine: this.line, endColumn: this.col };
    }
  }

  /** At `[` followed by `=`* and `[`: the number of `=`; otherwise -1. Does not consume. */
  private longBracketLevel(): number {
    if (this.text[this.pos] !== '[') return -1;
    let i = this.pos + 1;
    while (this.text[i] === '=') i++;
    return this.text[i] === '[' ? i - this.pos - 1 : -1;
  }

  private skipLongBracket(level: number): void {
    const close = `]${'='.repeat(level)}]`;
    for (let i = 0; i < level + 2; i++) this.advance();
    while (this.peekChar() !== undefined && !this.text.startsWith(close, this.pos)) this.advance();
    for (let i = 0; i < close.length && this.peekChar() !== undefined; i++) this.advance();
  }
}

function unescape(ch: string): string {
  switch (ch) {
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'n':
      return '\n';
    case '"':
    case "'":
    case '\\':
      return ch;
    default:
      // nginx keeps the backslash for any other character (`\d` in a regex stays `\d`).
      return `\\${ch}`;
  }
}
