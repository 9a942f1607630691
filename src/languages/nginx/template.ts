/**
 * nginx configuration written as a template: Jinja (Ansible, Salt, NginxProxyManager's Liquid),
 * ERB (Chef, Puppet), Go templates (`{{ .Env.X }}`, jitsi's tpl) and envsubst (`${VAR}`, the
 * official Docker image's `templates/*.template`).
 *
 * The template syntax is blanked out before nginx's tokenizer runs, keeping every offset, so
 * positions stay exact:
 * - a placeholder inside a directive (`ssl_protocols {{ protocols }};`) becomes one opaque word,
 *   its argument is marked `placeholder` (the setting is unknown: never insecure, never clean);
 * - a statement (`{% if ssl %}`, `<% end %>`, `{# … #}`) or a placeholder standing alone on
 *   its line (a whole block of text inserted) becomes blanks: what is around it is read as
 *   written; directives inside a conditional or a loop are marked `inBranch`.
 *
 * `${NAME}` is nginx syntax for its own variables too (`"${scheme}://…"`): it is a placeholder in
 * a file whose name says template, or when NAME has an upper-case letter (nginx's variables are
 * lower case; envsubst's are conventionally upper case).
 */

/** The character the placeholders are masked with: never in nginx syntax, not a blank. */
export const MASK = '\uE000';

export interface TemplateSyntax {
  /** Template engines seen: `Jinja`, `ERB`, `envsubst`. */
  engines: string[];
  /** Placeholders inside directives, as written, with their lines. */
  placeholders: Array<{ line: number; text: string }>;
  /** Statements and stand-alone placeholders that were skipped. */
  statements: Array<{ line: number; text: string }>;
  /** [start, end) offsets of the text inside conditionals and loops. */
  branches: Array<[number, number]>;
}

const TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|<%[\s\S]*?%>/g;

/** Words that open a block statement, and the ones that close it. */
const OPENS =
  /^(if|unless|for|while|with|macro|block|filter|call|raw|range|define|case)\b|\bdo\s*(\|[^|]*\|)?\s*$|\.each\b/;
const CLOSES = /^(end\w*|end)\b/;
const GO_STATEMENT = /^(if|else|end|range|with|define|template|block)\b/;

/** Names that say the file is a template whatever its content. */
const TEMPLATE_NAME = /\.(j2|jinja2?|erb|tpl|tmpl|gotmpl|template|liquid|mustache|hbs)$/i;

/** Whether `${NAME}` is an envsubst placeholder rather than an nginx variable. */
function isEnvPlaceholder(name: string, templateFile: boolean): boolean {
  return templateFile || /[A-Z]/.test(name);
}

const ENV = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** A tag that inserts configuration text where it stands. */
function inserts(tag: string, word: string): boolean {
  if (tag.startsWith('{%')) return /^(include|render|import)\b/.test(word);
  if (tag.startsWith('{{')) return !GO_STATEMENT.test(word) || /^template\b/.test(word);
  return tag.startsWith('<%=');
}

function statementWord(tag: string): string {
  const inner = tag.replace(/^(\{%-?|<%-?=?|\{\{-?)\s*/, '').replace(/\s*(-?%\}|-?%>|-?\}\})$/, '');
  return inner.replace(/^-\s*/, '').trim();
}

/**
 * The text with template syntax masked (same length, same line breaks), and what was masked;
 * undefined syntax when the file has none.
 */
