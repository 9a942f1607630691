/**
 * A cheap text test run before a JS/TS file is parsed: can this file hold a TLS setting at all?
 *
 * The words are the extractor's own: every context it makes starts from one of them, written in
 * the file (or in a module it imports, see `mayReceiveTls`), and the lists are imported from where
 * the extractor reads them, so the two cannot drift apart:
 * - a known TLS API (`tls.connect`, `new https.Agent`, `http2.connect`, `undici.Agent`…) or
 *   `tls.DEFAULT_*`/`https.globalAgent`: the callee resolves to a module, whose name is a string
 *   the file writes (`require('tls')`, `import * as h from "node:https"`, `import('http2')`,
 *   `` require(`undici`) ``) — so the quoted module name, case-sensitive as Node's module names
 *   are. Of `crypto` only `createCredentials` is TLS: that name is the word;
 * - a library's own switch that means TLS only there (http-proxy's `secure`): the quoted package
 *   name; superagent's `disableTLSCerts()`: the method name;
 * - an options object handed to any call, exported, returned, merged or assigned: it holds one of
 *   the keys the extractor looks for (`rejectUnauthorized`, `checkServerIdentity`, the libraries'
 *   `strictSSL`/`tlsInsecure`/…, `secureProtocol`, `requestCert`, `minVersion`…), or a bag named
 *   `ssl`/`tls`/`https`/`tlsOptions`/… whose `ca`/`cert`/`key`/`ciphers` count. Keys are compared
 *   case-sensitively by the extractor, so the words are too; a bag name counts only as a whole
 *   word (not `classList`, `targetHttpsProxies`) and not as a URL scheme (`https://`, `/^https?:/`,
 *   `'https:'`);
 * - `NODE_TLS_REJECT_UNAUTHORIZED` (`process.env`, a child's `env`);
 * - a connection string's switch (`?sslmode=no-verify`, `tlsInsecure=true`): the parameter
 *   followed by `=`, in any case (the parameters are matched in any case).
 * A word may stand anywhere (a computed key `['rejectUnauthorized']`, a constant holding the
 * module name): the test only asks whether the file names it. What it cannot see is a name
 * assembled at run time (`'reject' + 'Unauthorized'`) or escaped in a string (`'\x74ls'`).
 *
 * `test/node/prefilter.test.ts` and `test/engine/prefilters.test.ts` run every fixture, example and
 * the project's own sources through it: a file with a TLS context must pass.
 */
import { PROTOCOL_BOUND_KEYS, TLS_BAG_NAMES, TLS_ONLY_KEYS } from './extract.js';
import {
  KNOWN_APIS,
  LIBRARY_OPTION_KEYS,
  LIBRARY_VERIFY_KEYS,
  TLS_MARKER_KEYS,
  VERIFY_OFF_METHODS,
} from './modules.js';
import { SWITCH_MENTION, SWITCH_PARAMS } from './connection-strings.js';
import { NODE_TLS_REJECT_UNAUTHORIZED } from './process-env.js';
import { projectImportTargets, type ProjectLookup } from './project-modules.js';
import type { PrefilterContext } from '../reader.js';

/**
 * Modules whose only TLS API is one member, used for much else (`crypto` for hashes): the member
 * name is the word, not the module's.
 */
const MEMBER_WORD_MODULES = new Set(['crypto']);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/**
 * Every word the pattern below names, recorded as the pattern is built: the cheap scan of
 * {@link mayConfigureTls} takes its literals from here, so that a word added to the pattern is
 * a word the scan looks for.
 */
const PATTERN_WORDS = new Set<string>();
const words = (list: Iterable<string>): string[] => {
  const unique = [...new Set(list)];
  for (const w of unique) PATTERN_WORDS.add(w);
  return unique;
};
const alternation = (list: Iterable<string>) => words(list).map(escape).join('|');

const apiModules = KNOWN_APIS.map((a) => a.api.split('.')[0]!).filter(
  (m) => !MEMBER_WORD_MODULES.has(m),
);
const memberWords = KNOWN_APIS.filter((a) => MEMBER_WORD_MODULES.has(a.api.split('.')[0]!)).map(
  (a) => a.api.split('.').slice(1).join('.'),
);

const Q = `['"\`]`;
/** The module prefix a quoted module name may have: with the quote, all a match has before its word. */
const NODE_PREFIX = 'node:';

/**
 * A string that is only compared (`=== 'https'`, `case 'tls':`) gives a boolean, never a module
 * name or a key: it does not count. Tested after the opening quote, not before it: an
 * alternative that begins with its literal characters is what lets V8's regex engine skip
 * ahead, where a leading lookbehind is tried at every position of the text (a third of the
 * test's time).
 */