export function maskTemplate(
  text: string,
  file: string,
): { text: string; syntax?: TemplateSyntax } {
  const hasTags =
    text.includes('{{') || text.includes('{%') || text.includes('{#') || text.includes('<%');
  const templateFile = TEMPLATE_NAME.test(file);
  if (!hasTags && !text.includes('${')) return { text };
  const syntax: TemplateSyntax = { engines: [], placeholders: [], statements: [], branches: [] };
  const engine = (name: string): void => {
    if (!syntax.engines.includes(name)) syntax.engines.push(name);
  };
  const lineAt = (offset: number): number => {
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  let out = text;
  const open: number[] = [];
  if (hasTags) {
    const parts: string[] = [];
    let last = 0;
    for (const m of text.matchAll(TAG)) {
      const tag = m[0];
      const start = m.index;
      const end = start + tag.length;
      // nginx's own `{` followed by `#` comment is not a template (`location / {#`): require the closing mark.
      engine(
        tag.startsWith('<%')
          ? 'ERB'
          : /^\{\{-?\s*(\.|(if|range|with|end|template|define)\b)/.test(tag)
            ? 'Go'
            : 'Jinja',
      );
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      let lineEnd = text.indexOf('\n', end);
      if (lineEnd === -1) lineEnd = text.length;
      const alone =
        text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '';
      const word = statementWord(tag);
      // Go templates and Mustache write their statements in `{{ }}`: `{{ if .Env.SSL }}`, `{{ end }}`, `{{#ssl}}`.
      const goStatement = tag.startsWith('{{') && (GO_STATEMENT.test(word) || /^[#/^]/.test(word));
      const isExpression =
        (tag.startsWith('{{') || tag.startsWith('<%=')) && !alone && !goStatement;
      parts.push(text.slice(last, start));
      if (isExpression) {
        parts.push(tag.replace(/[^\n]/g, MASK));
        syntax.placeholders.push({ line: lineAt(start), text: tag });
      } else if (alone && inserts(tag, word) && tag.length >= 11) {
        // Text the template inserts here (`{% include "ssl.conf" %}`, a stand-alone `{{ tls_block }}`):
        // an include nginx cannot follow, so what it could set on this level is unknown.
        parts.push(`include ${MASK.repeat(tag.length - 9)};`);
        syntax.statements.push({ line: lineAt(start), text: tag });
      } else {
        parts.push(blank(tag));
        const isComment = tag.startsWith('{#') || tag.startsWith('<%#');
        if (!isComment) syntax.statements.push({ line: lineAt(start), text: tag });
        if (
          !isComment &&
          (tag.startsWith('{%') || (tag.startsWith('<%') && !tag.startsWith('<%=')) || goStatement)
        ) {
          if (CLOSES.test(word) || word.startsWith('/')) {
            const from = open.pop();
            if (from !== undefined) syntax.branches.push([from, start]);
          } else if (OPENS.test(word) || word.startsWith('#') || word.startsWith('^')) {
            open.push(end);
          }
        }
      }
      last = end;
    }
    parts.push(text.slice(last));
    out = parts.join('');
  }
  for (const from of open) syntax.branches.push([from, text.length]);
  out = out.replace(ENV, (whole: string, name: string, offset: number) => {
    if (!isEnvPlaceholder(name, templateFile)) return whole;
    engine('envsubst');
    syntax.placeholders.push({ line: lineAt(offset), text: whole });
    return MASK.repeat(whole.length);
  });
  if (syntax.engines.length === 0) return { text };
  return { text: out, syntax };
}

/** "Jinja/ERB template: 2 placeholders (…) …" — what of a template was not read, for its notice. */
export function describeTemplate(syntax: TemplateSyntax): string {
  const list = (items: ReadonlyArray<{ line: number; text: string }>): string => {
    const shown = items
      .slice(0, 3)
      .map((p) => `"${p.text.replace(/\s+/g, ' ').slice(0, 60)}" (line ${p.line})`);
    return `${shown.join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
  };
  const parts: string[] = [];
  if (syntax.placeholders.length) {
    parts.push(
      `the values of ${syntax.placeholders.length === 1 ? 'its placeholder' : `its ${syntax.placeholders.length} placeholders`} ${list(syntax.placeholders)} are filled in when it is rendered: those settings are unknown, neither judged weak nor taken as safe`,
    );
  }
  if (syntax.statements.length) {
    parts.push(
      `${syntax.statements.length === 1 ? 'its template statement' : `its ${syntax.statements.length} template statements`} ${list(syntax.statements)} ${syntax.statements.length === 1 ? 'was' : 'were'} not read: the directives around them are judged as written, every branch as if rendered`,
    );
  }
  return `${syntax.engines.join('/')} template: ${parts.join('; ')}; lint the rendered configuration to judge the rest`;
}