// Fixed-length alternatives (one space or none), so that ripgrep's PCRE2 runs the same pattern.
const NOT_COMPARED_BEFORE = `(?<!${['\\bcase ', '\\bcase', '[=!]= ', '[=!]='].map((b) => b + Q).join('|')})`;
const NOT_COMPARED_AFTER = `(?!\\s*[=!]=)`;

/**
 * Strings: module names (`'tls'`, `"node:https"`, `` `undici` ``), bag names as strings
 * (`'ssl': …`, `[K]` with `const K = 'ssl'`), and package names (`'http-proxy/…'`).
 */
const QUOTED =
  `${Q}(?:${NOT_COMPARED_BEFORE}(?:(?:${NODE_PREFIX})?(?:${alternation(apiModules)})|${alternation(TLS_BAG_NAMES)})` +
  `${Q}${NOT_COMPARED_AFTER}|(?:${alternation(Object.keys(LIBRARY_OPTION_KEYS))})['"\`/])`;
/** Option keys, method and variable names: unusual enough to count anywhere. */
const NAMES = alternation([
  ...TLS_MARKER_KEYS,
  ...LIBRARY_VERIFY_KEYS,
  ...TLS_ONLY_KEYS,
  ...PROTOCOL_BOUND_KEYS,
  ...memberWords,
  ...Object.values(VERIFY_OFF_METHODS).flat(),
  NODE_TLS_REJECT_UNAUTHORIZED,
]);
/**
 * Bag names (`ssl: { ca }`) as the extractor meets them: a key (`ssl:` but not `https://` or the
 * `(https:)` of a pattern), a shorthand or a member write (`{ tls }`, `o.ssl = …`). Whole words
 * only: not `classList`, `targetHttpsProxies` (the lookbehind follows each word, as above).
 */
const BAG = `(?:${words(TLS_BAG_NAMES)
  .map(escape)
  .map((w) => `${w}(?<![\\w$'"\`]${w})`)
  .join('|')})\\s*(?::(?![/)\\\\])|=(?!=)|,|\\})`;

/**
 * The whole test, case-sensitive.
 * @public bench/lint-bench.mjs imports it from dist/ (ripgrep searches with the same words).
 */
export const TLS_ANCHORS = new RegExp(`${QUOTED}|${BAG}|${NAMES}`);
/**
 * Connection-string switches: `<param>=` in any case.
 * @public bench/lint-bench.mjs imports it from dist/.
 */
export const SWITCH_ANCHOR = SWITCH_MENTION;

/**
 * The cheap first look of {@link mayConfigureTls}: literals, one of which every match of the two
 * patterns holds, and how far before one a match may start.
 *
 * A match of {@link TLS_ANCHORS} holds one of {@link PATTERN_WORDS} and has at most a quote and
 * {@link NODE_PREFIX} before it; a match of {@link SWITCH_ANCHOR} is one of {@link SWITCH_PARAMS}
 * and `=`. The literals are the words that hold no other word (`tls` stands for `tlsOptions`),
 * looked for as their pattern matches them: in any case (`[sS][sS][lL]`) where it ignores case
 * (the switches).
 * Scanning for them is one quick pass a regex engine does well (most files hold none); only where
 * one stands are the full patterns tried, from every place a match holding it could start: the
 * same answer as testing the whole text, since every match holds a literal (its word's) at a
 * known distance from its start, and a pattern tried from a place still sees the text before it
 * (its lookbehinds). `test/node/prefilter.test.ts` checks that every word of the patterns holds a
 * literal and that the answer is the patterns' own.
 */
interface Literals {
  literals: string[];
  /** The farthest a word's first literal stands from the word's start. */
  reach: number;
}

function literalsOf(list: readonly string[], anyCase: boolean): Literals {
  const fold = (w: string) => (anyCase ? w.toLowerCase() : w);
  const folded = [...new Set(list.map(fold))];
  const literals = folded.filter((w) => !folded.some((o) => o !== w && w.includes(o)));
  let reach = 0;
  for (const w of folded)
    reach = Math.max(reach, Math.min(...literals.map((l) => w.indexOf(l)).filter((i) => i >= 0)));
  return { literals, reach };
}

/** A literal's source as the scan looks for it: in any case when its pattern ignores case. */
const sourceOf = (anyCase: boolean) => (w: string) =>
  anyCase
    ? escape(w).replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)
    : escape(w);

const TLS_ANY_CASE = TLS_ANCHORS.ignoreCase;
const SWITCH_ANY_CASE = SWITCH_ANCHOR.ignoreCase;
const TLS_LITERALS = literalsOf([...PATTERN_WORDS], TLS_ANY_CASE);
const SWITCH_LITERALS = literalsOf(SWITCH_PARAMS, SWITCH_ANY_CASE);
/** The literals, for the test that every word of the patterns holds one. */
export const SCAN_LITERALS = { tls: TLS_LITERALS.literals, switches: SWITCH_LITERALS.literals };
const SCAN = new RegExp(
  [
    ...TLS_LITERALS.literals.map(sourceOf(TLS_ANY_CASE)),
    ...SWITCH_LITERALS.literals.map(sourceOf(SWITCH_ANY_CASE)),
  ].join('|'),
  'g',
);
/** The farthest before a literal a match may start: a quote and `node:`, then the word's own. */
const TLS_BACK = 1 + NODE_PREFIX.length + TLS_LITERALS.reach;
const SWITCH_BACK = SWITCH_LITERALS.reach;
/** Each pattern, tried from one place and up to `back` places after it. */
const TLS_FROM = new RegExp(
  `[\\s\\S]{0,${TLS_BACK}}(?:${TLS_ANCHORS.source})`,
  `${TLS_ANCHORS.flags.replace(/[gy]/g, '')}y`,
);
const SWITCH_FROM = new RegExp(
  `[\\s\\S]{0,${SWITCH_BACK}}(?:${SWITCH_ANCHOR.source})`,
  `${SWITCH_ANCHOR.flags.replace(/[gy]/g, '')}y`,
);

/** Whether the file's own text names something a TLS context can start from. */
export function mayConfigureTls(text: string): boolean {
  // Tried from every place up to a literal: `tried` is the first place not tried yet.
  let tried = 0;
  SCAN.lastIndex = 0;
  for (let hit = SCAN.exec(text); hit !== null; hit = SCAN.exec(text)) {
    const at = hit.index;
    if (tryFrom(TLS_FROM, text, Math.max(tried, at - TLS_BACK))) return true;
    if (tryFrom(SWITCH_FROM, text, Math.max(tried, at - SWITCH_BACK))) return true;
    tried = at + 1;
    // Literals may overlap (`tlssl`): the next one may start at the next character.
    SCAN.lastIndex = at + 1;
  }
  return false;
}

function tryFrom(pattern: RegExp, text: string, from: number): boolean {
  pattern.lastIndex = from;
  return pattern.test(text);
}

// --- values from other modules -----------------------------------------------------------------

/**
 * A type-only import or re-export: `import type { A } from '…'`, `import type A from '…'`,
 * `import type * as ns from '…'`, `export type { A } from '…'`, `export type * from '…'`, and
 * `import { type A, type B as C } from '…'` (every name a type). TypeScript erases them, and the
 * evaluator gives their names no value (scope.ts skips them): nothing TLS-related can come
 * through one. `import type from '…'` imports a value named `type`, and `{ type as x }` one named
 * `type` too: neither matches.
 */
const NAME = String.raw`[\w$]+`;
const TYPE_NAME = String.raw`type\s+(?!as\b)${NAME}(?:\s+as\s+${NAME})?`;
const TYPE_ONLY = String.raw`\b(?:import|export)\s+(?:type\s+(?:\*(?:\s+as\s+${NAME})?|\{[^{}]*\}|${NAME})|\{\s*${TYPE_NAME}(?:\s*,\s*${TYPE_NAME})*\s*,?\s*\})\s*from\s*(['"])[^'"\n]*\1`;

/**
 * Module specifiers a file may import from: `from '…'`, `import '…'`, `import('…')`,
 * `require('…')`, and any string that looks like a relative or `#` path (a constant handed to
 * `require` or `import()`, or to an alias of `require`). A type-only import is matched first
 * ({@link TYPE_ONLY}), as a whole, and left out.
 */
const SPECIFIER = new RegExp(
  String.raw`${TYPE_ONLY}|(?:\bfrom|\bimport|\brequire)\s*\(?\s*(['"\`])([^'"\`\n]+)\2|(['"\`])((?:\.\.?\/|#)[^'"\`\n]*)\4`,
  'g',
);

function importSpecifiers(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) {
    const specifier = m[3] ?? m[5];
    if (specifier !== undefined) out.add(specifier);
  }
  return [...out];
}

interface ClosureState {
  /** `imported`: a module a file imports, not the next file of the run (see project-modules.ts). */
  targets: (
    file: string,
    imported?: boolean,
  ) => ((specifier: string) => string | undefined) | undefined;
  /** Reads a module through the lookup (the text the resolver just found is not read again). */
  readText: (file: string) => string | undefined;
  /** Each module read: whether it names something TLS-related itself, and what it imports. */
  modules: Map<string, { own: boolean; specifiers: string[] } | undefined>;
  /** Modules known to reach one that names something TLS-related. */
  tainted: Set<string>;
  /**
   * Modules known to reach none: those a question answered "no" went through. Without it each
   * file of a large project would walk the whole import graph below it again.
   */
  clean: Set<string>;
}
const states = new WeakMap<PrefilterContext, ClosureState>();

/** The prefilter's whole test: the file names something TLS-related, or imports a module that does. */
export function mayHoldTls(file: string, text: string, ctx?: PrefilterContext): boolean {
  return mayConfigureTls(text) || receivesTls(file, text, ctx, true);
}

/**
 * Whether a file without TLS words of its own may still make a context from a value another
 * module of the project gives it (an options object, `require('https')` exported under another
 * name): some module it imports, or one those import in turn, names something TLS-related.
 * Values cross modules only where a tsconfig.json/jsconfig.json applies (`project-modules.ts`),
 * and are resolved the same way here, without parsing. Without `ctx` (a caller that cannot read
 * other files) every file that imports something is kept.
 */
export function mayReceiveTls(file: string, text: string, ctx?: PrefilterContext): boolean {
  return receivesTls(file, text, ctx, false);
}

/** `ownKnownClean`: the caller found no TLS word in `text` itself. */
function receivesTls(
  file: string,
  text: string,
  ctx: PrefilterContext | undefined,
  ownKnownClean: boolean,
): boolean {
  if (ctx?.project === false) return false;
  if (!ctx) return importSpecifiers(text).length > 0;
  const s = stateOf(ctx);
  // No project configuration for this file: no value crosses a module boundary (looked up once
  // per folder, before the text is searched for imports).
  if (!s.targets(file)) return false;
  const specifiers = importSpecifiers(text);
  if (specifiers.length === 0) return false;
  const moduleOf = (target: string) => {
    if (!s.modules.has(target)) {
      const t = s.readText(target);
      s.modules.set(
        target,
        t === undefined ? undefined : { own: mayConfigureTls(t), specifiers: importSpecifiers(t) },
      );
    }
    return s.modules.get(target);
  };
  // Depth-first over the imports, each module once per question.
  const seen = new Set([file]);
  const reaches = (from: string, specs: readonly string[]): boolean => {
    const resolve = s.targets(from, from !== file);
    if (!resolve) return false;
    for (const spec of specs) {
      const target = resolve(spec);
      if (target === undefined || seen.has(target) || s.clean.has(target)) continue;
      seen.add(target);
      const m = moduleOf(target);
      if (!m) continue;
      if (s.tainted.has(target) || m.own || reaches(target, m.specifiers)) {
        s.tainted.add(target);
        return true;
      }
    }
    return false;
  };
  if (reaches(file, specifiers)) return true;
  // Every module the question went through was searched to the end, found nothing, and reached
  // nothing but each other and this file: unless this file names something itself (a module
  // that imports it back would then reach that), none of them reaches anything, from anywhere.
  if (ownKnownClean || !mayConfigureTls(text)) for (const m of seen) s.clean.add(m);
  return false;
}

function stateOf(ctx: PrefilterContext): ClosureState {
  let state = states.get(ctx);
  if (!state) {
    // Resolving asks whether many names are there (`x.ts`, `x.tsx`, `x/index.ts`…), and again
    // from each folder that imports the same module: each file is read once to answer, and the
    // one the resolver settled on is handed on to the import search without reading it again.
    const missing = new Set<string>();
    const present = new Set<string>();
    let last: { file: string; text: string } | undefined;
    const readText = (p: string) => {
      if (last?.file === p) return last.text;
      if (missing.has(p)) return undefined;
      const t = ctx.readText(p);
      if (t === undefined) missing.add(p);
      else {
        present.add(p);
        last = { file: p, text: t };
      }
      return t;
    };
    const lookup: ProjectLookup = {
      readText,
      fileExists: (p) => present.has(p) || readText(p) !== undefined,
      boundary: ctx.cwd ?? process.cwd(),
      // (`project: false` never gets here.)
      ...(typeof ctx.project === 'string' && { project: ctx.project }),
    };
    state = {
      targets: projectImportTargets(lookup),
      readText,
      modules: new Map(),
      tainted: new Set(),
      clean: new Set(),
    };
    states.set(ctx, state);
  }
  return state;
}
